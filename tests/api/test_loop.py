"""One suggestion through the whole loop by the API alone, and the same loop through the
pages: the two walks leave the same records (who did what, in which order, with which
words), ids, times and file names aside."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_fsm_log.models import StateLog
from rest_framework.test import APIClient

from api.models import DeviceToken
from suggestions.models import (
    Communication,
    CoOpinion,
    RevisitOutcome,
    Suggestion,
)
from tests import flows
from tests.confirm import submit

PDF = b"%PDF-1.7\n1 0 obj\n"
NOTE = "三项审查通过"
OPINION = "同意主办意见，配合做好信号灯设置。"
REPLY = "经研究，已列入年度计划。"
COMMITMENT = "年底前完成信号灯安装"
REVISIT = {"notes": "现场查看，信号灯已安装。", "early_reason": "承诺事项已提前完成。"}


def communication() -> dict:
    return {
        "stage": "before",
        "method": "visit",
        "happened_on": timezone.localdate().isoformat(),
        "notes": "走访代表，了解建议背景。",
    }


def commitment_due() -> str:
    return (timezone.localdate() + datetime.timedelta(days=90)).isoformat()


def pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


# The walk by the API.


class Api:
    def __init__(self):
        self.clients = {}

    def __call__(self, user) -> APIClient:
        if user.pk not in self.clients:
            client = APIClient()
            _token, key = DeviceToken.objects.create(user=user, name="手机")
            client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
            self.clients[user.pk] = client
        return self.clients[user.pk]

    def post(self, user, name, pk, data, *, multipart=False):
        answer = self(user).post(
            reverse(f"api:{name}", args=[pk]), data, format="multipart" if multipart else "json"
        )
        assert answer.status_code == 200, (name, answer.content)
        return answer.json()


def walk_by_the_api(cast) -> Suggestion:
    api = Api()
    suggestion = flows.proposed(cast)
    pk = suggestion.pk
    assert api.post(cast.staff, "ledger-approve", pk, {"note": NOTE})["state"] == "reviewed"
    assign = {"lead_unit": cast.lead_unit.pk, "co_units": [cast.co_unit.pk]}
    assert api.post(cast.staff, "ledger-assign", pk, assign)["state"] == "assigned"

    # The units find their tasks in their lists.
    (co_id,) = [r["id"] for r in api(cast.co_clerk).get(reverse("api:tasks")).json()["results"]]
    (lead_id,) = [r["id"] for r in api(cast.clerk).get(reverse("api:tasks")).json()["results"]]
    api.post(cast.co_clerk, "task-co_opinion", co_id, {"text": OPINION})
    task = api.post(cast.clerk, "task-communication", lead_id, communication())
    assert all(c["met"] for c in task["reply_conditions"])
    reply = {
        "classification": "B",
        "text": REPLY,
        "document": pdf("api-reply.pdf"),
        "commitment_1": COMMITMENT,
        "commitment_1_due": commitment_due(),
    }
    task = api.post(cast.clerk, "task-reply", lead_id, reply, multipart=True)
    assert task["suggestion"]["state"] == "handled"

    # The deputy finds the reply on their list and signs on their phone.
    mine = api(cast.deputy.user).get(reverse("api:my-suggestions")).json()["results"]
    assert [r["id"] for r in mine] == [pk]
    signoff = {"work_rating": "satisfied", "result_rating": "basically_satisfied"}
    detail = api.post(
        cast.deputy.user, "my-suggestion-signoff", pk, {**signoff, "opinion": "沟通及时。"}
    )
    assert detail["state"] == "handled"  # the head and the leader sign next

    # The head's queue has it, then the leader's.
    head_rows = api(cast.head).get(reverse("api:tasks")).json()["results"]
    assert [r["id"] for r in head_rows] == [lead_id]
    api.post(cast.head, "task-signoff_head", lead_id, {"opinion": "同意。"})
    leader_rows = api(cast.leader).get(reverse("api:tasks")).json()["results"]
    assert [r["id"] for r in leader_rows] == [lead_id]
    task = api.post(cast.leader, "task-signoff_leader", lead_id, {})
    assert task["suggestion"]["state"] == "signed"

    commitment = Suggestion.objects.get(pk=pk).current_reply().commitments.get()
    revisit = {f"commitment_{commitment.pk}": "kept", **REVISIT}
    assert api.post(cast.staff, "ledger-revisit", pk, revisit)["state"] == "revisited"
    return Suggestion.objects.get(pk=pk)


def test_one_suggestion_goes_through_the_whole_loop_by_the_api(cast):
    suggestion = walk_by_the_api(cast)
    assert suggestion.state == Suggestion.State.REVISITED
    assert [log.transition for log in flows.transitions_of(suggestion)] == [
        "approve",
        "assign",
        "reply",
        "sign",
        "revisit",
    ]


# The same walk through the pages.


def page(client: Client, user, url: str, data: dict):
    client.force_login(user)
    answer = submit(client, url, data)
    assert answer.status_code == 302, (url, answer.content.decode()[-2000:])


def task_action(client, user, assignment, name, data):
    url = reverse("tasks:action", args=[assignment.pk, name])
    page(client, user, url, {f"{name}-{k}": v for k, v in data.items()})


def admin(client, staff, suggestion, name, data):
    url = reverse("admin:suggestions_suggestion_transition", args=[suggestion.pk, name])
    page(client, staff, url, data)


def walk_through_the_pages(cast) -> Suggestion:
    client = Client()
    suggestion = flows.proposed(cast)
    admin(client, cast.staff, suggestion, "approve", {"note": NOTE})
    assign = {"lead_unit": cast.lead_unit.pk, "co_units": [cast.co_unit.pk]}
    admin(client, cast.staff, suggestion, "assign", assign)
    task_action(client, cast.co_clerk, flows.co(suggestion), "co_opinion", {"text": OPINION})
    lead = flows.lead(suggestion)
    task_action(client, cast.clerk, lead, "communication", communication())
    reply = {
        "classification": "B",
        "text": REPLY,
        "document": pdf("page-reply.pdf"),
        "commitment_1": COMMITMENT,
        "commitment_1_due": commitment_due(),
    }
    task_action(client, cast.clerk, lead, "reply", reply)
    signoff = {
        "signoff-work_rating": "satisfied",
        "signoff-result_rating": "basically_satisfied",
        "signoff-opinion": "沟通及时。",
    }
    page(client, cast.deputy.user, reverse("status:signoff", args=[suggestion.pk]), signoff)
    task_action(client, cast.head, lead, "signoff_head", {"opinion": "同意。"})
    task_action(client, cast.leader, lead, "signoff_leader", {})
    commitment = Suggestion.objects.get(pk=suggestion.pk).current_reply().commitments.get()
    admin(
        client,
        cast.staff,
        suggestion,
        "revisit",
        {f"commitment_{commitment.pk}": "kept", **REVISIT},
    )
    return Suggestion.objects.get(pk=suggestion.pk)


def records(suggestion: Suggestion) -> dict:
    """What a walk left, ids, times and file names aside."""
    mine = {"assignment__suggestion": suggestion}
    reply = suggestion.replies.get()
    revisit = suggestion.revisits.get()
    return {
        "state": (suggestion.state, suggestion.round),
        "transitions": [
            (log.source_state, log.state, log.transition, log.by_id, log.description)
            for log in StateLog.objects.for_(suggestion).order_by("timestamp", "pk")
        ],
        "assignments": list(
            suggestion.assignments.order_by("role", "unit").values_list(
                "unit", "role", "assigned_on", "due_on", "original_due_on", "closed_on", "handler"
            )
        ),
        "communications": list(
            Communication.objects.filter(**mine).values_list(
                "assignment__unit",
                "round",
                "stage",
                "method",
                "happened_on",
                "notes",
                "recorded_by",
            )
        ),
        "co_opinions": list(
            CoOpinion.objects.filter(**mine).values_list("assignment__unit", "text", "submitted_by")
        ),
        "reply": (
            reply.assignment.unit_id,
            reply.round,
            reply.classification,
            reply.text,
            reply.due_on,
            reply.on_time,
            reply.submitted_by_id,
            reply.document.read(),
            [(c.text, c.due_on) for c in reply.commitments.order_by("pk")],
        ),
        "signoffs": list(
            suggestion.signoffs.order_by("pk").values_list(
                "round",
                "level",
                "signer",
                "deputy",
                "work_rating",
                "result_rating",
                "opinion",
                "signed_on",
                "recorded_by",
                "paper",
            )
        ),  # fmt: skip
        "revisit": (
            revisit.notes,
            revisit.early_reason,
            revisit.decision,
            revisit.due_on,
            revisit.recorded_by_id,
            list(
                RevisitOutcome.objects.filter(revisit=revisit).values_list(
                    "commitment__text", "outcome"
                )
            ),
        ),
    }


def test_writes_through_the_api_leave_the_same_records_as_through_the_pages(cast):
    by_api = records(walk_by_the_api(cast))
    by_pages = records(walk_through_the_pages(cast))
    assert by_api["state"] == ("revisited", 1)
    assert len(by_api["transitions"]) == 5 and len(by_api["signoffs"]) == 3
    assert by_api["reply"][7] == PDF
    assert by_api == by_pages
