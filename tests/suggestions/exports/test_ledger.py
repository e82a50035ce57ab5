"""The suggestion ledger (台账): csv and xlsx exports from the admin changelist."""

import codecs
import csv
import datetime
import io
import re
import sqlite3
from urllib.parse import unquote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from suggestions import exports, services
from suggestions.models import Reply, SignOff, Suggestion
from tests import factories, flows

pytestmark = [pytest.mark.urls("tests.suggestions.exports.urls"), pytest.mark.django_db]

LEDGER = "exports_admin:suggestions_suggestion_ledger"
CHANGELIST = "exports_admin:suggestions_suggestion_changelist"


def _content(response) -> bytes:
    return b"".join(response.streaming_content)


def _export(client, user, format_, **params):
    client.force_login(user)
    return client.get(reverse(LEDGER), {"format": format_, **params})


def _csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(_content(response).decode("utf-8-sig"))))


def _xlsx_rows(response) -> list[list]:
    sheet = load_workbook(io.BytesIO(_content(response))).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def _records(rows: list[list]) -> list[dict]:
    """Rows as dicts keyed by header; empty xlsx cells read as ""."""
    headers, *body = rows
    return [
        {h: ("" if v is None else v) for h, v in zip(headers, row, strict=True)} for row in body
    ]


def _column(name: str) -> str:
    """A header in the active language, by the column's English label."""
    with translation.override("en"):
        english = exports.ledger_headers()
    return dict(zip(english, exports.ledger_headers(), strict=True))[name]


def _two_co_signers(cast) -> Suggestion:
    """A suggestion with two co-signers, assigned, replied, signed and revisited."""
    suggestion = services.suggestion_create(
        by=cast.staff,
        title="关于优化公交线路的建议",
        content="建议优化公交线路。",
        lead_deputy=cast.deputy,
        co_deputies=[cast.co_deputy, cast.other_deputy],
    )
    services.suggestion_approve(suggestion=suggestion, by=cast.staff)
    services.suggestion_assign(
        suggestion=suggestion, by=cast.staff, lead_unit=cast.lead_unit, co_units=[cast.co_unit]
    )
    flows.prepare_reply(cast, suggestion)
    flows.reply(cast, suggestion, "B")
    flows.sign_all(cast, suggestion)
    services.revisit_record(
        suggestion=suggestion,
        by=cast.staff,
        outcomes={c: "kept" for c in suggestion.current_reply().commitments.all()},
        notes="已落实。",
        early_reason="承诺事项已提前完成。",
    )
    return suggestion


