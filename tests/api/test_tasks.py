"""The handling units' and the leaders' endpoints through real device tokens: who may read
what (the pages' matrix), the task list's tabs and filters returning the page's rows, a
task's page with its contact shown as the page shows it, and the queries of the list."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from api.models import DeviceToken
from stations import selectors as station_selectors
from stations import services as station_services
from stations.models import LiaisonStation, OpinionStep
from suggestions import selectors, services
from suggestions.models import (
    Assignment,
    Communication,
    CoOpinion,
    ExtensionRequest,
    Inspection,
    PaperSubmission,
    ReassignmentRequest,
    Reply,
    SignOff,
)
from tests import factories, flows, keys


def api(user=None) -> APIClient:
    """A client with a device token of ``user`` (anonymous without one)."""
    client = APIClient()
    if user is not None:
        _token, key = DeviceToken.objects.create(user=user, name="手机")
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def page_ids(user, tab, **filters) -> list[int]:
    """The task page's rows for ``user`` (its selector, its scope)."""
    units = selectors.task_units(user)
    rows = selectors.task_rows(
        user=user,
        tab=tab,
        unit_ids=units.ids,
        head_unit_ids=units.head_ids,
        leader_unit_ids=units.leader_ids,
        **filters,
    )
    return list(rows.values_list("pk", flat=True))


@pytest.fixture
def assigned(cast):
    cast.deputy.mobile = "13912345678"
    cast.deputy.save()
    return flows.assigned(cast)


# Who may read what.

ROLES = ["clerk", "head", "leader", "co_clerk", "other_clerk", "other_leader", "deputy", "staff"]


@pytest.mark.parametrize(
    ("role", "listed", "detail"),
    [
        ("clerk", True, 200),
        ("head", True, 200),
        ("leader", True, 200),
        ("co_clerk", False, 404),  # the co-unit's own assignment, not the lead's
        ("other_clerk", False, 404),
        ("other_leader", False, 404),
        ("deputy", None, 403),
        ("staff", None, 403),  # the office has the ledger, not the task pages
        ("anonymous", None, 401),
    ],
)
def test_the_lead_assignment_is_read_only_by_its_unit_and_leader(
    cast, assigned, role, listed, detail
):
    """The list, the tabs and the task's page answer as the pages do: the unit and its
    leader read the lead assignment; another unit's users get a 404 and do not list it;
    a user with no unit a 403; no token a 401."""
    lead = flows.lead(assigned)
    client = api(None if role == "anonymous" else flows.person(cast, role))
    answer = client.get(reverse("api:task", args=[lead.pk]))
    assert answer.status_code == detail
    assert answer["Content-Type"].startswith(
        "application/json" if detail == 200 else "application/problem+json"
    )
    listing = client.get(reverse("api:tasks"), {"tab": "all"})
    tabs = client.get(reverse("api:task-tabs"))
    if listed is None:
        assert listing.status_code == tabs.status_code == detail
    else:
        assert (lead.pk in ids(listing)) is listed
        assert tabs.status_code == 200


def test_the_co_unit_reads_its_own_assignment_not_the_leads(cast, assigned):
    client = api(cast.co_clerk)
    co = flows.co(assigned)
    assert ids(client.get(reverse("api:tasks"), {"tab": "all"})) == [co.pk]
    body = client.get(reverse("api:task", args=[co.pk])).json()
    assert (body["assignment"]["role"], body["assignment"]["unit"]["id"]) == ("co", cast.co_unit.pk)


# The list: the page's tabs, filters and rows.


@pytest.fixture
def many(cast):
    """Suggestions in every state a tab shows, over two years of assignment."""
    with flows.on(datetime.date(2025, 3, 10)):
        old = flows.assigned(cast, co=False, title="去年交办的建议")
    waiting_head = flows.handled(cast, title="等待主要领导签字")
    flows.deputy_signs(cast, waiting_head)
    waiting_leader = flows.awaiting_leader(cast, title="等待分管领导签字")
    signed = flows.signed(cast, title="已签字的建议")
    todo = flows.assigned(cast, title="待办的建议")
    other = flows.assigned(cast, title="别的单位的")  # the co-unit has it too
    return {
        "old": old,
        "waiting_head": waiting_head,
        "waiting_leader": waiting_leader,
        "signed": signed,
        "todo": todo,
        "other": other,
    }


