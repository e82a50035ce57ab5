"""End to end on a phone-sized screen: a deputy signs "dissatisfied"; the admin offers a redo."""

from django.urls import reverse

from suggestions.models import SignOff, Suggestion
from tests import flows
from tests.browser import ARTIFACTS, PASSWORD, e2e

PHONE = {"width": 375, "height": 812}

pytestmark = e2e


def log_in(browser, base, user, lands_on):
    page = browser.new_context(viewport=PHONE).new_page()
    page.goto(base + reverse("login"))
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_url(base + lands_on)
    return page


def test_e2e_deputy_signs_dissatisfied_and_admin_shows_redo_eligible(live_server, cast, browser):
    """On a 375px screen the deputy rates a reply dissatisfied with a reason; staff see a redo."""
    ARTIFACTS.mkdir(exist_ok=True)
    base = live_server.url
    suggestion = flows.handled(cast)

    page = log_in(browser, base, cast.deputy.user, reverse("status:list"))
    row = page.locator(f"#suggestion-{suggestion.pk}")
    assert row.get_attribute("data-stage") == "3"
    # Nothing is wider than the phone's screen: no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(ARTIFACTS / "status-list-375.png"), full_page=True)

    row.locator("a.status-link").click()
    page.wait_for_url(base + reverse("status:detail", args=[suggestion.pk]))
    assert page.locator("#replies .document-link").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    form = page.locator("#signoff-form")
    form.locator("input[name=signoff-work_rating][value=basically_satisfied]").check()
    form.locator("input[name=signoff-result_rating][value=dissatisfied]").check()
    page.screenshot(path=str(ARTIFACTS / "status-detail-375.png"), full_page=True)

    # Dissatisfied without a reason: refused, with the service's code.
    form.locator("button[type=submit]").click()
    page.wait_for_selector("#signoff .refusal")
    codes = page.locator("#signoff .refusal").get_attribute("data-codes")
    assert codes == "dissatisfied_reason_required"
    page.screenshot(path=str(ARTIFACTS / "status-signoff-refused-375.png"), full_page=True)

    form = page.locator("#signoff-form")
    form.locator("input[name=signoff-work_rating][value=basically_satisfied]").check()
    form.locator("input[name=signoff-result_rating][value=dissatisfied]").check()
    form.locator("textarea[name=signoff-opinion]").fill("信号灯至今未安装，问题没有解决。")
    form.locator("button[type=submit]").click()
    # A signature cannot be taken back: the ratings are summed up, then confirmed.
    page.wait_for_selector("#confirm-signoff")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(ARTIFACTS / "status-signoff-confirm-375.png"), full_page=True)
    page.locator("#confirm-signoff button.confirm").click()
    page.wait_for_selector(".messages")
    assert page.locator("#signoff").count() == 0
    assert page.locator("#rating-1").get_attribute("data-result") == "dissatisfied"
    page.screenshot(path=str(ARTIFACTS / "status-signed-375.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})  # still good on a desktop
    page.screenshot(path=str(ARTIFACTS / "status-signed-desktop.png"), full_page=True)

    signoff = SignOff.objects.get(suggestion_id=suggestion.pk, level=SignOff.Level.DEPUTY)
    assert (signoff.work_rating, signoff.result_rating) == ("basically_satisfied", "dissatisfied")

    page = log_in(browser, base, cast.staff, reverse("admin:index"))
    page.goto(base + reverse("admin:suggestions_suggestion_change", args=[suggestion.pk]))
    assert page.locator(".npc-redo-eligible").is_visible()
    page.screenshot(path=str(ARTIFACTS / "admin-redo-eligible.png"), full_page=True)
    assert Suggestion.objects.get(pk=suggestion.pk).state == Suggestion.State.HANDLED
