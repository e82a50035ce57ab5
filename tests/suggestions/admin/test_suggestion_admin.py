"""The committee staff's admin: the ledger list, the suggestion's page, the transitions."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_fsm_log.models import StateLog

from suggestions import permissions, services
from suggestions.models import KeySuggestion, SignOff, Suggestion
from tests import factories, flows
from tests.confirm import submit

CHANGELIST = reverse("admin:suggestions_suggestion_changelist")


def change_url(suggestion):
    return reverse("admin:suggestions_suggestion_change", args=[suggestion.pk])


def transition_url(suggestion, name):
    return reverse("admin:suggestions_suggestion_transition", args=[suggestion.pk, name])


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def reviewer_client(client, reviewer):
    client.force_login(reviewer)
    return client


def test_changelist_shows_the_ledger_columns(cast, staff_client):
    """A row shows number, deputy, state, lead unit, deadline, reply class and ratings."""
    suggestion = flows.signed(cast)
    page = staff_client.get(CHANGELIST).content.decode()
    lead = flows.lead(suggestion)
    assert suggestion.number in page
    assert cast.deputy.name in page
    assert "已签字" in page
    assert cast.lead_unit.name in page
    assert str(lead.due_on) in page or lead.due_on.strftime("%Y年%-m月%-d日") in page
    assert "工作：满意<br>结果：满意" in page


def test_changelist_shows_overdue_in_red(cast, staff_client):
    """An assigned suggestion past its deadline shows its days overdue in red."""
    with time_machine.travel(datetime.datetime(2026, 3, 10, 2, tzinfo=datetime.UTC), tick=False):
        flows.assigned(cast, co=False)
    with time_machine.travel(datetime.datetime(2026, 6, 15, 2, tzinfo=datetime.UTC), tick=False):
        page = staff_client.get(CHANGELIST).content.decode()
    assert '<span class="npc-overdue">逾期 5 天</span>' in page


def _changelist_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(CHANGELIST)
    assert response.status_code == 200
    return len(queries)


def test_changelist_queries_do_not_grow_with_rows(cast, staff_client):
    """The list issues the same number of queries for 1 suggestion as for 50."""
    flows.signed(cast)
    one = _changelist_queries(staff_client)
    for _ in range(49):
        factories.SuggestionFactory(lead_deputy=cast.deputy)
    assert Suggestion.objects.count() == 50
    assert _changelist_queries(staff_client) == one


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("deadline=overdue", {"逾期的"}),  # past its deadline, not replied
        ("deadline=week", {"本周到期的"}),  # due within 7 days
        ("q=张伟", {"张伟领衔的"}),  # search by the lead deputy's name
    ],
)
def test_changelist_filters_and_search(cast, staff_client, query, expected):
    """The deadline filters and the deputy search find exactly the matching suggestions."""
    with time_machine.travel(datetime.datetime(2026, 3, 10, 2, tzinfo=datetime.UTC), tick=False):
        flows.assigned(cast, co=False, title="逾期的")
    with time_machine.travel(datetime.datetime(2026, 3, 20, 2, tzinfo=datetime.UTC), tick=False):
        flows.assigned(cast, co=False, title="本周到期的")
    services.suggestion_create(
        by=cast.staff, title="张伟领衔的", content="内容", lead_deputy=cast.other_deputy
    )
    with time_machine.travel(datetime.datetime(2026, 6, 15, 2, tzinfo=datetime.UTC), tick=False):
        response = staff_client.get(f"{CHANGELIST}?{query}")
    titles = {s.title for s in response.context["cl"].result_list}
    assert titles == expected


def test_unit_filter_finds_suggestions_assigned_to_the_unit(cast, staff_client):
    """Filtering by unit finds the suggestions that unit handles, as lead or co-handler."""
    handled_by_co = flows.assigned(cast, title="协办的")
    flows.proposed(cast, title="未交办的")
    response = staff_client.get(f"{CHANGELIST}?unit={cast.co_unit.pk}")
    assert [s.pk for s in response.context["cl"].result_list] == [handled_by_co.pk]


@pytest.mark.parametrize(
    "unit",
    [
        "abc",  # not a number
        "99999999999999999999",  # past the id column's range
        "-1",  # no unit has it
    ],
)
def test_unit_filter_with_a_value_no_unit_has_says_the_filter_is_wrong(cast, staff_client, unit):
    """A unit filter no unit could match sends the changelist and the ledger export back to
    the list with its "wrong filter" flag (?e=1), instead of a server error."""
    for url in (CHANGELIST, reverse("admin:suggestions_suggestion_ledger")):
        response = staff_client.get(url, {"unit": unit, "format": "csv"})
        assert response.status_code == 302, url
        assert response["Location"].endswith("?e=1")


def test_change_page_offers_only_the_transitions_of_the_state(cast, staff_client):
    """A proposed suggestion's page offers approve, return, reject and withdraw, not assign."""
    suggestion = flows.proposed(cast)
    page = staff_client.get(change_url(suggestion)).content.decode()
    for name in ("approve", "return_for_revision", "reject", "withdraw"):
        assert transition_url(suggestion, name) in page
    assert transition_url(suggestion, "assign") not in page


