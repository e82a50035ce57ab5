"""The task pages on a 375 px phone: dates on one line, tap targets of 44 px, and on the
head's page the reply before the sign-off form."""

import datetime

from django.urls import reverse

from tests import flows
from tests.browser import ARTIFACTS, BROKEN_DATES_JS, PASSWORD, SMALL_TAP_TARGETS_JS, e2e

pytestmark = e2e

PHONE = {"width": 375, "height": 812}


def _log_in(browser, base, user):
    page = browser.new_context(viewport=PHONE).new_page()
    page.goto(base + reverse("login"))
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_url(base + reverse("tasks:list"))
    return page


def test_e2e_task_pages_on_a_phone(live_server, cast, browser):
    """The clerk's list and forms, and the head's sign-off page, fit a thumb and a phone."""
    ARTIFACTS.mkdir(exist_ok=True)
    with flows.on(datetime.date(2026, 3, 10)):
        late = flows.assigned(cast, co=False, title="逾期未答复的建议")
    replied = flows.handled(cast, co=False)
    flows.deputy_signs(cast, replied)  # the head's turn
    base = live_server.url

    page = _log_in(browser, base, cast.clerk)
    assert page.evaluate(BROKEN_DATES_JS) == []
    assert page.evaluate(SMALL_TAP_TARGETS_JS) == []
    page.goto(base + reverse("tasks:detail", args=[flows.lead(late).pk]))
    assert "逾期" in page.locator("#days-left").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.evaluate(BROKEN_DATES_JS) == []
    assert page.evaluate(SMALL_TAP_TARGETS_JS) == []
    page.screenshot(path=str(ARTIFACTS / "task-forms-375.png"), full_page=True)

    page = _log_in(browser, base, cast.head)
    page.goto(base + reverse("tasks:detail", args=[flows.lead(replied).pk]))
    form = page.locator("#action-signoff_head")
    assert page.locator("#replies").bounding_box()["y"] < form.bounding_box()["y"]
    assert page.evaluate(BROKEN_DATES_JS) == []
    assert page.evaluate(SMALL_TAP_TARGETS_JS) == []
    page.screenshot(path=str(ARTIFACTS / "task-head-signoff-375.png"), full_page=True)
