"""The streaming xlsx writer: what it writes reads back in openpyxl, as it was given."""

import datetime
import decimal
import io
import zipfile

import pytest
from openpyxl import load_workbook

from sheets.writers import neutralise
from sheets.xlsx_writer import (
    MAX_CELL_CHARS,
    SheetSpec,
    column_letter,
    stream_workbook,
    stream_xlsx,
)


def _xlsx(headers, rows, **options) -> bytes:
    return b"".join(stream_xlsx(headers, rows, **options))


def _sheet(headers, rows, **options):
    return load_workbook(io.BytesIO(_xlsx(headers, rows, **options))).active


def _values(headers, rows, **options) -> list[list]:
    sheet = _sheet(headers, rows, **options)
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def _sheet_xml(content: bytes) -> str:
    return zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml").decode()


@pytest.mark.parametrize(
    "value",
    [
        "a < b && c > d \"quoted\" 'single'",  # XML's special characters
        "关于增设学校周边交通信号灯的建议",  # Chinese
        "第一行\n第二行",  # a line break inside a cell
        "😀 beyond the Basic Multilingual Plane",
        "'=1+1",  # neutralised formula: stays text
    ],
)
def test_stream_xlsx_round_trips_text_when_read_by_openpyxl(value):
    """Text comes back from openpyxl exactly as it was written, as a string cell."""
    sheet = _sheet(["text"], [[value]])
    assert sheet["A2"].value == value
    assert sheet["A2"].data_type == "s"


def test_stream_xlsx_writes_neutralised_formula_as_text_not_formula():
    """A cell starting with = (neutralised by the caller) is a string, never a formula."""
    content = _xlsx(["title"], [[neutralise('=HYPERLINK("http://example.com")')]])
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet["A2"].value == '\'=HYPERLINK("http://example.com")'
    assert sheet["A2"].data_type == "s"
    assert "<f>" not in _sheet_xml(content)


def test_stream_xlsx_writes_text_starting_with_equals_as_text_when_not_neutralised():
    """Even un-neutralised, text is written as an inline string: the writer makes no formulas."""
    sheet = _sheet(["title"], [["=1+1"]])
    assert sheet["A2"].value == "=1+1"
    assert sheet["A2"].data_type == "s"


def test_stream_xlsx_round_trips_numbers_dates_booleans_and_none():
    """Numbers stay numbers, dates come back as dates, None leaves the cell empty."""
    row = [
        16,
        -5,
        1.25,
        decimal.Decimal("2.50"),
        True,
        datetime.date(2026, 3, 5),
        datetime.datetime(2026, 3, 5, 10, 30, 15),
        None,
        "",
        "after the empty cells",
    ]
    values = _values([f"h{i}" for i in range(len(row))], [row])[1]
    assert values == [
        16,
        -5,
        1.25,
        2.5,
        True,
        datetime.datetime(2026, 3, 5),
        datetime.datetime(2026, 3, 5, 10, 30, 15),
        None,
        None,
        "after the empty cells",
    ]
    assert type(values[0]) is int


def test_stream_xlsx_styles_dates_with_a_date_format():
    """Date cells carry a date number format, so a spreadsheet shows them as dates."""
    sheet = _sheet(["raised on"], [[datetime.date(2026, 3, 5)]])
    assert sheet["A2"].is_date
    assert sheet["A2"].number_format == "yyyy-mm-dd"


def test_stream_xlsx_writes_dates_before_excel_calendar_as_text():
    """Excel's 1900 calendar starts in 1900: an older date is written as ISO text."""
    assert _values(["day"], [[datetime.date(1899, 1, 1)]])[1] == ["1899-01-01"]


def test_stream_xlsx_writes_infinity_and_nan_as_text():
    """Excel has no number for NaN or infinity: they are written as their text."""
    assert _values(["a", "b"], [[float("nan"), float("inf")]])[1] == ["nan", "inf"]


def test_stream_xlsx_strips_characters_illegal_in_xml():
    """Control characters and lone surrogates are removed; the file stays readable."""
    values = _values(["text"], [["a\x00b\x08c\x0bd\x1fe\ud800f\ufffeg"], ["tab\tok"]])
    assert values[1:] == [["abcdefg"], ["tab\tok"]]


def test_stream_xlsx_caps_a_cell_at_excel_limit():
    """A text longer than Excel's 32,767 characters is cut to that length."""
    values = _values(["long", "short"], [["长" * 40000, "x" * MAX_CELL_CHARS]])
    assert len(values[1][0]) == MAX_CELL_CHARS
    assert values[1][1] == "x" * MAX_CELL_CHARS