def test_reviewer_sees_review_buttons_but_cannot_assign(cast, reviewer_client):
    """A reviewer may approve but the assign form refuses them, and nothing changes."""
    suggestion = flows.reviewed(cast)
    page = reviewer_client.get(change_url(suggestion)).content.decode()
    assert transition_url(suggestion, "assign") not in page
    response = reviewer_client.post(
        transition_url(suggestion, "assign"), {"lead_unit": cast.lead_unit.pk}
    )
    assert "无权" in response.content.decode()
    suggestion.refresh_from_db()
    assert suggestion.state == Suggestion.State.REVIEWED


def test_approve_button_calls_the_service(cast, staff_client, staff):
    """Approving from the admin numbers the suggestion and writes the transition record."""
    suggestion = flows.proposed(cast)
    response = staff_client.post(transition_url(suggestion, "approve"), {"note": "三项审查通过"})
    assert response.status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.state == Suggestion.State.REVIEWED
    assert suggestion.number
    log = StateLog.objects.for_(suggestion).get()
    assert (log.transition, log.by, log.description) == ("approve", staff, "三项审查通过")


def test_assign_form_creates_lead_and_co_assignments(cast, staff_client):
    """The assign form gives the suggestion to the lead unit and the co-handling units."""
    suggestion = flows.reviewed(cast)
    staff_client.post(
        transition_url(suggestion, "assign"),
        {"lead_unit": cast.lead_unit.pk, "co_units": [cast.co_unit.pk]},
    )
    suggestion.refresh_from_db()
    assert suggestion.state == Suggestion.State.ASSIGNED
    assert {(a.unit, a.role) for a in suggestion.assignments.all()} == {
        (cast.lead_unit, "lead"),
        (cast.co_unit, "co"),
    }


def test_assign_form_takes_the_meetings_date(cast, staff_client):
    """The assign form's date of the 交办会 is the assignments' date, their deadlines from it."""
    with time_machine.travel(datetime.datetime(2026, 3, 2, 2, tzinfo=datetime.UTC), tick=False):
        suggestion = flows.reviewed(cast)
    with time_machine.travel(datetime.datetime(2026, 3, 10, 2, tzinfo=datetime.UTC), tick=False):
        staff_client.post(
            transition_url(suggestion, "assign"),
            {"lead_unit": cast.lead_unit.pk, "assigned_on": "2026-03-03"},
        )
    lead = Suggestion.objects.get(pk=suggestion.pk).lead_assignment()
    assert (lead.assigned_on, lead.due_on) == (datetime.date(2026, 3, 3), datetime.date(2026, 6, 3))


def test_refused_transition_shows_the_service_message_and_changes_nothing(cast, staff_client):
    """Naming one unit as lead and co is refused with the service's message; nothing changes."""
    suggestion = flows.reviewed(cast)
    response = staff_client.post(
        transition_url(suggestion, "assign"),
        {"lead_unit": cast.lead_unit.pk, "co_units": [cast.lead_unit.pk]},
    )
    assert response.status_code == 200
    assert "重复" in response.content.decode()
    suggestion.refresh_from_db()
    assert suggestion.state == Suggestion.State.REVIEWED
    assert not suggestion.assignments.exists()


def test_revisit_form_records_an_outcome_per_commitment(cast, staff_client):
    """The revisit form has a field per commitment and closes the suggestion."""
    suggestion = flows.signed(cast)
    commitment = suggestion.current_reply().commitments.get()
    form_page = staff_client.get(transition_url(suggestion, "revisit")).content.decode()
    assert commitment.text in form_page
    # The revisit closes the suggestion: it is confirmed as a second step.
    submit(
        staff_client,
        transition_url(suggestion, "revisit"),
        {
            f"commitment_{commitment.pk}": "partly_kept",
            "notes": "部分完成",
            "decision": "close",
            "early_reason": "提前回访",
        },
    )
    suggestion.refresh_from_db()
    assert suggestion.state == Suggestion.State.REVISITED
    assert commitment.revisit_outcomes.get().outcome == "partly_kept"


