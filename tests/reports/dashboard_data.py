"""A year of work for the dashboards' tests, reached through the services (``flows``), and
helpers to read the numbers a page shows."""

import datetime
from types import SimpleNamespace

import lxml.html
from django.db import connection
from django.test.utils import CaptureQueriesContext

from suggestions import services
from suggestions.models import SignOff
from tests import flows

LAST_YEAR_DAY = datetime.date(2025, 3, 10)
RAISED = datetime.date(2026, 3, 2)
LATER = datetime.date(2026, 3, 12)


def a_year_of_work(cast) -> SimpleNamespace:
    """Last year: one suggestion raised and assigned (March). This year, raised in March:
    ``a`` (lead + co unit) and ``b`` (lead only) assigned, never answered; ``c`` replied and
    signed by the deputy and the head (waits for the leader); ``e`` replied, the deputy
    dissatisfied (waits for the head; the office decides redo or accept); ``d`` signed by
    all three (its revisit falls due on 31 May), a key suggestion led by the lead unit's
    leader; ``f`` assigned ten days later (due within 7 days on ``today``). Every
    assignment is the cast's lead unit's (and co unit's, where a co-unit is named).
    ``today``: three days before ``f``'s deadline, after ``a``'s and ``b``'s."""
    with flows.on(LAST_YEAR_DAY):
        old = flows.assigned(cast, co=False)
    with flows.on(RAISED):
        a = flows.assigned(cast)
        b = flows.assigned(cast, co=False)
        c = flows.awaiting_leader(cast)
        d = flows.signed(cast)
        e = flows.handled(cast)
        flows.deputy_signs(cast, e, SignOff.Rating.DISSATISFIED, SignOff.Rating.DISSATISFIED)
        key = services.key_suggestion_designate(
            suggestion=d, by=cast.staff, year=2026, leader=cast.leader, committee="城建环保委"
        )
    with flows.on(LATER):
        f = flows.assigned(cast, co=False)
    due_a, due_f = flows.lead(a).due_on, flows.lead(f).due_on
    today = due_f - datetime.timedelta(days=3)
    assert due_a < today, "a and b are overdue on the day the page is read"
    return SimpleNamespace(old=old, a=a, b=b, c=c, d=d, e=e, f=f, key=key, today=today)


def page(response) -> lxml.html.HtmlElement:
    assert response.status_code == 200, response.status_code
    return lxml.html.fromstring(response.content.decode())


def cell_texts(tree, xpath: str) -> list[str]:
    return [" ".join(e.text_content().split()) for e in tree.xpath(xpath)]


def table_of(tree, chart_id: str) -> dict[str, list[str]]:
    """A chart's numbers table as {row header: [cells]}."""
    rows = {}
    for tr in tree.xpath(f'//*[@id="{chart_id}"]//table/tbody/tr'):
        cells = [" ".join(c.text_content().split()) for c in tr.xpath("./th|./td")]
        rows[cells[0]] = cells[1:]
    return rows


def links_of(tree, chart_id: str) -> dict[str, str]:
    """A chart's numbers table's row links as {row header: href}."""
    return {
        " ".join(a.text_content().split()): a.get("href")
        for a in tree.xpath(f'//*[@id="{chart_id}"]//table/tbody/tr/th/a')
    }


def count_queries(client, url) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries.captured_queries), response
