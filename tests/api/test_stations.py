"""The station keepers' endpoints through real device tokens: who may read what (another
keeper's station or opinion is a 404, anyone who keeps none a 403), what each answers
against the pages' selectors, the filters, every station action and the route recorded
through their services, a refusal writing nothing, and the lists' query counts."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from api.models import DeviceToken
from deputies.models import DutyRecord
from stations import services
from stations.models import (
    Activity,
    LiaisonStation,
    Opinion,
    OpinionStep,
    ReceptionDay,
    StationCheck,
)
from stations.views import keeper as keeper_views
from suggestions.actions import ACTIONS, Page
from tests import factories

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% minutes\n"


def token_client(user) -> APIClient:
    client = APIClient()
    if user is not None:
        _token, key = DeviceToken.objects.create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.fixture
def station(cast):
    parent = LiaisonStation.objects.create(name="桃源区代表之家", kind="home", level="county")
    station = LiaisonStation.objects.create(
        name="幸福社区联络站", kind="room", level="village", parent=parent,
        address="幸福路1号", contact="刘站长", phone="0731-8888", opening_hours="周一至周五",
    )  # fmt: skip
    station.deputies.add(cast.deputy, cast.co_deputy)
    return station


@pytest.fixture
def keeper(station):
    user = factories.UserFactory(username="keeper", first_name="刘站长")
    station.keepers.add(user)
    return user


@pytest.fixture
def other_station(cast):
    other = LiaisonStation.objects.create(name="东风村联络室", kind="room", level="village")
    other.deputies.add(cast.other_deputy)
    return other


@pytest.fixture
def other_keeper(other_station):
    user = factories.UserFactory(username="other_keeper")
    other_station.keepers.add(user)
    return user


def today() -> datetime.date:
    return timezone.localdate()


def opinion(station, by, matter="小区路灯不亮。", **kwargs) -> Opinion:
    return services.opinion_record(
        station=station, by=by, matter=matter, raised_on=today(),
        name=kwargs.pop("name", "张三"), phone=kwargs.pop("phone", "13812341234"), **kwargs,
    )  # fmt: skip


def activity(station, by, deputies, **kwargs) -> Activity:
    return services.station_activity_record(
        station=station, by=by, kind=kwargs.pop("kind", "reception"),
        happened_on=kwargs.pop("happened_on", today()), deputies=deputies,
        citizens=kwargs.pop("citizens", 5), **kwargs,
    )  # fmt: skip


@pytest.fixture
def people(cast, keeper, other_keeper):
    return {
        "keeper": keeper,
        "other_keeper": other_keeper,
        "staff": cast.staff,
        "clerk": cast.clerk,
        "deputy": cast.deputy.user,
        "leader": cast.leader,
        "anonymous": None,
    }


# Who may read what.

MATRIX = {
    "keeper": 200,
    "other_keeper": 404,
    "staff": 200,
    "clerk": 403,
    "deputy": 403,
    "leader": 403,
    "anonymous": 401,
}


@pytest.mark.parametrize("role", list(MATRIX))
def test_each_role_reads_a_stations_endpoints_as_on_its_pages(role, people, station, keeper, cast):
    found = opinion(station, keeper)
    done = activity(station, keeper, [cast.deputy], files=[factories.document("纪要.pdf")])
    client = token_client(people[role])
    urls = [
        reverse("api:station", args=[station.pk]),
        reverse("api:station-opinions", args=[station.pk]),
        reverse("api:station-activities", args=[station.pk]),
        reverse("api:station-opinion", args=[found.pk]),
        reverse("api:activity-file", args=[done.files.get().pk]),
    ]
    for url in urls:
        answer = client.get(url)
        assert answer.status_code == MATRIX[role], url
        if answer.status_code != 200:
            assert answer["Content-Type"] == "application/problem+json"
    posted = client.post(
        reverse("api:station-record-opinion", args=[station.pk]),
        {"matter": "新的意见", "raised_on": today().isoformat()},
        format="json",
    )
    assert posted.status_code == MATRIX[role]
    assert Opinion.objects.filter(matter="新的意见").exists() == (MATRIX[role] == 200)


@pytest.mark.parametrize(
    ("role", "status", "names"),
    [
        ("keeper", 200, ["幸福社区联络站"]),
        ("other_keeper", 200, ["东风村联络室"]),
        ("staff", 200, ["东风村联络室", "幸福社区联络站", "桃源区代表之家"]),
        ("clerk", 403, None),
        ("deputy", 403, None),
        ("leader", 403, None),
        ("anonymous", 401, None),
    ],
)
def test_the_station_list_is_the_users_stations(role, status, names, people, station):
    answer = token_client(people[role]).get(reverse("api:stations"))
    assert answer.status_code == status
    if names is not None:
        assert sorted(row["name"] for row in answer.json()["results"]) == sorted(names)


def test_the_station_list_has_the_list_pages_counts(station, keeper, cast):
    opinion(station, keeper)
    routed = opinion(station, keeper)
    services.opinion_route(opinion=routed, by=keeper, to="settled", notes="当场解释")
    activity(station, keeper, [cast.deputy])
    StationCheck.objects.create(
        station=station, year=today().year, item="site", met=True,
        evidence=factories.document("e.pdf"), checked_by=keeper,
    )  # fmt: skip
    row = token_client(keeper).get(reverse("api:stations")).json()["results"][0]
    page_row = keeper_views.station_rows(user=keeper, year=today().year).get()
    assert row == {
        "id": station.pk,
        "name": "幸福社区联络站",
        "kind": "room",
        "kind_label": str(station.get_kind_display()),
        "level": "village",
        "level_label": str(station.get_level_display()),
        "parent": {"id": station.parent_id, "name": "桃源区代表之家"},
        "opinions_waiting": page_row.waiting,
        "activities_this_year": page_row.activities_this_year,
        "checks_met": page_row.met_this_year,
        "checks_total": 8,
    }
    assert (row["opinions_waiting"], row["activities_this_year"], row["checks_met"]) == (1, 1, 1)


def test_the_office_searches_stations_by_name(station, other_station, cast):
    answer = token_client(cast.staff).get(reverse("api:stations"), {"q": "东风"})
    assert [row["name"] for row in answer.json()["results"]] == ["东风村联络室"]


# A station's page.


def test_a_station_shows_its_page(station, keeper, cast):
    found = opinion(station, keeper)
    day = services.reception_day_plan(
        station=station, by=keeper, day=today() + datetime.timedelta(days=3),
        deputies=[cast.deputy], notes="带好登记表",
    )  # fmt: skip
    done = activity(station, keeper, [cast.deputy, cast.co_deputy], files=[factories.document()])
    StationCheck.objects.create(
        station=station, year=today().year, item="sign", met=False, checked_by=keeper
    )
    body = token_client(keeper).get(reverse("api:station", args=[station.pk])).json()
    assert body["address"] == "幸福路1号"
    assert body["contact"] == "刘站长" and body["phone"] == "0731-8888"
    assert body["opening_hours"] == "周一至周五"
    assert body["parent"]["name"] == "桃源区代表之家"
    assert [d["name"] for d in body["deputies"]] == sorted(["王丽", "李强"])
    assert body["year"] == today().year
    checks = {c["item"]: c["state"] for c in body["checklist"]}
    assert checks["sign"] == "unmet" and checks["site"] == "unchecked" and len(checks) == 8
    assert body["upcoming_days"] == [
        {"id": day.pk, "day": day.day.isoformat(), "on_duty": ["王丽"], "held": False,
         "notes": "带好登记表"}
    ]  # fmt: skip
    assert body["counts"] == {
        "opinions_waiting": 1, "activities": 1, "checks_met": 0, "checks_total": 8,
    }  # fmt: skip
    assert [o["id"] for o in body["latest_opinions"]] == [found.pk]
    assert body["latest_opinions"][0]["name"] == "张三"
    assert body["latest_opinions"][0]["phone"] == "13812341234"
    row = body["latest_activities"][0]
    assert row["id"] == done.pk
    assert sorted(d["name"] for d in row["deputies"]) == ["李强", "王丽"]
    assert row["files"][0]["url"] == reverse("api:activity-file", args=[done.files.get().pk])
    names = sorted(a["name"] for a in body["actions"])
    assert names == sorted(n for (page, n) in ACTIONS if page == Page.STATION)
    assert all(a["url"] == f"/api/v1/stations/{station.pk}/{a['name']}/" for a in body["actions"])


def test_a_stations_checklist_of_another_year(station, keeper):
    last_year = today().year - 1
    StationCheck.objects.create(
        station=station, year=last_year, item="board", met=True,
        evidence=factories.document("e.pdf"), checked_by=keeper,
    )  # fmt: skip
    client = token_client(keeper)
    url = reverse("api:station", args=[station.pk])
    body = client.get(url, {"year": last_year}).json()
    board = next(c for c in body["checklist"] if c["item"] == "board")
    assert board["state"] == "met" and board["has_evidence"] is True
    assert body["counts"]["checks_met"] == 1
    this_year = client.get(url).json()
    assert next(c for c in this_year["checklist"] if c["item"] == "board")["state"] == "unchecked"
    bad = client.get(url, {"year": "abc"})
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "year"


def test_the_office_sees_a_stations_constituents_unmasked(station, keeper, cast):
    opinion(station, keeper)
    body = token_client(cast.staff).get(reverse("api:station-opinions", args=[station.pk])).json()
    assert (body["results"][0]["name"], body["results"][0]["phone"]) == ("张三", "13812341234")


# The lists: filters and queries.


def test_a_stations_opinions_filter_by_state_and_text(station, keeper, cast):
    lamp = opinion(station, keeper, matter="路灯不亮")
    road = opinion(station, keeper, matter="道路坑洼", name="李四")
    services.opinion_route(opinion=road, by=keeper, to="deputy", deputy=cast.deputy)
    client = token_client(keeper)
    url = reverse("api:station-opinions", args=[station.pk])
    ids = lambda answer: [r["id"] for r in answer.json()["results"]]  # noqa: E731
    assert ids(client.get(url)) == [road.pk, lamp.pk]
    assert ids(client.get(url, {"state": "forwarded"})) == [road.pk]
    assert ids(client.get(url, {"state": "open"})) == [lamp.pk]
    assert ids(client.get(url, {"q": "路灯"})) == [lamp.pk]
    assert ids(client.get(url, {"q": "李四"})) == [road.pk]
    forwarded = client.get(url, {"state": "forwarded"}).json()["results"][0]
    assert forwarded["deputy"] == {"id": cast.deputy.pk, "name": "王丽"}
    assert forwarded["state_label"] == str(Opinion.State.FORWARDED.label)
    assert client.get(url, {"state": "lost"}).status_code == 400


def test_a_stations_activities_filter_by_kind_and_year(station, keeper, cast):
    now = activity(station, keeper, [cast.deputy])
    earlier = activity(
        station, keeper, [], kind="briefing", happened_on=today().replace(year=today().year - 1)
    )
    fixed = activity(station, keeper, [cast.co_deputy], corrects=now, citizens=9)
    client = token_client(keeper)
    url = reverse("api:station-activities", args=[station.pk])
    rows = client.get(url).json()["results"]
    assert [r["id"] for r in rows] == [fixed.pk, now.pk, earlier.pk]
    assert rows[1]["corrected_by"] == fixed.pk and rows[0]["corrects"] == now.pk
    assert rows[0]["deputies"] == [{"id": cast.co_deputy.pk, "name": "李强"}]
    kinds = client.get(url, {"kind": "briefing"}).json()["results"]
    assert [r["id"] for r in kinds] == [earlier.pk]
    years = client.get(url, {"year": today().year - 1}).json()["results"]
    assert [r["id"] for r in years] == [earlier.pk]


@pytest.mark.parametrize("who", ["keeper", "staff"])
def test_the_lists_read_at_most_six_queries_with_many_rows(
    who, station, keeper, cast, django_assert_max_num_queries
):
    for i in range(22):
        opinion(station, keeper, matter=f"事项{i}")
        activity(
            station, keeper, [cast.deputy, cast.co_deputy], citizens=i,
            files=[factories.document(f"photo{i}.pdf")],
        )  # fmt: skip
        factories.LiaisonStationFactory().keepers.add(keeper)
    client = token_client(keeper if who == "keeper" else cast.staff)
    for name in ("station-opinions", "station-activities"):
        url = reverse(f"api:{name}", args=[station.pk])
        with django_assert_max_num_queries(6):
            answer = client.get(url)
        assert len(answer.json()["results"]) == 20
        with django_assert_max_num_queries(6):
            rest = client.get(answer.json()["next"])
        assert len(rest.json()["results"]) == 2
    with django_assert_max_num_queries(6):
        answer = client.get(reverse("api:stations"))
    assert len(answer.json()["results"]) == 20


# An opinion and its route.


def test_an_opinion_shows_where_it_went(station, keeper, cast):
    found = opinion(station, keeper)
    services.opinion_route(opinion=found, by=keeper, to="unit", unit=cast.lead_unit, notes="请答复")
    body = token_client(keeper).get(reverse("api:station-opinion", args=[found.pk])).json()
    assert body["state"] == "referred" and body["unit"]["name"] == "市交通运输局"
    assert (body["name"], body["phone"]) == ("张三", "13812341234")
    assert [(s["to"], s["notes"], s["by"]) for s in body["steps"]] == [
        ("referred", "请答复", "刘站长")
    ]
    assert body["actions"] == []  # sent on once


def test_an_opinion_made_a_suggestion_shows_the_suggestions_state(station, keeper, cast):
    found = opinion(station, keeper)
    services.opinion_route(opinion=found, by=keeper, to="deputy", deputy=cast.deputy)
    made = services.opinion_to_suggestion(
        opinion=found, by=cast.deputy.user, title="关于路灯的建议", content="请修路灯。"
    )
    body = token_client(keeper).get(reverse("api:station-opinion", args=[found.pk])).json()
    assert body["suggestion"] == {
        "id": made.pk, "number": made.number, "title": "关于路灯的建议",
        "state": made.state, "state_label": str(made.get_state_display()),
    }  # fmt: skip
    assert [s["to"] for s in body["steps"]] == ["forwarded", "suggested"]


def test_the_route_action_forwards_an_opinion(station, keeper, cast):
    found = opinion(station, keeper)
    client = token_client(keeper)
    detail = client.get(reverse("api:station-opinion", args=[found.pk])).json()
    route_url = reverse("api:station-opinion-route", args=[found.pk])
    assert [(a["name"], a["url"]) for a in detail["actions"]] == [("route", route_url)]
    answer = client.post(
        route_url, {"to": "deputy", "deputy": cast.deputy.pk, "notes": "请关注"}, format="json"
    )
    assert answer.status_code == 200
    assert answer.json()["state"] == "forwarded" and answer.json()["actions"] == []
    found.refresh_from_db()
    assert found.state == Opinion.State.FORWARDED and found.deputy == cast.deputy
    step = OpinionStep.objects.get(opinion=found)
    assert (step.to, step.by, step.notes) == ("forwarded", keeper, "请关注")
    again = client.post(route_url, {"to": "settled", "notes": "x"}, format="json")
    assert again.status_code == 403 and again.json()["code"] == "not_available"


def test_a_refused_route_is_a_problem_and_writes_nothing(station, keeper, cast):
    found = opinion(station, keeper)
    client = token_client(keeper)
    url = reverse("api:station-opinion-route", args=[found.pk])
    answer = client.post(url, {"to": "settled"}, format="json")  # no notes
    assert answer.status_code == 400
    assert answer["Content-Type"] == "application/problem+json"
    assert answer.json()["code"] == "notes_required"
    stranger = client.post(
        url, {"to": "deputy", "deputy": cast.other_deputy.pk}, format="json"
    )  # not the station's deputy: the form's choice refuses it
    assert stranger.status_code == 400 and stranger.json()["errors"][0]["field"] == "deputy"
    found.refresh_from_db()
    assert found.state == Opinion.State.OPEN
    assert not OpinionStep.objects.filter(opinion=found).exists()


def test_another_keepers_opinion_cannot_be_routed(station, keeper, other_keeper):
    found = opinion(station, keeper)
    answer = token_client(other_keeper).post(
        reverse("api:station-opinion-route", args=[found.pk]),
        {"to": "settled", "notes": "x"},
        format="json",
    )
    assert answer.status_code == 404
    assert Opinion.objects.get(pk=found.pk).state == Opinion.State.OPEN


# The station's actions.


def test_every_station_action_has_an_endpoint():
    """``station-<name>``, but ``station-record-opinion``: ``station-opinion`` is an
    opinion's page."""
    for (page, name), _action in ACTIONS.items():
        if page == Page.STATION:
            url_name = "station-record-opinion" if name == "opinion" else f"station-{name}"
            assert reverse(f"api:{url_name}", args=[1]) == f"/api/v1/stations/1/{name}/"
    assert reverse("api:station-opinion", args=[1]) == "/api/v1/stations/opinions/1/"


