"""The assessment's page (``reports:assessment``) and the suggestions behind a count
(``reports:assessment_cases``): the numbers, the ranks, who sees which rows, the year's
closing on the page, and a query count that does not grow with the units."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils.translation import gettext

from reports import services
from reports.selectors import closing_of
from reports.selectors.assessment_page import YEARS_CACHE_KEY
from tests import factories, flows
from tests.reports import assessment_data as data

pytestmark = pytest.mark.django_db


def page(client, user, year=data.YEAR, **params):
    client.force_login(user)
    with flows.on(data.SEEN):
        return client.get(reverse("reports:assessment", args=[year]), params)


def row_html(html: str, unit) -> str:
    found = re.search(rf'<tr id="unit-{unit.pk}".*?</tr>', html, re.S)
    assert found, f"no row for {unit}"
    return found.group(0)


def ranked_units(html: str) -> list[str]:
    return re.findall(r'<th scope="row" class="unit">(.*?)</th>', html)


def test_assessment_shows_each_rate_as_pair_and_percentage(cast, client):
    """A rate reads numerator/denominator and its percentage; without cases, "—"."""
    data.build(cast)
    html = page(client, cast.staff).content.decode()
    lead = row_html(html, cast.lead_unit)
    # On time: one of the two lead assignments replied by its deadline.
    assert '<span class="pair">1/2</span> <span class="pct">50.0%</span>' in lead
    # No deputy has signed: both satisfaction rates have no cases.
    cells = re.findall(r'<td class="rate"[^>]*>(.*?)</td>', lead)
    assert len(cells) == 7
    assert "—" in cells[2] and "—" in cells[3]
    assert "0%" not in cells[2] + cells[3]
    co = row_html(html, cast.co_unit)
    assert '<span class="pair">1/2</span> <span class="pct">50.0%</span>' in co
    assert '<td class="counts">0 / 2</td>' in co
    assert '<td class="counts">2 / 0</td>' in lead


def test_assessment_ranks_units_by_score(cast, client):
    """The co-unit (one late opinion, −1) ranks before the lead unit (late reply and
    missing signatures, −4), each with its score and deductions."""
    data.build(cast)
    html = page(client, cast.staff).content.decode()
    assert ranked_units(html) == ["市公安局交通警察支队", "市交通运输局"]
    co, lead = row_html(html, cast.co_unit), row_html(html, cast.lead_unit)
    assert '<td class="rank">1</td>' in co and "<strong>99</strong>" in co
    assert '<td class="rank">2</td>' in lead and "<strong>96</strong>" in lead
    late = reverse("reports:assessment_cases", args=[2026, cast.lead_unit.pk, "late_reply"])
    assert f'<a href="{late}" class="cases-link">1</a>，−2' in lead


def test_assessment_shows_manual_deduction_with_its_reason(cast, client):
    """A manual deduction shows its count, points and reason, and lowers the score."""
    data.build(cast)
    with flows.on(data.SEEN):
        services.deduction_record(
            unit=cast.lead_unit, year=2026, by=cast.staff, points="1.5", reason="制度不健全"
        )
    lead = row_html(page(client, cast.staff).content.decode(), cast.lead_unit)
    assert "制度不健全（−1.5，2026-07-01）" in lead
    assert "<strong>94.5</strong>" in lead


def test_assessment_charts_carry_their_numbers(cast, client):
    """The three charts are on the page with their tables; the unit chosen by ?unit= is
    compared with the average of all units."""
    data.build(cast)
    html = page(client, cast.staff, unit=cast.lead_unit.pk).content.decode()
    for chart in ("chart-scores", "chart-rates", "chart-unit"):
        assert f'id="{chart}"' in html and f'id="{chart}-option"' in html
    unit_chart = html[html.index('id="chart-unit"') :]
    assert "市交通运输局" in unit_chart.split("</figcaption>")[0]
    # On time: the unit 50.0, the average of the one unit with cases 50.0; co-opinions:
    # the unit "—", the average 50.0.
    assert "<td>50.0</td><td>50.0</td>" in unit_chart
    assert "<td>—</td><td>50.0</td>" in unit_chart


def test_assessment_leader_sees_only_their_units_with_global_rank(cast, client):
    """A leader sees their unit's row only, ranked among all units."""
    data.build(cast)
    html = page(client, cast.leader).content.decode()
    assert ranked_units(html) == ["市交通运输局"]
    assert '<td class="rank">2</td>' in row_html(html, cast.lead_unit)
    assert 'id="close-form"' not in html


@pytest.mark.parametrize(
    "role",
    [
        "clerk",  # a unit member, not its leader
        "deputy",  # a deputy
    ],
)
def test_assessment_refused_when_not_a_reader(cast, client, role):
    """Clerks and deputies get a 403 on the page, its cases and its export."""
    data.build(cast)
    client.force_login(flows.person(cast, role))
    for url in (
        reverse("reports:assessment", args=[2026]),
        reverse("reports:assessment_cases", args=[2026, cast.lead_unit.pk, "late_reply"]),
        reverse("reports:assessment_export", args=[2026]),
    ):
        assert client.get(url).status_code == 403