def test_reassignment_decision_from_the_admin(cast, staff_client):
    """Approving a unit's reassignment request opens the new lead's assignment."""
    suggestion = flows.assigned(cast, co=False)
    request = services.reassignment_request(
        assignment=flows.lead(suggestion), by=cast.clerk, reason="不属于本单位职责"
    )
    page = staff_client.get(change_url(suggestion)).content.decode()
    assert transition_url(suggestion, "reassign") in page
    staff_client.post(
        transition_url(suggestion, "reassign"),
        {"request": request.pk, "decision": "1", "lead_unit": cast.other_unit.pk},
    )
    assert flows.lead(suggestion).unit == cast.other_unit


def test_change_page_shows_the_timeline_with_actors_and_reasons(cast, staff_client):
    """The page lists transitions with actor and reason, the replaced reply, and sign-offs."""
    suggestion = flows.handled(cast)
    flows.sign_all(cast, suggestion, rating=SignOff.Rating.DISSATISFIED)
    services.suggestion_order_redo(
        suggestion=suggestion, by=cast.staff, reason="代表不满意，限期重办"
    )
    page = staff_client.get(change_url(suggestion)).content.decode()
    assert "限期重办" in page
    assert "已被重办取代" in page
    assert "代表签字" in page or "由代表签字" in page
    assert cast.staff.username in page


def test_change_page_marks_dissatisfied_as_eligible_for_redo(cast, staff_client):
    """A dissatisfied deputy's sign-off makes the page say the suggestion may be redone."""
    suggestion = flows.handled(cast)
    services.signoff_record(
        suggestion=suggestion,
        by=cast.deputy.user,
        level="deputy",
        work_rating="satisfied",
        result_rating="dissatisfied",
        opinion="问题没有解决",
    )
    page = staff_client.get(change_url(suggestion)).content.decode()
    assert 'class="npc-redo-eligible"' in page


def test_change_page_shows_field_history(cast, staff_client, staff):
    """Who changed which field is visible on the suggestion's page."""
    suggestion = flows.proposed(cast)
    staff_client.post(
        change_url(suggestion),
        {
            "term": 16,
            "session": 3,
            "number": "",
            "title": "修改后的标题",
            "content": suggestion.content,
            "category": "",
            "lead_deputy": cast.deputy.pk,
            "co_deputies": [cast.co_deputy.pk],
            "delegation": suggestion.delegation,
            "raised_on": "2026-03-05",
            "merged_into": "",
            "assignments-TOTAL_FORMS": "0",
            "assignments-INITIAL_FORMS": "0",
        },
    )
    page = staff_client.get(change_url(suggestion)).content.decode()
    assert "修改后的标题" in page
    assert 'id="field-history"' in page and staff.username in page.split('id="field-history"')[1]


def test_adding_a_suggestion_in_the_admin_goes_through_the_service(cast, staff_client, staff):
    """A suggestion added in the admin is proposed and records who entered it."""
    staff_client.post(
        reverse("admin:suggestions_suggestion_add"),
        {
            "term": 16,
            "session": 3,
            "number": "",
            "title": "关于建设社区食堂的建议",
            "content": "老年人就餐难。",
            "category": "教育",
            "lead_deputy": cast.deputy.pk,
            "co_deputies": [cast.co_deputy.pk],
            "delegation": "",
            "raised_on": "2026-03-05",
            "merged_into": "",
            "assignments-TOTAL_FORMS": "0",
            "assignments-INITIAL_FORMS": "0",
        },
    )
    suggestion = Suggestion.objects.get(title="关于建设社区食堂的建议")
    assert suggestion.state == Suggestion.State.PROPOSED
    assert suggestion.created_by == staff
    assert list(suggestion.co_deputies.all()) == [cast.co_deputy]


def test_staff_groups_have_their_permissions(db):
    """The committee office may change suggestions; reviewers may view but not add units."""
    from django.contrib.auth.models import Group

    office = Group.objects.get(name=permissions.COMMITTEE_OFFICE)
    reviewers = Group.objects.get(name=permissions.REVIEWERS)
    office_perms = set(office.permissions.values_list("codename", flat=True))
    reviewer_perms = set(reviewers.permissions.values_list("codename", flat=True))
    assert {
        "change_suggestion",
        "add_handlingunit",
        "view_logentry",
        "view_statelog",
    } <= office_perms
    assert "change_suggestion" in reviewer_perms
    assert "add_handlingunit" not in reviewer_perms