def test_ledger_csv_starts_with_bom_and_headers_in_chinese(client, cast, exporter):
    """The csv is UTF-8 with a byte order mark and the ledger's headers, Chinese by default."""
    flows.assigned(cast)
    response = _export(client, exporter, "csv")
    content = _content(response)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert content.startswith(codecs.BOM_UTF8)
    headers = next(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert headers == exports.ledger_headers()
    assert {"编号", "标题", "领衔代表", "附议代表", "状态", "答复类别"} <= set(headers)


def test_ledger_csv_has_a_row_per_suggestion_with_every_column(client, cast, exporter):
    """Each suggestion is one row with co-signers, co-units, reply class, ratings and revisit."""
    revisited = _two_co_signers(cast)
    proposed = flows.proposed(cast, title="关于增加停车位的建议")
    records = _records(_csv_rows(_export(client, exporter, "csv")))
    by_title = {r[_column("Title")]: r for r in records}
    assert len(records) == 2
    row = by_title[revisited.title]
    revisited.refresh_from_db()
    lead = revisited.lead_assignment()
    assert row[_column("Number")] == revisited.number
    assert row[_column("Term")] == "16"
    assert row[_column("Lead deputy")] == "王丽"
    assert row[_column("Co-signing deputies")] == "李强、张伟"
    assert row[_column("State")] == str(Suggestion.State.REVISITED.label)
    assert row[_column("Lead unit")] == "市交通运输局"
    assert row[_column("Co-handling units")] == "市公安局交通警察支队"
    assert row[_column("Due on")] == lead.due_on.isoformat()
    assert row[_column("Original due date")] == lead.original_due_on.isoformat()
    assert row[_column("Days left")] == ""  # replied: no countdown
    assert row[_column("Classification")] == str(Reply.Classification.B.label)
    assert row[_column("On time")] == gettext("On time")
    assert row[_column("Rating of the handling work")] == str(SignOff.Rating.SATISFIED.label)
    assert row[_column("Rating of the result")] == str(SignOff.Rating.SATISFIED.label)
    assert row[_column("Revisit outcome")] == gettext(
        "kept %(kept)d, partly kept %(partly_kept)d, not kept %(not_kept)d"
    ) % {"kept": 1, "partly_kept": 0, "not_kept": 0}
    empty = by_title[proposed.title]
    assert empty[_column("State")] == str(Suggestion.State.PROPOSED.label)
    assert empty[_column("Lead unit")] == ""
    assert empty[_column("Revisit outcome")] == ""


def test_ledger_xlsx_has_the_same_rows_as_the_csv(client, cast, exporter):
    """The xlsx opens with openpyxl and holds the csv's headers and values, dates as dates."""
    _two_co_signers(cast)
    flows.assigned(cast, title="关于增加停车位的建议")
    csv_records = _records(_csv_rows(_export(client, exporter, "csv")))
    response = _export(client, exporter, "xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == exports.XLSX_CONTENT_TYPE
    xlsx_rows = _xlsx_rows(response)
    assert xlsx_rows[0] == exports.ledger_headers()
    xlsx_records = _records(xlsx_rows)
    assert len(xlsx_records) == len(csv_records) == 2
    for from_xlsx, from_csv in zip(xlsx_records, csv_records, strict=True):
        as_text = {
            h: v.date().isoformat() if isinstance(v, datetime.datetime) else str(v)
            for h, v in from_xlsx.items()
        }
        assert as_text == from_csv
    raised_on = xlsx_records[0][_column("Raised on")]
    assert isinstance(raised_on, datetime.datetime)


def test_ledger_xlsx_freezes_header_and_sets_column_widths(client, cast, exporter):
    """The header row stays in view when scrolling and every column has its width."""
    flows.proposed(cast)
    sheet = load_workbook(io.BytesIO(_content(_export(client, exporter, "xlsx")))).active
    widths = [
        sheet.column_dimensions[get_column_letter(i)].width
        for i in range(1, len(exports.LEDGER_COLUMNS) + 1)
    ]
    assert sheet.freeze_panes == "A2"
    assert widths == [width for _header, width in exports.LEDGER_COLUMNS]
    assert all(cell.font.b for cell in sheet[1])


@pytest.mark.parametrize("format_", ["csv", "xlsx"])
def test_ledger_neutralises_a_dangerous_title_when_exported(client, cast, exporter, format_):
    """Titles and categories a spreadsheet would run as formulas get a leading '."""
    flows.proposed(cast, title='=HYPERLINK("http://example.com","点此")', category="@SUM(A1)")
    flows.proposed(cast, title="－1+1", category="+城建")
    response = _export(client, exporter, format_)
    rows = _csv_rows(response) if format_ == "csv" else _xlsx_rows(response)
    records = _records(rows)
    titles = {r[_column("Title")] for r in records}
    categories = {r[_column("Category")] for r in records}
    assert titles == {'\'=HYPERLINK("http://example.com","点此")', "'－1+1"}
    assert categories == {"'@SUM(A1)", "'+城建"}


def test_ledger_xlsx_writes_a_dangerous_title_as_text(client, cast, exporter):
    """In the xlsx a neutralised title is a string cell, never a formula."""
    flows.proposed(cast, title="=1+1")
    sheet = load_workbook(io.BytesIO(_content(_export(client, exporter, "xlsx")))).active
    cell = sheet["D2"]
    assert cell.value == "'=1+1"
    assert cell.data_type == "s"


def test_ledger_xlsx_writes_a_serial_number_as_a_number_that_sorts(client, cast, exporter):
    """Numbers 2, 10 and 9 are number cells, so sorting the column in Excel gives 2, 9, 10."""
    for number in ("10", "2", "9"):
        flows.proposed(cast, number=number, title=f"第{number}号的建议")
    sheet = load_workbook(io.BytesIO(_content(_export(client, exporter, "xlsx")))).active
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert {cell.data_type for cell in cells} == {"n"}
    assert sorted(cell.value for cell in cells) == [2, 9, 10]


@pytest.mark.parametrize(
    ("number", "cell"),
    [
        ("15", 15),  # a plain serial number: a number cell
        ("007", "007"),  # a number cell would drop the zeros the office typed
        ("12-1", "12-1"),  # not a number: text
        ("A3", "A3"),  # not a number: text
        ("-5", "'-5"),  # starts like a formula: text, neutralised, never the number -5
        ("=1+1", "'=1+1"),  # a formula: text, neutralised
        ("", None),  # no number yet: an empty cell
    ],
)
def test_ledger_xlsx_keeps_other_numbers_as_safe_text(client, cast, exporter, number, cell):
    """Only a plain serial number becomes a number; the rest stays text, formulas neutralised."""
    flows.proposed(cast, number=number)
    sheet = load_workbook(io.BytesIO(_content(_export(client, exporter, "xlsx")))).active
    assert sheet["A2"].value == cell
    assert sheet["A2"].data_type == ("n" if isinstance(cell, int | None) else "s")


@pytest.mark.parametrize("format_", ["csv", "xlsx"])
def test_ledger_query_count_is_the_same_for_1_and_30_suggestions(client, cast, exporter, format_):
    """The export reads chunks, not rows: 30 suggestions cost the queries of 1."""
    client.force_login(exporter)
    url = reverse(LEDGER)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, {"format": format_})
            _content(response)
        return len(queries)

    _two_co_signers(cast)
    one = count()
    for _ in range(9):
        _two_co_signers(cast)
    for _ in range(10):
        flows.handled(cast)
    for _ in range(10):
        flows.proposed(cast)
    assert Suggestion.objects.count() == 30
    thirty = count()
    assert thirty == one


def test_ledger_rows_reads_a_fixed_number_of_queries_per_chunk(cast, django_assert_num_queries):
    """One query for the ids, then four per chunk (columns, co-signers, co-units, revisits)."""
    made = [flows.assigned(cast, title=f"建议{i}") for i in range(5)]
    queryset = Suggestion.objects.order_by("pk")
    with django_assert_num_queries(1 + 4 * 3):  # 5 rows in chunks of 2
        rows = list(exports.ledger_rows(queryset, chunk_size=2))
    assert [r[3] for r in rows] == [s.title for s in made]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's parameter limit")
def test_ledger_rows_fits_chunks_to_the_sqlite_parameter_limit(cast, django_assert_num_queries):
    """On an SQLite that takes few parameters per statement the chunks shrink to fit."""
    made = [flows.proposed(cast, title=f"建议{i}") for i in range(7)]
    connection.ensure_connection()
    limit = sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER
    previous = connection.connection.setlimit(limit, 15)  # chunks of 5
    try:
        with django_assert_num_queries(1 + 4 * 2):
            rows = list(exports.ledger_rows(Suggestion.objects.order_by("pk")))
    finally:
        connection.connection.setlimit(limit, previous)
    assert [r[3] for r in rows] == [s.title for s in made]


def test_ledger_rows_word_the_days_left_and_overdue(cast):
    """Days left is the lead deadline counted from today, in words once it has passed too."""
    suggestion = flows.assigned(cast)
    due_on = suggestion.lead_assignment().due_on
    index = exports.ledger_headers().index(_column("Days left"))
    queryset = Suggestion.objects.all()
    early = next(exports.ledger_rows(queryset, today=due_on - datetime.timedelta(days=10)))
    late = next(exports.ledger_rows(queryset, today=due_on + datetime.timedelta(days=5)))
    assert early[index] == "剩 10 天"
    assert late[index] == "逾期 5 天"


def test_ledger_rows_reports_revisit_without_commitments(cast):
    """A revisited A reply, which has no commitments, says so in the revisit column."""
    suggestion = flows.signed(cast, classification="A")
    services.revisit_record(suggestion=suggestion, by=cast.staff, outcomes={}, notes="已解决。")
    index = exports.ledger_headers().index(_column("Revisit outcome"))
    row = next(exports.ledger_rows(Suggestion.objects.all()))
    assert row[index] == gettext("revisited, no commitments to check")


@pytest.mark.parametrize("format_", ["csv", "xlsx"])
def test_ledger_names_the_file_in_chinese_with_the_date(client, cast, exporter, format_):
    """The attachment is 建议台账-<date> (RFC 5987), with an ASCII name for old browsers."""
    response = _export(client, exporter, format_)
    day = timezone.localdate().isoformat()
    disposition = response["Content-Disposition"]
    assert disposition.startswith(f'attachment; filename="suggestion-ledger-{day}.{format_}"; ')
    encoded = disposition.split("; filename*=")[1]
    assert encoded.startswith("UTF-8''")
    assert unquote(encoded.removeprefix("UTF-8''")) == f"建议台账-{day}.{format_}"


@pytest.mark.parametrize("format_", ["csv", "xlsx"])
def test_ledger_export_forbidden_without_export_permission(client, cast, viewer, format_):
    """Staff who may view suggestions but lack the export permission get 403."""
    flows.proposed(cast)
    assert _export(client, viewer, format_).status_code == 403


def test_ledger_export_redirects_to_login_when_not_staff(client, cast):
    """A unit clerk (not staff) is sent to the admin login, never given the ledger."""
    response = _export(client, cast.clerk, "csv")
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_ledger_export_not_found_when_format_unknown(client, exporter):
    """A format other than xlsx or csv is a 404."""
    assert _export(client, exporter, "pdf").status_code == 404


def test_export_permission_granted_to_committee_office(staff):
    """The committee office group has the export permission (migration 0004)."""
    assert staff.has_perm(exports.EXPORT_PERMISSION)
    plain = factories.StaffFactory(username="plain", groups=[])
    assert not plain.has_perm(exports.EXPORT_PERMISSION)


def test_ledger_export_keeps_the_changelist_filter(client, cast, exporter):
    """The export holds only what the changelist shows: its filters and its search."""
    assigned = flows.assigned(cast, title="关于治理噪声的建议")
    flows.proposed(cast, title="关于增加停车位的建议")
    by_state = _records(_csv_rows(_export(client, exporter, "csv", state__exact="assigned")))
    by_search = _records(_csv_rows(_export(client, exporter, "csv", q="停车位")))
    assert [r[_column("Title")] for r in by_state] == [assigned.title]
    assert [r[_column("Title")] for r in by_search] == ["关于增加停车位的建议"]


def test_ledger_export_keeps_the_changelist_ordering(client, cast, exporter):
    """Rows come in the changelist's order, here by title descending (o=-2)."""
    for title in ("乙建议", "甲建议", "丙建议"):
        flows.proposed(cast, title=title)
    records = _records(_csv_rows(_export(client, exporter, "csv", o="-2")))
    titles = [r[_column("Title")] for r in records]
    assert titles == sorted(titles, reverse=True)


def test_ledger_export_redirects_when_changelist_filter_is_bad(client, exporter):
    """A filter the changelist refuses sends the user back to the changelist's error page."""
    response = _export(client, exporter, "csv", no_such_field="1")
    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")


def test_export_selected_action_exports_only_the_selected(client, cast, exporter):
    """The changelist action exports the ticked suggestions and no others."""
    chosen = flows.proposed(cast, title="关于治理噪声的建议")
    flows.proposed(cast, title="关于增加停车位的建议")
    client.force_login(exporter)
    response = client.post(
        reverse(CHANGELIST), {"action": "export_ledger_csv", "_selected_action": [chosen.pk]}
    )
    records = _records(_csv_rows(response))
    assert [r[_column("Title")] for r in records] == [chosen.title]


def test_changelist_shows_export_buttons_and_action_when_user_may_export(client, cast, exporter):
    """A user with the export permission sees both export buttons and the actions."""
    flows.proposed(cast)
    client.force_login(exporter)
    page = client.get(reverse(CHANGELIST)).content.decode()
    assert f"{reverse(LEDGER)}?format=xlsx" in page
    assert f"{reverse(LEDGER)}?format=csv" in page
    assert 'value="export_ledger_xlsx"' in page
    assert 'value="export_ledger_csv"' in page


def test_changelist_hides_export_buttons_and_action_when_user_may_not_export(client, cast, viewer):
    """A user without the export permission sees neither the buttons nor the actions."""
    flows.proposed(cast)
    client.force_login(viewer)
    response = client.get(reverse(CHANGELIST))
    page = response.content.decode()
    assert response.status_code == 200
    assert reverse(LEDGER) not in page
    assert "export_ledger" not in page


def test_changelist_export_buttons_carry_the_current_filter(client, exporter):
    """The export buttons export what the changelist shows: its query string is kept."""
    client.force_login(exporter)
    page = client.get(reverse(CHANGELIST), {"state__exact": "assigned", "p": "1"})
    links = re.findall(r'href="([^"]*format=(?:csv|xlsx))"', page.content.decode())
    assert links == [
        f"{reverse(LEDGER)}?state__exact=assigned&amp;format=xlsx",
        f"{reverse(LEDGER)}?state__exact=assigned&amp;format=csv",
    ]


def test_changelist_keeps_other_mixins_buttons_when_export_buttons_are_added(
    client, cast, exporter
):
    """Next to import-export's own changelist template, both its and the export buttons show."""
    flows.proposed(cast)
    client.force_login(exporter)
    page = client.get(reverse("composed_admin:suggestions_suggestion_changelist"))
    html = page.content.decode()
    assert page.status_code == 200
    assert reverse("composed_admin:suggestions_suggestion_import") in html
    assert f"{reverse('composed_admin:suggestions_suggestion_ledger')}?format=xlsx" in html


def _bulk_proposed(cast, count: int) -> None:
    """``count`` proposed suggestions inserted at once (the lifecycle is not what is tested)."""
    Suggestion.objects.bulk_create(
        Suggestion(
            term=16,
            session=1,
            title=f"关于改善第{n}号路段交通的建议",
            content="建议。",
            lead_deputy=cast.deputy,
        )
        for n in range(count)
    )


def test_ledger_xlsx_is_streamed_in_pieces_when_rows_are_many(client, cast, exporter):
    """A few thousand rows are sent in several pieces, the first before any row is read."""
    _bulk_proposed(cast, 5000)
    response = _export(client, exporter, "xlsx")
    assert response.streaming
    content = iter(response.streaming_content)
    with CaptureQueriesContext(connection) as before_first_piece:
        pieces = [next(content)]
    with CaptureQueriesContext(connection) as while_streaming:
        pieces.extend(content)
    assert len(before_first_piece) == 0  # the first bytes left before the ledger was read
    assert len(while_streaming) > 0  # the rows were read as the body was sent
    assert len(pieces) >= 3  # the first parts, at least one piece of rows, the end
    sheet = load_workbook(io.BytesIO(b"".join(pieces))).active
    assert sheet.max_row == 5001


def test_ledger_xlsx_names_the_file_with_the_date(client, cast, exporter):
    """The xlsx attachment has the ASCII name with today's date and the translated name."""
    response = _export(client, exporter, "xlsx")
    day = timezone.localdate().isoformat()
    disposition = response["Content-Disposition"]
    assert disposition.startswith(f'attachment; filename="suggestion-ledger-{day}.xlsx"; ')
    assert "filename*=UTF-8''" in disposition
    assert disposition.endswith(".xlsx")


def test_ledger_xlsx_uses_the_request_language_when_streamed_later(cast):
    """Words are translated when the response is made, not when its body is produced."""
    flows.proposed(cast)
    with translation.override("en"):
        response = exports.ledger_xlsx_response(Suggestion.objects.all())
        english = str(Suggestion.State.PROPOSED.label)
        headers = exports.ledger_headers()
    assert str(Suggestion.State.PROPOSED.label) != english  # the body is read in Chinese
    rows = _xlsx_rows(response)
    assert rows[0] == headers
    assert english in rows[1]


def test_co_signers_are_listed_in_the_order_they_were_entered(cast):
    """Whatever their ids, the ledger keeps the co-signers' order of entry."""
    later = [factories.DeputyFactory(name=f"代表{n}") for n in range(12)]
    entered = [later[9], later[2], later[11], later[0], later[5]]
    suggestion = services.suggestion_create(
        by=cast.staff, title="顺序", content="内容", lead_deputy=cast.deputy, co_deputies=entered
    )
    rows = list(exports.ledger_rows(Suggestion.objects.filter(pk=suggestion.pk)))
    assert rows[0][6] == "、".join(d.name for d in entered)
