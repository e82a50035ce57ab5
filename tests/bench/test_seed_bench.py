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
    Suggestion,
    UnitMembership,
)

COUNTED = [Suggestion, Assignment, Reply, SignOff, Commitment, Deputy, Reminder, UnitMembership]


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
    ).prefetch_related("assignments", "replies", "signoffs", "revisits"):
        leads = [a for a in suggestion.assignments.all() if a.role == "lead" and a.is_open]
        assert len(leads) == 1 and leads[0].due_on >= leads[0].assigned_on
        reply = {r.round: r for r in suggestion.replies.all()}.get(suggestion.round)
        assert (reply is None) == (suggestion.state == "assigned")
        levels = [s.level for s in suggestion.signoffs.all() if s.round == suggestion.round]
        if suggestion.state in ("signed", "revisited"):
            assert sorted(levels) == sorted(SignOff.Level.values)
        assert len(suggestion.revisits.all()) == (suggestion.state == "revisited")
    numbered = Suggestion.objects.exclude(number="")
    assert numbered.count() == numbered.values("term", "session", "number").distinct().count()
    for sequence in NumberSequence.objects.all():
        taken = numbered.filter(term=sequence.term, session=sequence.session)
        assert max(int(n) for n in taken.values_list("number", flat=True)) <= sequence.last


def test_seed_bench_grows_to_the_total_and_adds_nothing_the_second_time(seeded):
    """N is the total: the same N adds nothing; a larger one adds the difference."""
    before = counts()
    seed(600)
    assert counts() == before
    seed(750)
    assert Suggestion.objects.count() == 750
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
