"""The handling report in Chromium: no CSP complaint, and printed on A4 without the
site's navigation."""

import re

from django.urls import reverse
from django.utils import timezone

from tests import flows, keys
from tests.browser import ARTIFACTS, PASSWORD, e2e

pytestmark = e2e


def test_e2e_handling_report_prints_on_a4_without_navigation(live_server, cast, browser):
    """The office opens the report: its scripts and styles load without a console error
    (CSP), and printed it loses the navigation and the toolbar, on A4 pages."""
    flows.signed(cast, "A")
    keys.designated(cast, flows.assigned(cast, title="关于治理河道污染的建议"))
    year = timezone.localdate().year
    page = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
    errors, missing = [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("response", lambda r: missing.append(r.url) if r.status >= 400 else None)
    page.goto(live_server.url + reverse("login"))
    page.fill("input[name=username]", cast.staff.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_load_state()
    page.goto(live_server.url + reverse("reports:handling_report", args=[year]))
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "handling-report.png"), full_page=True)
    assert page.locator("#handling-report h2").count() == 5  # four sections and the appendix
    assert page.locator("#ranking tbody tr").count() == 2
    assert page.locator("[data-print]").is_visible()
    page.emulate_media(media="print")
    assert not page.locator(".report-toolbar").is_visible()
    assert not page.locator(".reports-nav").is_visible()
    assert not page.locator(".site-header").is_visible()
    pdf = page.pdf(prefer_css_page_size=True)
    (ARTIFACTS / "handling-report.pdf").write_bytes(pdf)
    # A4 is 595 x 842 points (Chromium writes 594.96 x 841.92).
    boxes = re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf)
    assert boxes and all(round(float(w)) == 595 and round(float(h)) == 842 for w, h in boxes)
    # The browser's own favicon request is the only thing allowed to miss.
    assert [url for url in missing if not url.endswith("/favicon.ico")] == []
    assert [e for e in errors if "Failed to load resource" not in e] == []