@pytest.mark.parametrize("role", ["clerk", "head", "leader", "co_clerk"])
@pytest.mark.parametrize("tab", ["todo", "due_soon", "overdue", "replied", "all", "sign"])
def test_each_tab_lists_the_pages_rows_in_its_order(cast, many, role, tab):
    user = flows.person(cast, role)
    client = api(user)
    answer = client.get(reverse("api:tasks"), {"tab": tab})
    if tab == "sign" and role in ("clerk", "co_clerk"):
        assert answer.status_code == 400
        assert answer.json()["code"] == "invalid_tab"
        return
    assert ids(answer) == page_ids(user, tab)


@pytest.mark.parametrize(
    "filters", [{"year": 2025}, {"year": 2026}, {"q": "签字"}, {"q": "去年"}, {"year": "abc"}]
)
def test_the_year_and_search_filters_are_the_pages(cast, many, filters):
    client = api(cast.clerk)
    expected = dict(filters)
    if expected.get("year") == "abc":
        expected.pop("year")  # as the page: a year no date has is no filter
    if "q" in expected:
        expected["search"] = expected.pop("q")
    got = ids(client.get(reverse("api:tasks"), {"tab": "all", **filters}))
    assert got == page_ids(cast.clerk, "all", **expected)
    assert got  # each filter finds something here


def test_a_signer_lands_on_their_queue_as_on_the_page(cast, many):
    """Without a tab, the head gets what waits for their signature, the clerk the to-do."""
    head_rows = ids(api(cast.head).get(reverse("api:tasks")))
    assert head_rows == [flows.lead(many["waiting_head"]).pk]
    assert ids(api(cast.clerk).get(reverse("api:tasks"))) == page_ids(cast.clerk, "todo")


def test_an_unknown_tab_is_a_problem(cast, many):
    answer = api(cast.head).get(reverse("api:tasks"), {"tab": "later"})
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["field"] == "tab"
    assert answer.json()["code"] == "invalid_tab"


def test_the_tabs_count_what_waits_for_the_signature(cast, many):
    body = api(cast.leader).get(reverse("api:task-tabs")).json()
    assert [t["key"] for t in body["tabs"]] == [
        "sign",
        "todo",
        "due_soon",
        "overdue",
        "replied",
        "all",
    ]
    assert body["tabs"][0]["count"] == body["waiting_for_signature"] == 1
    assert body["default"] == "sign"
    assert body["years"] == [2026, 2025]
    clerk = api(cast.clerk).get(reverse("api:task-tabs")).json()
    assert [t["key"] for t in clerk["tabs"]] == ["todo", "due_soon", "overdue", "replied", "all"]
    assert (clerk["waiting_for_signature"], clerk["default"]) == (0, "todo")


def test_a_row_says_what_the_pages_row_says(cast, many):
    lead = flows.lead(many["waiting_leader"])
    services.assignment_name_handler(assignment=lead, by=cast.head, handler=cast.clerk)
    rows = api(cast.clerk).get(reverse("api:tasks"), {"tab": "all"}).json()["results"]
    row = next(r for r in rows if r["id"] == lead.pk)
    suggestion = many["waiting_leader"]
    assert row["role"] == "lead"
    assert row["due_on"] == lead.due_on.isoformat()
    assert row["suggestion"] == {
        "id": suggestion.pk,
        "number": suggestion.number,
        "title": "等待分管领导签字",
        "state": "handled",
        "state_label": "已答复",
        "round": 1,
        "lead_deputy": "王丽",
    }
    assert row["unit"]["id"] == cast.lead_unit.pk
    assert row["handler"] == (cast.clerk.get_full_name() or cast.clerk.username)
    assert row["days_left"] is None  # replied: the unit owes nothing now
    assert [(s["level"], s["signed"], s["is_next"]) for s in row["signatures"]] == [
        ("deputy", True, False),
        ("unit_head", True, False),
        ("leader", False, True),
    ]
    todo = next(r for r in rows if r["id"] == flows.lead(many["todo"]).pk)
    assert todo["days_left"] == (flows.lead(many["todo"]).due_on - timezone.localdate()).days
    assert todo["days_left_label"] and todo["signatures"] == []


