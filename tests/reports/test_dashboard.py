"""The committee office's dashboard (/reports/ for staff): each figure equals the data
built, each links to the ledger filtered to the same suggestions, in a constant number of
queries."""

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django.utils.dates import MONTHS

from suggestions import services
from suggestions.models import SignOff, Suggestion
from tests import factories, flows
from tests.reports.dashboard_data import (
    a_year_of_work,
    cell_texts,
    count_queries,
    links_of,
    page,
    table_of,
)

URL = reverse("reports:dashboard")
LEDGER = reverse("admin:suggestions_suggestion_changelist")


@pytest.fixture
def work(cast):
    return a_year_of_work(cast)


def _get(client, user, today, url=URL):
    client.force_login(user)
    with flows.on(today):
        return client.get(url)


def _ledger_count(client, url, today) -> int:
    """How many suggestions the ledger lists at ``url`` (the admin's changelist)."""
    assert url.startswith(LEDGER), url
    with flows.on(today):
        response = client.get(url)
    assert response.status_code == 200, url
    assert "?e=1" not in response.get("Location", "")
    return response.context["cl"].result_count


def _query(url) -> dict:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def test_dashboard_counts_the_years_suggestions_by_state(client, cast, work):
    """The states' table counts this year's suggestions (last year's left out), each row
    linking to the ledger of that state and year, which lists as many."""
    tree = page(_get(client, cast.staff, work.today))
    table = table_of(tree, "chart-states")
    assert table[str(Suggestion.State.ASSIGNED.label)] == ["3"]  # a, b, f (not last year's)
    assert table[str(Suggestion.State.HANDLED.label)] == ["2"]  # c, e
    assert table[str(Suggestion.State.SIGNED.label)] == ["1"]  # d
    assert tree.get_element_by_id("figure-total").text_content() == "6"
    link = links_of(tree, "chart-states")[str(Suggestion.State.ASSIGNED.label)]
    assert _query(link) == {"raised_on__year": "2026", "state__exact": "assigned"}
    assert _ledger_count(client, link, work.today) == 3


def test_dashboard_counts_overdue_and_due_soon_by_unit(client, cast, work):
    """Overdue and due within 7 days by unit, lead and co assignments, whatever the year:
    the lead unit 3 overdue (a, b and last year's) and 1 due soon (f), the co unit 1
    overdue (a's opinion); the lead unit's numbers link to the ledger of that unit and
    deadline, which lists as many, and equal its leader's task list's "overdue" tab."""
    tree = page(_get(client, cast.staff, work.today))
    lead = tree.xpath(f'//*[@id="unit-queues"]//tr[@data-unit="{cast.lead_unit.pk}"]')[0]
    co = tree.xpath(f'//*[@id="unit-queues"]//tr[@data-unit="{cast.co_unit.pk}"]')[0]
    assert cell_texts(lead, "./td[@class='overdue']") == ["3"]
    assert cell_texts(lead, "./td[@class='due-soon']") == ["1"]
    assert cell_texts(co, "./td[@class='overdue']") == ["1"]
    assert cell_texts(co, "./td[@class='due-soon']") == ["0"]
    assert not tree.xpath(f'//*[@id="unit-queues"]//tr[@data-unit="{cast.other_unit.pk}"]')
    assert tree.get_element_by_id("figure-overdue").text_content() == "4"
    assert tree.get_element_by_id("figure-due-soon").text_content() == "1"
    overdue = lead.xpath("./td[@class='overdue']/a")[0].get("href")
    assert _query(overdue) == {"unit": str(cast.lead_unit.pk), "deadline": "overdue"}
    assert _ledger_count(client, overdue, work.today) == 3
    soon = lead.xpath("./td[@class='due-soon']/a")[0].get("href")
    assert _query(soon) == {"unit": str(cast.lead_unit.pk), "deadline": "week"}
    assert _ledger_count(client, soon, work.today) == 1
    with flows.on(work.today):
        client.force_login(cast.leader)
        tasks = client.get(reverse("tasks:list"), {"tab": "overdue"})
    assert tasks.context["page"].paginator.count == 3


def test_dashboard_counts_each_signature_level_and_the_offices_decisions(client, cast, work):
    """Waiting for the deputy 0, the unit head 1 (e), the leader 1 (c); one "decide: redo
    or accept" (e) and one revisit due (d) among the year's suggestions, each linking to
    the ledger's follow-up filter of the year, which lists the same suggestion; last
    year's page has neither."""
    tree = page(_get(client, cast.staff, work.today))
    table = table_of(tree, "chart-waiting")
    assert table[str(SignOff.Level.DEPUTY.label)] == ["0"]
    assert table[str(SignOff.Level.UNIT_HEAD.label)] == ["1"]
    assert table[str(SignOff.Level.LEADER.label)] == ["1"]
    redo = tree.get_element_by_id("figure-redo-decision")
    revisit = tree.get_element_by_id("figure-revisits-due")
    assert (redo.text_content(), revisit.text_content()) == ("1", "1")
    assert _query(redo.get("href")) == {"raised_on__year": "2026", "followup": "redo_decision"}
    assert _query(revisit.get("href")) == {"raised_on__year": "2026", "followup": "revisit_due"}
    assert _ledger_count(client, redo.get("href"), work.today) == 1
    assert _ledger_count(client, revisit.get("href"), work.today) == 1
    last_year = page(_get(client, cast.staff, work.today, f"{URL}?year=2025"))
    assert last_year.get_element_by_id("figure-redo-decision").text_content() == "0"
    assert last_year.get_element_by_id("figure-revisits-due").text_content() == "0"


