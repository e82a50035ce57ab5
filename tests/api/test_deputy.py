"""The deputies' endpoints through a device token: their suggestions as ``/my/`` shows them
(filters, scope, the detail's timeline and replies), the sign-off through the action table
(the same record as the page's, and a refusal per field), the reply's document, the duty
year (the numbers of ``duty_year``), the opinions forwarded to them (the constituent's
contact as the page shows it) and the bodies against the generated schema."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from api.models import DeviceToken
from deputies.models import DutyRecord
from deputies.selectors import duty_year
from stations import services as station_services
from stations.models import LiaisonStation, Opinion
from suggestions import services
from suggestions.models import Reply, SignOff, Suggestion
from tests import factories, flows

pytestmark = pytest.mark.django_db

NAME, PHONE = "张小明", "13812341234"


def api(user) -> APIClient:
    """A client signed in with a real device token."""
    _token, key = DeviceToken.objects.create(user=user, name="手机")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def results(answer) -> list[dict]:
    assert answer.status_code == 200, answer.content
    return answer.json()["results"]


def other_deputys(cast, **kwargs) -> Suggestion:
    return services.suggestion_create(
        by=cast.staff,
        title=kwargs.pop("title", "关于改善农贸市场卫生的建议"),
        content="市场卫生状况差。",
        lead_deputy=cast.other_deputy,
        **kwargs,
    )


# The list.


def test_the_list_shows_the_deputys_suggestions_as_the_status_page(cast):
    """Led and co-signed suggestions, never another deputy's; each with its state, units,
    deadline, what waits and the signatures; newest first."""
    replied = flows.handled(cast)
    proposed = flows.proposed(cast, title="关于增加社区养老服务点的建议")
    Suggestion.objects.filter(pk=proposed.pk).update(raised_on=timezone.localdate())
    Suggestion.objects.filter(pk=replied.pk).update(
        raised_on=timezone.localdate() - datetime.timedelta(days=10)
    )
    other_deputys(cast)

    rows = results(api(cast.deputy.user).get(reverse("api:my-suggestions")))
    assert [r["id"] for r in rows] == [proposed.pk, replied.pk]
    row = rows[1]
    assert row["state"] == "handled"
    assert row["role"] == "lead"
    assert row["lead_deputy"] == {"id": cast.deputy.pk, "name": "王丽"}
    assert row["lead_unit"]["name"] == "市交通运输局"
    assert [u["name"] for u in row["co_units"]] == ["市公安局交通警察支队"]
    assert row["due_on"] == flows.lead(replied).due_on.isoformat()
    assert row["status"]["waiting_for_me"] is True
    assert row["status"]["stage"] == 3
    assert [(s["level"], s["signed"], s["is_next"]) for s in row["signatures"]] == [
        ("deputy", False, True),
        ("unit_head", False, False),
        ("leader", False, False),
    ]
    assert rows[0]["status"]["stage"] == 0
    assert rows[0]["signatures"] == [] and rows[0]["lead_unit"] is None

    co_rows = results(api(cast.co_deputy.user).get(reverse("api:my-suggestions")))
    co_row = next(r for r in co_rows if r["id"] == replied.pk)
    assert co_row["role"] == "co"
    assert co_row["status"]["waiting_for_me"] is False


def test_the_list_filters_by_state_year_and_title(cast):
    first = flows.reviewed(cast, title="关于学校周边交通安全的建议")
    second = flows.proposed(cast, title="关于老旧小区加装电梯的建议")
    Suggestion.objects.filter(pk=second.pk).update(raised_on=datetime.date(2025, 3, 1))
    client = api(cast.deputy.user)
    url = reverse("api:my-suggestions")

    assert [r["id"] for r in results(client.get(url, {"state": "reviewed"}))] == [first.pk]
    assert [r["id"] for r in results(client.get(url, {"year": 2025}))] == [second.pk]
    assert [r["id"] for r in results(client.get(url, {"q": "电梯"}))] == [second.pk]
    refused = client.get(url, {"state": "nonsense"})
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["field"] == "state"


def test_the_list_pages_by_cursor_in_the_pages_order(cast):
    made = [
        factories.SuggestionFactory(lead_deputy=cast.deputy, raised_on=datetime.date(2026, 3, d))
        for d in (1, 2, 2, 3)
    ]
    client = api(cast.deputy.user)
    first = client.get(reverse("api:my-suggestions"), {"page_size": 3}).json()
    second = client.get(first["next"]).json()
    ids = [r["id"] for r in first["results"] + second["results"]]
    expected = sorted(made, key=lambda s: (s.raised_on, s.pk), reverse=True)
    assert ids == [s.pk for s in expected]
    assert second["next"] is None


def test_the_list_costs_at_most_six_queries(cast, django_assert_max_num_queries):
    """Twenty-odd rows, some replied (their signatures) and assigned (their units)."""
    for _ in range(2):
        flows.handled(cast)
    factories.SuggestionFactory.create_batch(20, lead_deputy=cast.deputy)
    client = api(cast.deputy.user)
    with django_assert_max_num_queries(6):
        answer = client.get(reverse("api:my-suggestions"), {"page_size": 30})
    assert len(results(answer)) == 22


@pytest.mark.parametrize(
    "name, args",
    [
        ("api:my-suggestions", []),
        ("api:my-suggestion", [1]),
        ("api:my-duty", []),
        ("api:my-opinions", []),
        ("api:my-opinion", [1]),
    ],
)
def test_a_clerk_gets_a_403_and_anonymous_a_401(cast, name, args):
    assert api(cast.clerk).get(reverse(name, args=args)).status_code == 403
    anonymous = APIClient().get(reverse(name, args=args))
    assert anonymous.status_code == 401
    assert anonymous["Content-Type"] == "application/problem+json"


def test_a_clerk_cannot_sign_as_a_deputy(cast):
    suggestion = flows.handled(cast)
    answer = api(cast.clerk).post(
        reverse("api:my-suggestion-signoff", args=[suggestion.pk]),
        {"work_rating": "satisfied", "result_rating": "satisfied"},
    )
    assert answer.status_code == 403
    assert not SignOff.objects.filter(suggestion=suggestion).exists()


# The detail.


def test_another_deputys_suggestion_is_a_404(cast):
    theirs = other_deputys(cast)
    client = api(cast.deputy.user)
    answer = client.get(reverse("api:my-suggestion", args=[theirs.pk]))
    assert answer.status_code == 404
    assert answer.json()["code"] == "not_found"
    signoff = client.post(
        reverse("api:my-suggestion-signoff", args=[theirs.pk]),
        {"work_rating": "satisfied", "result_rating": "satisfied"},
    )
    assert signoff.status_code == 404


def test_the_detail_has_the_timeline_replies_and_the_signoff_open(cast):
    suggestion = flows.handled(cast)
    body = api(cast.deputy.user).get(reverse("api:my-suggestion", args=[suggestion.pk])).json()

    assert body["content"] == suggestion.content
    assert body["is_lead"] is True
    assert [d["name"] for d in body["co_deputies"]] == ["李强"]
    assert [s["current"] for s in body["stages"]] == [False, False, False, True, False, False]
    assert body["handling"] is None
    assert {(a["unit"]["name"], a["role"]) for a in body["assignments"]} == {
        ("市交通运输局", "lead"),
        ("市公安局交通警察支队", "co"),
    }
    (reply,) = body["replies"]
    stored = Reply.objects.get(suggestion=suggestion)
    assert reply["id"] == stored.pk
    assert (reply["round"], reply["classification"], reply["text"]) == (1, "B", stored.text)
    assert reply["classification_label"] == stored.get_classification_display()
    assert reply["on_time"] is True and reply["replaced"] is False
    assert reply["unit"]["name"] == "市交通运输局"
    assert reply["document"] == "http://testserver" + reverse(
        "api:reply-document", args=[stored.pk]
    )
    assert [c["text"] for c in reply["commitments"]] == ["年底前完成信号灯安装"]
    assert [c["notes"] for c in body["communications"]] == ["走访代表，了解建议背景。"]
    kinds = [e["kind"] for e in body["timeline"]]
    for kind in ("created", "transition", "assignment", "communication", "co_opinion", "reply"):
        assert kind in kinds
    reply_event = next(e for e in body["timeline"] if e["kind"] == "reply")
    assert reply_event["note"] == stored.text
    assert body["timeline"] == sorted(body["timeline"], key=lambda e: e["at"])
    (action,) = body["actions"]
    assert action["name"] == "signoff" and action["signature"] is True
    assert action["url"].endswith(reverse("api:my-suggestion-signoff", args=[suggestion.pk]))
    assert body["status"]["waiting_for_me"] is True


def test_the_signoff_records_what_the_page_records(cast):
    suggestion = flows.handled(cast)
    answer = api(cast.deputy.user).post(
        reverse("api:my-suggestion-signoff", args=[suggestion.pk]),
        {"work_rating": "satisfied", "result_rating": "basically_satisfied", "opinion": "满意。"},
    )
    assert answer.status_code == 200, answer.content
    signoff = SignOff.objects.get(suggestion=suggestion)
    assert signoff.level == SignOff.Level.DEPUTY
    assert signoff.signer == cast.deputy.user
    assert signoff.deputy == cast.deputy
    assert (signoff.work_rating, signoff.result_rating, signoff.opinion) == (
        "satisfied",
        "basically_satisfied",
        "满意。",
    )
    assert signoff.round == 1 and signoff.reply == suggestion.current_reply()
    body = answer.json()
    assert body["actions"] == []
    assert [(r["work_rating"], r["result_rating"]) for r in body["ratings"]] == [
        ("satisfied", "basically_satisfied")
    ]
    assert body["signatures"][0]["signed"] is True


def test_a_refused_signoff_is_a_400_per_field_and_writes_nothing(cast):
    suggestion = flows.handled(cast)
    before = flows.snapshot(suggestion)
    client = api(cast.deputy.user)
    url = reverse("api:my-suggestion-signoff", args=[suggestion.pk])

    missing = client.post(url, {"result_rating": "satisfied"})
    assert missing.status_code == 400
    assert missing["Content-Type"] == "application/problem+json"
    assert [(e["field"], e["code"]) for e in missing.json()["errors"]] == [
        ("work_rating", "required")
    ]
    unexplained = client.post(url, {"work_rating": "dissatisfied", "result_rating": "satisfied"})
    assert unexplained.status_code == 400
    assert unexplained.json()["errors"][0]["field"] == "opinion"
    assert unexplained.json()["code"] == "dissatisfied_reason_required"
    assert flows.snapshot(suggestion) == before


def test_a_merged_suggestions_deputy_reads_and_signs_the_main_one(cast):
    """As the page: the merged suggestion shows its main one's handling, and its lead
    deputy signs the main suggestion's record."""
    main, merged = flows.merged_handled(cast)
    client = api(cast.other_deputy.user)
    body = client.get(reverse("api:my-suggestion", args=[merged.pk])).json()
    assert body["id"] == merged.pk and body["state"] == "merged"
    assert body["handling"]["id"] == main.pk
    assert len(body["replies"]) == 1 and body["group_size"] == 2
    assert [a["name"] for a in body["actions"]] == ["signoff"]

    answer = client.post(
        reverse("api:my-suggestion-signoff", args=[merged.pk]),
        {"work_rating": "satisfied", "result_rating": "satisfied"},
    )
    assert answer.status_code == 200, answer.content
    signoff = SignOff.objects.get()
    assert (signoff.suggestion_id, signoff.deputy) == (main.pk, cast.other_deputy)
    assert answer.json()["id"] == merged.pk


