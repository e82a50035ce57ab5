"""The committee office's actions (the admin's transition pages) through the API: every
action of the table has its endpoint, for the office only; each records through its
service; a refusal writes nothing; an action not open in the state is a 403."""

import datetime

import pytest
from django.urls import reverse
from django_fsm_log.models import StateLog
from rest_framework.test import APIClient

from api.models import DeviceToken
from suggestions import actions, services
from suggestions.actions import Page
from suggestions.models import ExtensionRequest, ReassignmentRequest, Suggestion
from tests import flows

ADMIN_ACTIONS = [name for page, name in actions.ACTIONS if page == Page.ADMIN]


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        _token, key = DeviceToken.objects.create(user=user, name="办公室")
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def act(user, suggestion, name, data=None):
    url = reverse(f"api:ledger-{name}", args=[suggestion.pk])
    return api(user).post(url, data or {}, format="json")


def test_every_action_of_the_admin_has_its_endpoint():
    assert ADMIN_ACTIONS  # the table has the office's actions
    for name in ADMIN_ACTIONS:
        assert reverse(f"api:ledger-{name}", args=[1]) == f"/api/v1/ledger/1/{name}/"


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("staff", 200),
        ("reviewer", 403),  # approves in the admin, but the API's office is the office only
        ("plain_staff", 403),
        ("clerk", 403),
        ("head", 403),
        ("leader", 403),
        ("deputy", 403),
        ("anonymous", 401),
    ],
)
def test_only_the_office_takes_the_offices_actions(cast, role, status):
    suggestion = flows.proposed(cast)
    user = None if role == "anonymous" else flows.person(cast, role)
    answer = act(user, suggestion, "approve", {"note": "三项审查通过"})
    assert answer.status_code == status
    expected = "reviewed" if status == 200 else "proposed"
    assert Suggestion.objects.get(pk=suggestion.pk).state == expected


@pytest.mark.parametrize("name", ADMIN_ACTIONS)
def test_each_office_action_is_a_403_for_a_unit(cast, name):
    suggestion = flows.signed(cast)
    assert act(cast.clerk, suggestion, name).status_code == 403


def test_an_unknown_suggestion_is_a_404(cast):
    answer = api(cast.staff).post(reverse("api:ledger-approve", args=[999999]), {}, format="json")
    assert answer.status_code == 404


def test_approve_records_the_transition_by_the_office(cast):
    suggestion = flows.proposed(cast)
    answer = act(cast.staff, suggestion, "approve", {"note": "三项审查通过"})
    assert answer.status_code == 200, answer.content
    fresh = Suggestion.objects.get(pk=suggestion.pk)
    assert answer.json() == {
        "id": suggestion.pk,
        "number": fresh.number,
        "state": "reviewed",
        "state_label": fresh.get_state_display(),
    }
    assert fresh.number
    log = StateLog.objects.for_(suggestion).get()
    assert (log.transition, log.by, log.description) == ("approve", cast.staff, "三项审查通过")


def test_assign_gives_the_lead_and_co_units(cast):
    suggestion = flows.reviewed(cast)
    data = {"lead_unit": cast.lead_unit.pk, "co_units": [cast.co_unit.pk]}
    answer = act(cast.staff, suggestion, "assign", data)
    assert answer.status_code == 200, answer.content
    assert answer.json()["state"] == "assigned"
    assert {(a.unit, a.role) for a in suggestion.assignments.all()} == {
        (cast.lead_unit, "lead"),
        (cast.co_unit, "co"),
    }


def test_a_refused_assignment_writes_nothing(cast):
    suggestion = flows.reviewed(cast)
    before = flows.snapshot(suggestion)
    data = {"lead_unit": cast.lead_unit.pk, "co_units": [cast.lead_unit.pk]}
    answer = act(cast.staff, suggestion, "assign", data)
    assert answer.status_code == 400
    assert answer.json()["code"] == "duplicate_unit"
    assert flows.snapshot(suggestion) == before


def test_an_action_not_open_in_the_state_is_a_403(cast):
    suggestion = flows.proposed(cast)
    answer = act(cast.staff, suggestion, "assign", {"lead_unit": cast.lead_unit.pk})
    assert answer.status_code == 403
    assert answer.json()["code"] == "not_available"
    assert not suggestion.assignments.exists()


@pytest.mark.parametrize(
    ("name", "state"), [("return_for_revision", "proposed"), ("reject", "not_accepted")]
)
def test_a_review_decision_takes_its_reason(cast, name, state):
    """Reject asks for confirmation on the page; the API's client has confirmed."""
    suggestion = flows.proposed(cast)
    assert act(cast.staff, suggestion, name, {"reason": "不属于本级职权"}).json()["state"] == state
    log = StateLog.objects.for_(suggestion).get()
    assert (log.transition, log.by, log.description) == (name, cast.staff, "不属于本级职权")


def test_the_requests_of_a_unit_are_decided(cast):
    suggestion = flows.assigned(cast, co=False)
    lead = flows.lead(suggestion)
    request = services.reassignment_request(assignment=lead, by=cast.clerk, reason="职责不符")
    data = {"request": request.pk, "decision": "1", "lead_unit": cast.other_unit.pk}
    answer = act(cast.staff, suggestion, "reassign", data)
    assert answer.status_code == 200, answer.content
    assert ReassignmentRequest.objects.get(pk=request.pk).decision == "approved"
    assert flows.lead(suggestion).unit == cast.other_unit
    new_lead = flows.lead(suggestion)
    extension = services.extension_request(
        assignment=new_lead,
        by=cast.other_clerk,
        until=new_lead.due_on + datetime.timedelta(days=30),
        reason="需要跨部门协调",
    )
    answer = act(cast.staff, suggestion, "extend", {"request": extension.pk, "decision": "0"})
    assert answer.status_code == 200, answer.content
    assert ExtensionRequest.objects.get(pk=extension.pk).decision == "rejected"


def test_the_revisit_takes_an_outcome_per_commitment(cast):
    suggestion = flows.signed(cast)
    commitment = suggestion.current_reply().commitments.get()
    data = {
        f"commitment_{commitment.pk}": "kept",
        "notes": "现场查看，信号灯已安装。",
        "early_reason": "承诺事项已提前完成。",
    }
    answer = act(cast.staff, suggestion, "revisit", data)
    assert answer.status_code == 200, answer.content
    assert answer.json()["state"] == "revisited"
    assert commitment.revisit_outcomes.get().outcome == "kept"
