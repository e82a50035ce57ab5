"""The two everyday lists, /tasks/ and /my/, read at most 6 queries for every role, with
everything they can show on the page (replied and signed rows, a signer's queue, the
stations' panels, new notifications, the key suggestions a deputy follows with their
visits' files and deputies), and as many at 1 row as at many (issue 19)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from stations import services as station_services
from suggestions import services
from tests import flows, keys

pytestmark = pytest.mark.django_db

MAX_QUERIES = 6


def _opinion(station, keeper):
    return station_services.opinion_record(
        station=station,
        by=keeper,
        matter="小区路灯不亮。",
        raised_on=timezone.localdate(),
        name="张小明",
        phone="13812341234",
    )


def _signed_rows(cast, n: int) -> None:
    """``n`` replied suggestions of the lead unit at each signing step: the deputy's signed
    (the head's queue), the head's too (the leader's), and all three."""
    for _i in range(n):
        flows.deputy_signs(cast, flows.handled(cast, co=False))
        waiting_for_leader = flows.handled(cast, co=False)
        flows.deputy_signs(cast, waiting_for_leader)
        services.signoff_record(suggestion=waiting_for_leader, by=cast.head, level="unit_head")
        flows.signed(cast, co=False)


def _count(client, url, params) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url, params).content.decode()
    return len(queries), page


@pytest.mark.parametrize(
    "role, tab",
    [
        ("clerk", None),  # lands on "to do"
        ("clerk", "replied"),
        ("clerk", "all"),
        ("head", None),  # lands on their queue: its count is the page's
        ("head", "sign"),
        ("head", "all"),  # another tab: the queue counted for its badge as well
        ("leader", None),
        ("leader", "todo"),
        ("leader", "replied"),
    ],
)
def test_task_list_reads_at_most_six_queries_for_every_role(
    client, cast, station, keeper, role, tab
):
    """A unit's members and its leader, with replied and signed rows, a referred opinion's
    panel and a new notification: the same queries at 3 and at 15 replied rows, at most 6."""
    user = flows.person(cast, role)
    station_services.opinion_route(
        opinion=_opinion(station, keeper), by=keeper, to="unit", unit=cast.lead_unit, notes="请答复"
    )
    services.notify(recipients=[user], kind="test", text="一")
    client.force_login(user)
    params = {"tab": tab} if tab else {}
    _signed_rows(cast, 1)
    few, first = _count(client, reverse("tasks:list"), params)
    _signed_rows(cast, 4)
    many, page = _count(client, reverse("tasks:list"), params)
    assert 'id="referred-opinions"' in first
    assert 'id="referred-opinions"' in page
    assert 'id="unread-count"' in page
    assert page.count('class="signatures"') > first.count('class="signatures"') > 0
    assert few == many <= MAX_QUERIES


@pytest.mark.parametrize("role", ["deputy", "co_deputy"])
def test_status_list_reads_at_most_six_queries_with_everything_shown(
    client, cast, station, keeper, role
):
    """A deputy with replied and signed suggestions, new notifications, an opinion
    forwarded to them (the panel) and key suggestions they follow with visits, files and
    deputies: the same queries at 1 and at 4 of each, at most 6."""
    user = flows.person(cast, role)
    deputy = getattr(cast, role)
    station.deputies.add(deputy)

    def add(n):
        for _i in range(n):
            _signed_rows(cast, 1)
            key = keys.designated(cast, deputies=[deputy])
            keys.visit(key, cast.leader, deputies=[deputy], files=[keys.png()])
            keys.visit(key, cast.staff)
            station_services.opinion_route(
                opinion=_opinion(station, keeper), by=keeper, to="deputy", deputy=deputy
            )
            services.notify(recipients=[user], kind="test", text="一")

    client.force_login(user)
    add(1)
    few, first = _count(client, reverse("status:list"), {})
    add(3)
    many, page = _count(client, reverse("status:list"), {})
    for shown in (first, page):
        assert 'id="forwarded-opinions"' in shown
        assert 'id="status-notifications"' in shown
        assert 'class="key-followed"' in shown
    assert page.count('class="key-followed"') == 4
    assert page.count('class="inspection"') == 8
    assert page.count('class="files"') == 4
    assert page.count('class="signatures"') > first.count('class="signatures"') > 0
    assert few == many <= MAX_QUERIES


def test_status_list_reads_four_queries_for_a_deputy_following_nothing(client, cast):
    """The key suggestions' list is not read for a deputy invited to follow none: the
    user, the deputy with the page's figures, the rows with their count, the sign-offs."""
    flows.deputy_signs(cast, flows.handled(cast, co=False))
    client.force_login(cast.deputy.user)
    queries, page = _count(client, reverse("status:list"), {})
    assert 'class="signatures"' in page
    assert 'id="key-followed"' not in page
    assert queries == 4