def test_assessment_sends_anonymous_to_login(client):
    """Anonymous visitors go to the login page."""
    response = client.get(reverse("reports:assessment", args=[2026]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_assessment_cases_lists_exactly_the_late_suggestion(cast, client):
    """The late-reply count's page lists the suggestion past its deadline, not the one
    replied on time, linked to its admin page for staff."""
    year = data.build(cast)
    client.force_login(cast.staff)
    url = reverse("reports:assessment_cases", args=[2026, cast.lead_unit.pk, "late_reply"])
    with flows.on(data.SEEN):
        html = client.get(url).content.decode()
    rows = re.findall(r'<tr class="case" data-suggestion="(\d+)">', html)
    assert rows == [str(year.late.pk)]
    admin_url = reverse("admin:suggestions_suggestion_change", args=[year.late.pk])
    assert f'<a href="{admin_url}">关于整治城区占道经营的建议</a>' in html
    assert "2026-06-10" in html  # its deadline


def test_assessment_cases_link_leader_to_their_task_page(cast, client):
    """A leader's case links to their unit's assignment on the task pages."""
    year = data.build(cast)
    client.force_login(cast.leader)
    url = reverse("reports:assessment_cases", args=[2026, cast.lead_unit.pk, "late_reply"])
    with flows.on(data.SEEN):
        html = client.get(url).content.decode()
    task = reverse("tasks:detail", args=[flows.lead(year.late).pk])
    assert f'<a href="{task}">' in html


def test_assessment_cases_not_found_for_another_unit_or_unknown_kind(cast, client):
    """A leader gets a 404 on another unit's cases; anyone on an unknown kind."""
    data.build(cast)
    client.force_login(cast.leader)
    other = reverse("reports:assessment_cases", args=[2026, cast.co_unit.pk, "late_co_opinion"])
    assert client.get(other).status_code == 404
    client.force_login(cast.staff)
    unknown = reverse("reports:assessment_cases", args=[2026, cast.lead_unit.pk, "manual"])
    assert client.get(unknown).status_code == 404


def test_assessment_cases_query_count_constant_in_cases(cast, client, django_assert_num_queries):
    """The cases page costs the same queries for one late suggestion as for three."""
    data.build(cast)
    client.force_login(cast.staff)
    url = reverse("reports:assessment_cases", args=[2026, cast.lead_unit.pk, "late_reply"])
    with flows.on(data.SEEN):
        client.get(url)
    with flows.on(data.SEEN), django_assert_num_queries(7):
        assert client.get(url).content.decode().count('class="case"') == 1
    data.assign_to(cast, cast.lead_unit, title="关于整治噪声扰民的建议")
    data.assign_to(cast, cast.lead_unit, title="关于增加公交线路的建议")
    with flows.on(data.SEEN), django_assert_num_queries(7):
        assert client.get(url).content.decode().count('class="case"') == 3


def test_assessment_query_count_same_for_one_and_three_units(
    cast, client, django_assert_num_queries
):
    """The page's queries do not grow with the units (at most 12)."""
    cache.delete(YEARS_CACHE_KEY)
    data.assign_to(cast, cast.lead_unit, title="关于整治噪声扰民的建议")
    client.force_login(cast.staff)
    url = reverse("reports:assessment", args=[2026])
    with flows.on(data.SEEN):
        client.get(url)  # the years with assignments are read and kept
    with flows.on(data.SEEN), django_assert_num_queries(12):
        assert len(ranked_units(client.get(url).content.decode())) == 1
    data.assign_to(cast, cast.other_unit, title="关于增加公交线路的建议", co_units=[cast.co_unit])
    with flows.on(data.SEEN), django_assert_num_queries(12):
        assert len(ranked_units(client.get(url).content.decode())) == 3


def test_assessment_close_freezes_figures_against_later_writes(cast, client):
    """Closed on the page, the year shows its banner and its figures as of the closing,
    unchanged by a reply written afterwards."""
    year = data.build(cast)
    client.force_login(cast.staff)
    url = reverse("reports:assessment", args=[2026])
    with flows.on(data.SEEN):
        response = client.post(url, {"action": "close", "confirm": "1"}, follow=True)
    html = response.content.decode()
    assert 'class="report-banner closed"' in html
    banner = html.split('id="year-status"')[1].split("</p>")[0]
    assert "2026-07-01" in banner and cast.staff.username in banner
    with flows.on(data.SEEN):
        flows.prepare_reply(cast, year.late)
        flows.reply(cast, year.late)
    lead = row_html(page(client, cast.staff).content.decode(), cast.lead_unit)
    assert '<span class="pair">1/2</span> <span class="pct">50.0%</span>' in lead


def test_assessment_close_refused_without_confirmation(cast, client):
    """Closing without ticking the confirmation leaves the year open, with a message."""
    data.build(cast)
    client.force_login(cast.staff)
    with flows.on(data.SEEN):
        response = client.post(
            reverse("reports:assessment", args=[2026]), {"action": "close"}, follow=True
        )
    html = response.content.decode()
    assert 'class="report-banner live"' in html
    assert 'id="messages"' in html and 'class="error"' in html


def test_assessment_reopen_shows_refusal_without_reason(cast, client):
    """Reopening without a reason is refused with the service's message; with one, the
    figures are live again."""
    data.build(cast)
    with flows.on(data.SEEN):
        services.assessment_close(year=2026, by=cast.staff)
    client.force_login(cast.staff)
    url = reverse("reports:assessment", args=[2026])
    with flows.on(data.SEEN):
        refused = client.post(url, {"action": "reopen", "reason": " "}, follow=True)
        reopened = client.post(url, {"action": "reopen", "reason": "数据有误"}, follow=True)
    assert gettext("Give the reason.") in refused.content.decode()
    assert 'class="report-banner closed"' in refused.content.decode()
    assert 'class="report-banner live"' in reopened.content.decode()


def test_assessment_close_refused_to_leader(cast, client):
    """A leader's POST to close the year is a 403 and the year stays open."""
    data.build(cast)
    client.force_login(cast.leader)
    with flows.on(data.SEEN):
        response = client.post(
            reverse("reports:assessment", args=[2026]), {"action": "close", "confirm": "1"}
        )
    assert response.status_code == 403
    assert closing_of(2026) is None


def test_assessment_year_choice_lists_years_with_assignments(cast, client):
    """The year choice offers the years with assignments and this year."""
    cache.delete(YEARS_CACHE_KEY)
    data.build(cast)
    with flows.on(data.ASSIGNED.replace(year=2024)):
        flows.assigned(cast, title="关于旧城改造的建议")
    html = page(client, cast.staff).content.decode()
    years = re.findall(r'href="/reports/assessment/(\d+)/"', html.split('id="years"')[1])
    assert years == ["2026", "2024"]


def test_assessment_page_without_units(staff, client):
    """A year without assignments says so instead of an empty table."""
    factories.HandlingUnitFactory()
    html = page(client, staff, year=2025).content.decode()
    assert 'id="no-rows"' in html


def test_assessment_shows_redos_by_ground(cast, client):
    """A redo for a reply not up to standard shows in the redo count by its ground and
    as a deduction whose cases page lists the suggestion."""
    from suggestions import services as loop

    year = data.build(cast)
    with flows.on(data.ASSIGNED):
        loop.suggestion_order_redo(
            suggestion=year.replied,
            by=cast.staff,
            reason="答复未逐条回应。",
            grounds="nonconforming",
        )
    lead = row_html(page(client, cast.staff).content.decode(), cast.lead_unit)
    ground = gettext("Reply does not conform to the requirements")
    assert f'<td class="redos" title="{ground} 1">1' in lead
    cases = reverse(
        "reports:assessment_cases", args=[2026, cast.lead_unit.pk, "nonconforming_reply"]
    )
    assert f'<a href="{cases}" class="cases-link">1</a>' in lead
    with flows.on(data.SEEN):
        html = client.get(cases).content.decode()
    assert re.findall(r'data-suggestion="(\d+)"', html) == [str(year.replied.pk)]


def test_assessment_cases_frozen_when_year_closed(cast, client):
    """A closed year's cases page lists the suggestions frozen at the closing, even once
    the missing signatures are given; reopened, the list is live (empty)."""
    year = data.build(cast)
    with flows.on(data.SEEN):
        services.assessment_close(year=2026, by=cast.staff)
        flows.sign_all(cast, year.replied)
    client.force_login(cast.staff)
    url = reverse("reports:assessment_cases", args=[2026, cast.lead_unit.pk, "missing_signatures"])
    with flows.on(data.SEEN):
        frozen = client.get(url).content.decode()
        services.assessment_reopen(year=2026, by=cast.staff, reason="补签后复核")
        live = client.get(url).content.decode()
    assert re.findall(r'data-suggestion="(\d+)"', frozen) == [str(year.replied.pk)]
    assert 'id="no-cases"' in live


def test_assessment_closed_year_page_rendered_once_per_closing(
    cast, client, django_assert_max_num_queries
):
    """A closed year's table is rendered once and kept (no frozen rows read again); the
    leader's page is kept apart from the office's; reopening shows live figures again."""

    data.build(cast)
    with flows.on(data.SEEN):
        services.assessment_close(year=2026, by=cast.staff)
    first = page(client, cast.staff).content.decode()
    client.force_login(cast.staff)
    with flows.on(data.SEEN), django_assert_max_num_queries(6) as counted:
        again = client.get(reverse("reports:assessment", args=[2026])).content.decode()
    assert not any("reports_assessmentsnapshot" in q["sql"] for q in counted.captured_queries)
    assert ranked_units(again) == ranked_units(first) == ["市公安局交通警察支队", "市交通运输局"]
    assert ranked_units(page(client, cast.leader).content.decode()) == ["市交通运输局"]
    with flows.on(data.SEEN):
        services.assessment_reopen(year=2026, by=cast.staff, reason="补录答复。")
    assert 'class="report-banner live"' in page(client, cast.staff).content.decode()