def test_the_opinion_action_records_an_opinion(station, keeper):
    answer = token_client(keeper).post(
        reverse("api:station-record-opinion", args=[station.pk]),
        {"matter": "垃圾清运不及时", "raised_on": today().isoformat(), "name": "王五",
         "phone": "13900001111"},
        format="json",
    )  # fmt: skip
    assert answer.status_code == 200
    recorded = Opinion.objects.get(matter="垃圾清运不及时")
    assert (recorded.station, recorded.recorded_by, recorded.name) == (station, keeper, "王五")
    assert answer.json()["latest_opinions"][0]["id"] == recorded.pk


def test_the_activity_action_records_an_activity_with_its_files(station, keeper, cast):
    client = token_client(keeper)
    answer = client.post(
        reverse("api:station-activity", args=[station.pk]),
        {
            "kind": "reception",
            "happened_on": today().isoformat(),
            "citizens": 12,
            "deputies": [cast.deputy.pk, cast.co_deputy.pk],
            "notes": "接待群众",
            "files": [
                SimpleUploadedFile("现场.pdf", PDF, content_type="application/pdf"),
                SimpleUploadedFile("签到.pdf", PDF, content_type="application/pdf"),
            ],
        },
        format="multipart",
    )
    assert answer.status_code == 200, answer.json()
    recorded = Activity.objects.get(station=station)
    assert recorded.citizens == 12 and recorded.recorded_by == keeper
    assert set(recorded.deputies.all()) == {cast.deputy, cast.co_deputy}
    assert sorted(recorded.files.values_list("name", flat=True)) == ["现场.pdf", "签到.pdf"]
    # The deputies present earn their duty record, as through the page.
    assert DutyRecord.objects.filter(source=f"activity:{recorded.pk}").count() == 2
    row = answer.json()["latest_activities"][0]
    assert len(row["files"]) == 2
    served = client.get(row["files"][0]["url"])
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == PDF
    json_post = client.post(
        reverse("api:station-activity", args=[station.pk]),
        {"kind": "reception", "happened_on": today().isoformat(), "citizens": 1},
        format="json",
    )
    assert json_post.status_code == 415  # files: multipart only