# The reply's document.


def test_the_document_is_served_to_who_may_see_it(cast):
    suggestion = flows.handled(cast)
    reply = suggestion.current_reply()
    url = reverse("api:reply-document", args=[reply.pk])
    for user in (cast.deputy.user, cast.co_deputy.user, cast.clerk):
        answer = api(user).get(url, HTTP_ACCEPT="application/octet-stream")
        assert answer.status_code == 200
        assert b"".join(answer.streaming_content) == b"%PDF-1.4\n% signed reply\n"
        assert answer["Content-Disposition"].startswith("attachment")
        assert answer["Content-Type"] == "application/pdf"  # as the schema lists it
    for user in (cast.other_deputy.user, cast.other_clerk):
        refused = api(user).get(url)
        assert refused.status_code == 404
        assert refused.json()["code"] == "not_found"
    assert APIClient().get(url).status_code == 401


# The duty year.


def test_the_duty_year_has_the_numbers_of_duty_year(cast):
    today = timezone.localdate()
    deputy = cast.deputy
    meeting = DutyRecord.objects.create(
        deputy=deputy, kind=DutyRecord.Kind.MEETING, happened_on=today, notes="常委会列席"
    )
    DutyRecord.objects.create(
        deputy=deputy, kind=DutyRecord.Kind.CONTACT, happened_on=today, points=2
    )
    DutyRecord.objects.create(
        deputy=cast.other_deputy, kind=DutyRecord.Kind.RESEARCH, happened_on=today, points=9
    )
    body = api(deputy.user).get(reverse("api:my-duty")).json()
    expected = duty_year(deputy=deputy, year=today.year, today=today)

    assert body["year"] == today.year
    assert body["total"] == float(expected.total) == 4.0
    assert (body["rank"], body["rank_in_delegation"]) == (2, 2)
    assert (expected.rank, expected.rank_in_delegation) == (2, 2)
    assert [(k["kind"], k["count"], k["points"]) for k in body["by_kind"]] == [
        ("meeting", 1, 2.0),
        ("contact", 1, 2.0),
    ]
    assert [(r["id"], r["points"]) for r in body["records"]] == [
        (r.pk, float(r.worth)) for r in expected.records
    ]
    assert next(r for r in body["records"] if r["id"] == meeting.pk)["notes"] == "常委会列席"
    assert [(c["code"], c["met"]) for c in body["checks"]] == [
        (c.code, c.met) for c in expected.checks
    ]
    assert body["years"][0] == today.year


