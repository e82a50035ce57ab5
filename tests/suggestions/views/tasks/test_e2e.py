"""End to end in a real browser: a clerk replies, the head and the leader sign."""

from django.urls import reverse
from django.utils import timezone

from suggestions import services
from suggestions.models import SignOff, Suggestion
from tests import flows
from tests.browser import ARTIFACTS, PASSWORD, e2e

pytestmark = e2e


def log_in(browser, base, user, lands_on="tasks:list"):
    context = browser.new_context(viewport={"width": 390, "height": 844})  # a phone
    page = context.new_page()
    page.goto(base + reverse("login"))
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_url(base + reverse(lands_on))
    return page


def test_e2e_clerk_replies_and_head_and_leader_sign(live_server, cast, browser, tmp_path):
    """Clerk records a communication and replies with a PDF; the head and the leader sign."""
    ARTIFACTS.mkdir(exist_ok=True)
    base = live_server.url
    suggestion = flows.assigned(cast, co=False)
    lead = flows.lead(suggestion)
    detail = base + reverse("tasks:detail", args=[lead.pk])

    page = log_in(browser, base, cast.clerk)
    assert page.locator(f"#assignment-{lead.pk}").is_visible()
    page.screenshot(path=str(ARTIFACTS / "tasks-list.png"), full_page=True)

    page.goto(detail)
    form = page.locator("#action-communication form")
    form.locator("select[name=communication-stage]").select_option("before")
    form.locator("select[name=communication-method]").select_option("phone")
    form.locator("input[name=communication-happened_on]").fill(timezone.localdate().isoformat())
    form.locator("textarea[name=communication-notes]").fill("电话联系代表，听取意见。")
    form.locator("button[type=submit]").click()
    page.wait_for_selector(".event-communication")

    document = tmp_path / "答复函.pdf"
    document.write_bytes(b"%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n")
    form = page.locator("#action-reply form")
    form.locator("select[name=reply-classification]").select_option("A")
    form.locator("textarea[name=reply-text]").fill("已完成信号灯安装。")
    form.locator("input[name=reply-document]").set_input_files(str(document))
    form.locator("button[type=submit]").click()
    # The reply cannot be taken back: the page sums it up and asks to confirm.
    page.wait_for_selector("#confirm-reply")
    assert "答复函.pdf" in page.locator("#confirm-reply .summary").inner_text()
    page.screenshot(path=str(ARTIFACTS / "tasks-reply-confirm.png"), full_page=True)
    page.locator("#confirm-reply button.confirm").click()
    page.wait_for_selector("#replies .document-link")
    assert page.locator("#suggestion-state").get_attribute("data-state") == "handled"
    page.screenshot(path=str(ARTIFACTS / "tasks-detail.png"), full_page=True)

    services.signoff_record(
        suggestion=Suggestion.objects.get(pk=suggestion.pk),
        by=cast.deputy.user,
        level=SignOff.Level.DEPUTY,
        work_rating="satisfied",
        result_rating="satisfied",
    )

    signers = (
        (cast.head, "signoff_head", "tasks:list"),
        (cast.leader, "signoff_leader", "reports:dashboard"),  # a leader's home
    )
    for signer, action, home in signers:
        page = log_in(browser, base, signer, home)
        page.goto(detail)
        page.locator(f"#action-{action} button[type=submit]").click()
        page.locator(f"#confirm-{action} button.confirm").click()
        page.wait_for_selector(".messages")
        assert page.locator(f"#action-{action}").count() == 0

    assert page.locator("#suggestion-state").get_attribute("data-state") == "signed"
    page.screenshot(path=str(ARTIFACTS / "tasks-detail-signed.png"), full_page=True)
    assert Suggestion.objects.get(pk=suggestion.pk).state == Suggestion.State.SIGNED
