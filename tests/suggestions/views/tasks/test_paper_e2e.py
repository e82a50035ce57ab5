"""End to end in a real browser: a deputy without an account signs the handling record
(纪实表) on paper, the lead unit's clerk uploads the scan, the committee office verifies it.

The pages speak the site's language (Simplified Chinese). What a test reads on them is
looked up through the same catalogue (``gettext`` under the tests' ``zh-hans``), so a string
still waiting for its translation is compared in English and nothing here repeats
``locale/``. Elements are found by their ids, form field names and link or button names.
"""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from suggestions import actions
from suggestions.actions import Page
from suggestions.models import PaperSubmission, SignOff, Suggestion
from tests import flows
from tests.browser import ARTIFACTS, PASSWORD, e2e

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = e2e

COMMITTEE = "兰州市人民代表大会常务委员会"
DESKTOP = {"width": 1280, "height": 900}
LEVELS = SignOff.Level.values  # deputy, unit head, leader: the order they sign in
REPLIED_DAYS_AGO = 10


def log_in(browser, base, user, lands_on):
    page = browser.new_context(viewport=DESKTOP).new_page()
    page.goto(base + reverse("login"))
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_url(base + lands_on)
    return page


def address(base, name, *args):
    """The page's address, whatever query string it carries."""
    return re.compile(re.escape(base + reverse(name, args=args)) + r"(\?.*)?$")


def shot(page, name):
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


@pytest.fixture
def replied(cast, settings):
    """A suggestion replied ten days ago whose lead deputy (王丽) has no account."""
    ARTIFACTS.mkdir(exist_ok=True)
    settings.NPC = {**settings.NPC, "COMMITTEE_NAME": COMMITTEE}
    cast.deputy.user = None
    cast.deputy.save()
    replied_on = timezone.localdate() - datetime.timedelta(days=REPLIED_DAYS_AGO)
    with flows.on(replied_on):
        suggestion = Suggestion.objects.get(pk=flows.handled(cast).pk)
    assert suggestion.state == Suggestion.State.HANDLED
    return suggestion


def paper_dates() -> dict[str, datetime.date]:
    """The dates written beside the three signatures: after the reply, in order, past."""
    today = timezone.localdate()
    return {
        "deputy": today - datetime.timedelta(days=8),
        "unit_head": today - datetime.timedelta(days=6),
        "leader": today - datetime.timedelta(days=3),
    }


def open_record(page, base, lead):
    """From the task page to its handling record."""
    page.goto(base + reverse("tasks:detail", args=[lead.pk]))
    record = reverse("tasks:record", args=[lead.pk])
    link = page.locator(f'a[href="{record}"]')
    if link.count():
        link.first.click()
    else:
        # The task page has no link to its record yet (see the branch's report): by URL.
        page.goto(base + record)
    page.wait_for_url(base + record)


def upload(page, scan, dates):
    """Fill and send the record page's upload form: the scan, the dates, the ratings."""
    form = page.locator("#upload form")
    form.locator("input[name=paper_submit-scan]").set_input_files(str(scan))
    form.locator("input[name=paper_submit-deputy_signed_on]").fill(dates["deputy"].isoformat())
    form.locator("select[name=paper_submit-work_rating]").select_option(
        label=str(SignOff.Rating.SATISFIED.label)  # 满意
    )
    form.locator("select[name=paper_submit-result_rating]").select_option(
        label=str(SignOff.Rating.BASICALLY_SATISFIED.label)  # 基本满意
    )
    form.locator("input[name=paper_submit-unit_head_signed_on]").fill(
        dates["unit_head"].isoformat()
    )
    form.locator("input[name=paper_submit-leader_signed_on]").fill(dates["leader"].isoformat())
    label = str(actions.get(Page.TASKS, "paper_submit").label)
    form.get_by_role("button", name=label).click()
    # The upload cannot be taken back: the page sums it up, the scan kept, and asks.
    confirmation = page.locator("#confirm-paper_submit")
    expect(confirmation).to_contain_text(scan.name)
    confirmation.get_by_role("button", name=gettext("Confirm")).click()
    page.wait_for_selector(".messages")