def test_the_duty_year_is_one_the_page_shows(cast):
    client = api(cast.deputy.user)
    assert client.get(reverse("api:my-duty"), {"year": 1999}).status_code == 404
    assert client.get(reverse("api:my-duty"), {"year": "x"}).status_code == 404
    last = timezone.localdate().year - 1
    assert client.get(reverse("api:my-duty"), {"year": last}).json()["year"] == last


# The opinions forwarded to the deputy.


@pytest.fixture
def station(cast):
    station = LiaisonStation.objects.create(name="幸福社区联络站", kind="room", level="village")
    station.deputies.add(cast.deputy, cast.other_deputy)
    return station


@pytest.fixture
def keeper(station):
    user = factories.UserFactory(username="keeper")
    station.keepers.add(user)
    return user


def forwarded(station, keeper, deputy, matter="小区路灯不亮。") -> Opinion:
    opinion = station_services.opinion_record(
        station=station,
        by=keeper,
        matter=matter,
        raised_on=timezone.localdate(),
        name=NAME,
        phone=PHONE,
    )
    station_services.opinion_route(
        opinion=opinion, by=keeper, to="deputy", deputy=deputy, notes="请代表跟进。"
    )
    return opinion


def test_the_deputy_sees_the_opinions_forwarded_to_them_with_the_contact(cast, station, keeper):
    """As /my/opinions/: the deputy it was forwarded to reads the constituent's name and
    phone unmasked; another deputy's opinion is neither listed nor found."""
    mine = forwarded(station, keeper, cast.deputy)
    theirs = forwarded(station, keeper, cast.other_deputy, "公交站台破损。")
    client = api(cast.deputy.user)

    (row,) = results(client.get(reverse("api:my-opinions")))
    assert row["id"] == mine.pk
    assert (row["name"], row["phone"]) == (NAME, PHONE)
    assert row["waits"] is True and row["forward_notes"] == "请代表跟进。"
    assert row["station"] == "幸福社区联络站"

    body = client.get(reverse("api:my-opinion", args=[mine.pk])).json()
    assert (body["name"], body["phone"]) == (NAME, PHONE)
    assert [s["to"] for s in body["steps"]] == ["forwarded"]
    assert [a["name"] for a in body["actions"]] == ["to_suggestion"]
    assert client.get(reverse("api:my-opinion", args=[theirs.pk])).status_code == 404


