"""End to end in a real browser: an opinion raised at a liaison station travels to a
suggestion and back. A keeper records it on a phone and forwards it to a deputy; the
deputy makes it a suggestion; the office approves and assigns it; the station sees the
suggestion's state. And an opinion referred to a unit: the unit sees the constituent
masked, answers, and the keeper reads the answer.

What a test reads on the pages is looked up through the same catalogue (``gettext`` and
the models' labels under the tests' ``zh-hans``). Elements are found by their ids, form
field names and link addresses; the two-step confirmation by its ``#confirm-<action>``.
"""

import datetime
import re
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from stations import services
from stations.models import Opinion
from suggestions import actions
from suggestions.actions import Page
from suggestions.models import Suggestion
from tests import factories
from tests.browser import ARTIFACTS, PASSWORD, SMALL_TAP_TARGETS_JS, e2e

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = e2e

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}
NAME, PHONE_NUMBER = "张三", "13812341234"
MASKED_NAME, MASKED_PHONE = "张*", "138****1234"
MATTER = "幸福小区3号楼前路灯坏了两个月，晚上出行不安全，希望尽快修复。"


def log_in(browser, base, user, lands_on, viewport=PHONE):
    page = browser.new_context(viewport=viewport).new_page()
    page.goto(base + reverse("login"))
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_url(base + reverse(lands_on))
    return page


def address(base, name, *args):
    """The page's address, whatever query string or fragment it carries."""
    return re.compile(re.escape(base + reverse(name, args=args)) + r"([?#].*)?$")


def shot(page, name):
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def fits_a_phone(page):
    """Nothing wider than the phone's screen, every control big enough for a thumb."""
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.evaluate(SMALL_TAP_TARGETS_JS) == []


def confirm(page, action):
    """The action cannot be taken back: its summary is shown, then confirmed."""
    confirmation = page.locator(f"#confirm-{action}")
    expect(confirmation).to_be_visible()
    return confirmation


def office_approves_and_assigns(browser, base, people, suggestion):
    """The office, on a desktop, through the admin's transition pages: approve, then
    assign to the unit; the suggestion's page then says 已交办."""
    office = log_in(browser, base, people.office, "admin:index", viewport=DESKTOP)
    change = base + reverse("admin:suggestions_suggestion_change", args=[suggestion.pk])
    office.goto(change)
    steps = (("approve", Suggestion.State.REVIEWED), ("assign", Suggestion.State.ASSIGNED))
    for name, state in steps:
        label = str(actions.get(Page.ADMIN, name).label)
        office.locator("a.npc-transition").get_by_text(label, exact=True).click()
        office.wait_for_url(
            base + reverse("admin:suggestions_suggestion_transition", args=[suggestion.pk, name])
        )
        if name == "approve":
            office.locator("textarea[name=note]").fill("三项审查通过。")
        else:
            office.locator("select[name=lead_unit]").select_option(str(people.unit.pk))
            shot(office, "journey-09-assign")
        office.get_by_role("button", name=label, exact=True).click()
        office.wait_for_url(change)
        expect(office.locator(".messagelist .success")).to_be_visible()
        expect(office.locator(".field-state .readonly")).to_have_text(str(state.label))
    shot(office, "journey-10-assigned")
    suggestion.refresh_from_db()
    assert suggestion.state == Suggestion.State.ASSIGNED
    assert suggestion.lead_assignment().unit == people.unit


@pytest.fixture
def people(db, staff):
    """A station with its keeper and a deputy (with an account) who uses it; the office;
    an active unit with a member."""
    ARTIFACTS.mkdir(exist_ok=True)
    station = factories.LiaisonStationFactory(name="幸福社区代表联络站")
    keeper = factories.UserFactory(username="keeper", first_name="刘芳")
    station.keepers.add(keeper)
    deputy = factories.DeputyFactory(name="王丽")
    station.deputies.add(deputy)
    unit = factories.HandlingUnitFactory(name="市城市管理局")
    member = factories.MembershipFactory(unit=unit).user
    return SimpleNamespace(
        station=station, keeper=keeper, deputy=deputy, office=staff, unit=unit, member=member
    )