def test_the_list_pages_by_cursor_through_a_shared_deadline_both_ways(cast):
    """Assignments of one meeting share their deadline: the cursor keeps its place among
    them (on the deadline and the id), forward and back."""
    with flows.on(datetime.date(2026, 3, 10)):
        for n in range(7):
            flows.assigned(cast, co=False, title=f"第{n}条")
    flows.assigned(cast, co=False, title="后交办的")
    expected = page_ids(cast.clerk, "all")
    assert len({Assignment.objects.get(pk=pk).due_on for pk in expected}) == 2
    client = api(cast.clerk)
    pages = [client.get(reverse("api:tasks"), {"tab": "all", "page_size": 3}).json()]
    while pages[-1]["next"]:
        pages.append(client.get(pages[-1]["next"]).json())
    assert [r["id"] for p in pages for r in p["results"]] == expected
    assert [len(p["results"]) for p in pages] == [3, 3, 2]
    back = client.get(pages[-1]["previous"]).json()
    assert [r["id"] for r in back["results"]] == [r["id"] for r in pages[1]["results"]]
    first = client.get(back["previous"]).json()
    assert [r["id"] for r in first["results"]] == expected[:3]
    assert first["previous"] is None


def test_a_forged_cursor_is_a_404(cast, assigned):
    client = api(cast.clerk)
    for cursor in ("cD0yMDI2LTAxLTAx", "cD1hYmN8MQ=="):  # p=2026-01-01, p=abc|1
        answer = client.get(reverse("api:tasks"), {"tab": "all", "cursor": cursor})
        assert answer.status_code == 404, cursor
        assert answer["Content-Type"] == "application/problem+json"


def test_the_list_takes_at_most_six_queries(cast, django_assert_max_num_queries):
    """A head's default tab (the signature queue) with 20+ rows, replied and signed ones
    among them: the token, the units, the queue, the rows, their signatures."""
    for n in range(12):
        flows.assigned(cast, co=False, title=f"待办{n}")
    for n in range(10):
        suggestion = flows.handled(cast, co=False, title=f"已答复{n}")
        flows.deputy_signs(cast, suggestion)
    client = api(cast.head)
    with django_assert_max_num_queries(6):
        answer = client.get(reverse("api:tasks"), {"page_size": 30})
    assert len(ids(answer)) == 10
    with django_assert_max_num_queries(6):
        answer = client.get(reverse("api:tasks"), {"tab": "all", "page_size": 30})
    assert len(ids(answer)) == 22


# A task's page.


def test_the_task_page_shows_the_deputys_phone_to_the_unit_not_to_the_leader(cast, assigned):
    lead = flows.lead(assigned)
    clerk = api(cast.clerk).get(reverse("api:task", args=[lead.pk])).json()
    assert clerk["contact_shown"] is True
    assert clerk["suggestion"]["lead_deputy"]["mobile"] == "13912345678"
    assert clerk["suggestion"]["content"] == assigned.content
    assert clerk["suggestion"]["co_deputies"] == ["李强"]
    leader = api(cast.leader).get(reverse("api:task", args=[lead.pk])).json()
    assert leader["contact_shown"] is False
    assert leader["suggestion"]["lead_deputy"]["mobile"] is None
    assert "13912345678" not in str(leader)


def test_the_task_page_has_the_deadlines_records_and_open_actions(cast, assigned):
    lead = flows.lead(assigned)
    flows.prepare_reply(cast, assigned)
    body = api(cast.clerk).get(reverse("api:task", args=[lead.pk])).json()
    assert body["assignment"]["due_on"] == lead.due_on.isoformat()
    assert body["assignment"]["original_due_on"] == lead.original_due_on.isoformat()
    assert body["assignment"]["extended"] is False
    assert body["assignment"]["reassignment_until"]
    assert body["co_units"][0]["opinions"][0]["text"] == "同意主办意见。"
    assert [c["method"] for c in body["communications"]] == ["visit"]
    assert [c["code"] for c in body["reply_conditions"]] == ["communication"]
    assert {e["kind"] for e in body["timeline"]} >= {"created", "transition", "communication"}
    names = [a["name"] for a in body["actions"]]
    assert names == [
        a.name
        for a in __import__("suggestions.actions").actions.available(
            "tasks", user=cast.clerk, obj=lead
        )
    ]
    assert "reply" in names
    reply = next(a for a in body["actions"] if a["name"] == "reply")
    assert reply["url"] == reverse("api:task-reply", args=[lead.pk])
    assert reply["multipart"] is True