def test_unit_field_history_shows_who_changed_what(cast, staff_client, staff):
    """A handling unit's audit page lists the changed field with the staff member who changed it."""
    unit = cast.other_unit
    staff_client.post(
        reverse("admin:suggestions_handlingunit_change", args=[unit.pk]),
        {
            "name": "市教育和体育局",
            "short_name": "教体局",
            "kind": "government",
            "is_active": "on",
            "leader": unit.leader.pk,
        },
    )
    page = staff_client.get(
        reverse("admin:suggestions_handlingunit_auditlog", args=[unit.pk])
    ).content.decode()
    assert "市教育和体育局" in page
    assert staff.username in page


def test_append_only_records_cannot_be_changed_in_the_admin(cast, staff_client):
    """A reply's admin page is read-only: a POST to change it is refused."""
    suggestion = flows.handled(cast)
    reply = suggestion.current_reply()
    url = reverse("admin:suggestions_reply_change", args=[reply.pk])
    assert staff_client.post(url, {"text": "改写"}).status_code == 403
    reply.refresh_from_db()
    assert reply.text != "改写"


def test_key_suggestion_filter_finds_the_chosen_ones(cast, staff_client):
    """The key-suggestion filter lists exactly the suggestions chosen for key supervision."""
    chosen = flows.assigned(cast, title="重点督办的")
    flows.assigned(cast, title="一般的")
    KeySuggestion.objects.create(suggestion=chosen, year=2026, leader=cast.leader)
    response = staff_client.get(f"{CHANGELIST}?key=yes")
    assert [s.pk for s in response.context["cl"].result_list] == [chosen.pk]
    response = staff_client.get(f"{CHANGELIST}?key=no")
    assert [s.title for s in response.context["cl"].result_list] == ["一般的"]


def test_change_page_shows_the_reminders_sent(
    cast, staff_client, django_capture_on_commit_callbacks
):
    """Staff see each reminder sent for a suggestion in its timeline, with its recipient."""
    suggestion = flows.assigned(cast, co=False)
    lead = flows.lead(suggestion)
    with django_capture_on_commit_callbacks(execute=True):
        services.send_due_reminders(
            now=datetime.datetime.combine(
                lead.due_on - datetime.timedelta(days=7), datetime.time(10), tzinfo=datetime.UTC
            )
        )
    page = staff_client.get(change_url(suggestion)).content.decode()
    assert "提醒：即将到期" in page
    assert cast.clerk.username in page.split('id="timeline"')[1]


def test_changelist_reads_at_most_10_queries_and_never_counts_the_whole_table(cast, staff_client):
    """Every COUNT stops at the cap (LIMIT); the filters' choices come from index probes,
    not a SELECT DISTINCT over the table."""
    flows.signed(cast)
    with CaptureQueriesContext(connection) as queries:
        assert staff_client.get(CHANGELIST).status_code == 200
    assert len(queries) <= 10
    for query in queries.captured_queries:
        sql = query["sql"].upper()
        if "COUNT(" in sql:
            assert "LIMIT" in sql, sql
        assert 'SELECT DISTINCT "SUGGESTIONS_SUGGESTION"' not in sql, sql


def test_changelist_over_the_cap_says_more_than_and_still_pages(cast, staff_client, monkeypatch):
    from npc_tracker.admin import CappedCountPaginator

    monkeypatch.setattr(CappedCountPaginator, "CAP", 3)
    for _ in range(5):
        factories.SuggestionFactory(lead_deputy=cast.deputy)
    page = staff_client.get(CHANGELIST).content.decode()
    assert "超过 3 件建议" in page
    monkeypatch.setattr(CappedCountPaginator, "CAP", 10)
    page = staff_client.get(CHANGELIST).content.decode()
    assert "超过" not in page and "5 建议" in page


def test_term_and_session_filters_list_each_value_once_newest_first(cast, staff_client):
    for term, session in [(15, 1), (16, 2), (16, 3), (16, 3), (14, 5)]:
        factories.SuggestionFactory(lead_deputy=cast.deputy, term=term, session=session)
    response = staff_client.get(CHANGELIST)
    specs = {
        spec.parameter_name if hasattr(spec, "parameter_name") else spec.field_path: spec
        for spec in response.context["cl"].filter_specs
    }
    assert list(specs["term"].lookup_choices) == [16, 15, 14]
    assert list(specs["session"].lookup_choices) == [5, 3, 2, 1]


def test_the_ledger_writes_django_s_own_action_checkbox(cast):
    """The row checkbox is written directly (for speed) and must stay Django's markup,
    which the admin's actions script reads."""
    from django.contrib import admin

    suggestion = flows.proposed(cast)
    ours = admin.site._registry[Suggestion].action_checkbox(suggestion)
    djangos = admin.ModelAdmin.action_checkbox(admin.site._registry[Suggestion], suggestion)
    assert str(ours) == str(djangos)