def test_e2e_opinion_forwarded_to_a_deputy_becomes_a_suggestion_the_station_follows(
    live_server, people, browser
):
    """On a phone the keeper records an opinion and forwards it (confirmed) to the deputy;
    the deputy sees the constituent's name and makes it a suggestion; the office approves
    and assigns it; the keeper's opinion page then shows the suggestion assigned."""
    base = live_server.url
    station, deputy = people.station, people.deputy

    # The keeper, on a phone: home is the station list.
    keeper = log_in(browser, base, people.keeper, "stations:list")
    fits_a_phone(keeper)
    shot(keeper, "journey-01-stations-375")
    keeper.locator(f'a[href="{reverse("stations:detail", args=[station.pk])}"]').first.click()
    keeper.wait_for_url(address(base, "stations:detail", station.pk))
    fits_a_phone(keeper)

    form = keeper.locator("#action-opinion form")
    form.locator("textarea[name=opinion-matter]").fill(MATTER)
    raised_on = form.locator("input[name=opinion-raised_on]")
    assert raised_on.input_value() == timezone.localdate().isoformat()  # today by default
    raised_on.fill((timezone.localdate() - datetime.timedelta(days=1)).isoformat())
    form.locator("input[name=opinion-name]").fill(NAME)
    form.locator("input[name=opinion-phone]").fill(PHONE_NUMBER)
    shot(keeper, "journey-02-record-opinion-375")
    form.locator("button[type=submit]").click()
    keeper.wait_for_url(address(base, "stations:detail", station.pk))

    opinion = Opinion.objects.get(station=station)
    assert (opinion.matter, opinion.name, opinion.phone, opinion.state) == (
        MATTER,
        NAME,
        PHONE_NUMBER,
        Opinion.State.OPEN,
    )
    assert opinion.recorded_by == people.keeper
    opinion_url = reverse("stations:opinion", args=[opinion.pk])
    listed = keeper.locator(f'a[href="{opinion_url}"]')
    expect(listed.first).to_be_visible()
    fits_a_phone(keeper)
    shot(keeper, "journey-03-opinion-listed-375")

    # Forwarded to the deputy, through the confirmation step.
    listed.first.click()
    keeper.wait_for_url(address(base, "stations:opinion", opinion.pk))
    expect(keeper.locator("#constituent-name")).to_have_text(NAME)  # the keeper sees who
    expect(keeper.locator("#constituent-phone")).to_have_text(PHONE_NUMBER)
    fits_a_phone(keeper)
    form = keeper.locator("#action-route form")
    form.locator("input[name=route-to][value=deputy]").check()
    form.locator("select[name=route-deputy]").select_option(str(deputy.pk))
    form.locator("textarea[name=route-notes]").fill("请王丽代表跟进。")
    form.locator("button[type=submit]").click()
    confirmation = confirm(keeper, "route")
    expect(confirmation.locator(".summary")).to_contain_text(deputy.name)
    fits_a_phone(keeper)
    shot(keeper, "journey-04-route-confirm-375")
    confirmation.locator("button.confirm").click()
    keeper.wait_for_url(address(base, "stations:opinion", opinion.pk))
    expect(keeper.locator("#confirm-route")).to_have_count(0)
    expect(keeper.locator("#action-route")).to_have_count(0)  # sent on once
    where = keeper.locator("#opinion-where")
    expect(where.locator(".opinion-state")).to_have_attribute("data-state", "forwarded")
    expect(where).to_contain_text(str(Opinion.State.FORWARDED.label))  # 转交代表
    expect(where).to_contain_text(deputy.name)
    expect(keeper.locator("#path .step-forwarded")).to_contain_text("请王丽代表跟进。")
    shot(keeper, "journey-05-forwarded-375")
    opinion.refresh_from_db()
    assert (opinion.state, opinion.deputy) == (Opinion.State.FORWARDED, deputy)

    # The deputy, on a phone: the opinions forwarded to them, the constituent unmasked.
    page = log_in(browser, base, deputy.user, "status:list")
    expect(page.locator(f"#forwarded-opinions #forwarded-{opinion.pk}")).to_be_visible()
    page.goto(base + reverse("stations:my_opinions"))
    row = page.locator(f"#opinion-{opinion.pk}")
    expect(row.locator(".constituent")).to_contain_text(NAME)
    expect(row.locator(".constituent")).to_contain_text(PHONE_NUMBER)
    link = row.locator(f'a[href="{opinion_url}"]')
    fits_a_phone(page)
    shot(page, "journey-06-my-opinions-375")
    link.first.click()
    page.wait_for_url(address(base, "stations:opinion", opinion.pk))
    expect(page.locator("#constituent-name")).to_have_text(NAME)
    expect(page.locator("#constituent-phone")).to_have_text(PHONE_NUMBER)
    form = page.locator("#action-to_suggestion form")
    title = form.locator("input[name=to_suggestion-title]")
    content = form.locator("textarea[name=to_suggestion-content]")
    assert title.input_value() == MATTER[:60]  # prefilled from the matter
    assert content.input_value() == MATTER
    title.fill("关于尽快修复幸福小区路灯的建议")
    content.fill(MATTER + "\n建议市城市管理局排查并修复小区周边路灯。")
    fits_a_phone(page)
    shot(page, "journey-07-to-suggestion-375")
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(re.escape(base) + r"/my/\d+/([?#].*)?$"))

    opinion.refresh_from_db()
    suggestion = opinion.suggestion
    assert opinion.state == Opinion.State.SUGGESTED
    assert suggestion.title == "关于尽快修复幸福小区路灯的建议"
    assert suggestion.lead_deputy == deputy
    assert page.url.split("#")[0].split("?")[0] == base + reverse(
        "status:detail", args=[suggestion.pk]
    )
    expect(page.locator("body")).to_contain_text(suggestion.title)
    shot(page, "journey-08-suggestion-status-375")

    office_approves_and_assigns(browser, base, people, suggestion)

    # The keeper, back on the opinion's page: the suggestion's state to tell the constituent.
    keeper.reload()
    expect(keeper.locator("#opinion-where .opinion-state")).to_have_attribute(
        "data-state", "suggested"
    )
    made = keeper.locator("#suggestion-made")
    expect(made.locator("#suggestion-title")).to_have_text(suggestion.title)
    expect(made.locator("#suggestion-number")).to_have_text(suggestion.number)
    state = made.locator("#suggestion-state")
    expect(state).to_have_attribute("data-state", "assigned")
    expect(state).to_have_text(str(Suggestion.State.ASSIGNED.label))  # 已交办
    fits_a_phone(keeper)
    shot(keeper, "journey-11-station-sees-assigned-375")