def test_the_replies_link_their_document_through_the_api(cast):
    suggestion = flows.handled(cast)
    body = api(cast.clerk).get(reverse("api:task", args=[flows.lead(suggestion).pk])).json()
    reply = suggestion.current_reply()
    assert body["replies"][0]["document"] == f"/api/v1/documents/replies/{reply.pk}/"
    assert body["replies"][0]["classification"] == "B"
    assert body["replies"][0]["commitments"][0]["text"] == "年底前完成信号灯安装"
    assert [s["level"] for s in body["signatures"]] == ["deputy", "unit_head", "leader"]


def test_a_relieved_unit_keeps_its_record_until_then(cast):
    suggestion = flows.assigned(cast, co=False)
    lead = flows.lead(suggestion)
    request = services.reassignment_request(
        assignment=lead, by=cast.clerk, reason="不属于本单位职责"
    )
    services.reassignment_decide(
        request=request, by=cast.staff, approve=True, lead_unit=cast.other_unit, co_units=[]
    )
    body = api(cast.clerk).get(reverse("api:task", args=[lead.pk])).json()
    assert body["assignment"]["close_reason"] == "reassigned"
    assert body["actions"] == []
    assert body["reply_conditions"] == []
    assert Assignment.objects.get(pk=lead.pk).closed_on is not None


def test_signoffs_are_listed_with_their_ratings(cast):
    suggestion = flows.handled(cast)
    flows.deputy_signs(cast, suggestion, work=SignOff.Rating.BASICALLY_SATISFIED)
    body = api(cast.head).get(reverse("api:task", args=[flows.lead(suggestion).pk])).json()
    assert [(s["level"], s["work_rating"], s["result_rating"]) for s in body["signoffs"]] == [
        ("deputy", "basically_satisfied", "satisfied")
    ]
    assert body["actions"][0]["name"] == "signoff_head"
    assert body["actions"][0]["signature"] is True


def test_an_unknown_task_is_a_404(cast, assigned):
    assert api(cast.clerk).get(reverse("api:task", args=[999999])).status_code == 404


def test_a_disabled_unit_member_gets_nothing(cast, assigned):
    user = factories.MembershipFactory(unit=cast.lead_unit).user
    client = api(user)
    user.is_active = False
    user.save()
    assert client.get(reverse("api:tasks")).status_code == 401


# Each action of the task pages, through its endpoint and its service.


def act(user, assignment, name, data, *, multipart=False):
    url = reverse(f"api:task-{name}", args=[assignment.pk])
    return api(user).post(url, data, format="multipart" if multipart else "json")


def pdf(name="答复函.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.7\n1 0 obj\n", content_type="application/pdf")


COMMUNICATION = {"stage": "before", "method": "phone", "notes": "电话联系代表，约定走访时间。"}


def test_a_communication_is_recorded_and_the_task_returned(cast, assigned):
    lead = flows.lead(assigned)
    data = {**COMMUNICATION, "happened_on": timezone.localdate().isoformat()}
    answer = act(cast.clerk, lead, "communication", data)
    assert answer.status_code == 200, answer.content
    recorded = Communication.objects.get(assignment=lead)
    assert (recorded.stage, recorded.method, recorded.recorded_by) == (
        "before",
        "phone",
        cast.clerk,
    )
    assert [c["id"] for c in answer.json()["communications"]] == [recorded.pk]


def test_a_form_error_names_its_field_and_writes_nothing(cast, assigned):
    lead = flows.lead(assigned)
    answer = act(cast.clerk, lead, "communication", {**COMMUNICATION, "notes": ""})
    assert answer.status_code == 400
    assert {e["field"] for e in answer.json()["errors"]} == {"happened_on", "notes"}
    assert not Communication.objects.exists()


def test_the_co_unit_sends_its_opinion(cast, assigned):
    answer = act(cast.co_clerk, flows.co(assigned), "co_opinion", {"text": "同意主办意见。"})
    assert answer.status_code == 200, answer.content
    opinion = CoOpinion.objects.get(assignment=flows.co(assigned))
    assert (opinion.text, opinion.submitted_by) == ("同意主办意见。", cast.co_clerk)


