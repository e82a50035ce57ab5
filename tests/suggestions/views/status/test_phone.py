"""The status page on a 375 px phone: the reply before the sign-off form, dates on one line,
tap targets of 44 px, and the sign-off step green once the deputy has signed."""

import datetime

from django.urls import reverse

from tests import flows
from tests.browser import ARTIFACTS, BROKEN_DATES_JS, PASSWORD, SMALL_TAP_TARGETS_JS, e2e

pytestmark = e2e

PHONE = {"width": 375, "height": 812}
GREEN = "rgb(27, 127, 59)"  # --ok in static/css/app.css


def _log_in(browser, base, user):
    page = browser.new_context(viewport=PHONE).new_page()
    page.goto(base + reverse("login"))
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_url(base + reverse("status:list"))
    return page


def _top(page, selector) -> float:
    return page.locator(selector).bounding_box()["y"]


def _bar(page, step: int) -> str:
    """The colour of a progress step's bar (its ::before)."""
    item = page.locator(f"#suggestion .progress li:nth-child({step})")
    return item.evaluate("e => getComputedStyle(e, '::before').backgroundColor")


def test_e2e_status_page_on_a_phone(live_server, cast, browser):
    """The deputy reads the reply, then signs; every target is 44 px; the step turns green."""
    ARTIFACTS.mkdir(exist_ok=True)
    with flows.on(datetime.date(2026, 3, 10)):
        flows.assigned(cast, co=False, title="逾期未答复的建议")  # a sentence with days overdue
    suggestion = flows.handled(cast)
    base = live_server.url
    page = _log_in(browser, base, cast.deputy.user)
    assert page.evaluate(BROKEN_DATES_JS) == []
    assert page.evaluate(SMALL_TAP_TARGETS_JS) == []

    page.goto(base + reverse("status:detail", args=[suggestion.pk]))
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert _top(page, "#replies") < _top(page, "#signoff") < _top(page, "#units")
    assert page.evaluate(BROKEN_DATES_JS) == []
    assert page.evaluate(SMALL_TAP_TARGETS_JS) == []
    assert _bar(page, 5) != GREEN  # signed off: not yet
    page.screenshot(path=str(ARTIFACTS / "status-reply-before-signoff-375.png"), full_page=True)

    form = page.locator("#signoff-form")
    form.locator("input[name=signoff-work_rating][value=satisfied]").check()
    form.locator("input[name=signoff-result_rating][value=basically_satisfied]").check()
    form.locator("button[type=submit]").click()
    page.locator("#confirm-signoff button.confirm").click()  # a signature is confirmed
    page.wait_for_selector(".messages")
    assert _bar(page, 4) == GREEN  # replied, and rated
    assert _bar(page, 5) == GREEN  # the deputy's signature is in
    assert _bar(page, 6) != GREEN  # closed: not yet
    signoff = page.locator("#timeline li.event-signoff").first
    assert signoff.evaluate("e => getComputedStyle(e, '::before').backgroundColor") == GREEN
    assert page.evaluate(SMALL_TAP_TARGETS_JS) == []
    page.screenshot(path=str(ARTIFACTS / "status-signed-step-green-375.png"), full_page=True)
