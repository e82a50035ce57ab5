"""The key suggestions' board (/reports/key/<year>/): each key suggestion of the year with
its leader, committee, lead unit, stage, deadline, visits and the last visit's findings;
a leader sees those they lead or their units handle."""

import datetime

import pytest
from django.urls import reverse

from suggestions import services
from suggestions.models import Suggestion
from tests import flows
from tests.reports.dashboard_data import cell_texts, count_queries, page

DAY = datetime.date(2026, 3, 2)
URL = reverse("reports:key", args=[2026])


def _key(cast, suggestion, leader, committee="城建环保委"):
    return services.key_suggestion_designate(
        suggestion=suggestion, by=cast.staff, year=2026, leader=leader, committee=committee
    )


def _visit(cast, key, day, findings):
    services.inspection_record(
        key_suggestion=key,
        by=cast.staff,
        happened_on=day,
        participants="城建环保委委员、代表",
        findings=findings,
    )


@pytest.fixture
def keys(cast):
    """The lead unit's key suggestion, led by ``cast.leader``, visited twice; the other
    unit's, led by ``cast.other_leader``, never visited."""
    with flows.on(DAY):
        mine = _key(cast, flows.assigned(cast, title="关于学校周边交通治理的建议"), cast.leader)
    with flows.on(datetime.date(2026, 6, 1)):
        _visit(cast, mine, datetime.date(2026, 5, 20), "三处信号灯已安装，一处在施工。")
        _visit(cast, mine, datetime.date(2026, 4, 1), "信号灯选址已完成。")  # entered late
    with flows.on(DAY):
        other = flows.reviewed(cast, title="关于校外培训机构治理的建议")
        services.suggestion_assign(suggestion=other, by=cast.staff, lead_unit=cast.other_unit)
        theirs = _key(cast, other, cast.other_leader, committee="教科文卫委")
    return mine, theirs


def _row(tree, key):
    return tree.xpath(f'//*[@id="key-board"]//tr[@data-key="{key.pk}"]')[0]


def test_key_board_shows_each_key_suggestion_with_its_visits(client, cast, keys):
    """Staff see both key suggestions: the leader, committee, lead unit, stage, deadline,
    2 visits, the last one's date and findings (the latest visit's, not the latest
    entered); the other none, with dashes."""
    mine, theirs = keys
    client.force_login(cast.staff)
    tree = page(client.get(URL))
    row = _row(tree, mine)
    texts = cell_texts(row, "./td")
    assert texts[1] == "关于学校周边交通治理的建议"
    assert cell_texts(row, "./td[@class='leader']") == [
        cast.leader.get_full_name() or cast.leader.username
    ]
    assert texts[3] == "城建环保委"
    assert cell_texts(row, "./td[@class='unit']") == [cast.lead_unit.name]
    assert cell_texts(row, "./td[@class='stage']") == [str(Suggestion.State.ASSIGNED.label)]
    assert texts[6] == flows.lead(mine.suggestion).due_on.isoformat()
    assert cell_texts(row, "./td[@class='visits']") == ["2"]
    assert cell_texts(row, "./td[@class='last-visit']") == ["2026-05-20"]
    assert cell_texts(row, "./td[@class='findings']") == ["三处信号灯已安装，一处在施工。"]
    assert row.xpath("./td[2]/a/@href") == [
        reverse("admin:suggestions_keysuggestion_change", args=[mine.pk])
    ]
    other = _row(tree, theirs)
    assert cell_texts(other, "./td[@class='visits']") == ["0"]
    assert cell_texts(other, "./td[@class='last-visit']") == ["—"]
    assert cell_texts(other, "./td[@class='unit']") == [cast.other_unit.name]


def test_key_board_shows_a_leader_only_their_key_suggestions(client, cast, keys):
    """A leader sees the key suggestion they lead (linking to their page of it), not the
    other unit's; the other leader the reverse."""
    mine, theirs = keys
    client.force_login(cast.leader)
    tree = page(client.get(URL))
    assert tree.xpath('//*[@id="key-board"]//tbody/tr/@data-key') == [str(mine.pk)]
    assert _row(tree, mine).xpath("./td[2]/a/@href") == [reverse("tasks:key", args=[mine.pk])]
    client.force_login(cast.other_leader)
    tree = page(client.get(URL))
    assert tree.xpath('//*[@id="key-board"]//tbody/tr/@data-key') == [str(theirs.pk)]


def test_key_board_shows_a_leader_their_units_key_suggestion_led_by_another(client, cast):
    """A key suggestion another leader leads but the leader's unit handles is on their
    board, without a link to the leading leader's page."""
    with flows.on(DAY):
        key = _key(cast, flows.assigned(cast), cast.other_leader)
    client.force_login(cast.leader)
    row = _row(page(client.get(URL)), key)
    assert not row.xpath("./td[2]/a")


def test_key_board_of_a_year_without_key_suggestions_says_so(client, cast, keys):
    """Another year's board has no rows and says there are none."""
    client.force_login(cast.staff)
    tree = page(client.get(reverse("reports:key", args=[2025])))
    assert not tree.xpath('//*[@id="key-board"]')
    assert tree.get_element_by_id("no-keys") is not None


@pytest.mark.parametrize("role", ["clerk", "deputy"])
def test_key_board_is_refused_to_clerks_and_deputies(client, cast, role):
    """Only the office and the leaders read the board."""
    client.force_login(flows.person(cast, role))
    assert client.get(URL).status_code == 403


def test_key_board_sends_an_anonymous_visitor_to_log_in(client, db):
    """An anonymous visitor is sent to the login page."""
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_key_board_queries_are_constant_in_rows(client, cast):
    """The same number of queries with one key suggestion as with three."""
    with flows.on(DAY):
        first = _key(cast, flows.assigned(cast), cast.leader)
        _visit(cast, first, DAY, "已现场查看。")
    client.force_login(cast.staff)
    one, _response = count_queries(client, URL)
    with flows.on(DAY):
        for _n in range(2):
            key = _key(cast, flows.assigned(cast), cast.leader)
            _visit(cast, key, DAY, "已现场查看。")
    three, response = count_queries(client, URL)
    assert one == three
    assert len(page(response).xpath('//*[@id="key-board"]//tbody/tr')) == 3
