"""The opinions that reached a deputy (/my/opinions/) or a unit (/tasks/opinions/) from
the stations, and their panels on /my/ and /tasks/: what each shows, to whom, with the
constituent's name and phone unmasked only for the deputy it was forwarded to, and the
queries they cost."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stations import services
from stations.models import LiaisonStation, Opinion
from tests import factories, flows

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 20)
NAME, PHONE = "张小明", "13812341234"
MASKED_NAME, MASKED_PHONE = "张**", "138****1234"


@pytest.fixture
def station(cast):
    station = LiaisonStation.objects.create(name="幸福社区联络站", kind="room", level="village")
    station.deputies.add(cast.deputy, cast.co_deputy)
    return station


@pytest.fixture
def keeper(station):
    user = factories.UserFactory(username="keeper")
    station.keepers.add(user)
    return user


def _opinion(station, keeper, matter="小区路灯不亮。", day=TODAY) -> Opinion:
    with flows.on(day):
        return services.opinion_record(
            station=station, by=keeper, matter=matter, raised_on=day, name=NAME, phone=PHONE
        )


def _forwarded(station, keeper, deputy, matter="小区路灯不亮。", day=TODAY, notes="请王代表跟进。"):
    opinion = _opinion(station, keeper, matter, day)
    with flows.on(day):
        services.opinion_route(opinion=opinion, by=keeper, to="deputy", deputy=deputy, notes=notes)
    return opinion


def _referred(station, keeper, unit, matter="公交站台破损。", day=TODAY, notes="请尽快答复。"):
    opinion = _opinion(station, keeper, matter, day)
    with flows.on(day):
        services.opinion_route(opinion=opinion, by=keeper, to="unit", unit=unit, notes=notes)
    return opinion


def _ids(page: str, opinions) -> list[int]:
    """The opinions in the order the page lists them."""
    found = [
        (page.index(f'id="opinion-{o.pk}"'), o.pk)
        for o in opinions
        if f'id="opinion-{o.pk}"' in page
    ]
    return [pk for _index, pk in sorted(found)]


# /my/opinions/


def test_my_opinions_lists_the_deputys_forwarded_opinions_waiting_first(
    client, cast, station, keeper
):
    """The deputy sees the opinions forwarded to them, the one still waiting first (a link
    to make it a suggestion), then the one made a suggestion (its title, state and a link
    to its status page); the keeper's notes; nobody else's opinions."""
    waiting = _forwarded(
        station, keeper, cast.deputy, "小区路灯不亮。", TODAY - datetime.timedelta(days=3)
    )
    made = _forwarded(
        station,
        keeper,
        cast.deputy,
        "菜市场噪音扰民。",
        TODAY - datetime.timedelta(days=2),
        notes="噪音问题。",
    )
    with flows.on(TODAY):
        suggestion = services.opinion_to_suggestion(
            opinion=made,
            by=cast.deputy.user,
            title="关于治理菜市场噪音的建议",
            content="噪音扰民。",
        )
    others = [
        _forwarded(station, keeper, cast.co_deputy, "李代表的意见。"),
        _opinion(station, keeper, "尚未转交的意见。"),
        _referred(station, keeper, cast.lead_unit),
    ]  # fmt: skip
    client.force_login(cast.deputy.user)
    page = client.get(reverse("stations:my_opinions")).content.decode()
    assert _ids(page, [waiting, made, *others]) == [waiting.pk, made.pk]
    assert "小区路灯不亮。" in page and "请王代表跟进。" in page and "噪音问题。" in page
    assert "李代表的意见。" not in page and "尚未转交的意见。" not in page
    assert f'href="{reverse("stations:opinion", args=[waiting.pk])}"' in page
    assert f'href="{reverse("status:detail", args=[suggestion.pk])}"' in page
    assert "关于治理菜市场噪音的建议" in page
    assert suggestion.get_state_display() in page
    assert station.name in page
    # Only the waiting one offers to be made a suggestion.
    assert page.count('class="opinion-act"') == 1


def test_my_opinions_shows_the_deputy_the_constituents_name_and_phone(
    client, cast, station, keeper
):
    """The deputy an opinion was forwarded to sees who raised it, unmasked."""
    _forwarded(station, keeper, cast.deputy)
    client.force_login(cast.deputy.user)
    page = client.get(reverse("stations:my_opinions")).content.decode()
    assert NAME in page and PHONE in page
    assert MASKED_NAME not in page and MASKED_PHONE not in page


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("clerk", 403),  # a unit member who is no deputy
        ("keeper", 403),  # a station keeper
        ("staff", 403),  # staff work in the admin
        ("anonymous", 302),  # sent to the login page
    ],
)
def test_my_opinions_is_for_deputies_only(client, cast, station, keeper, role, status):
    """Anyone who is not a deputy with an account is refused."""
    _forwarded(station, keeper, cast.deputy)
    if role == "keeper":
        client.force_login(keeper)
    elif role != "anonymous":
        client.force_login(flows.person(cast, role))
    assert client.get(reverse("stations:my_opinions")).status_code == status


def test_my_opinions_of_another_deputy_are_not_listed(client, cast, station, keeper):
    """Another deputy sees an empty list, not the opinions forwarded to the first."""
    _forwarded(station, keeper, cast.deputy, "只转交给王代表。")
    client.force_login(cast.other_deputy.user)
    page = client.get(reverse("stations:my_opinions")).content.decode()
    assert "只转交给王代表。" not in page and NAME not in page
    assert 'class="empty"' in page


def test_my_opinions_reads_the_same_queries_at_1_and_25_opinions(client, cast, station, keeper):
    """The list reads at most 8 queries, the same for 1 and for 25 opinions (20 shown)."""
    _forwarded(station, keeper, cast.deputy)
    client.force_login(cast.deputy.user)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("stations:my_opinions"))
    for index in range(24):
        _forwarded(station, keeper, cast.deputy, f"意见{index}")
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("stations:my_opinions")).content.decode()
    assert page.count('class="status-item opinion-item') == 20
    assert len(one) == len(many) <= 8


# /tasks/opinions/


def test_unit_opinions_lists_the_units_referred_opinions_masked(client, cast, station, keeper):
    """A clerk sees the opinions referred to their unit, the waiting one first and the
    answered one with its answer, the constituent masked (张** / 138****1234), the
    keeper's notes and a link to the opinion's page; another unit's opinion is absent."""
    answered = _referred(
        station, keeper, cast.lead_unit, "道路积水。", TODAY - datetime.timedelta(days=5)
    )
    services.opinion_answer(opinion=answered, by=cast.clerk, answer="已安排疏通排水管。")
    waiting = _referred(
        station, keeper, cast.lead_unit, "公交站台破损。", TODAY - datetime.timedelta(days=9)
    )
    elsewhere = _referred(station, keeper, cast.other_unit, "学校门口拥堵。")
    client.force_login(cast.clerk)
    page = client.get(reverse("stations:unit_opinions")).content.decode()
    assert _ids(page, [waiting, answered, elsewhere]) == [waiting.pk, answered.pk]
    assert MASKED_NAME in page and MASKED_PHONE in page
    assert NAME not in page and PHONE not in page
    assert "请尽快答复。" in page and "已安排疏通排水管。" in page
    assert "学校门口拥堵。" not in page
    assert f'href="{reverse("stations:opinion", args=[waiting.pk])}"' in page
    assert cast.lead_unit.name in page and station.name in page


