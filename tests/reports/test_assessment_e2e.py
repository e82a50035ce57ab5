"""End to end in a real browser: the assessment page at 1,366 px wide, its charts drawn
(no CSP refusal), and its print layout."""

import pytest
from django.urls import reverse

from tests.browser import ARTIFACTS, PASSWORD, e2e
from tests.reports import assessment_data as data

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = e2e

LAPTOP = {"width": 1366, "height": 768}


def test_e2e_assessment_readable_at_1366_and_printable(live_server, cast, browser):
    ARTIFACTS.mkdir(exist_ok=True)
    data.build(cast)
    base = live_server.url
    page = browser.new_context(viewport=LAPTOP).new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(base + reverse("login"))
    page.fill("input[name=username]", cast.staff.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_url(base + reverse("admin:index"))
    page.goto(base + reverse("reports:assessment", args=[data.YEAR]))

    expect(page.locator("#assessment-table tbody tr")).to_have_count(2)
    expect(page.locator("[data-chart-ready]")).to_have_count(3)
    # The table fits the window: no sideways scrolling at 1,366 px.
    assert page.evaluate("document.documentElement.scrollWidth") <= LAPTOP["width"]
    wrap = page.locator("#assessment-table").evaluate("t => t.parentElement.scrollWidth")
    assert wrap <= page.locator("#assessment-table").evaluate("t => t.parentElement.clientWidth")
    expect(page.locator("button[data-print]")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "assessment-1366.png"), full_page=True)

    page.emulate_media(media="print")
    expect(page.locator("#office-actions")).to_be_hidden()
    expect(page.locator("#unit-choice")).to_be_hidden()
    expect(page.locator("button[data-print]")).to_be_hidden()
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator("#assessment-table")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "assessment-print.png"), full_page=True)
    page.pdf(path=str(ARTIFACTS / "assessment.pdf"), format="A4", landscape=True)
    assert not [e for e in errors if "Content Security Policy" in e or "echarts" in e], errors