def clerk_uploads(browser, base, cast, suggestion, tmp_path, *, prefix):
    """The clerk opens the record, checks the empty boxes, uploads: the page says it waits."""
    lead = flows.lead(suggestion)
    page = log_in(browser, base, cast.clerk, reverse("tasks:list"))
    open_record(page, base, lead)

    expect(page.locator("p.committee")).to_have_text(COMMITTEE)
    expect(page.locator("h1")).to_have_text(gettext("Handling record of a deputy's suggestion"))
    expect(page.locator("body")).to_contain_text(cast.deputy.name)
    for level in LEVELS:
        box = page.locator(f".boxes .signoff-{level}")
        expect(box.locator(".line")).to_have_count(3)  # opinion, signature, date: blank
        expect(box).not_to_contain_text(gettext("Signed by"))
    expect(page.locator("#upload .submission")).to_have_count(0)
    shot(page, f"{prefix}-01-record")

    scan = tmp_path / "纪实表.pdf"
    scan.write_bytes(b"%PDF-1.4\n% the signed handling record\n1 0 obj << >> endobj\n%%EOF\n")
    upload(page, scan, paper_dates())

    expect(page.locator(".messages")).to_contain_text(
        gettext("The signed record was sent to the committee office for verification.")
    )
    waiting = page.locator("#upload .submission")
    expect(waiting).to_have_count(1)
    expect(waiting).to_have_class(re.compile(r"\bsubmission-pending\b"))
    expect(waiting).to_contain_text(str(PaperSubmission.Decision.PENDING.label))
    # One paper record at a time: no second upload while this one waits.
    expect(page.locator("input[name=paper_submit-scan]")).to_have_count(0)
    shot(page, f"{prefix}-02-submitted")
    return page


def staff_opens_verification(browser, base, cast, suggestion, *, prefix):
    """From the admin's index, through the filtered ledger, to the suggestion's check."""
    page = log_in(browser, base, cast.staff, reverse("admin:index"))
    todo = page.locator("#office-todo")
    expect(todo.locator("caption")).to_have_text(gettext("Waiting for the office"))
    paper = todo.locator(".npc-todo-paper")
    expect(paper.locator(".npc-count")).to_have_text("1")
    shot(page, f"{prefix}-03-admin-index")

    paper.get_by_role("link").click()
    page.wait_for_url(re.compile(r"[?&]followup=paper\b"))
    ledger = page.locator("#result_list tbody tr")
    expect(ledger).to_have_count(1)
    ledger.get_by_role("link", name=suggestion.title).click()
    # The admin keeps the ledger's filter in the address (?_changelist_filters=...).
    page.wait_for_url(address(base, "admin:suggestions_suggestion_change", suggestion.pk))

    label = str(actions.get(Page.ADMIN, "verify_paper").label)
    page.get_by_role("link", name=label).click()
    page.wait_for_url(
        base
        + reverse("admin:suggestions_suggestion_transition", args=[suggestion.pk, "verify_paper"])
    )
    return page


def test_e2e_paper_record_of_a_deputy_without_account_is_verified(
    live_server, cast, replied, browser, tmp_path
):
    """The clerk uploads the signed paper with its dates and ratings; the office ticks each
    signature against the scan and accepts: three sign-offs, the suggestion signed."""
    base = live_server.url
    suggestion = replied
    dates = paper_dates()
    clerk_page = clerk_uploads(browser, base, cast, suggestion, tmp_path, prefix="paper")
    submission = PaperSubmission.objects.get(assignment__suggestion=suggestion)
    assert submission.decision == PaperSubmission.Decision.PENDING
    assert submission.submitted_by == cast.clerk

    page = staff_opens_verification(browser, base, cast, suggestion, prefix="paper")
    rows = page.locator(".npc-paper table tbody tr")
    expect(rows).to_have_count(3)
    deputy_row = rows.nth(0)
    expect(deputy_row).to_contain_text(str(SignOff.Level.DEPUTY.label))
    expect(deputy_row).to_contain_text(cast.deputy.name)
    expect(deputy_row).to_contain_text(dates["deputy"].isoformat())
    expect(deputy_row).to_contain_text(str(SignOff.Rating.SATISFIED.label))
    expect(deputy_row).to_contain_text(str(SignOff.Rating.BASICALLY_SATISFIED.label))
    expect(rows.nth(1)).to_contain_text(cast.head.username)
    expect(rows.nth(1)).to_contain_text(dates["unit_head"].isoformat())
    expect(rows.nth(2)).to_contain_text(cast.leader.username)
    expect(rows.nth(2)).to_contain_text(dates["leader"].isoformat())

    # The scan the clerk uploaded is the one the office opens.
    scan_link = page.get_by_role("link", name=gettext("Open the scan"))
    response = page.request.get(base + scan_link.get_attribute("href"))
    assert response.status == 200
    assert response.body().startswith(b"%PDF")

    for level in LEVELS:
        page.locator(f".npc-paper input[type=checkbox][name=checked_{level}]").check()
    page.locator("input[type=radio][name=accept][value='1']").check()
    shot(page, "paper-04-verify")
    label = str(actions.get(Page.ADMIN, "verify_paper").label)
    page.get_by_role("button", name=label).click()
    # Accepted signatures cannot be taken back: confirmed as a step of its own.
    page.locator("#confirm-verify_paper").get_by_role("button", name=gettext("Confirm")).click()
    page.wait_for_url(base + reverse("admin:suggestions_suggestion_change", args=[suggestion.pk]))
    expect(page.locator(".messagelist .success")).to_be_visible()
    expect(page.locator(".field-state .readonly")).to_have_text(str(Suggestion.State.SIGNED.label))
    expect(page.get_by_role("link", name=label)).to_have_count(0)
    shot(page, "paper-05-signed")

    assert Suggestion.objects.get(pk=suggestion.pk).state == Suggestion.State.SIGNED
    submission.refresh_from_db()
    assert (submission.decision, submission.decided_by) == (
        PaperSubmission.Decision.ACCEPTED,
        cast.staff,
    )
    signoffs = {s.level: s for s in SignOff.objects.filter(suggestion_id=suggestion.pk)}
    assert set(signoffs) == set(LEVELS)
    for level, signoff in signoffs.items():
        assert signoff.paper_id == submission.pk
        assert signoff.verified_by == cast.staff
        assert signoff.recorded_by == cast.clerk
        assert signoff.signed_on == dates[level]
        assert signoff.scan.name == submission.scan.name
    deputy = signoffs[SignOff.Level.DEPUTY]
    assert deputy.signer is None
    assert deputy.deputy == cast.deputy
    assert (deputy.work_rating, deputy.result_rating) == ("satisfied", "basically_satisfied")
    assert signoffs[SignOff.Level.UNIT_HEAD].signer == cast.head
    assert signoffs[SignOff.Level.LEADER].signer == cast.leader
    assert signoffs[SignOff.Level.UNIT_HEAD].deputy is None

    # The clerk's record now carries the three signatures, each from the verified paper.
    clerk_page.reload()
    for level in LEVELS:
        expect(clerk_page.locator(f".boxes .signoff-{level} .paper-note")).to_be_visible()
    expect(clerk_page.locator(".boxes .signoff-deputy")).to_contain_text(cast.deputy.name)
    expect(clerk_page.locator("#upload .submission-accepted")).to_have_count(1)
    expect(clerk_page.locator("input[name=paper_submit-scan]")).to_have_count(0)
    shot(clerk_page, "paper-06-record-signed")


