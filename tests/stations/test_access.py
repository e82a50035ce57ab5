"""Who reaches the station keepers' pages: the station's keepers and the office; the
deputy an opinion was forwarded to and the unit it was referred to reach that opinion
only; anyone else's guess is a 404 (a 403 for someone who keeps no station on the
keepers' own pages). The constituent's name and phone are masked for a unit."""

import datetime
from dataclasses import dataclass

import pytest
from django.urls import reverse

from stations import services
from stations.models import Activity, LiaisonStation, Opinion, StationCheck
from tests import factories, flows

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 20)


@dataclass
class World:
    station: LiaisonStation
    forwarded: Opinion  # to cast.deputy
    referred: Opinion  # to cast.lead_unit
    open: Opinion
    file_id: int
    check_id: int
    users: dict


@pytest.fixture
def world(cast) -> World:
    station = LiaisonStation.objects.create(name="幸福社区联络站", kind="room", level="village")
    station.deputies.add(cast.deputy, cast.co_deputy)
    keeper = factories.UserFactory(username="keeper")
    station.keepers.add(keeper)
    other = LiaisonStation.objects.create(name="东风村联络室", kind="room", level="village")
    other_keeper = factories.UserFactory(username="other-keeper")
    other.keepers.add(other_keeper)
    with flows.on(TODAY):
        opinions = [
            services.opinion_record(
                station=station,
                by=keeper,
                matter=f"事项{i}",
                raised_on=TODAY,
                name="张三丰",
                phone="13812341234",
            )  # fmt: skip
            for i in range(3)
        ]
        activity = services.station_activity_record(
            station=station, by=keeper, kind="briefing", happened_on=TODAY,
            files=[factories.document("纪要.pdf")],
        )  # fmt: skip
    services.opinion_route(opinion=opinions[0], by=keeper, to="deputy", deputy=cast.deputy)
    services.opinion_route(opinion=opinions[1], by=keeper, to="unit", unit=cast.lead_unit)
    check = StationCheck.objects.create(
        station=station, year=TODAY.year, item="site", met=True,
        evidence=factories.document("门牌.pdf"), checked_by=keeper,
    )  # fmt: skip
    return World(
        station=station,
        forwarded=opinions[0],
        referred=opinions[1],
        open=opinions[2],
        file_id=activity.files.get().pk,
        check_id=check.pk,
        users={
            "keeper": keeper,
            "other_keeper": other_keeper,
            "deputy": cast.deputy.user,  # the forwarded opinion's
            "co_deputy": cast.co_deputy.user,  # uses the station, forwarded nothing
            "staff": cast.staff,
            "clerk": cast.clerk,  # the referred opinion's unit
            "other_clerk": cast.other_clerk,
        },
    )


def _url(world: World, page: str) -> str:
    return {
        "list": reverse("stations:list"),
        "detail": reverse("stations:detail", args=[world.station.pk]),
        "opinions": reverse("stations:opinions"),
        "opinions_of_station": reverse("stations:opinions") + f"?station={world.station.pk}",
        "forwarded": reverse("stations:opinion", args=[world.forwarded.pk]),
        "referred": reverse("stations:opinion", args=[world.referred.pk]),
        "file": reverse("stations:activity_file", args=[world.file_id]),
        "evidence": reverse("stations:evidence", args=[world.check_id]),
    }[page]


# (role, page, status): every role on every page it may reach or must not.
READS = [
    ("keeper", "list", 200),
    ("keeper", "detail", 200),
    ("keeper", "opinions", 200),
    ("keeper", "opinions_of_station", 200),
    ("keeper", "forwarded", 200),
    ("keeper", "referred", 200),
    ("keeper", "file", 200),
    ("keeper", "evidence", 200),
    ("other_keeper", "list", 200),  # their own stations
    ("other_keeper", "detail", 404),  # guessing another station's id
    ("other_keeper", "opinions", 200),  # their own stations' opinions
    ("other_keeper", "opinions_of_station", 404),
    ("other_keeper", "forwarded", 404),
    ("other_keeper", "file", 404),
    ("other_keeper", "evidence", 404),
    ("deputy", "list", 403),  # keeps no station
    ("deputy", "detail", 403),
    ("deputy", "opinions", 403),
    ("deputy", "forwarded", 200),  # forwarded to them
    ("deputy", "referred", 404),
    ("deputy", "file", 404),
    ("deputy", "evidence", 404),
    ("co_deputy", "forwarded", 404),  # uses the station, but it went to another deputy
    ("co_deputy", "detail", 403),
    ("staff", "list", 200),  # the committee office: every station
    ("staff", "detail", 200),
    ("staff", "opinions", 200),
    ("staff", "opinions_of_station", 200),
    ("staff", "forwarded", 200),
    ("staff", "referred", 200),
    ("staff", "file", 200),
    ("staff", "evidence", 200),
    ("clerk", "list", 403),
    ("clerk", "detail", 403),
    ("clerk", "opinions", 403),
    ("clerk", "referred", 200),  # referred to their unit
    ("clerk", "forwarded", 404),
    ("clerk", "file", 404),
    ("clerk", "evidence", 404),
    ("other_clerk", "referred", 404),  # another unit
]


