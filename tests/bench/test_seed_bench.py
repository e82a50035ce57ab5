"""`manage.py seed_bench`: the benchmark's data set, its fixed accounts, and its growth."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.urls import reverse

from bench.data import plan
from deputies.models import Deputy
from suggestions import permissions, services
from suggestions.models import (
    Assignment,
    Commitment,
    NumberSequence,
    Reminder,
    Reply,
    SignOff,
    SimilarityEntry,
    Suggestion,
    UnitMembership,
)

COUNTED = [
    Suggestion,
    Assignment,
    Reply,
    SignOff,
    Commitment,
    Deputy,
    Reminder,
    UnitMembership,
    SimilarityEntry,
]


def seed(total: int) -> str:
    out = io.StringIO()
    call_command("seed_bench", suggestions=total, stdout=out)
    return out.getvalue()


def counts() -> dict:
    return {model.__name__: model.objects.count() for model in COUNTED}


# On PostgreSQL seed_bench writes through connections of its own, which commit: these
# tests run outside a transaction and the database is emptied after each.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def seeded(transactional_db):
    seed(600)


def test_seed_bench_creates_the_accounts_the_benchmark_logs_in_as(seeded):
    """bench-clerk's unit has 500 assignments, bench-deputy leads 20, bench-staff is staff."""
    users = get_user_model().objects
    clerk = users.get(username="bench-clerk")
    unit = UnitMembership.objects.get(user=clerk, is_head=False).unit
    assert unit.name == "基准测试单位"
    assert Assignment.objects.filter(unit=unit).count() == 500
    deputy = Deputy.objects.get(user__username="bench-deputy")
    assert Suggestion.objects.filter(lead_deputy=deputy).count() == 20
    staff = users.get(username="bench-staff")
    assert staff.is_staff and permissions.is_committee_staff(staff)
    for user in (clerk, deputy.user, staff):
        assert user.check_password("bench12345")


def test_seed_bench_puts_suggestions_in_every_state_with_their_records(seeded):
    """Every state occurs, and each suggestion has the records its state implies."""
    states = dict(Suggestion.objects.values_list("state").annotate(n=Count("pk")))
    assert set(states) == set(Suggestion.State.values)
    assert sum(states.values()) == 600
    for suggestion in Suggestion.objects.filter(
        state__in=["assigned", "handled", "signed", "revisited"]
    ).prefetch_related("assignments", "replies", "signoffs", "revisits", "merged_suggestions"):
        leads = [a for a in suggestion.assignments.all() if a.role == "lead" and a.is_open]
        assert len(leads) == 1 and leads[0].due_on >= leads[0].assigned_on
        reply = {r.round: r for r in suggestion.replies.all()}.get(suggestion.round)
        assert (reply is None) == (suggestion.state == "assigned")
        levels = [s.level for s in suggestion.signoffs.all() if s.round == suggestion.round]
        if suggestion.state in ("signed", "revisited"):
            # The deputy level once per lead deputy of the group (merged ones' too).
            group = {suggestion.lead_deputy_id} | {
                m.lead_deputy_id for m in suggestion.merged_suggestions.all()
            }
            assert sorted(levels) == sorted([*SignOff.Level.values, *["deputy"] * (len(group) - 1)])
            assert suggestion.levels_signed() == set(SignOff.Level.values)
        assert len(suggestion.revisits.all()) == (suggestion.state == "revisited")
    numbered = Suggestion.objects.exclude(number="")
    assert numbered.count() == numbered.values("term", "session", "number").distinct().count()
    for sequence in NumberSequence.objects.all():
        taken = numbered.filter(term=sequence.term, session=sequence.session)
        assert max(int(n) for n in taken.values_list("number", flat=True)) <= sequence.last


def test_seed_bench_merges_suggestions_into_mains_of_their_session(seeded):
    """Merged ones point at a main of the same term and session that was not withdrawn,
    refused or merged, were raised before it was assigned, by another deputy, and keep
    the state they had before the merge."""
    merged = Suggestion.objects.filter(state="merged").select_related("merged_into")
    assert merged.count() >= 3
    mains = set()
    for suggestion in merged.prefetch_related("merged_into__assignments"):
        main = suggestion.merged_into
        mains.add(main.pk)
        assert (main.term, main.session) == (suggestion.term, suggestion.session)
        assert main.state not in ("merged", "withdrawn", "not_accepted")
        assert main.merged_into_id is None
        assert suggestion.lead_deputy_id != main.lead_deputy_id
        assert suggestion.state_before_merge in ("proposed", "reviewed")
        assert (suggestion.number != "") == (suggestion.state_before_merge == "reviewed")
        assignments = [a.assigned_on for a in main.assignments.all()]
        if assignments:
            assert suggestion.raised_on < min(assignments)
    assert Suggestion.objects.filter(merged_into__isnull=False).exclude(state="merged").count() == 0
    # Mains in the states before and after assignment.
    states = set(Suggestion.objects.filter(pk__in=mains).values_list("state", flat=True))
    assert states & {"assigned", "handled", "signed", "revisited"}


