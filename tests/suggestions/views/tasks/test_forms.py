"""Each form of the task page: the allowed path, and a refusal with its message and no change."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _

from suggestions import services
from suggestions.models import (
    Communication,
    CoOpinion,
    ExtensionRequest,
    ReassignmentRequest,
    SignOff,
    Suggestion,
)
from tests import flows
from tests.confirm import submit


def post(client, user, assignment, action, data, files=None):
    """Submit the action's form, and confirm it when the page asks."""
    client.force_login(user)
    url = reverse("tasks:action", args=[assignment.pk, action])
    payload = {f"{action}-{k}": v for k, v in data.items()}
    for k, v in (files or {}).items():
        payload[f"{action}-{k}"] = v
    return submit(client, url, payload)


def pdf(name="reply.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.7\n1 0 obj\n", content_type="application/pdf")


def refused_with(response, message) -> bool:
    page = response.content.decode()
    return response.status_code == 400 and 'class="refusal"' in page and escape(message) in page


def communication_data(**overrides):
    data = {
        "stage": "before",
        "method": "phone",
        "happened_on": timezone.localdate().isoformat(),
        "notes": "电话联系代表，约定走访时间。",
    }
    return {**data, **overrides}


def test_communication_form_records_a_communication(client, cast):
    """A clerk's communication is recorded and the page redirects back to the task."""
    suggestion = flows.assigned(cast)
    lead = flows.lead(suggestion)
    response = post(client, cast.clerk, lead, "communication", communication_data())
    assert response.status_code == 302
    assert response.url == reverse("tasks:detail", args=[lead.pk]) + "#messages"
    recorded = Communication.objects.get(assignment=lead)
    assert (recorded.stage, recorded.method, recorded.recorded_by) == (
        "before",
        "phone",
        cast.clerk,
    )


def test_communication_form_shows_the_refusal_when_the_date_is_in_the_future(client, cast):
    """A future date is refused with the service's message and nothing is recorded."""
    suggestion = flows.assigned(cast)
    before = flows.snapshot(suggestion)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = post(
        client,
        cast.clerk,
        flows.lead(suggestion),
        "communication",
        communication_data(happened_on=tomorrow.isoformat()),
    )
    assert refused_with(response, _("The date cannot be in the future."))
    assert flows.snapshot(suggestion) == before


def test_co_opinion_form_sends_the_co_units_opinion(client, cast):
    """A co-unit's clerk sends its opinion to the lead unit."""
    suggestion = flows.assigned(cast)
    co = flows.co(suggestion)
    response = post(client, cast.co_clerk, co, "co_opinion", {"text": "建议同步优化路口渠化。"})
    assert response.status_code == 302
    assert CoOpinion.objects.get(assignment=co).text == "建议同步优化路口渠化。"


def test_co_opinion_form_is_refused_to_the_lead_unit(client, cast):
    """The lead unit cannot post a co-unit's opinion: 403 and nothing changes."""
    suggestion = flows.assigned(cast)
    before = flows.snapshot(suggestion)
    response = post(client, cast.clerk, flows.lead(suggestion), "co_opinion", {"text": "意见"})
    assert response.status_code == 403
    assert flows.snapshot(suggestion) == before


def reply_data(**overrides):
    data = {
        "classification": "B",
        "text": "经研究，已列入年度计划。",
        "commitment_1": "年底前完成信号灯安装",
        "commitment_1_due": (timezone.localdate() + datetime.timedelta(days=90)).isoformat(),
    }
    return {**data, **overrides}


def test_reply_form_submits_the_reply_with_its_document_and_commitments(client, cast):
    """With the opinion and a communication in, the reply is recorded and the state moves."""
    suggestion = flows.assigned(cast)
    flows.prepare_reply(cast, suggestion)
    response = post(
        client, cast.clerk, flows.lead(suggestion), "reply", reply_data(), {"document": pdf()}
    )
    assert response.status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.state == Suggestion.State.HANDLED
    reply = suggestion.current_reply()
    assert reply.classification == "B"
    assert [c.text for c in reply.commitments.all()] == ["年底前完成信号灯安装"]
    assert reply.document.name.endswith(".pdf")
    assert "reply" not in reply.document.name.rsplit("/", 1)[-1]  # a random name


def test_reply_form_shows_the_refusal_without_communication_and_opinion(client, cast):
    """Replying before any communication and the co-unit's opinion is refused, nothing saved."""
    suggestion = flows.assigned(cast)
    before = flows.snapshot(suggestion)
    response = post(
        client, cast.clerk, flows.lead(suggestion), "reply", reply_data(), {"document": pdf()}
    )
    assert refused_with(
        response, _("Record at least one communication with the deputy before replying.")
    )
    assert cast.co_unit.name in response.content.decode().split('class="refusal"')[1][:400]
    assert flows.snapshot(suggestion) == before


def test_reply_form_refuses_a_document_whose_content_is_not_accepted(client, cast):
    """A file named .pdf that is not a PDF is refused by the form; nothing is saved."""
    suggestion = flows.assigned(cast)
    flows.prepare_reply(cast, suggestion)
    before = flows.snapshot(suggestion)
    fake = SimpleUploadedFile("reply.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = post(
        client, cast.clerk, flows.lead(suggestion), "reply", reply_data(), {"document": fake}
    )
    assert response.status_code == 400
    assert response.context["forms"][1]["form"].errors["document"]
    assert flows.snapshot(suggestion) == before