def test_an_opinion_made_a_suggestion_through_the_api(cast, station, keeper):
    opinion = forwarded(station, keeper, cast.deputy)
    client = api(cast.deputy.user)
    answer = client.post(
        reverse("api:my-opinion-to_suggestion", args=[opinion.pk]),
        {"title": "关于修复小区路灯的建议", "content": "小区路灯长期不亮，建议尽快修复。"},
    )
    assert answer.status_code == 200, answer.content
    opinion.refresh_from_db()
    assert opinion.state == Opinion.State.SUGGESTED
    suggestion = opinion.suggestion
    assert (suggestion.title, suggestion.lead_deputy) == ("关于修复小区路灯的建议", cast.deputy)
    body = answer.json()
    assert body["suggestion"]["id"] == suggestion.pk
    assert body["actions"] == [] and body["waits"] is False
    assert [s["to"] for s in body["steps"]] == ["forwarded", "suggested"]

    again = client.post(
        reverse("api:my-opinion-to_suggestion", args=[opinion.pk]),
        {"title": "再来一次", "content": "重复。"},
    )
    assert again.status_code == 403
    assert again.json()["code"] == "not_available"
    theirs = forwarded(station, keeper, cast.other_deputy)
    stranger = client.post(
        reverse("api:my-opinion-to_suggestion", args=[theirs.pk]),
        {"title": "别人的", "content": "别人的意见。"},
    )
    assert stranger.status_code == 404


