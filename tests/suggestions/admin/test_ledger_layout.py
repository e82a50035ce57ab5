"""The ledger at 1,366 px in a real browser: the deadline, the days left, the reply class and
the satisfaction are in view without scrolling sideways, both sidebars open."""

import datetime

from django.urls import reverse

from suggestions.models import SignOff
from tests import factories, flows
from tests.browser import ARTIFACTS, PASSWORD, e2e

pytestmark = e2e

LAPTOP = {"width": 1366, "height": 768}
COLUMNS = ["due_on_display", "days_left", "reply_class", "satisfaction"]


def test_e2e_ledger_columns_fit_a_1366_screen(live_server, cast, browser):
    """Long titles and unit names are cut or wrapped; the last columns stay on screen."""
    ARTIFACTS.mkdir(exist_ok=True)
    long_unit = factories.HandlingUnitFactory(name="市人力资源和社会保障局城乡居民养老保险中心")
    with flows.on(datetime.date(2026, 1, 5)):
        late = flows.assigned(cast, co=False, title="关于" + "完善城乡居民基本养老保险制度" * 3)
        factories.SuggestionFactory(lead_deputy=cast.deputy)
    signed = flows.handled(cast, co=False, title="关于增设学校周边交通信号灯和减速带的建议")
    flows.sign_all(cast, signed, rating=SignOff.Rating.BASICALLY_SATISFIED)
    late.assignments.update(unit=long_unit)

    page = browser.new_context(viewport=LAPTOP).new_page()
    base = live_server.url
    page.goto(base + reverse("admin:login"))
    page.fill("input[name=username]", cast.staff.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("#login-form input[type=submit]")
    page.wait_for_url(base + reverse("admin:index"))
    page.goto(base + reverse("admin:suggestions_suggestion_changelist"))
    assert page.locator("#nav-sidebar").is_visible()
    assert page.locator("#changelist-filter").is_visible()
    page.screenshot(path=str(ARTIFACTS / "admin-ledger-1366.png"), full_page=True)

    assert page.evaluate("document.documentElement.scrollWidth") <= LAPTOP["width"]
    results = page.locator("#changelist .results")
    assert results.evaluate("e => e.scrollWidth <= e.clientWidth")
    right = results.evaluate("e => e.getBoundingClientRect().right")
    for column in COLUMNS:
        header = page.locator(f"#result_list th.column-{column}").bounding_box()
        assert header["x"] + header["width"] <= right + 1, column
    # The overdue row's days and both dates stay on one line each.
    change = reverse("admin:suggestions_suggestion_change", args=[late.pk])
    row = page.locator(f'#result_list tr:has(a[href="{change}"])')
    assert "逾期" in row.locator("td.field-days_left").inner_text()
    for cell in ("field-days_left", "field-due_on_display"):
        assert row.locator(f"td.{cell}").evaluate("e => getComputedStyle(e).whiteSpace") == "nowrap"
    # The long title is cut with an ellipsis; the whole is in its tooltip.
    title = row.locator(".npc-cut")
    assert title.get_attribute("title") == late.title
    assert title.evaluate("e => e.scrollWidth > e.clientWidth")