def test_dashboard_counts_the_years_satisfaction_and_key_suggestions(client, cast, work):
    """The deputies' ratings signed this year: c and d satisfied, e dissatisfied (work and
    result alike); this year's one key suggestion (d) is signed, its row linking to the
    ledger's key suggestions in that state."""
    tree = page(_get(client, cast.staff, work.today))
    table = table_of(tree, "chart-satisfaction")
    assert table[str(SignOff.Rating.SATISFIED.label)] == ["2", "2"]
    assert table[str(SignOff.Rating.BASICALLY_SATISFIED.label)] == ["0", "0"]
    assert table[str(SignOff.Rating.DISSATISFIED.label)] == ["1", "1"]
    assert table_of(tree, "chart-key") == {str(Suggestion.State.SIGNED.label): ["1", "100.0%"]}
    link = links_of(tree, "chart-key")[str(Suggestion.State.SIGNED.label)]
    assert _query(link) == {"key": "yes", "state__exact": "signed"}
    assert _ledger_count(client, link, work.today) == 1


def test_dashboard_trends_count_each_month_against_last_year(client, cast, work):
    """March: 6 received and assigned this year against 1 last year, 3 replied and 1
    signed by the leader this year against none; the other months nothing."""
    tree = page(_get(client, cast.staff, work.today))
    march, april = str(MONTHS[3]), str(MONTHS[4])
    expected = {"received": ["6", "1"], "assigned": ["6", "1"], "replied": ["3", "0"]}
    expected["signed"] = ["1", "0"]
    for measure, counts in expected.items():
        table = table_of(tree, f"chart-trend-{measure}")
        assert table[march] == counts, measure
        assert table[april] == ["0", "0"], measure
    headers = cell_texts(tree, '//*[@id="chart-trend-received"]//thead/tr/th')
    assert headers[1:] == ["2026", "2025"]
    received = links_of(tree, "chart-trend-received")[march]
    assert _ledger_count(client, received, work.today) == 6


def test_dashboard_shows_another_year_by_its_parameter(client, cast, work):
    """``?year=2025`` counts last year's suggestion alone."""
    tree = page(_get(client, cast.staff, work.today, f"{URL}?year=2025"))
    assert tree.get_element_by_id("figure-total").text_content() == "1"
    assert "2025" in tree.get_element_by_id("dashboard-title").text_content()


@pytest.mark.parametrize("role", ["clerk", "head", "deputy", "reviewer"])
def test_dashboard_is_refused_to_clerks_heads_deputies_and_reviewers(client, cast, role):
    """Only the office and the leaders read the dashboard: anyone else gets a 403."""
    client.force_login(flows.person(cast, role))
    assert client.get(URL).status_code == 403


def test_dashboard_sends_an_anonymous_visitor_to_log_in(client, db):
    """An anonymous visitor is sent to the login page, coming back here after."""
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={URL}"


def test_admin_index_links_the_office_to_the_dashboard(client, cast):
    """The admin's index shows the committee office a link to the dashboard."""
    client.force_login(cast.staff)
    tree = page(client.get(reverse("admin:index")))
    assert tree.get_element_by_id("dashboard-link").get("href") == URL


def _more_units(cast, count: int) -> None:
    """``count`` suggestions, each assigned to a unit of its own, replied and signed by
    the deputy (so every figure has rows)."""
    for n in range(count):
        unit = factories.HandlingUnitFactory(name=f"市第{n}局")
        suggestion = flows.reviewed(cast)
        services.suggestion_assign(suggestion=suggestion, by=cast.staff, lead_unit=unit)


def test_dashboard_queries_are_few_and_constant_in_units_and_suggestions(client, cast):
    """At most 12 queries, the same with 1 unit and 1 suggestion as with 4 units and
    several suggestions in every state."""
    day = datetime.date(2026, 3, 2)
    with flows.on(day):
        flows.assigned(cast, co=False)
    client.force_login(cast.staff)
    with flows.on(day + datetime.timedelta(days=200)):
        few, _response = count_queries(client, URL)
    with flows.on(day):
        _more_units(cast, 3)
        flows.signed(cast)
        flows.handled(cast)
    with flows.on(day + datetime.timedelta(days=200)):
        many, response = count_queries(client, URL)
    assert few == many <= 12
    assert page(response).get_element_by_id("figure-overdue").text_content() == "4"