def test_unit_opinions_seen_by_the_supervising_leader(client, cast, station, keeper):
    """The unit's supervising leader sees its referred opinions too, masked."""
    _referred(station, keeper, cast.lead_unit, "公交站台破损。")
    client.force_login(cast.leader)
    page = client.get(reverse("stations:unit_opinions")).content.decode()
    assert "公交站台破损。" in page and MASKED_PHONE in page and PHONE not in page


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("deputy", 403),  # a deputy is no unit member
        ("keeper", 403),  # a station keeper
        ("staff", 403),  # staff work in the admin
        ("anonymous", 302),  # sent to the login page
    ],
)
def test_unit_opinions_is_for_task_users_only(client, cast, station, keeper, role, status):
    """Anyone who is neither a unit member nor a supervising leader is refused."""
    _referred(station, keeper, cast.lead_unit)
    if role == "keeper":
        client.force_login(keeper)
    elif role != "anonymous":
        client.force_login(flows.person(cast, role))
    assert client.get(reverse("stations:unit_opinions")).status_code == status


def test_unit_opinions_reads_the_same_queries_at_1_and_25_opinions(client, cast, station, keeper):
    """The list reads at most 8 queries, the same for 1 and for 25 opinions (20 shown)."""
    _referred(station, keeper, cast.lead_unit)
    client.force_login(cast.clerk)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("stations:unit_opinions"))
    for index in range(24):
        opinion = _referred(station, keeper, cast.lead_unit, f"意见{index}")
        if index % 2:
            services.opinion_answer(opinion=opinion, by=cast.clerk, answer=f"答复{index}")
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("stations:unit_opinions")).content.decode()
    assert page.count('class="status-item opinion-item') == 20
    assert len(one) == len(many) <= 8


