"""/my/duty/ (``duty:mine``): a deputy's year, phone-first, read-only, in few queries."""

import datetime
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from deputies import services
from tests import factories, flows
from tests.browser import ARTIFACTS, CHROMIUM, PASSWORD, SMALL_TAP_TARGETS_JS

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 20)
URL = reverse("duty:mine")


def test_the_deputy_sees_points_ranks_records_and_what_they_owe(client, cast):
    with flows.on(TODAY):
        services.duty_record(deputy=cast.deputy, by=cast.staff, kind="report", happened_on=TODAY)
        services.duty_record(
            deputy=cast.other_deputy, by=cast.staff, kind="meeting", happened_on=TODAY
        )
        client.force_login(cast.deputy.user)
        page = client.get(URL).content.decode()
    assert 'id="duty-total">5<' in page
    assert "总排名第 1" in page or "Rank 1 overall" in page
    assert 'data-check="report"' in page and 'class="met" data-check="report"' in page
    assert 'class="owed" data-check="suggestion"' in page
    # A report to voters meets constituents: this quarter is met, the earlier ones not.
    assert 'class="met" data-check="contact_q4"' in page
    assert 'class="owed" data-check="contact_q3"' in page
    assert 'data-kind="report"' in page and 'data-kind="meeting"' not in page


def test_another_year_and_bad_years(client, cast):
    with flows.on(TODAY):
        services.duty_record(deputy=cast.deputy, by=cast.staff, kind="report", happened_on=TODAY)
        client.force_login(cast.deputy.user)
        last_year = client.get(URL, {"year": 2025}).content.decode()
        assert client.get(URL, {"year": "x"}).status_code == 404
        assert client.get(URL, {"year": 2027}).status_code == 404
    assert 'id="duty-total">0<' in last_year
    assert 'data-kind="report"' not in last_year


def test_only_deputies_have_a_duty_page(client, cast):
    client.force_login(cast.clerk)
    assert client.get(URL).status_code == 403
    client.logout()
    assert client.get(URL).status_code == 302


@pytest.mark.parametrize("records", [1, 30])
def test_the_page_takes_six_queries_whatever_the_records(
    client, cast, records, django_assert_max_num_queries
):
    others = [factories.DeputyFactory() for _ in range(3)]
    with flows.on(TODAY):
        for n in range(records):
            for deputy in [cast.deputy, *others]:
                services.duty_record(
                    deputy=deputy,
                    by=cast.staff,
                    kind="contact",
                    happened_on=TODAY - datetime.timedelta(days=n),
                )
        client.force_login(cast.deputy.user)
        with django_assert_max_num_queries(6):
            page = client.get(URL).content.decode()
    assert page.count('class="duty-record') == records


PHONE = {"width": 375, "height": 812}


@pytest.mark.e2e
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"no Chromium at {CHROMIUM}")
def test_e2e_duty_page_on_a_phone(live_server, cast, browser):
    """At 375 px /my/duty/ scrolls only down, its year tabs are 44 px targets, and the
    deputy reads their total and what they still owe there."""
    ARTIFACTS.mkdir(exist_ok=True)
    today = timezone.localdate()
    services.duty_record(deputy=cast.deputy, by=cast.staff, kind="report", happened_on=today)
    base = live_server.url
    page = browser.new_context(viewport=PHONE).new_page()
    page.goto(base + reverse("login"))
    page.fill("input[name=username]", cast.deputy.user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_url(base + reverse("status:list"))
    page.goto(base + URL)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.evaluate(SMALL_TAP_TARGETS_JS) == []
    assert page.locator("#duty-total").inner_text() == "5"
    assert page.locator('[data-check="suggestion"]').get_attribute("class") == "owed"
    page.screenshot(path=str(ARTIFACTS / "duty-375.png"), full_page=True)