def test_a_reply_with_its_document_is_recorded(cast, assigned):
    flows.prepare_reply(cast, assigned)
    lead = flows.lead(assigned)
    due = (timezone.localdate() + datetime.timedelta(days=60)).isoformat()
    data = {
        "classification": "B",
        "text": "经研究，已列入年度计划。",
        "document": pdf(),
        "commitment_1": "年底前完成信号灯安装",
        "commitment_1_due": due,
    }
    answer = act(cast.clerk, lead, "reply", data, multipart=True)
    assert answer.status_code == 200, answer.content
    reply = Reply.objects.get(suggestion=assigned)
    assert (reply.classification, reply.submitted_by, reply.round) == ("B", cast.clerk, 1)
    assert reply.document.read().startswith(b"%PDF")
    assert [(c.text, c.due_on.isoformat()) for c in reply.commitments.all()] == [
        ("年底前完成信号灯安装", due)
    ]
    body = answer.json()
    assert body["suggestion"]["state"] == "handled"
    assert body["replies"][0]["document"] == f"/api/v1/documents/replies/{reply.pk}/"


def test_a_reply_as_json_is_an_unsupported_media_type(cast, assigned):
    flows.prepare_reply(cast, assigned)
    answer = act(cast.clerk, flows.lead(assigned), "reply", {"classification": "A", "text": "x"})
    assert answer.status_code == 415
    assert not Reply.objects.exists()


def test_a_reply_before_any_communication_is_refused_and_writes_nothing(cast):
    suggestion = flows.assigned(cast, co=False)
    before = flows.snapshot(suggestion)
    task = api(cast.clerk).get(reverse("api:task", args=[flows.lead(suggestion).pk])).json()
    assert [(c["code"], c["met"]) for c in task["reply_conditions"]] == [
        ("no_communication", False)
    ]
    data = {"classification": "A", "text": "已办理。", "document": pdf()}
    answer = act(cast.clerk, flows.lead(suggestion), "reply", data, multipart=True)
    assert answer.status_code == 400
    assert answer["Content-Type"] == "application/problem+json"
    assert answer.json()["code"] == "no_communication"
    assert flows.snapshot(suggestion) == before


def test_reassignment_and_extension_requests_are_recorded(cast, assigned):
    lead = flows.lead(assigned)
    answer = act(cast.clerk, lead, "reassignment", {"reason": "不属于本单位职责"})
    assert answer.status_code == 200, answer.content
    request = ReassignmentRequest.objects.get(assignment=lead)
    assert (request.decision, request.requested_by) == ("pending", cast.clerk)
    until = (lead.due_on + datetime.timedelta(days=30)).isoformat()
    answer = act(cast.clerk, lead, "extension", {"until": until, "reason": "需要跨部门协调"})
    assert answer.status_code == 200, answer.content
    extension = ExtensionRequest.objects.get(assignment=lead)
    assert (extension.until.isoformat(), extension.reason) == (until, "需要跨部门协调")


def test_the_head_names_the_responsible_person(cast, assigned):
    lead = flows.lead(assigned)
    answer = act(cast.head, lead, "name_handler", {"handler": cast.clerk.pk})
    assert answer.status_code == 200, answer.content
    assert Assignment.objects.get(pk=lead.pk).handler == cast.clerk
    assert answer.json()["assignment"]["handler"] == (
        cast.clerk.get_full_name() or cast.clerk.username
    )


def test_the_head_then_the_leader_sign(cast):
    suggestion = flows.handled(cast)
    flows.deputy_signs(cast, suggestion)
    lead = flows.lead(suggestion)
    answer = act(cast.head, lead, "signoff_head", {"opinion": "同意。"})
    assert answer.status_code == 200, answer.content
    head = SignOff.objects.get(suggestion=suggestion, level="unit_head")
    assert (head.signer, head.opinion) == (cast.head, "同意。")
    answer = act(cast.leader, lead, "signoff_leader", {})
    assert answer.status_code == 200, answer.content
    assert SignOff.objects.get(suggestion=suggestion, level="leader").signer == cast.leader
    assert answer.json()["suggestion"]["state"] == "signed"


def test_an_action_not_open_now_is_a_403_and_writes_nothing(cast):
    suggestion = flows.handled(cast)
    before = flows.snapshot(suggestion)
    answer = act(cast.clerk, flows.lead(suggestion), "signoff_head", {})  # not the head
    assert answer.status_code == 403
    assert answer.json()["code"] == "not_available"
    answer = act(cast.head, flows.lead(suggestion), "signoff_head", {})  # the deputy first
    assert answer.json()["code"] == "not_available"
    assert flows.snapshot(suggestion) == before