# The panels on /my/ and /tasks/


def test_my_panel_shows_the_count_waiting_and_the_three_newest(client, cast, station, keeper):
    """On /my/ the deputy sees how many opinions wait on them, the three newest waiting
    ones (not the fourth, nor the one made a suggestion) and a link to their list."""
    opinions = [
        _forwarded(
            station, keeper, cast.deputy, f"第{n}条意见。", TODAY + datetime.timedelta(days=n)
        )
        for n in range(5)
    ]
    with flows.on(TODAY + datetime.timedelta(days=6)):
        services.opinion_to_suggestion(
            opinion=opinions[4], by=cast.deputy.user, title="建议", content="内容"
        )
    client.force_login(cast.deputy.user)
    with flows.on(TODAY + datetime.timedelta(days=7)):
        page = client.get(reverse("status:list")).content.decode()
    assert 'id="forwarded-opinions" data-waiting="4"' in page
    shown = [o.pk for o in opinions if f'id="forwarded-{o.pk}"' in page]
    assert shown == [opinions[1].pk, opinions[2].pk, opinions[3].pk]
    assert f'href="{reverse("stations:my_opinions")}"' in page


def test_my_panel_absent_for_a_deputy_with_no_forwarded_opinion(client, cast, station, keeper):
    """A deputy no opinion was forwarded to sees no panel (another deputy's is not theirs)."""
    _forwarded(station, keeper, cast.co_deputy)
    client.force_login(cast.deputy.user)
    page = client.get(reverse("status:list")).content.decode()
    assert 'id="forwarded-opinions"' not in page
    assert reverse("stations:my_opinions") not in page


def test_tasks_panel_shows_the_count_waiting_for_an_answer(client, cast, station, keeper):
    """On /tasks/ a clerk sees how many opinions referred to their unit wait for an answer
    and the link to their list; a clerk of another unit sees no panel."""
    first = _referred(station, keeper, cast.lead_unit)
    _referred(station, keeper, cast.lead_unit, "第二条。")
    services.opinion_answer(opinion=first, by=cast.clerk, answer="已处理。")
    client.force_login(cast.clerk)
    page = client.get(reverse("tasks:list")).content.decode()
    assert 'id="referred-opinions" data-waiting="1"' in page
    assert f'href="{reverse("stations:unit_opinions")}"' in page
    client.force_login(cast.co_clerk)
    page = client.get(reverse("tasks:list")).content.decode()
    assert 'id="referred-opinions"' not in page


def test_panels_cost_the_list_pages_no_query(client, cast, station, keeper):
    """/my/ and /tasks/ read as many queries with their panels shown as without: the
    panels' figures ride on the header's count of new notifications."""
    client.force_login(cast.deputy.user)
    with CaptureQueriesContext(connection) as without:
        client.get(reverse("status:list"))
    for n in range(4):
        _forwarded(station, keeper, cast.deputy, f"第{n}条意见。")
    with CaptureQueriesContext(connection) as shown:
        page = client.get(reverse("status:list")).content.decode()
    assert 'id="forwarded-opinions"' in page
    assert len(without) == len(shown) <= 6

    client.force_login(cast.clerk)
    with CaptureQueriesContext(connection) as without:
        client.get(reverse("tasks:list"))
    _referred(station, keeper, cast.lead_unit)
    with CaptureQueriesContext(connection) as shown:
        page = client.get(reverse("tasks:list")).content.decode()
    assert 'id="referred-opinions"' in page
    assert len(without) == len(shown) <= 6


def test_header_count_still_counts_new_notifications_on_the_list_pages(client, cast):
    """The header's count of new notifications, now read with the panels, is right."""
    flows.services.notify(recipients=[cast.clerk], kind="test", text="一")
    flows.services.notify(recipients=[cast.clerk], kind="test", text="二")
    client.force_login(cast.clerk)
    page = client.get(reverse("tasks:list")).content.decode()
    assert '<span class="badge" id="unread-count">2</span>' in page
