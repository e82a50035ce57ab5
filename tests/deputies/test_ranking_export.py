"""The year's ranking in the admin (``admin:deputies_ranking``) and its xlsx export
(``admin:deputies_ranking_export``): ranks overall and within the delegation, filters that
keep the overall ranks, who falls short and what they owe, few queries whatever the number
of deputies, the export's rows equal to the page's, staff only."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from django.utils.translation import gettext

from deputies import services
from deputies.models import Deputy, DeputyGroup, DutyRecord
from tests import factories, flows

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 20)
PAGE = reverse("admin:deputies_ranking")
EXPORT = reverse("admin:deputies_ranking_export")


@pytest.fixture
def year(cast):
    """王丽 10 (two reports), 李强 5 (a report; another delegation), 张伟 2 (a meeting),
    and 赵六 0; 王丽 and 赵六 form a group."""
    cast.co_deputy.delegation = "七里河区代表团"
    cast.co_deputy.level = Deputy.Level.COUNTY
    cast.co_deputy.save()
    zhao = factories.DeputyFactory(name="赵六", mobile="13900001111")
    cast.deputy.mobile = "13800002222"
    cast.deputy.save()
    with flows.on(TODAY):
        for n, day in enumerate([datetime.date(2026, 2, 3), TODAY]):
            services.duty_record(
                deputy=cast.deputy, by=cast.staff, kind="report", happened_on=day, source=f"r{n}"
            )
        services.duty_record(deputy=cast.co_deputy, by=cast.staff, kind="report", happened_on=TODAY)
        services.duty_record(
            deputy=cast.other_deputy, by=cast.staff, kind="meeting", happened_on=TODAY
        )
    group = DeputyGroup.objects.create(name="第一代表小组")
    group.members.set([cast.deputy, zhao])
    return {"group": group, "zhao": zhao}


def _page(client, user, **params):
    client.force_login(user)
    with flows.on(TODAY):
        return client.get(PAGE, params)


def _shown(response) -> list[tuple]:
    return [
        (row.name, row.rank, row.rank_in_delegation, row.total)
        for row, _level, _owed in response.context["rows"]
    ]


def test_ranking_ranks_overall_and_within_the_delegation(client, cast, year):
    response = _page(client, cast.staff)
    assert response.status_code == 200
    assert _shown(response) == [
        ("王丽", 1, 1, Decimal(10)),
        ("李强", 2, 1, Decimal(5)),
        ("张伟", 3, 2, Decimal(2)),
        ("赵六", 4, 3, Decimal(0)),
    ]
    body = response.content.decode()
    assert 'id="ranking-export"' in body and "13800002222" not in body


@pytest.mark.parametrize(
    ("params", "names"),
    [
        # a delegation: the overall ranks stay
        ({"delegation": "城关区代表团"}, [("王丽", 1), ("张伟", 3), ("赵六", 4)]),
        # a level
        ({"level": "county"}, [("李强", 2)]),
        # a group
        ("group", [("王丽", 1), ("赵六", 4)]),
        # an unknown delegation is no filter
        ({"delegation": "无此代表团"}, [("王丽", 1), ("李强", 2), ("张伟", 3), ("赵六", 4)]),
    ],
)
def test_ranking_filters_keep_the_overall_ranks(client, cast, year, params, names):
    if params == "group":
        params = {"group": year["group"].pk}
    response = _page(client, cast.staff, **params)
    assert [(name, rank) for name, rank, _d, _t in _shown(response)] == names


def test_ranking_lists_who_falls_short_and_what_they_owe(client, cast, year):
    """Only deputies with a contact rule unmet, each with the rules they owe."""
    response = _page(client, cast.staff, short=1)
    owed = {row.name: labels for row, _level, labels in response.context["rows"]}
    quarter = gettext("Constituents met in quarter %(quarter)s")
    suggestion = gettext("At least one suggestion this year")
    report = gettext("A report to voters this year")
    # Every one owes a suggestion; 王丽 met constituents in Q1 and Q4 only.
    assert owed["王丽"] == [quarter % {"quarter": 2}, quarter % {"quarter": 3}, suggestion]
    assert report in owed["张伟"] and report in owed["赵六"] and report not in owed["李强"]
    assert response.content.decode().count('class="npc-owed"') == 4


def test_ranking_of_a_past_year_and_bad_years(client, cast, year):
    assert _shown(_page(client, cast.staff, year=2025))[0][3] == Decimal(0)
    assert _page(client, cast.staff, year="x").status_code == 404
    assert _page(client, cast.staff, year=2027).status_code == 404


def test_ranking_is_paginated_by_a_hundred(client, cast):
    Deputy.objects.bulk_create(
        Deputy(name=f"代表{n:03}", level="city", delegation="城关区代表团", term=16)
        for n in range(120)
    )
    first = _page(client, cast.staff)
    second = _page(client, cast.staff, page=2)
    assert len(first.context["rows"]) == 100
    assert len(second.context["rows"]) == 123 - 100
    assert "page=2" in first.content.decode()


@pytest.mark.parametrize("deputies", [5, 200])
def test_ranking_page_takes_at_most_eight_queries(
    client, cast, deputies, django_assert_max_num_queries
):
    """Filtered by group and listing who falls short, whatever the number of deputies."""
    made = Deputy.objects.bulk_create(
        Deputy(name=f"代表{n:03}", level="city", delegation=f"第{n % 7}代表团", term=16)
        for n in range(deputies)
    )
    DutyRecord.objects.bulk_create(
        DutyRecord(deputy=d, kind="contact", happened_on=TODAY, source=f"c{d.pk}") for d in made
    )
    group = DeputyGroup.objects.create(name="第一代表小组")
    group.members.set(made[::2])
    client.force_login(cast.staff)
    with flows.on(TODAY), django_assert_max_num_queries(8):
        response = client.get(PAGE, {"group": group.pk, "short": 1, "delegation": "第1代表团"})
    assert response.status_code == 200
    with flows.on(TODAY), django_assert_max_num_queries(8):
        assert client.get(PAGE).status_code == 200


# The export


def _sheet(response) -> list[list]:
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [list(row) for row in book.active.iter_rows(values_only=True)]


def _export(client, user, **params):
    client.force_login(user)
    with flows.on(TODAY):
        return client.get(EXPORT, params)


@pytest.mark.parametrize(
    "params",
    [
        {},  # everyone
        {"delegation": "城关区代表团"},  # a delegation
        {"short": 1, "level": "city"},  # who falls short at a level
        "group",  # a group
    ],
)
def test_export_rows_equal_the_pages_rows(client, cast, year, params):
    if params == "group":
        params = {"group": year["group"].pk}
    page = _page(client, cast.staff, **params)
    rows = _sheet(_export(client, cast.staff, **params))[1:]
    assert [(r[2], r[0], r[1], Decimal(str(r[5]))) for r in rows] == _shown(page)


def test_export_has_points_by_kind_and_unmet_rules_and_no_phones(client, cast, year):
    rows = _sheet(_export(client, cast.staff))
    headers = rows[0]
    assert headers[:6] == [
        gettext("Rank"),
        gettext("Rank in delegation"),
        gettext("Name"),
        gettext("Delegation"),
        gettext("Level"),
        gettext("Total points"),
    ]
    assert headers[-1] == gettext("Rules unmet")
    report = headers.index(str(DutyRecord.Kind.REPORT.label))
    meeting = headers.index(str(DutyRecord.Kind.MEETING.label))
    by_name = {row[2]: row for row in rows[1:]}
    assert by_name["王丽"][report] == 10 and by_name["王丽"][meeting] == 0
    assert by_name["张伟"][meeting] == 2
    assert gettext("A report to voters this year") in by_name["赵六"][-1]
    assert by_name["王丽"][4] == str(Deputy.Level.CITY.label)
    cells = [str(cell) for row in rows for cell in row]
    assert not any("13800002222" in c or "13900001111" in c for c in cells)


def test_export_neutralises_text(client, cast, year):
    """A name a spreadsheet would run as a formula is written as text."""
    year["zhao"].name = "=HYPERLINK(1)"
    year["zhao"].save()
    rows = _sheet(_export(client, cast.staff))
    assert "'=HYPERLINK(1)" in [row[2] for row in rows]


def test_export_points_by_kind_take_one_query(client, cast, year, django_assert_max_num_queries):
    """The points by kind come in one grouped query, not one per deputy."""
    Deputy.objects.bulk_create(
        Deputy(name=f"代表{n:03}", level="city", delegation="城关区代表团", term=16)
        for n in range(100)
    )
    client.force_login(cast.staff)
    with flows.on(TODAY), django_assert_max_num_queries(12):
        response = client.get(EXPORT)
        assert len(_sheet(response)) == 1 + 104


# Who may see them


@pytest.mark.parametrize("url", [PAGE, EXPORT])
def test_ranking_and_export_are_for_staff_only(client, cast, url):
    """Anonymous users and deputies go to the login page; staff outside the office: 403."""
    with flows.on(TODAY):
        assert client.get(url).status_code == 302
        client.force_login(cast.deputy.user)
        response = client.get(url)
        assert response.status_code == 302 and "login" in response.url
        client.force_login(factories.StaffFactory(username="plain", groups=[]))
        assert client.get(url).status_code == 403