@pytest.mark.parametrize(
    ("role", "status"), [("other_clerk", 404), ("deputy", 403), ("staff", 403)]
)
def test_another_units_or_roles_action_is_refused(cast, assigned, role, status):
    data = {**COMMUNICATION, "happened_on": timezone.localdate().isoformat()}
    answer = act(flows.person(cast, role), flows.lead(assigned), "communication", data)
    assert answer.status_code == status
    assert not Communication.objects.exists()


def test_the_paper_record_is_uploaded_and_its_scan_served_to_the_unit_and_office(cast):
    suggestion = flows.handled(cast)
    lead = flows.lead(suggestion)
    today = timezone.localdate().isoformat()
    data = {
        "scan": pdf("纪实表.pdf"),
        "deputy_signed_on": today,
        "work_rating": "satisfied",
        "result_rating": "satisfied",
        "unit_head_signed_on": today,
        "leader_signed_on": today,
    }
    answer = act(cast.clerk, lead, "paper_submit", data, multipart=True)
    assert answer.status_code == 200, answer.content
    submission = PaperSubmission.objects.get(assignment=lead)
    assert (submission.decision, submission.submitted_by) == ("pending", cast.clerk)
    url = reverse("api:scan", args=[submission.pk])
    for role in ("clerk", "leader", "staff"):
        served = api(flows.person(cast, role)).get(url)
        assert served.status_code == 200, role
        assert b"".join(served.streaming_content).startswith(b"%PDF")
        assert served["Content-Disposition"].startswith("attachment")
    for role in ("other_clerk", "co_clerk", "deputy"):
        assert api(flows.person(cast, role)).get(url).status_code == 404, role
    assert api().get(url).status_code == 401


# The opinions referred to the unit.


@pytest.fixture
def referred(cast):
    station = LiaisonStation.objects.create(name="幸福社区联络站", kind="room", level="village")
    keeper = factories.UserFactory(username="keeper")
    station.keepers.add(keeper)
    opinion = station_services.opinion_record(
        station=station,
        by=keeper,
        matter="公交站台破损。",
        raised_on=timezone.localdate(),
        name="张三丰",
        phone="13812341234",
    )
    station_services.opinion_route(
        opinion=opinion, by=keeper, to="unit", unit=cast.lead_unit, notes="请核实处理。"
    )
    return opinion


@pytest.mark.parametrize(
    ("role", "status"), [("clerk", 200), ("leader", 200), ("other_clerk", 404), ("deputy", 403)]
)
def test_the_referred_opinion_is_the_units_with_the_constituent_masked(
    cast, referred, role, status
):
    client = api(flows.person(cast, role))
    detail = client.get(reverse("api:task-opinion", args=[referred.pk]))
    assert detail.status_code == status
    listing = client.get(reverse("api:task-opinions"))
    if status == 403:
        assert listing.status_code == 403
        return
    rows = listing.json()["results"]
    if status == 404:
        assert rows == []
        return
    assert [(r["id"], r["name"], r["phone"]) for r in rows] == [
        (referred.pk, "张**", "138****1234")
    ]
    assert rows[0]["refer_notes"] == "请核实处理。"
    body = detail.json()
    assert (body["name"], body["phone"]) == ("张**", "138****1234")
    assert "张三丰" not in str(body) and "13812341234" not in str(body)
    assert [s["to"] for s in body["steps"]] == ["referred"]
    expected = ["answer"] if role == "clerk" else []  # the leader is not a member
    assert [a["name"] for a in body["actions"]] == expected


def test_a_member_who_keeps_the_station_sees_the_constituent_as_on_the_page(cast, referred):
    referred.station.keepers.add(cast.clerk)
    row = api(cast.clerk).get(reverse("api:task-opinions")).json()["results"][0]
    assert (row["name"], row["phone"]) == ("张三丰", "13812341234")