def test_e2e_paper_record_refused_goes_back_to_the_unit_with_its_reason(
    live_server, cast, replied, browser, tmp_path
):
    """The office refuses the paper with a reason; the clerk's record page shows the refusal
    and its reason and offers the upload again; nothing is signed."""
    base = live_server.url
    suggestion = replied
    reason = "纪实表上代表签字日期与扫描件不一致，请核实后重新上传。"
    clerk_page = clerk_uploads(browser, base, cast, suggestion, tmp_path, prefix="paper-refusal")

    page = staff_opens_verification(browser, base, cast, suggestion, prefix="paper-refusal")
    page.locator("input[type=radio][name=accept][value='0']").check()
    page.locator("textarea[name=reason]").fill(reason)
    shot(page, "paper-refusal-04-refuse")
    page.get_by_role("button", name=str(actions.get(Page.ADMIN, "verify_paper").label)).click()
    page.locator("#confirm-verify_paper").get_by_role("button", name=gettext("Confirm")).click()
    page.wait_for_url(base + reverse("admin:suggestions_suggestion_change", args=[suggestion.pk]))
    expect(page.locator(".field-state .readonly")).to_have_text(str(Suggestion.State.HANDLED.label))
    page.goto(base + reverse("admin:index"))
    expect(page.locator("#office-todo .npc-todo-paper .npc-count")).to_have_text("0")

    clerk_page.reload()
    refused = clerk_page.locator("#upload .submission")
    expect(refused).to_have_count(1)
    expect(refused).to_have_class(re.compile(r"\bsubmission-refused\b"))
    expect(refused).to_contain_text(str(PaperSubmission.Decision.REFUSED.label))
    expect(refused).to_contain_text(reason)
    expect(clerk_page.locator("#upload form input[name=paper_submit-scan]")).to_be_visible()
    for level in LEVELS:  # still blank on the record
        expect(clerk_page.locator(f".boxes .signoff-{level} .line")).to_have_count(3)
    shot(clerk_page, "paper-refusal-05-record-refused")

    submission = PaperSubmission.objects.get(assignment__suggestion=suggestion)
    assert (submission.decision, submission.reason, submission.decided_by) == (
        PaperSubmission.Decision.REFUSED,
        reason,
        cast.staff,
    )
    assert not SignOff.objects.filter(suggestion_id=suggestion.pk).exists()
    assert Suggestion.objects.get(pk=suggestion.pk).state == Suggestion.State.HANDLED
