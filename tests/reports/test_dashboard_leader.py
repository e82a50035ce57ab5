"""A government leader's dashboard (/reports/ for a leader, and their home): their units'
figures only, what waits for their signature, their units' overdue items and the key
suggestions they lead, each linking to their task pages."""

import datetime

import pytest
from django.urls import reverse

from suggestions import services
from suggestions.models import Suggestion
from tests import factories, flows
from tests.reports.dashboard_data import (
    RAISED,
    a_year_of_work,
    cell_texts,
    count_queries,
    links_of,
    page,
    table_of,
)

URL = reverse("reports:dashboard")
TASKS = reverse("tasks:list")
OTHER_TITLE = "关于整治校外培训机构的建议"


@pytest.fixture
def work(cast):
    """The year of work (the lead unit's, led by ``cast.leader``) and one overdue
    suggestion of the other unit, led by ``cast.other_leader``."""
    work = a_year_of_work(cast)
    with flows.on(RAISED):
        other = flows.reviewed(cast, title=OTHER_TITLE)
        services.suggestion_assign(suggestion=other, by=cast.staff, lead_unit=cast.other_unit)
    work.other = other
    return work


def _leader_page(client, cast, work, user=None):
    client.force_login(user or cast.leader)
    with flows.on(work.today):
        return page(client.get(URL))


def test_leader_dashboard_lists_their_units_overdue_items_only(client, cast, work):
    """The overdue list has the lead unit's three (a, b, last year's), each linking to its
    task page; the other unit's overdue suggestion is absent, from the list and the units'
    table."""
    tree = _leader_page(client, cast, work)
    titles = cell_texts(tree, '//*[@id="overdue-items"]//tbody/tr/td[2]')
    assert len(titles) == 3
    assert OTHER_TITLE not in titles
    hrefs = tree.xpath('//*[@id="overdue-items"]//tbody/tr/td[2]/a/@href')
    expected = [flows.lead(s).pk for s in (work.old, work.a, work.b)]
    assert sorted(hrefs) == sorted(reverse("tasks:detail", args=[pk]) for pk in expected)
    units = tree.xpath('//*[@id="unit-queues"]//tbody/tr/@data-unit')
    assert units == [str(cast.lead_unit.pk)]
    assert tree.get_element_by_id("figure-overdue").text_content() == "3"
    assert tree.get_element_by_id("figure-overdue").get("href") == f"{TASKS}?tab=overdue"
    assert OTHER_TITLE not in tree.text_content()


def test_leader_dashboard_lists_what_waits_for_their_signature(client, cast, work):
    """c waits for the leader's signature: counted, listed with a link to its task page,
    and the count links to the task list's signature tab."""
    tree = _leader_page(client, cast, work)
    figure = tree.get_element_by_id("figure-sign")
    assert figure.text_content() == "1"
    assert figure.get("href") == f"{TASKS}?tab=sign"
    hrefs = tree.xpath('//*[@id="waiting-for-me"]//tbody/tr/td[2]/a/@href')
    assert hrefs == [reverse("tasks:detail", args=[flows.lead(work.c).pk])]


def test_leader_dashboard_counts_only_their_units_suggestions(client, cast, work):
    """The states count the leader's units' suggestions (3 assigned, not the other unit's),
    while the office's page counts 4; the other unit's leader sees 1."""
    assigned = str(Suggestion.State.ASSIGNED.label)
    mine = table_of(_leader_page(client, cast, work), "chart-states")
    office = table_of(_leader_page(client, cast, work, cast.staff), "chart-states")
    other = table_of(_leader_page(client, cast, work, cast.other_leader), "chart-states")
    assert (mine[assigned], office[assigned], other[assigned]) == (["3"], ["4"], ["1"])
    links = links_of(_leader_page(client, cast, work), "chart-states")
    assert links[assigned] == f"{TASKS}?tab=todo&year=2026"


def test_leader_dashboard_lists_the_key_suggestions_they_lead(client, cast, work):
    """d, the key suggestion the leader leads, is listed with a link to its page; the key
    suggestions' stage counts it."""
    tree = _leader_page(client, cast, work)
    hrefs = tree.xpath('//*[@id="key-led"]//tbody/tr/td[2]/a/@href')
    assert hrefs == [reverse("tasks:key", args=[work.key.pk])]
    assert table_of(tree, "chart-key") == {str(Suggestion.State.SIGNED.label): ["1", "100.0%"]}
    other = _leader_page(client, cast, work, cast.other_leader)
    assert not other.xpath('//*[@id="key-led"]')


def test_leader_home_is_the_dashboard(client, cast):
    """A leader who is no unit's member lands on the dashboard; one who is also a unit's
    member lands on their tasks."""
    client.force_login(cast.leader)
    assert client.get(reverse("home")).url == URL
    factories.MembershipFactory(unit=cast.other_unit, user=cast.other_leader)
    client.force_login(cast.other_leader)
    assert client.get(reverse("home")).url == TASKS


def test_leader_task_list_links_to_the_dashboard(client, cast):
    """A leader's task list links to their dashboard; a clerk's does not."""
    client.force_login(cast.leader)
    tree = page(client.get(TASKS))
    assert tree.get_element_by_id("dashboard-link").get("href") == URL
    client.force_login(cast.clerk)
    assert not page(client.get(TASKS)).xpath('//*[@id="dashboard-link"]')


def test_leader_dashboard_queries_are_few_and_constant(client, cast):
    """At most 12 queries for a leader, the same with 1 suggestion as with several in every
    state and a key suggestion."""
    day = datetime.date(2026, 3, 2)
    with flows.on(day):
        flows.assigned(cast, co=False)
    client.force_login(cast.leader)
    later = day + datetime.timedelta(days=200)
    with flows.on(later):
        few, _response = count_queries(client, URL)
    with flows.on(day):
        flows.assigned(cast)
        flows.awaiting_leader(cast)
        signed = flows.signed(cast)
        services.key_suggestion_designate(
            suggestion=signed, by=cast.staff, year=2026, leader=cast.leader
        )
    with flows.on(later):
        many, response = count_queries(client, URL)
    assert few == many <= 12
    tree = page(response)
    assert tree.get_element_by_id("figure-overdue").text_content() == "2"  # the lead unit's two