@pytest.mark.parametrize(("role", "page", "status"), READS)
def test_page_answers_each_role(world, client, role, page, status):
    """Each role reaches what is theirs; another's id is a 404; a stranger to the
    keepers' pages a 403."""
    client.force_login(world.users[role])
    assert client.get(_url(world, page)).status_code == status


def test_pages_send_an_anonymous_visitor_to_log_in(world, client):
    """Not logged in: every page sends to the login page."""
    for page in ("list", "detail", "opinions", "forwarded", "file", "evidence"):
        response = client.get(_url(world, page))
        assert response.status_code == 302 and reverse("login") in response.url


# (role, status) of a station action's POST (recording an opinion).
STATION_ACTION = [
    ("keeper", 302),  # recorded
    ("staff", 302),  # the office may record for any station
    ("other_keeper", 404),  # another station
    ("deputy", 403),  # keeps no station
    ("clerk", 403),
]


@pytest.mark.parametrize(("role", "status"), STATION_ACTION)
def test_station_action_answers_each_role(world, client, role, status):
    """Only the station's keepers and the office record; nothing is written otherwise."""
    client.force_login(world.users[role])
    before = Opinion.objects.count()
    url = reverse("stations:action", args=[world.station.pk, "opinion"])
    with flows.on(TODAY):
        response = client.post(
            url, {"opinion-matter": "新意见", "opinion-raised_on": TODAY.isoformat()}
        )
    assert response.status_code == status
    assert Opinion.objects.count() == before + (status == 302)


# (role, opinion, action, status) of an opinion action's first POST: 200 is the
# confirmation step or, for to_suggestion, 302 the suggestion made.
OPINION_ACTION = [
    ("keeper", "open", "route", 200),  # asks for the confirmation
    ("staff", "open", "route", 200),
    ("other_keeper", "open", "route", 404),  # cannot see it
    ("co_deputy", "open", "route", 404),
    ("deputy", "forwarded", "route", 403),  # sees it, may not route it
    ("keeper", "forwarded", "route", 403),  # already sent on
    ("clerk", "referred", "answer", 200),  # asks for the confirmation
    ("other_clerk", "referred", "answer", 404),
    ("keeper", "referred", "answer", 403),  # the unit answers, not the station
    ("deputy", "forwarded", "to_suggestion", 302),
    ("keeper", "forwarded", "to_suggestion", 403),
    ("co_deputy", "forwarded", "to_suggestion", 404),
    ("keeper", "open", "demolish", 404),  # no such action
]


@pytest.mark.parametrize(("role", "which", "action", "status"), OPINION_ACTION)
def test_opinion_action_answers_each_role(world, client, role, which, action, status):
    """Whoever the opinion waits on may move it; others get a 403, or a 404 when they
    cannot see it at all."""
    client.force_login(world.users[role])
    opinion = getattr(world, which)
    data = {
        "route-to": "settled",
        "route-notes": "当场答复。",
        "answer-answer": "已处理。",
        "to_suggestion-title": "关于路灯的建议",
        "to_suggestion-content": "尽快修复。",
    }
    url = reverse("stations:opinion_action", args=[opinion.pk, action])
    response = client.post(url, data)
    assert response.status_code == status
    if status == 200:
        assert 'class="confirmation' in response.content.decode()
    state = Opinion.objects.get(pk=opinion.pk).state
    assert state == (Opinion.State.SUGGESTED if status == 302 else opinion.state)


# (role, opinion, masked): a unit sees the contact masked, the others as recorded.
CONTACTS = [
    ("clerk", "referred", True),
    ("keeper", "referred", False),
    ("staff", "referred", False),
    ("deputy", "forwarded", False),
    ("keeper", "forwarded", False),
]


@pytest.mark.parametrize(("role", "which", "masked"), CONTACTS)
def test_opinion_page_masks_the_contact_for_a_unit(world, client, role, which, masked):
    """The unit it was referred to reads 张** and 138****1234; the keepers, the
    deputy it was forwarded to and the office read the name and phone."""
    client.force_login(world.users[role])
    page = client.get(_url(world, which)).content.decode()
    shown = ("张**", "138****1234") if masked else ("张三丰", "13812341234")
    hidden = ("张三丰", "13812341234") if masked else ("张**", "138****1234")
    assert f'id="constituent-name">{shown[0]}<' in page
    assert f'id="constituent-phone">{shown[1]}<' in page
    assert hidden[0] not in page and hidden[1] not in page


def test_another_keeper_guessing_ids_finds_nothing(world, client):
    """Every id of another station is a 404 to a keeper, through every view."""
    client.force_login(world.users["other_keeper"])
    activity = Activity.objects.get()
    urls = [
        reverse("stations:detail", args=[world.station.pk]),
        reverse("stations:action", args=[world.station.pk, "activity"]),
        reverse("stations:opinion", args=[world.open.pk]),
        reverse("stations:opinion_action", args=[world.open.pk, "route"]),
        reverse("stations:activity_file", args=[world.file_id]),
        reverse("stations:evidence", args=[world.check_id]),
    ]
    for url in urls:
        assert client.get(url).status_code in (404, 302), url
        if "/do/" in url:
            assert client.post(url, {}).status_code == 404, url
    assert activity.station_id == world.station.pk