def test_stream_xlsx_caps_by_utf16_units_when_text_is_beyond_the_bmp():
    """Excel counts a character beyond the BMP twice: the cap keeps whole characters."""
    text = _values(["emoji"], [["😀" * 20000]])[1][0]
    assert len(text.encode("utf-16-le")) // 2 <= MAX_CELL_CHARS
    assert text == "😀" * (MAX_CELL_CHARS // 2)


def test_stream_xlsx_keeps_spaces_around_text():
    """Leading and trailing spaces are marked to be kept (Excel drops them otherwise)."""
    content = _xlsx(["text"], [[" padded "]])
    assert '<t xml:space="preserve"> padded </t>' in _sheet_xml(content)
    assert load_workbook(io.BytesIO(content)).active["A2"].value == " padded "


def test_stream_xlsx_makes_header_bold_frozen_and_filtered():
    """The header row is bold, stays in view and carries an autofilter over the rows."""
    sheet = _sheet(["编号", "标题", "日期"], [["1", "甲", None], ["2", "乙", None]])
    assert [cell.value for cell in sheet[1]] == ["编号", "标题", "日期"]
    assert all(cell.font.b for cell in sheet[1])
    assert not any(cell.font.b for cell in sheet[2])
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:C3"


def test_stream_xlsx_sets_column_widths_when_given():
    """Each column gets the width it was given, in characters."""
    sheet = _sheet(["a", "b", "c"], [], column_widths=[8, 40, 12.5])
    widths = [sheet.column_dimensions[column_letter(i)].width for i in (1, 2, 3)]
    assert widths == [8, 40, 12.5]


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("台账", "台账"),  # a plain Chinese name
        ("a/b:c[d]*?\\", "a_b_c_d____"),  # characters Excel forbids in a sheet name
        ("x" * 40, "x" * 31),  # longer than Excel's 31 characters
        ("'quoted'", "quoted"),  # an apostrophe may not start or end the name
        ("", "Sheet1"),  # nothing left: a default name
    ],
)
def test_stream_xlsx_makes_sheet_title_valid_for_excel(title, expected):
    """The sheet's name is cleaned to what Excel accepts."""
    assert _sheet(["a"], [], sheet_title=title).title == expected


def test_stream_xlsx_writes_every_part_excel_needs():
    """The zip has the package parts, a styles part with a date format, and no ZIP64."""
    content = _xlsx(["a"], [[datetime.date(2026, 3, 5)]], sheet_title="台账")
    archive = zipfile.ZipFile(io.BytesIO(content))
    assert archive.testzip() is None
    assert set(archive.namelist()) == {
        "[Content_Types].xml",
        "_rels/.rels",
        "xl/workbook.xml",
        "xl/_rels/workbook.xml.rels",
        "xl/styles.xml",
        "xl/worksheets/sheet1.xml",
    }
    assert archive.namelist()[0] == "[Content_Types].xml"
    assert 'formatCode="yyyy-mm-dd"' in archive.read("xl/styles.xml").decode()
    # Excel refuses an xlsx whose parts use ZIP64 (version 4.5 to extract).
    assert {info.extract_version for info in archive.infolist()} == {20}


def test_stream_xlsx_gives_same_bytes_for_same_rows():
    """The output depends on the rows alone (parts are dated 1980), not on the clock."""
    rows = [["甲", 1, datetime.date(2026, 3, 5)]]
    assert _xlsx(["a", "b", "c"], rows) == _xlsx(["a", "b", "c"], rows)


def test_stream_xlsx_yields_first_bytes_before_reading_rows():
    """The zip's first parts are sent before the first row is asked for."""
    read = []

    def rows():
        for n in range(10):
            read.append(n)
            yield [n]

    pieces = stream_xlsx(["n"], rows())
    first = next(pieces)
    assert first.startswith(b"PK\x03\x04")
    assert read == []
    assert load_workbook(io.BytesIO(first + b"".join(pieces))).active.max_row == 11


def test_stream_xlsx_yields_pieces_as_rows_are_read():
    """A few thousand rows come out in several pieces, each sent before all rows are read."""
    read = []

    def rows():
        for n in range(5000):
            read.append(n)
            yield [f"关于改善第{n}号路段交通的建议", n * 7919 % 10007, f"代表{n % 300:03d}"]

    pieces = []
    rows_read_at_piece = []
    for piece in stream_xlsx(["title", "number", "deputy"], rows()):
        pieces.append(piece)
        rows_read_at_piece.append(len(read))
    assert len(pieces) >= 3  # the first parts, at least one piece of rows, the end
    assert rows_read_at_piece[1] < 5000  # a middle piece left before the last row was read
    sheet = load_workbook(io.BytesIO(b"".join(pieces))).active
    assert sheet.max_row == 5001
    assert sheet["A5001"].value == "关于改善第4999号路段交通的建议"


def test_stream_xlsx_writes_rows_longer_than_headers():
    """Cells beyond the headers' columns are written too."""
    assert _values(["a"], [[1, 2, 3]]) == [["a", None, None], [1, 2, 3]]


@pytest.mark.parametrize(
    ("index", "letters"),
    [(1, "A"), (26, "Z"), (27, "AA"), (52, "AZ"), (703, "AAA"), (16384, "XFD")],
)
def test_column_letter_names_columns_like_excel(index, letters):
    """Column numbers become Excel's letters: A..Z, AA..AZ, ..., XFD (the last)."""
    assert column_letter(index) == letters


def test_stream_workbook_writes_each_sheet_in_order_with_its_own_header_and_filter():
    """Several sheets (a station's ledger): each read back with its rows, header and
    filter; titles alike are told apart."""
    content = b"".join(
        stream_workbook(
            [
                SheetSpec("活动", ["日期", "人数"], [[datetime.date(2026, 3, 3), 12]]),
                SheetSpec("意见", ["事项"], [["路灯"], ["公交"]], [30]),
                SheetSpec("意见", ["空"], []),
            ]
        )
    )
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["活动", "意见", "意见_2"]
    first, second, third = book.worksheets
    assert [[c.value for c in row] for row in first.iter_rows()] == [
        ["日期", "人数"],
        [datetime.datetime(2026, 3, 3), 12],
    ]
    assert [row[0].value for row in second.iter_rows()] == ["事项", "路灯", "公交"]
    assert (first.auto_filter.ref, second.auto_filter.ref, third.auto_filter.ref) == (
        "A1:B2",
        "A1:A3",
        "A1:A1",
    )
    assert second.column_dimensions["A"].width == 30
    assert first.freeze_panes == second.freeze_panes == "A2"
