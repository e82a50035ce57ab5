"""A streaming xlsx writer: sheets of plain values, produced as the rows come.

``stream_xlsx(headers, rows)`` yields the bytes of an .xlsx file (an Office Open XML
zip) while it reads ``rows``, so a response can start sending before the last row is
read and memory holds one batch of rows, never the sheet. It writes SpreadsheetML by
hand, about twenty times faster than openpyxl's write-only mode (docs/performance.md):

- text as inline strings (``t="inlineStr"``), XML-escaped, with the characters XML 1.0
  forbids (control characters, lone surrogates) removed and cut to Excel's 32,767
  characters a cell; never as a formula, whatever it starts with (neutralising text
  that a user might retype as a formula is the caller's business);
- ``int``, ``float`` and ``Decimal`` as numbers, ``bool`` as booleans;
- ``date`` and ``datetime`` as serial numbers (the 1900 date system) with a date style;
- ``None`` and ``""`` as empty cells; anything else as its ``str()``.

``stream_workbook(sheets)`` writes several sheets the same way, one after the other (a
station's ledger: activities, opinions, reception days and checklist).

The header row is bold, frozen and has an autofilter over the written range; column
widths are optional. The zip is written by ``zipfile`` to an unseekable sink, so each
part carries a data descriptor and no ZIP64 fields (Excel refuses ZIP64 in xlsx): the
sheet's XML may not pass 2 GiB uncompressed. Keeping to Excel's 1,048,576 rows is the
caller's business; both limits are far beyond any sheet this project writes.
"""

import datetime
import decimal
import math
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Excel's limit of characters in a cell (counted in UTF-16 code units).
MAX_CELL_CHARS = 32767

# Bytes are handed out in pieces of at least this size (except the first and last).
PIECE_SIZE = 64 * 1024

# Rows are serialised and compressed in batches of about this many characters of XML.
BATCH_CHARS = 256 * 1024

# Fast and still about four times smaller than the XML; level 6 halves the speed of the
# compression for 15 % fewer bytes.
COMPRESSLEVEL = 1

# Characters XML 1.0 does not allow (and lone surrogates, which UTF-8 cannot encode).
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

# Characters a sheet name may not contain in Excel.
_ILLEGAL_SHEET_TITLE = re.compile(r"[\\/*?:\[\]]")

# Excel's day 0 of the 1900 date system, as Excel counts (it believes 1900 was a leap
# year, so serial numbers are right from 1900-03-01 on).
_EPOCH = datetime.date(1899, 12, 30).toordinal()
_FIRST_DATE = datetime.date(1900, 3, 1)

# Style ids in styles.xml's cellXfs.
_DATE_STYLE = 1
_DATETIME_STYLE = 2
_HEADER_STYLE = 3

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def _content_types(sheets: int) -> str:
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for n in range(1, sheets + 1)
    )
    return (
        _XML_HEAD + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        f"{overrides}"
        '<Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        "</Types>"
    )


_ROOT_RELS = (
    _XML_HEAD + f'<Relationships xmlns="{_PKG_REL}">'
    f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)


def _workbook_rels(sheets: int) -> str:
    worksheets = "".join(
        f'<Relationship Id="rId{n}" Type="{_REL}/worksheet" Target="worksheets/sheet{n}.xml"/>'
        for n in range(1, sheets + 1)
    )
    return (
        _XML_HEAD + f'<Relationships xmlns="{_PKG_REL}">{worksheets}'
        f'<Relationship Id="rId{sheets + 1}" Type="{_REL}/styles" Target="styles.xml"/>'
        "</Relationships>"
    )