def test_the_unit_answers_the_opinion(cast, referred):
    url = reverse("api:task-opinion-answer", args=[referred.pk])
    refused = api(cast.leader).post(url, {"answer": "已修复。"}, format="json")
    assert refused.status_code == 403
    answer = api(cast.clerk).post(url, {"answer": "已修复站台。"}, format="json")
    assert answer.status_code == 200, answer.content
    referred.refresh_from_db()
    assert referred.state == "answered"
    step = OpinionStep.objects.get(opinion=referred, to="answered")
    assert (step.notes, step.by) == ("已修复站台。", cast.clerk)
    assert (answer.json()["state"], answer.json()["answer"]) == ("answered", "已修复站台。")
    assert answer.json()["actions"] == []
    assert api(cast.clerk).get(reverse("api:task-opinions")).json()["results"][0]["answer"] == (
        "已修复站台。"
    )


def test_the_opinions_list_takes_at_most_six_queries(cast, referred, django_assert_max_num_queries):
    keeper = referred.station.keepers.get()
    for n in range(21):
        opinion = station_services.opinion_record(
            station=referred.station, by=keeper, matter=f"第{n}条", raised_on=timezone.localdate()
        )
        station_services.opinion_route(opinion=opinion, by=keeper, to="unit", unit=cast.lead_unit)
    client = api(cast.clerk)
    with django_assert_max_num_queries(6):
        answer = client.get(reverse("api:task-opinions"), {"page_size": 30})
    assert len(answer.json()["results"]) == 22


def test_a_scan_not_yours_is_a_problem_whatever_the_client_accepts(cast):
    suggestion = flows.handled(cast)
    submission = services.signoff_paper_submit(
        assignment=flows.lead(suggestion),
        by=cast.clerk,
        scan=factories.document("scan.pdf"),
        signatures={"deputy": {"signed_on": timezone.localdate(), "work_rating": "satisfied",
                               "result_rating": "satisfied", "opinion": ""}},
    )  # fmt: skip
    url = reverse("api:scan", args=[submission.pk])
    refused = api(cast.other_clerk).get(url, HTTP_ACCEPT="application/json")
    assert refused.status_code == 404
    assert refused["Content-Type"] == "application/problem+json"
    assert refused.json()["code"] == "not_found"
    served = api(cast.clerk).get(url, HTTP_ACCEPT="application/json")
    assert served.status_code == 200
    assert served["Content-Type"] == "application/pdf"


# A key suggestion's inspection visit, by its leading leader.


def test_the_leading_leader_records_an_inspection_visit(cast):
    key = keys.designated(cast)
    url = reverse("api:task-key-inspection", args=[key.pk])
    data = {
        "happened_on": timezone.localdate().isoformat(),
        "kind": "visit",
        "participants": "副市长、市交通运输局负责人",
        "findings": "信号灯已完成选址。",
        "deputies": [cast.co_deputy.pk],
        "files": SimpleUploadedFile("现场照片.png", keys.PNG, content_type="image/png"),
    }
    answer = api(cast.leader).post(url, data, format="multipart")
    assert answer.status_code == 200, answer.content
    visit = Inspection.objects.get(key_suggestion=key)
    assert (visit.recorded_by, visit.findings) == (cast.leader, "信号灯已完成选址。")
    assert list(visit.deputies.all()) == [cast.co_deputy]
    assert visit.files.count() == 1
    assert [v["id"] for v in answer.json()["visits"]] == [visit.pk]
    for role, status in (("other_leader", 404), ("clerk", 404), ("deputy", 403)):
        refused = api(flows.person(cast, role)).post(url, {"findings": "x"}, format="multipart")
        assert refused.status_code == status, role
    assert Inspection.objects.count() == 1


def test_the_opinions_page_by_cursor_in_the_pages_order(cast, referred):
    keeper = referred.station.keepers.get()
    for n in range(4):
        opinion = station_services.opinion_record(
            station=referred.station, by=keeper, matter=f"第{n}条", raised_on=timezone.localdate()
        )
        station_services.opinion_route(opinion=opinion, by=keeper, to="unit", unit=cast.lead_unit)
        if n % 2:
            station_services.opinion_answer(opinion=opinion, by=cast.clerk, answer="已处理。")
    client = api(cast.clerk)
    answer = client.get(reverse("api:task-opinions"), {"page_size": 2}).json()
    seen = [r["id"] for r in answer["results"]]
    while answer["next"]:
        answer = client.get(answer["next"]).json()
        seen += [r["id"] for r in answer["results"]]
    expected = station_selectors.referred_rows(user=cast.clerk).values_list("pk", flat=True)
    assert seen == list(expected)
    assert len(seen) == 5