def test_reassignment_form_files_a_request_inside_the_window(client, cast):
    """Inside the window a unit's request is filed for the staff to decide."""
    suggestion = flows.assigned(cast)
    lead = flows.lead(suggestion)
    response = post(client, cast.clerk, lead, "reassignment", {"reason": "不属于本单位职责。"})
    assert response.status_code == 302
    request = ReassignmentRequest.objects.get(assignment=lead)
    assert (request.reason, request.decision) == ("不属于本单位职责。", "pending")


def test_reassignment_form_is_refused_after_the_window(client, cast):
    """After the window closed the request is refused (403) and nothing changes."""
    with flows.on(datetime.date(2026, 3, 2)):
        suggestion = flows.assigned(cast)
    before = flows.snapshot(suggestion)
    with flows.on(datetime.date(2026, 3, 20)):
        response = post(
            client, cast.clerk, flows.lead(suggestion), "reassignment", {"reason": "理由"}
        )
    assert response.status_code == 403
    assert flows.snapshot(suggestion) == before


def test_extension_form_files_a_request(client, cast):
    """The lead unit asks for a later deadline within the legal maximum."""
    suggestion = flows.assigned(cast)
    lead = flows.lead(suggestion)
    until = lead.due_on + datetime.timedelta(days=30)
    response = post(
        client, cast.clerk, lead, "extension", {"until": until.isoformat(), "reason": "情况复杂。"}
    )
    assert response.status_code == 302
    assert ExtensionRequest.objects.get(assignment=lead).until == until


def test_extension_form_shows_the_refusal_when_the_date_is_not_later(client, cast):
    """A date not after the current deadline is refused with the service's message."""
    suggestion = flows.assigned(cast)
    lead = flows.lead(suggestion)
    before = flows.snapshot(suggestion)
    response = post(
        client,
        cast.clerk,
        lead,
        "extension",
        {"until": lead.due_on.isoformat(), "reason": "情况复杂。"},
    )
    message = _("The new deadline must be after the current one (%(due)s).") % {"due": lead.due_on}
    assert refused_with(response, message)
    assert flows.snapshot(suggestion) == before


def deputy_signs(cast, suggestion):
    services.signoff_record(
        suggestion=suggestion,
        by=cast.deputy.user,
        level=SignOff.Level.DEPUTY,
        work_rating="satisfied",
        result_rating="satisfied",
    )


def test_head_signoff_form_signs_after_the_deputy(client, cast):
    """Once the deputy signed, the unit head's sign-off is recorded."""
    suggestion = flows.handled(cast)
    deputy_signs(cast, suggestion)
    response = post(client, cast.head, flows.lead(suggestion), "signoff_head", {"opinion": "同意"})
    assert response.status_code == 302
    assert suggestion.signoffs.filter(level="unit_head", signer=cast.head).exists()


def test_head_signoff_form_is_refused_before_the_deputy_signed(client, cast):
    """Before the deputy's signature it is not the head's turn: the form is not offered and
    a forged POST gets 403; nothing changes (the service refuses it too: out_of_order)."""
    suggestion = flows.handled(cast)
    before = flows.snapshot(suggestion)
    response = post(client, cast.head, flows.lead(suggestion), "signoff_head", {"opinion": ""})
    assert response.status_code == 403
    assert flows.snapshot(suggestion) == before


def test_head_signoff_form_is_refused_to_a_clerk(client, cast):
    """A clerk who is not the head cannot post the head's sign-off: 403, nothing changes."""
    suggestion = flows.handled(cast)
    deputy_signs(cast, suggestion)
    before = flows.snapshot(suggestion)
    response = post(client, cast.clerk, flows.lead(suggestion), "signoff_head", {"opinion": ""})
    assert response.status_code == 403
    assert flows.snapshot(suggestion) == before


def test_leader_signoff_form_completes_the_handling_record(client, cast):
    """The supervising leader's signature, the third, moves the suggestion to signed."""
    suggestion = flows.handled(cast)
    deputy_signs(cast, suggestion)
    services.signoff_record(suggestion=suggestion, by=cast.head, level=SignOff.Level.UNIT_HEAD)
    response = post(client, cast.leader, flows.lead(suggestion), "signoff_leader", {"opinion": ""})
    assert response.status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.state == Suggestion.State.SIGNED


def test_leader_signoff_form_is_refused_before_the_head_signed(client, cast):
    """Before the head's signature it is not the leader's turn: 403, nothing changes."""
    suggestion = flows.handled(cast)
    deputy_signs(cast, suggestion)
    before = flows.snapshot(suggestion)
    response = post(client, cast.leader, flows.lead(suggestion), "signoff_leader", {"opinion": ""})
    assert response.status_code == 403
    assert flows.snapshot(suggestion) == before


def test_signoff_form_is_refused_to_another_leader_with_a_404(client, cast):
    """Another unit's leader cannot reach the assignment at all."""
    suggestion = flows.handled(cast)
    before = flows.snapshot(suggestion)
    response = post(
        client, cast.other_leader, flows.lead(suggestion), "signoff_leader", {"opinion": ""}
    )
    assert response.status_code == 404
    assert flows.snapshot(suggestion) == before


def test_unknown_action_is_a_404(client, cast):
    """Only the named actions exist."""
    suggestion = flows.assigned(cast)
    response = post(client, cast.clerk, flows.lead(suggestion), "approve", {})
    assert response.status_code == 404
