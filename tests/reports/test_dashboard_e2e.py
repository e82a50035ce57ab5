"""The dashboard in a real browser at 1,366 px: every chart drawn (the CSP lets the
vendored ECharts run), nothing wider than the window, no error in the console."""

from django.urls import reverse

from tests import flows
from tests.browser import ARTIFACTS, PASSWORD, e2e

pytestmark = e2e
LAPTOP = {"width": 1366, "height": 768}


def test_dashboard_e2e_draws_every_chart_within_a_laptops_width(live_server, cast, browser):
    """Staff and a leader see every chart drawn, the page no wider than 1,366 px."""
    ARTIFACTS.mkdir(exist_ok=True)
    flows.assigned(cast)
    flows.awaiting_leader(cast)
    flows.signed(cast)
    for user, name in ((cast.staff, "office"), (cast.leader, "leader")):
        page = browser.new_context(viewport=LAPTOP).new_page()
        errors = []
        page.on("console", lambda m, errors=errors: m.type == "error" and errors.append(m))
        page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
        page.goto(live_server.url + reverse("login"))
        page.fill("input[name=username]", user.username)
        page.fill("input[name=password]", PASSWORD)
        page.click("#login-form button[type=submit]")
        page.goto(live_server.url + reverse("reports:dashboard"))
        charts = page.locator("[data-chart]")
        page.wait_for_selector("[data-chart-ready]")
        assert charts.count() >= 8
        assert page.locator("[data-chart-ready]").count() == charts.count()
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= LAPTOP["width"]
        # The browser asks for a favicon the site does not have: not the page's error.
        assert [
            getattr(e, "text", e)
            for e in errors
            if "favicon" not in str(getattr(e, "location", ""))
        ] == []
        page.screenshot(path=str(ARTIFACTS / f"dashboard-{name}.png"), full_page=True)
        page.context.close()
