"""The assessment's xlsx (``reports:assessment_export``): the page's rows and values."""

import io
import re

import openpyxl
import pytest
from django.urls import reverse

from reports import services
from reports.assessment_export import assessment_headers
from reports.selectors import RATES, unit_assessment
from tests import flows
from tests.reports import assessment_data as data

pytestmark = pytest.mark.django_db


def sheet(client, user) -> list[list]:
    client.force_login(user)
    with flows.on(data.SEEN):
        response = client.get(reverse("reports:assessment_export", args=[data.YEAR]))
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [list(row) for row in book.active.iter_rows(values_only=True)]


def page_units(client, user) -> list[str]:
    client.force_login(user)
    with flows.on(data.SEEN):
        html = client.get(reverse("reports:assessment", args=[data.YEAR])).content.decode()
    return re.findall(r'<th scope="row" class="unit">(.*?)</th>', html)


def test_assessment_export_equals_the_page(cast, client):
    """The xlsx has the page's units in the page's order, and each row's figures are
    unit_assessment's: rank, counts, every rate's pair and percentage, score."""
    data.build(cast)
    with flows.on(data.SEEN):
        services.deduction_record(
            unit=cast.lead_unit, year=2026, by=cast.staff, points=1, reason="=制度不健全"
        )
        expected = unit_assessment(year=2026)
    header, *rows = sheet(client, cast.staff)
    assert header == assessment_headers()
    assert [r[1] for r in rows] == page_units(client, cast.staff)
    for row, figures in zip(rows, expected, strict=True):
        assert row[:4] == [figures.rank, figures.unit.name, figures.lead_count, figures.co_count]
        for i, name in enumerate(RATES):
            rate = getattr(figures, name)
            assert row[4 + 3 * i : 7 + 3 * i] == [rate.numerator, rate.denominator, rate.percent]
        assert row[-1] == float(figures.score)
        assert row[-2] == float(figures.deducted)
    lead = rows[1]
    assert lead[1] == "市交通运输局" and lead[-1] == 95
    # The reason, written as a formula, is text in the sheet.
    assert lead[-3] == "'=制度不健全（1.0）"


def test_assessment_export_headers_are_chinese(cast, client):
    """The headers are in the user's language (Chinese by default)."""
    data.build(cast)
    header = sheet(client, cast.staff)[0]
    assert header[1] == "承办单位"
    assert all(not re.search(r"[A-Za-z]{4}", h) for h in header[1:2])


def test_assessment_export_leader_gets_their_units_only(cast, client):
    """A leader's sheet has their unit's row, with its rank among all units."""
    data.build(cast)
    _header, *rows = sheet(client, cast.leader)
    assert [(r[0], r[1]) for r in rows] == [(2, "市交通运输局")]