def test_the_opinions_cost_at_most_six_queries(
    cast, station, keeper, django_assert_max_num_queries
):
    for n in range(21):
        forwarded(station, keeper, cast.deputy, f"第{n}条意见。")
    client = api(cast.deputy.user)
    with django_assert_max_num_queries(6):
        answer = client.get(reverse("api:my-opinions"), {"page_size": 30})
    assert len(results(answer)) == 21


# The bodies against the generated schema (what schemathesis checks in CI, here per body).


@pytest.fixture(scope="module")
def openapi() -> dict:
    """The schema as JSON Schema: OpenAPI's ``nullable`` as a null type, and no property
    an object does not document."""
    from drf_spectacular.generators import SchemaGenerator

    def strict(node):
        if isinstance(node, list):
            return [strict(item) for item in node]
        if not isinstance(node, dict):
            return node
        node = {key: strict(value) for key, value in node.items()}
        if node.get("type") == "object" and "properties" in node:
            node.setdefault("additionalProperties", False)
        for bound in ("Maximum", "Minimum"):  # OpenAPI 3.0's booleans, as numbers
            if node.get(f"exclusive{bound}") is True:
                node[f"exclusive{bound}"] = node.pop(bound.lower())
        if node.pop("nullable", False):
            if "enum" in node:
                node["enum"] = [*node["enum"], None]
            if "type" in node:
                node["type"] = [node["type"], "null"]
            else:
                node = {"anyOf": [node, {"type": "null"}]}
        return node

    return strict(SchemaGenerator().get_schema(request=None, public=True))


def check(openapi, answer, path: str, method: str = "get") -> None:
    import jsonschema

    status = str(answer.status_code)
    media = "application/problem+json" if answer.status_code >= 400 else "application/json"
    documented = openapi["paths"][path][method]["responses"][status]["content"][media]
    schema = {**documented["schema"], "components": openapi["components"]}
    jsonschema.validate(answer.json(), schema)


def test_the_bodies_match_the_schema(cast, station, keeper, openapi):
    suggestion = flows.handled(cast)
    flows.merged_handled(cast)
    opinion = forwarded(station, keeper, cast.deputy)
    DutyRecord.objects.create(
        deputy=cast.deputy, kind=DutyRecord.Kind.MEETING, happened_on=timezone.localdate()
    )
    client = api(cast.deputy.user)
    prefix = "/api/v1/"
    check(openapi, client.get(reverse("api:my-suggestions")), prefix + "my/suggestions/")
    for pk in Suggestion.objects.exclude(lead_deputy=cast.other_deputy).values_list(
        "pk", flat=True
    ):
        answer = client.get(reverse("api:my-suggestion", args=[pk]))
        check(openapi, answer, prefix + "my/suggestions/{id}/")
    signoff = prefix + "my/suggestions/{id}/signoff/"
    url = reverse("api:my-suggestion-signoff", args=[suggestion.pk])
    check(openapi, client.post(url, {"work_rating": "satisfied"}), signoff, "post")
    answer = client.post(url, {"work_rating": "satisfied", "result_rating": "satisfied"})
    check(openapi, answer, signoff, "post")
    check(openapi, client.get(reverse("api:my-duty")), prefix + "my/duty/")
    check(openapi, client.get(reverse("api:my-opinions")), prefix + "my/opinions/")
    answer = client.get(reverse("api:my-opinion", args=[opinion.pk]))
    check(openapi, answer, prefix + "my/opinions/{id}/")
    check(openapi, client.get(reverse("api:notifications")), prefix + "notifications/")
    answer = client.post(reverse("api:notifications-read"))
    check(openapi, answer, prefix + "notifications/read/", "post")
    missing = client.get(reverse("api:my-suggestion", args=[0]))
    check(openapi, missing, prefix + "my/suggestions/{id}/")