def test_seed_bench_writes_every_suggestion_s_grams_and_some_marks(seeded):
    """Each suggestion has its SimilarityEntry with the grams of its title and content;
    merged ones and their mains are 多位代表提, a matter raised again is 多年提; the
    finder finds a merged suggestion's main among the most similar."""
    from suggestions import selectors, similarity

    entries = {e.suggestion_id: e for e in SimilarityEntry.objects.all()}
    suggestions = list(Suggestion.objects.all())
    assert set(entries) == {s.pk for s in suggestions}
    for suggestion in suggestions:
        entry = entries[suggestion.pk]
        assert entry.grams == similarity.as_text(
            similarity.grams(suggestion.title, suggestion.content)
        )
        assert entry.checked_at is not None
        if suggestion.merged_into_id:
            assert entry.raised_by_several and entries[suggestion.merged_into_id].raised_by_several
    assert any(e.raised_before for e in entries.values())
    several = {pk for pk, e in entries.items() if e.raised_by_several}
    grouped = set(
        Suggestion.objects.filter(merged_into__isnull=False).values_list("pk", "merged_into_id")
    )
    assert several == {pk for pair in grouped for pk in pair}
    # Texts differ: far fewer suggestions share a title than before issue 14.
    assert len({s.title for s in suggestions}) > len(suggestions) / 2
    merged = next(s for s in suggestions if s.merged_into_id)
    found = selectors.similar_suggestions(
        text=selectors.suggestion_text(merged), exclude=merged, limit=10
    )
    assert merged.merged_into_id in [s.pk for s, _score in found]


def test_similar_step_measures_the_finder_on_the_seeded_data(seeded):
    """bench/steps.py similar: timed top-10 queries of seeded texts, and how often a merged
    suggestion's main is among the results (SQLite's scan, or PostgreSQL's index)."""
    from bench.similar import run_similar

    found = run_similar(8)

    assert found["queries"] == 8 and found["suggestions"] == 600
    assert 0 < found["p50_ms"] <= found["p95_ms"] <= found["max_ms"]
    assert found["results_p50"] >= 1
    assert found["merged_checked"] >= 3
    assert 0 <= found["merged_main_in_top10"] <= found["merged_checked"]


def test_assessment_step_measures_a_year_live_and_closed_on_the_seeded_data(seeded):
    """bench/steps.py assessment: the busiest year's assessment within 10 queries, with
    cases of every kind the generator makes; the year closed and read frozen; a second
    run reopens it first."""
    from bench.assessment import run_assessment
    from reports.models import AssessmentEvent, AssessmentScheme, Deduction

    found = run_assessment(2)

    assert found["units"] > 1 and found["assignments"] > 0
    assert found["live_queries"] <= 10
    assert 0 < found["live_median_ms"] <= found["live_max_ms"]
    assert {"late_reply", "late_co_opinion", "dissatisfied", "manual"} <= set(
        found["deduction_cases"]
    )
    assert found["distinct_scores"] >= 3
    assert found["closed_rows"] == found["units"] and found["closed_queries"] <= 3
    assert AssessmentScheme.objects.get(year=found["year"]).dissatisfied > 0
    assert Deduction.objects.filter(year=found["year"]).exists()
    again = run_assessment(1)
    assert again["reopened_first"] and again["year"] == found["year"]
    actions = AssessmentEvent.objects.filter(year=found["year"]).values_list("action", flat=True)
    assert list(actions) == ["close", "reopen", "close"]


def test_seed_bench_grows_to_the_total_and_adds_nothing_the_second_time(seeded):
    """N is the total: the same N adds nothing; a larger one adds the difference."""
    before = counts()
    seed(600)
    assert counts() == before
    seed(750)
    assert Suggestion.objects.count() == 750
    assert SimilarityEntry.objects.count() == 750
    assert Assignment.objects.filter(unit__name="基准测试单位").count() == 500
    assert Suggestion.objects.filter(lead_deputy__user__username="bench-deputy").count() == 20


def test_seed_bench_refuses_a_first_run_too_small_for_the_fixed_accounts():
    """The bench unit's 500 assignments need at least 600 suggestions."""
    with pytest.raises(CommandError):
        seed(400)
    assert not Suggestion.objects.exists()


def test_seeded_data_serves_the_pages_and_the_reminder_sweep(
    seeded, client, django_capture_on_commit_callbacks
):
    """The clerk's task list, the deputy's list and the admin list show the seeded rows;
    the sweep finds what falls due today and, run again, nothing."""
    users = get_user_model().objects
    client.force_login(users.get(username="bench-clerk"))
    page = client.get(reverse("tasks:list"), {"tab": "all"})
    assert page.status_code == 200
    titles = Suggestion.objects.filter(assignments__unit__name="基准测试单位").values_list(
        "title", flat=True
    )
    assert any(title in page.content.decode() for title in titles)
    client.force_login(users.get(username="bench-deputy"))
    page = client.get(reverse("status:list"))
    assert page.status_code == 200
    led = Suggestion.objects.filter(lead_deputy__user__username="bench-deputy")
    assert any(s.title in page.content.decode() for s in led)
    client.force_login(users.get(username="bench-staff"))
    assert client.get(reverse("admin:suggestions_suggestion_changelist")).status_code == 200
    with django_capture_on_commit_callbacks(execute=False):
        services.send_due_reminders()
        assert services.send_due_reminders() == 0


def test_batch_specs_keeps_the_proportions_when_growing():
    """Growing 600 → 10,000 adds the current session's share and past years alike."""
    rng = plan.random.Random(1)
    first = plan.batch_specs(0, 600, rng)
    more = plan.batch_specs(600, 10_000, rng)
    assert len(first) == 600 and len(more) == 9_400
    current = [code for code in first + more if plan.decode(code)[0] == 0]
    assert len(current) == plan.current_count(10_000)
