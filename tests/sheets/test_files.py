"""The file guard and the sheet reader: what is refused before parsing, and what is read.

Every refusal comes with a message and a code and leaves every row as it was.
"""

import io
import zipfile

import openpyxl.xml
import pytest

import sheets as imports
from tests.spreadsheets import DEPUTY_HEADERS, codes, csv_bytes, db_state, rezip, xlsx

DEPUTY_ROWS = [
    DEPUTY_HEADERS,
    ["王丽", "女", "汉族", "中共", "市级", "城关区代表团", "第十六届", "教师", "13800000001"],
    ["李强", "男", "回族", "民盟", "市", "城关区代表团", 16, "医生", 13800000002],
]

BILLION_LAUGHS = b"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">
<si><t>&lol9;</t></si></sst>"""


def _refused(importer, data, name, code):
    """Import ``data`` as deputies; assert it is refused with ``code`` and nothing changed."""
    before = db_state()
    report = imports.import_file(kind="deputies", file=data, by=importer, name=name)
    assert not report.ok
    assert code in codes(report)
    assert all(str(e.message).strip() for e in report.errors)
    assert report.outcomes == []
    assert db_state() == before
    return report


def _shared_strings_workbook() -> bytes:
    """A deputies workbook whose header cells come from sharedStrings.xml, as Excel writes."""
    header = "".join(
        f'<c r="{chr(65 + i)}1" t="s"><v>{i}</v></c>' for i in range(len(DEPUTY_HEADERS))
    )
    strings = "".join(f"<si><t>{h}</t></si>" for h in DEPUTY_HEADERS)
    sheet = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<sheetData><row r="1">{header}</row>'
        '<row r="2"><c r="A2" t="inlineStr"><is><t>王丽</t></is></c>'
        '<c r="E2" t="inlineStr"><is><t>市</t></is></c>'
        '<c r="F2" t="inlineStr"><is><t>城关区代表团</t></is></c><c r="G2"><v>16</v></c></row>'
        "</sheetData></worksheet>"
    )
    base = xlsx([["placeholder"]])
    with zipfile.ZipFile(io.BytesIO(base)) as zf:
        types = zf.read("[Content_Types].xml").replace(
            b"</Types>",
            b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
            b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
        )
        rels = zf.read("xl/_rels/workbook.xml.rels").replace(
            b"</Relationships>",
            b'<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/'
            b'2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
        )
    sst = f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{strings}</sst>'
    return rezip(
        base,
        {
            "[Content_Types].xml": types,
            "xl/_rels/workbook.xml.rels": rels,
            "xl/sharedStrings.xml": sst.encode(),
            "xl/worksheets/sheet1.xml": sheet.encode(),
        },
    )


# What is read.


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (xlsx(DEPUTY_ROWS), "名册.xlsx"),  # a workbook
        (csv_bytes(DEPUTY_ROWS), "名册.csv"),  # csv in UTF-8
        (
            csv_bytes(DEPUTY_ROWS, bom=True),
            "名册.csv",
        ),  # csv in UTF-8 with BOM (Excel's "CSV UTF-8")
        (
            csv_bytes(DEPUTY_ROWS, encoding="gb18030"),
            "名册.csv",
        ),  # csv from Excel on Chinese Windows
        (xlsx(DEPUTY_ROWS, title="2026年城关区人大代表名册"), "名册.xlsx"),  # a title row above
        (xlsx(DEPUTY_ROWS), None),  # no name: the type comes from the content
    ],
)
def test_import_file_reads_each_accepted_format(importer, data, name):
    """xlsx and csv in UTF-8 (with or without BOM) or GB18030 import the same two deputies."""
    report = imports.import_file(kind="deputies", file=data, by=importer, name=name)
    assert report.errors == []
    assert [(o.status, o.label) for o in report.outcomes] == [
        ("new", "王丽（城关区代表团）"),
        ("new", "李强（城关区代表团）"),
    ]
    from deputies.models import Deputy

    assert sorted(Deputy.objects.values_list("name", "mobile")) == [
        ("李强", "13800000002"),
        ("王丽", "13800000001"),
    ]


def test_import_file_reads_shared_strings_as_excel_writes_them(importer):
    """Cells held in sharedStrings.xml (Excel's way; openpyxl writes inline strings) are read."""
    report = imports.import_file(
        kind="deputies", file=_shared_strings_workbook(), by=importer, name="a.xlsx"
    )
    assert report.errors == []
    assert report.new == 1


def test_import_file_accepts_a_path_and_a_file_object(importer, tmp_path):
    """The command passes a path, the admin bytes; a file object works as well."""
    path = tmp_path / "名册.xlsx"
    path.write_bytes(xlsx(DEPUTY_ROWS))
    assert imports.import_file(kind="deputies", file=path, by=importer, dry_run=True).new == 2
    with open(path, "rb") as f:
        assert imports.import_file(kind="deputies", file=f, by=importer, dry_run=True).new == 2


def test_read_sheet_numbers_rows_as_the_spreadsheet_does():
    """Blank rows are skipped but counted: errors name the row the user sees."""
    data = xlsx([DEPUTY_HEADERS, DEPUTY_ROWS[1], [None] * 9, [" "], DEPUTY_ROWS[2]], title="名册")
    sheet = imports.read_sheet(data, "xlsx", {imports.normalise_header(h) for h in DEPUTY_HEADERS})
    assert sheet.header_row == 2
    assert [number for number, _values in sheet.rows] == [3, 6]


def test_import_file_reads_a_workbook_padded_with_a_million_blank_rows(importer):
    """A million formatted blank rows after the data neither hang the import nor refuse it."""
    rows = "".join(
        f'<row r="{n}" s="1" customFormat="1"><c r="A{n}" s="1"/></row>'
        for n in range(4, 1_000_004)
    )
    base = xlsx(DEPUTY_ROWS)
    with zipfile.ZipFile(io.BytesIO(base)) as zf:
        sheet = zf.read("xl/worksheets/sheet1.xml")
    padded = sheet.replace(b"</sheetData>", rows.encode() + b"</sheetData>")
    padded = padded.replace(b"<sheetData>", b'<dimension ref="A1:I1000003"/><sheetData>', 1)
    data = rezip(base, {"xl/worksheets/sheet1.xml": padded})
    assert len(data) < imports.MAX_BYTES
    report = imports.import_file(kind="deputies", file=data, by=importer, name="padded.xlsx")
    assert report.errors == []
    assert report.new == 2


def test_import_file_reads_a_workbook_whose_dimension_claims_a_million_rows(importer):
    """A sheet declaring A1:I1048576 with a lone formatted cell at the bottom reads quickly."""
    base = xlsx(DEPUTY_ROWS)
    with zipfile.ZipFile(io.BytesIO(base)) as zf:
        sheet = zf.read("xl/worksheets/sheet1.xml")
    sheet = sheet.replace(b"<sheetData>", b'<dimension ref="A1:I1048576"/><sheetData>', 1)
    sheet = sheet.replace(
        b"</sheetData>", b'<row r="1048576"><c r="A1048576" s="1"/></row></sheetData>'
    )
    data = rezip(base, {"xl/worksheets/sheet1.xml": sheet})
    report = imports.import_file(kind="deputies", file=data, by=importer, name="tall.xlsx")
    assert report.errors == []
    assert report.new == 2


def test_read_sheet_accepts_20000_rows():
    """The limit itself is allowed: 20,000 rows are read."""
    rows = [DEPUTY_HEADERS] + [
        [f"代表{n}", "", "", "", "市", "城关区代表团", 16] for n in range(20_000)
    ]
    sheet = imports.read_sheet(csv_bytes(rows), "csv", {"姓名", "层级"})
    assert len(sheet.rows) == 20_000


# What is refused before parsing.


def test_import_file_refuses_a_file_over_10_mb(importer):
    """More than 10 MB is refused before anything reads it."""
    data = csv_bytes(DEPUTY_ROWS) + b"#" * imports.MAX_BYTES
    report = _refused(importer, data, "名册.csv", "too_large")
    assert "10" in report.errors[0].message


def test_import_file_refuses_more_than_20000_rows(importer):
    """20,001 rows are refused before any row is imported."""
    rows = [DEPUTY_HEADERS] + [
        [f"代表{n}", "", "", "", "市", "城关区代表团", 16] for n in range(20_001)
    ]
    _refused(importer, csv_bytes(rows), "名册.csv", "too_many_rows")


def _docx_like() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr(
            "[Content_Types].xml", b"<Types><Default ContentType='wordprocessingml'/></Types>"
        )
        zf.writestr("word/document.xml", b"<document/>")
    return out.getvalue()


def _zip_without_content_types() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("xl/workbook.xml", b"<workbook/>")
    return out.getvalue()


@pytest.mark.parametrize(
    "data",
    [
        csv_bytes(DEPUTY_ROWS),  # a csv renamed to .xlsx
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 64,  # a picture
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504,  # an old .xls (or an encrypted .xlsx)
        _docx_like(),  # a Word document: a zip with content types, but no spreadsheet
        _zip_without_content_types(),  # a zip that is no Office file
        xlsx(DEPUTY_ROWS)[:2000],  # a truncated workbook
    ],
)
def test_import_file_refuses_a_wrong_type_behind_an_xlsx_name(importer, data):
    """What is not an Excel workbook is refused, whatever its name says."""
    _refused(importer, data, "名册.xlsx", "not_xlsx")


@pytest.mark.parametrize(
    "data",
    [
        xlsx(DEPUTY_ROWS),  # a workbook renamed to .csv
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504,  # an old .xls
    ],
)
def test_import_file_refuses_a_workbook_behind_a_csv_name(importer, data):
    """A workbook named .csv is refused, not guessed at."""
    _refused(importer, data, "名册.csv", "not_csv")


@pytest.mark.parametrize(
    "name",
    [
        "名册.xls",  # the old Excel format
        "名册.xlsm",  # a workbook with macros
        "名册.txt",  # any other name
    ],
)
def test_import_file_refuses_other_file_names(importer, name):
    """Only .xlsx and .csv files are imported."""
    _refused(importer, xlsx(DEPUTY_ROWS), name, "bad_type")


@pytest.mark.parametrize(
    "data",
    [
        "姓名,层级\n王丽,市\n".encode("utf-16"),  # UTF-16 ("Unicode text" in Excel)
        b"\xff\xfe\xfa\xfb" * 20,  # bytes no text encoding reads
    ],
)
def test_import_file_refuses_a_csv_in_another_encoding(importer, data):
    """A csv that is neither UTF-8 nor GB18030 is refused with a hint to re-save it."""
    _refused(importer, data, "名册.csv", "bad_encoding")


def test_import_file_refuses_an_empty_file(importer):
    """An empty file is refused with a message, not a crash."""
    _refused(importer, b"", "名册.csv", "empty")


def test_import_file_refuses_a_header_without_rows(importer):
    """A header row and nothing else is refused: there is nothing to import."""
    _refused(importer, xlsx([DEPUTY_HEADERS]), "名册.xlsx", "empty")


def test_import_file_refuses_an_xlsx_that_expands_past_100_mb(importer, tmp_path):
    """A zip bomb: 150 MB of zeros compressed to a small file is refused from the zip
    directory, before anything is inflated."""
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(xlsx(DEPUTY_ROWS))
    chunk = b"\x00" * (1024 * 1024)
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        with zf.open("xl/media/padding.bin", "w", force_zip64=True) as member:
            for _ in range(150):
                member.write(chunk)
    data = path.read_bytes()
    assert len(data) < imports.MAX_BYTES
    report = _refused(importer, data, "bomb.xlsx", "too_large_uncompressed")
    assert "100" in report.errors[0].message


@pytest.mark.parametrize(
    "member",
    [
        "xl/sharedStrings.xml",  # billion laughs in the shared strings
        "xl/worksheets/sheet1.xml",  # or in the sheet itself
        "[Content_Types].xml",  # or in the package's manifest
    ],
)
def test_import_file_refuses_an_xml_bomb(importer, member):
    """An XML part declaring entities (billion laughs) is refused before openpyxl parses it."""
    data = rezip(xlsx(DEPUTY_ROWS), {member: BILLION_LAUGHS})
    _refused(importer, data, "名册.xlsx", "xml_bomb")


def test_import_file_refuses_xml_in_utf16(importer):
    """An XML part in UTF-16 (which would hide a DOCTYPE from the scan) is refused."""
    data = rezip(
        xlsx(DEPUTY_ROWS), {"xl/sharedStrings.xml": BILLION_LAUGHS.decode().encode("utf-16")}
    )
    _refused(importer, data, "名册.xlsx", "bad_xml")


def test_openpyxl_parses_with_defusedxml():
    """openpyxl found defusedxml and uses it (the reader refuses workbooks otherwise)."""
    assert openpyxl.xml.DEFUSEDXML is True


@pytest.mark.parametrize(
    "member",
    [
        "xl/sharedStrings.xml",  # read by openpyxl, through defusedxml
        "xl/worksheets/sheet1.xml",  # read by the import's own streaming reader, through defusedxml
    ],
)
def test_read_sheet_refuses_an_xml_bomb_even_without_the_scan(member):
    """Behind the scan, defusedxml itself refuses the entities: the reader reports a bomb."""
    replace = {member: BILLION_LAUGHS}
    if member == "xl/sharedStrings.xml":
        # openpyxl reads the shared strings only when the manifest lists them.
        with zipfile.ZipFile(io.BytesIO(xlsx(DEPUTY_ROWS))) as zf:
            replace["[Content_Types].xml"] = zf.read("[Content_Types].xml").replace(
                b"</Types>",
                b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
            )
    data = rezip(xlsx(DEPUTY_ROWS), replace)
    with pytest.raises(imports.ImportRefused) as excinfo:
        imports.read_sheet(data, "xlsx", set())
    assert excinfo.value.code == "xml_bomb"


def _with_compression(data: bytes, member: str, method: int) -> bytes:
    """The workbook with ``member``'s compression method set to ``method`` in its local
    and central headers (the bytes left as they are: what a damaged or foreign file does)."""
    name = member.encode()
    out = bytearray(data)
    for signature, offset, name_at in ((b"PK\x03\x04", 8, 30), (b"PK\x01\x02", 10, 46)):
        start = 0
        while (start := out.find(signature, start)) != -1:
            if out[start + name_at : start + name_at + len(name)] == name:
                out[start + offset : start + offset + 2] = method.to_bytes(2, "little")
            start += 4
    return bytes(out)


DEFLATE64 = 9  # written by some archivers; Python's zipfile cannot read it


def test_import_file_refuses_a_member_compressed_as_excel_never_does(importer):
    """A workbook whose sheet is stored with an unreadable compression method is refused as
    damaged, before any parser: not a server error, and nothing changes."""
    data = _with_compression(xlsx(DEPUTY_ROWS), "xl/worksheets/sheet1.xml", DEFLATE64)
    report = _refused(importer, data, "名册.xlsx", "damaged")
    assert "压缩" in report.errors[0].message


def test_read_sheet_reports_an_unreadable_member_as_damaged_even_without_the_guard():
    """Behind the guard, the reader turns zipfile's NotImplementedError into "damaged"."""
    data = _with_compression(xlsx(DEPUTY_ROWS), "xl/worksheets/sheet1.xml", DEFLATE64)
    with pytest.raises(imports.ImportRefused) as excinfo:
        list(imports.read_sheet(data, "xlsx", {"姓名"}).rows)
    assert excinfo.value.code == "damaged"


# Headers.


@pytest.mark.parametrize(
    ("headers", "problem"),
    [
        (["姓名", "性别", "层级", "届次"], "代表团/选区"),  # a required column missing
        (DEPUTY_HEADERS + ["备注"], "备注"),  # a column the import does not know
        (DEPUTY_HEADERS + ["姓名"], "姓名"),  # a column named twice
        (["名字", "层级", "代表团/选区", "届次"], "名字"),  # a misspelt header
    ],
)
def test_import_file_refuses_wrong_or_missing_headers(importer, headers, problem):
    """The header row must name the required columns, each once, and nothing unknown."""
    rows = [headers, ["王丽"] + ["市"] * (len(headers) - 1)]
    report = _refused(importer, xlsx(rows), "名册.xlsx", "bad_headers")
    assert problem in report.errors[0].message
    assert report.errors[0].row == 1


def test_import_file_accepts_english_headers_and_ignores_a_serial_column(importer):
    """English headers in any case, with * marks of required columns, and 序号 are accepted."""
    rows = [
        ["序号", "Name*", "GENDER", "Level", "Delegation", "term", "Mobile phone"],
        [1, "王丽", "女", "市级", "城关区代表团", "第十六届", "13800000001"],
    ]
    report = imports.import_file(kind="deputies", file=xlsx(rows), by=importer, name="a.xlsx")
    assert report.errors == []
    assert report.new == 1
