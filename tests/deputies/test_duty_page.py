"""/my/duty/ (``duty:mine``): a deputy's year, phone-first, read-only, in few queries."""

import datetime

import pytest
from django.urls import reverse

from deputies import services
from tests import factories, flows

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