_FONT = '<sz val="11"/><name val="Calibri"/><family val="2"/>'
_STYLES = (
    _XML_HEAD + f'<styleSheet xmlns="{_MAIN}">'
    '<numFmts count="2">'
    '<numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>'
    '<numFmt numFmtId="165" formatCode="yyyy-mm-dd hh:mm:ss"/>'
    "</numFmts>"
    f'<fonts count="2"><font>{_FONT}</font><font><b/>{_FONT}</font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="4">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"'
    ' applyAlignment="1"><alignment vertical="center" wrapText="1"/></xf>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def column_letter(index: int) -> str:
    """The letters of the 1-based column ``index``: 1 is A, 27 is AA."""
    letters = ""
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _legal(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids."""
    # Nearly every text is printable, a test much faster than the expression; the rest
    # (line breaks, tabs, odd spaces) go through it.
    return text if text.isprintable() else _ILLEGAL_XML.sub("", text)


def _cap(text: str) -> str:
    """``text`` cut to what Excel keeps in a cell: 32,767 UTF-16 code units."""
    # Characters beyond the Basic Multilingual Plane count twice; a pair cut in half is
    # dropped by the decoding.
    units = text[:MAX_CELL_CHARS].encode("utf-16-le")
    if len(units) <= 2 * MAX_CELL_CHARS:
        return text[:MAX_CELL_CHARS]
    return units[: 2 * MAX_CELL_CHARS].decode("utf-16-le", "ignore")


def _inline(text: str) -> str:
    """The ``<is>`` content of a text cell: legal, capped, escaped."""
    text = _legal(text)
    if len(text) > MAX_CELL_CHARS // 2:
        text = _cap(text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    # XML keeps the spaces around a text, but Excel drops them unless told to keep them.
    if text[:1] <= " " or text[-1:] <= " ":
        return f'<is><t xml:space="preserve">{text}</t></is>'
    return f"<is><t>{text}</t></is>"


def _other_cell(ref: str, value) -> str:
    """A cell of a type the row loop does not handle itself (subclasses, rarer types)."""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int):
        return f'<c r="{ref}"><v>{int(value)}</v></c>'
    if isinstance(value, float) and math.isfinite(value):
        return f'<c r="{ref}"><v>{float(value)!r}</v></c>'
    if isinstance(value, decimal.Decimal) and value.is_finite():
        return f'<c r="{ref}"><v>{value}</v></c>'
    if isinstance(value, datetime.datetime):
        value = value.replace(tzinfo=None)  # Excel knows no time zones: the wall-clock time
        if value.date() >= _FIRST_DATE:
            day = value.toordinal() - _EPOCH
            seconds = value.hour * 3600 + value.minute * 60 + value.second
            serial = day + (seconds + value.microsecond / 1e6) / 86400
            return f'<c r="{ref}" s="{_DATETIME_STYLE}"><v>{serial!r}</v></c>'
        value = value.isoformat()  # before Excel's calendar: written as text
    elif isinstance(value, datetime.date):
        if value >= _FIRST_DATE:
            return f'<c r="{ref}" s="{_DATE_STYLE}"><v>{value.toordinal() - _EPOCH}</v></c>'
        value = value.isoformat()
    text = str(value)  # NaN and infinities too: Excel has no number for them
    if not text:
        return ""
    return f'<c r="{ref}" t="inlineStr">{_inline(text)}</c>'


def _row(number: int, values: Sequence, columns: list[str]) -> str:
    """One ``<row>`` of cells; ``columns`` are the column letters, long enough for ``values``."""
    r = str(number)
    cells = []
    append = cells.append
    for column, value in zip(columns, values, strict=False):  # columns may be longer
        kind = type(value)
        if kind is str:
            if value:
                append(f'<c r="{column}{r}" t="inlineStr">{_inline(value)}</c>')
        elif value is None:
            pass
        elif kind is int:
            append(f'<c r="{column}{r}"><v>{value}</v></c>')
        elif kind is datetime.date and value >= _FIRST_DATE:
            append(f'<c r="{column}{r}" s="{_DATE_STYLE}"><v>{value.toordinal() - _EPOCH}</v></c>')
        else:
            append(_other_cell(f"{column}{r}", value))
    return f'<row r="{r}">{"".join(cells)}</row>'


def _header_row(headers: Sequence[str], columns: list[str]) -> str:
    texts = ["" if header is None else str(header) for header in headers]
    cells = "".join(
        f'<c r="{column}1" s="{_HEADER_STYLE}" t="inlineStr">{_inline(text)}</c>'
        for column, text in zip(columns, texts, strict=False)
        if text
    )
    return f'<row r="1">{cells}</row>'


def _sheet_title(title: str) -> str:
    """``title`` made a valid Excel sheet name: no []:*?/\\, no apostrophe at either end, ≤ 31."""
    title = _ILLEGAL_SHEET_TITLE.sub("_", _legal(str(title))).strip("'")[:31]
    return title.strip("'") or "Sheet1"


def _attribute(text: str) -> str:
    return _escape(text).replace('"', "&quot;")


def _sheet_head(headers: Sequence[str], column_widths: Sequence[float] | None) -> str:
    parts = [_XML_HEAD, f'<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}">']
    if headers:
        parts.append(
            '<sheetViews><sheetView workbookViewId="0">'
            '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
            '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>'
            "</sheetView></sheetViews>"
        )
    else:
        parts.append('<sheetViews><sheetView workbookViewId="0"/></sheetViews>')
    parts.append('<sheetFormatPr defaultRowHeight="15"/>')
    if column_widths:
        parts.append("<cols>")
        parts.extend(
            f'<col min="{index}" max="{index}" width="{width:g}" customWidth="1"/>'
            for index, width in enumerate(column_widths, start=1)
            if width
        )
        parts.append("</cols>")
    parts.append("<sheetData>")
    return "".join(parts)


def _workbook(sheets: Sequence[tuple[str, str | None]]) -> str:
    """workbook.xml of the sheets, each as (title, its autofilter's range or None)."""
    names = [
        '<definedName name="_xlnm._FilterDatabase" localSheetId="{}" hidden="1">{}!{}'
        "</definedName>".format(index, _escape("'" + title.replace("'", "''") + "'"), ref)
        for index, (title, ref) in enumerate(sheets)
        if ref
    ]
    defined = f"<definedNames>{''.join(names)}</definedNames>" if names else ""
    listed = "".join(
        f'<sheet name="{_attribute(title)}" sheetId="{n}" r:id="rId{n}"/>'
        for n, (title, _ref) in enumerate(sheets, start=1)
    )
    return (
        _XML_HEAD + f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}">'
        '<bookViews><workbookView activeTab="0"/></bookViews>'
        f"<sheets>{listed}</sheets>"
        f"{defined}</workbook>"
    )


class _Sink:
    """A write-only file: ``zipfile`` cannot seek it, so it streams (data descriptors)."""

    def __init__(self):
        self._parts: list[bytes] = []
        self.size = 0

    def write(self, data) -> int:
        self._parts.append(bytes(data))
        self.size += len(data)
        return len(data)

    def flush(self):
        pass

    def drain(self) -> bytes:
        data = b"".join(self._parts)
        self._parts.clear()
        self.size = 0
        return data


def _write_part(archive: zipfile.ZipFile, name: str, xml: str):
    # A ZipInfo of its own dates the part 1980-01-01, like the sheet that ``open`` adds:
    # the same rows give the same bytes.
    archive.writestr(
        zipfile.ZipInfo(name),
        xml,
        compress_type=zipfile.ZIP_DEFLATED,
        compresslevel=COMPRESSLEVEL,
    )


@dataclass(frozen=True)
class SheetSpec:
    """One sheet of a workbook: its title, header row, rows and optional column widths."""

    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence]
    column_widths: Sequence[float] | None = None


def stream_xlsx(
    headers: Sequence[str],
    rows: Iterable[Sequence],
    *,
    sheet_title: str = "Sheet1",
    column_widths: Sequence[float] | None = None,
) -> Iterator[bytes]:
    """Yield an .xlsx file with one sheet: ``headers`` as a bold, frozen row, then ``rows``.

    The first bytes are yielded before ``rows`` is read; then pieces of at least
    ``PIECE_SIZE`` bytes as the rows are compressed. ``column_widths`` are in characters,
    one per column (a false width leaves that column's default).
    """
    return stream_workbook([SheetSpec(sheet_title, headers, rows, column_widths)])


def stream_workbook(sheets: Sequence[SheetSpec]) -> Iterator[bytes]:
    """Yield an .xlsx file with the ``sheets`` in order, each written as ``stream_xlsx``
    writes its one sheet (titles made valid and, when two are alike, numbered)."""
    titles: list[str] = []
    for spec in sheets:
        title = _sheet_title(spec.title)
        number = 1
        while title.lower() in (t.lower() for t in titles):
            number += 1
            title = f"{_sheet_title(spec.title)[: 31 - len(str(number)) - 1]}_{number}"
        titles.append(title)
    sink = _Sink()
    filters: list[str | None] = []
    # Parts whose content is known up front go first; the workbook names the filters'
    # ranges, so it follows the sheets (readers find parts by the central directory).
    with zipfile.ZipFile(
        sink, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=COMPRESSLEVEL
    ) as archive:
        _write_part(archive, "[Content_Types].xml", _content_types(len(sheets)))
        _write_part(archive, "_rels/.rels", _ROOT_RELS)
        _write_part(archive, "xl/_rels/workbook.xml.rels", _workbook_rels(len(sheets)))
        _write_part(archive, "xl/styles.xml", _STYLES)
        for index, spec in enumerate(sheets, start=1):
            filter_ref = yield from _write_sheet(archive, sink, index, spec)
            filters.append(filter_ref)
        _write_part(archive, "xl/workbook.xml", _workbook(list(zip(titles, filters, strict=True))))
    yield sink.drain()


def _write_sheet(archive: zipfile.ZipFile, sink: _Sink, index: int, spec: SheetSpec):
    """Write one sheet's part, yielding pieces as they are ready; return its filter's range."""
    headers = spec.headers
    columns = [column_letter(i) for i in range(1, max(len(headers), 1) + 1)]
    with archive.open(f"xl/worksheets/sheet{index}.xml", "w") as sheet:
        batch = [_sheet_head(headers, spec.column_widths)]
        number = 0
        if headers:
            number = 1
            batch.append(_header_row(headers, columns))
        sheet.write("".join(batch).encode())
        yield sink.drain()
        batch, size = [], 0
        for values in spec.rows:
            number += 1
            if len(values) > len(columns):
                columns = [column_letter(i) for i in range(1, len(values) + 1)]
            xml = _row(number, values, columns)
            batch.append(xml)
            size += len(xml)
            if size >= BATCH_CHARS:
                sheet.write("".join(batch).encode())
                batch, size = [], 0
                if sink.size >= PIECE_SIZE:
                    yield sink.drain()
        batch.append("</sheetData>")
        filter_ref = None
        if headers:
            filter_ref = f"$A$1:${columns[len(headers) - 1]}${max(number, 1)}"
            batch.append(f'<autoFilter ref="{filter_ref.replace("$", "")}"/>')
        batch.append("</worksheet>")
        sheet.write("".join(batch).encode())
    return filter_ref
