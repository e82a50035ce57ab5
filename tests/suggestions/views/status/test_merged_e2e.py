"""End to end in a real browser: two deputies' suggestions on one matter are merged (并案)
by the committee office from the ledger, handled once, and both deputies sign on their
phones before the unit head signs.

The merge goes through the admin's pages (the ledger's bulk action and its page); the
assignment and the reply are prepared with the services to keep the journey short.
"""

import pytest
from django.urls import reverse
from django.utils.translation import gettext

from suggestions import services
from suggestions.models import SignOff, Suggestion
from tests import flows
from tests.browser import ARTIFACTS, PASSWORD, SMALL_TAP_TARGETS_JS, e2e

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = e2e

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}


def log_in(browser, base, user, lands_on, viewport):
    page = browser.new_context(viewport=viewport).new_page()
    page.goto(base + reverse("login"))
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_url(base + lands_on)
    return page


def shot(page, name):
    page.screenshot(path=str(ARTIFACTS / f"merge-{name}.png"), full_page=True)


def staff_merges(browser, base, cast, main, other):
    """From the ledger: select both, "merge into one", choose the main one, give the reason."""
    page = log_in(browser, base, cast.staff, reverse("admin:index"), DESKTOP)
    page.goto(base + reverse("admin:suggestions_suggestion_changelist"))
    for s in (main, other):
        page.locator(f"input.action-select[value='{s.pk}']").check()
    page.locator("select[name=action]").select_option("merge_selected")
    page.locator("#changelist-form button[name=index]").click()
    expect(page.locator("#merge-selected tbody tr")).to_have_count(2)
    page.locator(f"input[name=main][value='{main.pk}']").check()
    page.locator("textarea[name=reason]").fill("两件建议反映同一事项，并案办理。")
    shot(page, "01-choose-main")
    page.locator(".submit-row input[type=submit]").click()
    page.wait_for_url(base + reverse("admin:suggestions_suggestion_changelist"))
    expect(page.locator(".messagelist .success")).to_contain_text(main.title)
    expect(page.locator(f"a.npc-merged-into[href$='/{main.pk}/change/']")).to_have_count(1)
    shot(page, "02-ledger")


def deputy_signs_on_phone(browser, base, deputy, opens, *, prefix):
    """The deputy opens ``opens`` from their list on a phone and signs the main one's reply."""
    page = log_in(browser, base, deputy.user, reverse("status:list"), PHONE)
    row = page.locator(f"#suggestion-{opens.pk}")
    expect(row).to_be_visible()
    row.locator("a.status-link").click()
    page.wait_for_url(base + reverse("status:detail", args=[opens.pk]))
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.evaluate(SMALL_TAP_TARGETS_JS) == []
    expect(page.locator("#replies .reply")).to_have_count(1)
    shot(page, f"{prefix}-before")
    form = page.locator("#signoff-form")
    form.locator("input[name=signoff-work_rating][value=satisfied]").check()
    form.locator("input[name=signoff-result_rating][value=basically_satisfied]").check()
    form.locator("button[type=submit]").click()
    page.locator("#confirm-signoff button.confirm").click()
    page.wait_for_selector(".messages")
    expect(page.locator("#signoff-form")).to_have_count(0)
    shot(page, f"{prefix}-signed")
    return page


def test_e2e_two_deputies_suggestions_merged_handled_once_both_sign(live_server, cast, browser):
    ARTIFACTS.mkdir(exist_ok=True)
    base = live_server.url
    main = flows.reviewed(cast)
    other = services.suggestion_create(
        by=cast.staff,
        title="关于学校门口增设红绿灯的建议",
        content="学校门口上下学时段拥堵，建议增设红绿灯。",
        lead_deputy=cast.other_deputy,
    )
    services.suggestion_approve(suggestion=other, by=cast.staff)

    staff_merges(browser, base, cast, main, other)
    other.refresh_from_db()
    assert (other.state, other.merged_into_id) == (Suggestion.State.MERGED, main.pk)

    # Handled once: the main suggestion is assigned and replied.
    main = Suggestion.objects.get(pk=main.pk)
    services.suggestion_assign(suggestion=main, by=cast.staff, lead_unit=cast.lead_unit)
    flows.prepare_reply(cast, main)
    flows.reply(cast, main)

    # 张伟 signs from his own (merged) suggestion's page: it shows the main one's reply.
    page = deputy_signs_on_phone(browser, base, cast.other_deputy, other, prefix="03-zhang")
    expect(page.locator("#merged-into")).to_be_visible()
    expect(page.locator("ol.signatures li[data-level=deputy]")).to_contain_text("1/2")
    # 王丽 signs the main one.
    page = deputy_signs_on_phone(browser, base, cast.deputy, main, prefix="04-wang")
    expect(page.locator(f"#merged-{other.pk}")).to_be_visible()
    expect(page.locator("ol.signatures li[data-level=deputy]")).to_have_attribute(
        "data-state", "signed"
    )

    # Then the unit head, on the task page.
    lead = flows.lead(main)
    page = log_in(browser, base, cast.head, reverse("tasks:list"), PHONE)
    page.goto(base + reverse("tasks:detail", args=[lead.pk]))
    expect(page.locator(f"#merged-{other.pk}")).to_contain_text(cast.other_deputy.name)
    page.locator("#action-signoff_head button[type=submit]").click()
    page.locator("#confirm-signoff_head button.confirm").click()
    page.wait_for_selector(".messages")
    expect(page.locator("#action-signoff_head")).to_have_count(0)

    # The record shows both deputies' signatures, then the head's.
    page.goto(base + reverse("tasks:record", args=[lead.pk]))
    boxes = page.locator(".boxes .signoff-deputy")
    expect(boxes).to_have_count(2)
    for deputy in (cast.deputy, cast.other_deputy):
        box = boxes.filter(has_text=deputy.name)
        expect(box).to_contain_text(gettext("Signed by"))
    expect(page.locator(".boxes .signoff-unit_head")).to_contain_text(gettext("Signed by"))
    shot(page, "05-record")

    signoffs = SignOff.objects.filter(suggestion=main, round=main.round)
    deputies = signoffs.filter(level=SignOff.Level.DEPUTY)
    assert {s.deputy_id for s in deputies} == {cast.deputy.pk, cast.other_deputy.pk}
    assert {s.signer_id for s in deputies} == {cast.deputy.user_id, cast.other_deputy.user_id}
    assert signoffs.filter(level=SignOff.Level.UNIT_HEAD, signer=cast.head).exists()
    assert not SignOff.objects.filter(suggestion=other).exists()