def test_the_reception_day_action_plans_a_day_and_a_taken_day_is_refused(station, keeper, cast):
    client = token_client(keeper)
    url = reverse("api:station-reception_day", args=[station.pk])
    day = (today() + datetime.timedelta(days=7)).isoformat()
    answer = client.post(url, {"day": day, "deputies": [cast.deputy.pk]}, format="json")
    assert answer.status_code == 200
    planned = ReceptionDay.objects.get(station=station)
    assert list(planned.deputies.all()) == [cast.deputy] and planned.planned_by == keeper
    assert answer.json()["upcoming_days"][0]["id"] == planned.pk
    again = client.post(url, {"day": day, "notes": "重复"}, format="json")
    assert again.status_code == 400
    assert again["Content-Type"] == "application/problem+json"
    assert [e["code"] for e in again.json()["errors"]] == ["day_taken"]
    assert ReceptionDay.objects.filter(station=station).count() == 1


def test_the_duty_action_records_a_deputys_duty(station, keeper, cast):
    answer = token_client(keeper).post(
        reverse("api:station-duty", args=[station.pk]),
        {"deputy": cast.deputy.pk, "kind": "meeting", "happened_on": today().isoformat(),
         "source": "街道议事会"},
        format="json",
    )  # fmt: skip
    assert answer.status_code == 200
    record = DutyRecord.objects.get(deputy=cast.deputy, kind="meeting")
    assert (record.source, record.recorded_by) == ("街道议事会", keeper)


def test_a_refused_activity_writes_nothing(station, keeper, cast):
    answer = token_client(keeper).post(
        reverse("api:station-activity", args=[station.pk]),
        {"kind": "reception", "happened_on": (today() + datetime.timedelta(days=2)).isoformat(),
         "citizens": 3, "deputies": [cast.deputy.pk]},
        format="multipart",
    )  # fmt: skip
    assert answer.status_code == 400
    assert answer.json()["code"] == "date_in_future"
    assert not Activity.objects.exists() and not DutyRecord.objects.exists()


def test_a_form_error_names_its_field(station, keeper):
    answer = token_client(keeper).post(
        reverse("api:station-record-opinion", args=[station.pk]),
        {"raised_on": today().isoformat()},
        format="json",
    )
    assert answer.status_code == 400
    assert [e["field"] for e in answer.json()["errors"]] == ["matter"]
    assert not Opinion.objects.exists()