def test_e2e_unit_sees_the_constituent_masked_and_answers_the_station(live_server, people, browser):
    """An opinion referred to a unit: its member's list and page show 张* and 138****1234,
    never the real name or phone in the HTML; the member answers (confirmed); the keeper
    reads the answer on the opinion's page."""
    base = live_server.url
    opinion = services.opinion_record(
        station=people.station,
        by=people.keeper,
        matter=MATTER,
        raised_on=timezone.localdate(),
        name=NAME,
        phone=PHONE_NUMBER,
    )
    services.opinion_route(
        opinion=opinion, by=people.keeper, to="unit", unit=people.unit, notes="请答复。"
    )
    opinion_url = reverse("stations:opinion", args=[opinion.pk])

    page = log_in(browser, base, people.member, "tasks:list")
    expect(page.locator("#referred-opinions")).to_be_visible()
    page.goto(base + reverse("stations:unit_opinions"))
    row = page.locator(f"#opinion-{opinion.pk}")
    expect(row.locator(".constituent")).to_have_text(f"{MASKED_NAME} {MASKED_PHONE}")
    link = row.locator(f'a[href="{opinion_url}"]')
    expect(link.first).to_be_visible()
    html = page.content()
    assert NAME not in html and PHONE_NUMBER not in html
    fits_a_phone(page)
    shot(page, "journey-masked-01-unit-list-375")

    link.first.click()
    page.wait_for_url(address(base, "stations:opinion", opinion.pk))
    expect(page.locator("#opinion-matter")).to_contain_text(MATTER)
    expect(page.locator("#constituent-name")).to_have_text(MASKED_NAME)
    expect(page.locator("#constituent-phone")).to_have_text(MASKED_PHONE)
    html = page.content()
    assert NAME not in html and PHONE_NUMBER not in html
    expect(page.locator("#action-route")).to_have_count(0)  # only the keepers send it on
    expect(page.locator("#action-to_suggestion")).to_have_count(0)
    fits_a_phone(page)

    answer = "已安排维修班组，本周五前修复3号楼前两盏路灯。"
    form = page.locator("#action-answer form")
    form.locator("textarea[name=answer-answer]").fill(answer)
    form.locator("button[type=submit]").click()
    confirmation = confirm(page, "answer")
    expect(confirmation.locator(".summary")).to_contain_text(answer)
    assert PHONE_NUMBER not in page.content()
    shot(page, "journey-masked-02-answer-confirm-375")
    confirmation.get_by_role("button", name=gettext("Confirm")).click()
    page.wait_for_url(address(base, "stations:opinion", opinion.pk))
    expect(page.locator("#action-answer")).to_have_count(0)
    expect(page.locator("#answer")).to_have_text(answer)
    assert NAME not in page.content() and PHONE_NUMBER not in page.content()
    shot(page, "journey-masked-03-answered-375")
    opinion.refresh_from_db()
    assert opinion.state == Opinion.State.ANSWERED

    keeper = log_in(browser, base, people.keeper, "stations:list")
    keeper.goto(base + opinion_url)
    expect(keeper.locator("#answer")).to_have_text(answer)
    where = keeper.locator("#opinion-where")
    expect(where.locator(".opinion-state")).to_have_attribute("data-state", "answered")
    expect(where).to_contain_text(str(Opinion.State.ANSWERED.label))
    expect(where).to_contain_text(people.unit.name)
    expect(keeper.locator("#constituent-name")).to_have_text(NAME)  # unmasked to the keeper
    expect(keeper.locator("#constituent-phone")).to_have_text(PHONE_NUMBER)
    fits_a_phone(keeper)
    shot(keeper, "journey-masked-04-keeper-reads-answer-375")
