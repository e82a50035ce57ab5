"""Imports of deputies, units and suggestions from xlsx and csv files.

One entry point, ``import_file()``, serves the admin and the ``import_data`` command:

1. The file guard refuses, before any parser sees the file: more than 10 MB; a type that
   is not what the content is (magic bytes: an xlsx is a zip holding
   ``[Content_Types].xml``; a csv is text in UTF-8, with or without BOM, or GB18030); an
   xlsx whose members declare more than 100 MB uncompressed (read from the zip
   directory); an xlsx whose XML parts carry a DOCTYPE or ENTITY (an XML bomb).
   openpyxl parses with defusedxml besides (``openpyxl.xml.DEFUSEDXML``).
2. The first worksheet is read into rows that keep their spreadsheet row numbers:
   openpyxl (read-only) reads the workbook's parts (shared strings, date styles), and
   the sheet itself is streamed through defusedxml's ``iterparse`` (openpyxl's own row
   iterator took twice as long on 10,000 rows: docs/performance.md). Formulas are read as formulas,
   never as their cached values, so they can be refused. Blank rows are skipped; a run
   of ``BLANK_RUN_END`` blank rows ends the sheet, so a workbook padded with a million
   blank rows is read in a moment. More than 20,000 non-blank rows are refused.
3. The header row (the first row naming at least two known columns, among the first
   ten) is mapped to the resource's columns: Chinese headers as DESIGN.md lists them,
   or English ones. A missing required column, an unknown column or a column named
   twice refuses the file.
4. The resource (``resources.py`` of each app) imports the rows inside one transaction
   that is rolled back on a dry run or when any row is bad: all or nothing. Every bad
   row is reported with its spreadsheet row number, its column as the file names it,
   a reason in the user's language and a code that tests and tools can rely on.

Rows are keyed as DESIGN.md says: a deputy by name, delegation and term, a unit by
name, a suggestion by its number within term and session. A key seen twice in one file
is a bad row. An existing deputy or unit whose other columns differ is updated; an
existing suggestion with other content is a bad row (an import never rewrites a
suggestion); the same content is unchanged. Importing the same file again changes
nothing.

Who may import: an active staff user with the model's ``add`` permission (or the
codename in ``IMPORT_EXPORT_IMPORT_PERMISSION_CODE`` when that setting is set); a
suggestion import also needs the committee office, as ``services.suggestion_create``
does. The command line may run without a user (``by=None``): whoever runs it has the
database already.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import functools
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from django.conf import settings
from django.contrib.auth import get_permission_codename
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from . import permissions

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000
MAX_UNCOMPRESSED = 100 * 1024 * 1024
MAX_ZIP_MEMBERS = 1_000
MAX_COLUMNS = 100
# This many blank rows in a row end the sheet: Excel pads sheets with formatted blanks.
BLANK_RUN_END = 1_000
HEADER_SEARCH_ROWS = 10

KINDS = ("deputies", "units", "suggestions")
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Columns offices add for their own use; ignored, never imported.
IGNORED_HEADERS = {"序号", "#"}


class ImportRefused(Exception):
    """The whole file is refused before any row is imported."""

    def __init__(self, message: str, code: str, row: int | None = None, column: str = ""):
        super().__init__(message)
        self.message, self.code, self.row, self.column = message, code, row, column


class BadValue(ValueError):
    """A cell's value cannot be used; ``code`` names the reason for tests and tools."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message, self.code = message, code


@dataclass(frozen=True)
class RowError:
    """One reason a file or a row was refused: row as numbered in the spreadsheet."""

    row: int | None
    column: str
    message: str
    code: str

    def __str__(self) -> str:
        if self.row is None:
            return self.message
        if not self.column:
            return _("Row %(row)s: %(message)s") % {"row": self.row, "message": self.message}
        return _("Row %(row)s, column “%(column)s”: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


@dataclass(frozen=True)
class RowOutcome:
    row: int
    status: str  # "new", "update" or "skip" (unchanged)
    instance: object

    @property
    def label(self) -> str:
        # Made when shown (the admin shows the first rows), not for each of 20,000 rows.
        return str(self.instance)


@dataclass
class ImportReport:
    """What an import did, or would do on a dry run, and every reason it was refused."""

    kind: str
    dry_run: bool
    errors: list[RowError] = field(default_factory=list)
    outcomes: list[RowOutcome] = field(default_factory=list)
    # (status, instance) of the rows written (rolled back on a dry run), for the admin log.
    written: list[tuple[str, object]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def committed(self) -> bool:
        return self.ok and not self.dry_run

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def new(self) -> int:
        return self.count("new")

    @property
    def updated(self) -> int:
        return self.count("update")

    @property
    def unchanged(self) -> int:
        return self.count("skip")

    def summary(self) -> str:
        return _("%(new)s new, %(updated)s updated, %(unchanged)s unchanged.") % {
            "new": self.new,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }


@dataclass
class Sheet:
    header_row: int
    headers: list[str]
    rows: list[tuple[int, list]]  # (row number in the spreadsheet, cell values)


# Permission.


def _model(kind: str):
    from deputies.models import Deputy

    from .models import HandlingUnit, Suggestion

    return {"deputies": Deputy, "units": HandlingUnit, "suggestions": Suggestion}[kind]


def kind_of(model) -> str:
    """The import kind of a model (the admin mixin's key)."""
    return {_model(kind): kind for kind in KINDS}[model]


def import_permission(model) -> str:
    """The permission that gates the import of ``model``, as ``app_label.codename``."""
    action = getattr(settings, "IMPORT_EXPORT_IMPORT_PERMISSION_CODE", None) or "add"
    opts = model._meta
    return f"{opts.app_label}.{get_permission_codename(action, opts)}"


def can_import(user, kind: str) -> bool:
    """An active staff user with the import permission; suggestions need the office too."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False
    if not user.has_perm(import_permission(_model(kind))):
        return False
    return kind != "suggestions" or permissions.is_committee_staff(user)


# The file guard.


def _read_limited(file: bytes | str | Path | IO[bytes]) -> bytes:
    if isinstance(file, bytes):
        data = file
    elif isinstance(file, (str, Path)):
        with open(file, "rb") as f:
            data = f.read(MAX_BYTES + 1)
    else:
        if hasattr(file, "seek"):
            file.seek(0)
        data = file.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ImportRefused(
            _("The file is larger than %(mb)s MB.") % {"mb": MAX_BYTES // (1024 * 1024)},
            "too_large",
        )
    return data


def _not_xlsx() -> ImportRefused:
    return ImportRefused(
        _("The file is named .xlsx but is not an Excel workbook (.xlsx)."), "not_xlsx"
    )


def _xml_bomb() -> ImportRefused:
    return ImportRefused(
        _("The workbook's XML declares a DOCTYPE or entities (an XML bomb): it is refused."),
        "xml_bomb",
    )


def _scan_xml(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Refuse an XML part that declares a DOCTYPE or an entity, or hides its encoding."""
    tail = b""
    with zf.open(info) as part:
        first = True
        while chunk := part.read(1024 * 1024):
            if first and (chunk[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in chunk[:512]):
                # UTF-16 or UTF-32 would hide the markers from a byte search; Excel writes UTF-8.
                raise ImportRefused(
                    _("The workbook's XML is not in UTF-8: it is refused."), "bad_xml"
                )
            first = False
            window = (tail + chunk).lower()
            if b"<!doctype" in window or b"<!entity" in window:
                raise _xml_bomb()
            tail = window[-16:]


def _check_xlsx(data: bytes) -> None:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        raise _not_xlsx()
    with zf:
        if len(infos) > MAX_ZIP_MEMBERS:
            raise _not_xlsx()
        names = {info.filename for info in infos}
        if "[Content_Types].xml" not in names:
            raise _not_xlsx()
        total = sum(info.file_size for info in infos)
        if total > MAX_UNCOMPRESSED:
            raise ImportRefused(
                _("The workbook expands to more than %(mb)s MB: it is refused.")
                % {"mb": MAX_UNCOMPRESSED // (1024 * 1024)},
                "too_large_uncompressed",
            )
        if any(info.flag_bits & 0x1 for info in infos):
            raise _not_xlsx()
        try:
            if b"spreadsheetml" not in zf.read("[Content_Types].xml"):
                raise _not_xlsx()
            for info in infos:
                if info.filename.lower().endswith((".xml", ".rels", ".vml")):
                    _scan_xml(zf, info)
        except (zipfile.BadZipFile, EOFError, OSError, RuntimeError, NotImplementedError):
            # A member larger than declared ends in a CRC error: zipfile stops at the
            # declared size, so nothing past the limit is ever inflated.
            raise ImportRefused(_("The workbook is damaged: it is refused."), "damaged")


def _decode_csv(data: bytes) -> str:
    if b"\x00" in data:
        raise ImportRefused(
            _(
                "The csv file is not text in UTF-8 or GB18030 (is it UTF-16 or a binary "
                "file?). Save it as CSV UTF-8 or as an Excel workbook (.xlsx)."
            ),
            "bad_encoding",
        )
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportRefused(
        _("The csv file is neither UTF-8 nor GB18030 text. Save it as CSV UTF-8 or as .xlsx."),
        "bad_encoding",
    )


def check_file(data: bytes, name: str | None = None) -> str:
    """The file's format, "xlsx" or "csv", or ``ImportRefused`` before any parsing."""
    if len(data) > MAX_BYTES:
        raise ImportRefused(
            _("The file is larger than %(mb)s MB.") % {"mb": MAX_BYTES // (1024 * 1024)},
            "too_large",
        )
    suffix = Path(name).suffix.lower() if name else ""
    if suffix not in ("", ".xlsx", ".csv"):
        raise ImportRefused(
            _("Only Excel workbooks (.xlsx) and csv files can be imported."), "bad_type"
        )
    if not data.strip():
        raise ImportRefused(_("The file is empty."), "empty")
    is_zip = data[:4] in ZIP_MAGIC
    if suffix == ".xlsx" or (not suffix and is_zip):
        if not is_zip:
            raise _not_xlsx()
        _check_xlsx(data)
        return "xlsx"
    if is_zip or data.startswith(OLE_MAGIC):
        raise ImportRefused(
            _("The file is named .csv but is a workbook or a binary file."), "not_csv"
        )
    return "csv"


# Reading the sheet.


def _is_blank(values: Sequence) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_ROW, _CELL, _VALUE, _FORMULA = f"{_MAIN}row", f"{_MAIN}c", f"{_MAIN}v", f"{_MAIN}f"
_INLINE, _TEXT, _RUN = f"{_MAIN}is", f"{_MAIN}t", f"{_MAIN}r"


@functools.lru_cache(maxsize=4096)
def _column_index(ref: str) -> int:
    index = 0
    for char in ref:
        if not "A" <= char <= "Z":
            break
        index = index * 26 + ord(char) - 64
    return index


def _rich_text(element) -> str:
    """The text of an inline string: its runs, without phonetic guides (rPh)."""
    parts = [element.find(_TEXT)] + [run.find(_TEXT) for run in element.iterfind(_RUN)]
    return "".join(t.text or "" for t in parts if t is not None)


def _open_workbook(data: bytes):
    """openpyxl's reader of the workbook's parts (strings, styles), not of its sheets."""
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.styles.stylesheet import apply_stylesheet

    reader = ExcelReader(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
    reader.read_manifest()
    reader.read_strings()
    reader.read_workbook()
    apply_stylesheet(reader.archive, reader.wb)
    for _sheet, rel in reader.parser.find_sheets():
        if rel.target in reader.valid_files and rel.Type.endswith("/worksheet"):
            return reader, rel.target
    return reader, None


def _cell_value(cell, strings, date_styles, epoch):
    """A cell's value as openpyxl gives it (dates as datetimes); a formula as "=..."."""
    value = inline = None
    for child in cell:
        tag = child.tag
        if tag == _VALUE:
            value = child.text
        elif tag == _FORMULA:
            return "=" + (child.text or "")
        elif tag == _INLINE:
            inline = child
    kind = cell.get("t", "n")
    if inline is not None:
        return _rich_text(inline)
    if not value:
        return None
    if kind == "s":
        return strings[int(value)]
    if kind == "n":
        number = float(value) if ("." in value or "E" in value or "e" in value) else int(value)
        style = cell.get("s")
        if style and int(style) in date_styles:
            from openpyxl.utils.datetime import from_excel

            try:
                return from_excel(number, epoch)
            except (OverflowError, ValueError):
                return number
        return number
    if kind == "b":
        return value == "1"
    if kind == "d":
        from openpyxl.utils.datetime import from_ISO8601

        return from_ISO8601(value)
    return value  # "str", "e"


def _xlsx_rows(data: bytes) -> Iterator[tuple[int, list]]:
    """The first worksheet's rows, streamed with defusedxml (openpyxl's own sheet reader
    takes twice as long: it builds a cell object per value)."""
    import defusedxml
    from defusedxml.ElementTree import iterparse
    from openpyxl.xml import DEFUSEDXML

    if not DEFUSEDXML:  # fail closed: openpyxl must parse through defusedxml
        raise ImportRefused(_("Workbooks cannot be read safely on this server."), "no_defusedxml")
    try:
        reader, path = _open_workbook(data)
    except defusedxml.DefusedXmlException:
        raise _xml_bomb()
    except Exception as e:  # openpyxl raises many kinds on a damaged file
        raise ImportRefused(
            _("The workbook could not be read (%(error)s).") % {"error": type(e).__name__},
            "damaged",
        )
    strings, wb = reader.shared_strings, reader.wb
    date_styles, epoch = wb._date_formats, wb.epoch
    number = 0
    try:
        if path is None:
            return
        with reader.archive.open(path) as source:
            for _event, element in iterparse(source):
                if element.tag != _ROW:
                    continue
                number = int(element.get("r") or number + 1)
                values: list = []
                for cell in element:
                    if cell.tag != _CELL:
                        continue
                    ref = cell.get("r")
                    column = _column_index(ref) if ref else len(values) + 1
                    if column > MAX_COLUMNS:
                        break
                    values.extend([None] * (column - len(values) - 1))
                    values.append(_cell_value(cell, strings, date_styles, epoch))
                element.clear()
                yield number, values
    except defusedxml.DefusedXmlException:
        raise _xml_bomb()
    except (ValueError, IndexError, KeyError, SyntaxError, zipfile.BadZipFile) as e:
        raise ImportRefused(
            _("The workbook could not be read (%(error)s).") % {"error": type(e).__name__},
            "damaged",
        )
    finally:
        reader.archive.close()


def _csv_rows(data: bytes) -> Iterator[tuple[int, list]]:
    text = _decode_csv(data)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        for number, values in enumerate(reader, start=1):
            yield number, values[:MAX_COLUMNS]
    except csv.Error as e:
        raise ImportRefused(
            _("The csv file could not be read: %(error)s") % {"error": e}, "damaged"
        )


def read_sheet(data: bytes, fmt: str, known_headers: set[str]) -> Sheet:
    """The header and the non-blank rows of the first sheet, numbered as in the spreadsheet."""
    source = _xlsx_rows(data) if fmt == "xlsx" else _csv_rows(data)
    header_row, headers, candidates = None, [], []
    rows: list[tuple[int, list]] = []
    blank_run, previous = 0, 0
    for number, values in source:
        # Rows missing from the sheet's XML are blank rows too.
        blank_run += number - previous - 1
        previous = number
        if _is_blank(values):
            blank_run += 1
        if blank_run >= BLANK_RUN_END and fmt == "xlsx":
            break
        if _is_blank(values):
            continue
        blank_run = 0
        if header_row is None:
            candidates.append((number, values))
            if sum(normalise_header(v) in known_headers for v in values) >= 2:
                header_row, headers = number, values
            elif len(candidates) >= HEADER_SEARCH_ROWS:
                header_row, headers = candidates[0]
                rows.extend(candidates[1:])
            continue
        rows.append((number, values))
        if len(rows) > MAX_ROWS:
            raise ImportRefused(
                _("The file has more than %(max)s rows: split it into smaller files.")
                % {"max": f"{MAX_ROWS:,}"},
                "too_many_rows",
            )
    if header_row is None:
        if not candidates:
            raise ImportRefused(_("The file has no rows."), "empty")
        header_row, headers = candidates[0]
        rows.extend(candidates[1:])
    if not rows:
        raise ImportRefused(_("The file has a header but no rows to import."), "empty")
    return Sheet(
        header_row=header_row, headers=["" if h is None else str(h) for h in headers], rows=rows
    )


# Headers.


def normalise_header(value) -> str:
    """The form headers are compared in: no spaces, marks of required columns, or case."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", str(value)).strip().lower()
    text = text.strip("*:")
    text = re.sub(r"[\s_\-]+", " ", text).strip()
    if re.search(r"[\u4e00-\u9fff]", text):
        text = text.replace(" ", "")
    return text


@dataclass(frozen=True)
class Column:
    """One column of an import: the resource field, its Chinese header, English aliases."""

    field: str
    header: str
    aliases: tuple[str, ...] = ()
    required: bool = True

    def names(self) -> set[str]:
        return {normalise_header(n) for n in (self.header, self.field, *self.aliases)}


def map_headers(sheet: Sheet, columns: Sequence[Column]) -> dict[int, Column]:
    """Which column of the file is which resource column; refuse wrong or missing headers."""
    lookup = {name: column for column in columns for name in column.names()}
    found: dict[int, Column] = {}
    unknown, twice = [], []
    for index, header in enumerate(sheet.headers):
        name = normalise_header(header)
        if not name or name in IGNORED_HEADERS:
            continue
        column = lookup.get(name)
        if column is None:
            unknown.append(header.strip())
        elif column in found.values():
            twice.append(header.strip())
        else:
            found[index] = column
    missing = [c.header for c in columns if c.required and c not in found.values()]
    problems = []
    if missing:
        problems.append(_("missing columns: %(columns)s") % {"columns": "、".join(missing)})
    if unknown:
        problems.append(_("unknown columns: %(columns)s") % {"columns": "、".join(unknown)})
    if twice:
        problems.append(_("columns named twice: %(columns)s") % {"columns": "、".join(twice)})
    if problems:
        raise ImportRefused(
            _("The header row does not match (%(problems)s). The columns are: %(columns)s.")
            % {
                "problems": "; ".join(problems),
                "columns": "、".join(c.header + ("*" if c.required else "") for c in columns),
            },
            "bad_headers",
            row=sheet.header_row,
        )
    return found


# Values as offices write them.

_CN_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}


def is_formula(value) -> bool:
    # The xlsx reader gives every formula as its text ("=..."); csv cells are text.
    return isinstance(value, str) and value.lstrip().startswith("=")


def formula_error() -> BadValue:
    return BadValue(
        _("A formula is not accepted: the file must hold values (copy, then paste as values)."),
        "formula",
    )


def clean_text(value, *, required: bool = False, max_length: int | None = None) -> str:
    """A cell as text: numbers without a trailing .0, dates as YYYY-MM-DD, spaces trimmed."""
    if value.__class__ is str:  # most cells: one check instead of six
        text = value.strip()
        if text.startswith("="):
            raise formula_error()
    elif value is None:
        text = ""
    elif isinstance(value, bool):
        text = str(value)
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))
    elif isinstance(value, datetime.datetime):
        text = value.date().isoformat() if value.time() == datetime.time() else str(value)
    elif isinstance(value, datetime.date):
        text = value.isoformat()
    else:
        text = str(value)
    text = text.strip()
    if is_formula(text):
        raise formula_error()
    if required and not text:
        raise BadValue(_("This cell is required."), "required")
    if max_length is not None and len(text) > max_length:
        raise BadValue(
            _("At most %(max)s characters (this has %(length)s).")
            % {"max": max_length, "length": len(text)},
            "too_long",
        )
    return text


def _chinese_number(text: str) -> int:
    if text.isdigit():
        return int(text)
    if all(c in _CN_DIGITS for c in text):  # 一六 for 16
        return int("".join(str(_CN_DIGITS[c]) for c in text))
    total = digit = 0
    for char in text:
        if char in _CN_DIGITS:
            digit = _CN_DIGITS[char]
        elif char in "十百":
            total += (digit or 1) * (10 if char == "十" else 100)
            digit = 0
        else:
            raise ValueError(text)
    return total + digit


@functools.cache
def _ordinal_pattern(suffixes: tuple[str, ...]) -> re.Pattern:
    ends = "|".join(re.escape(s) for s in suffixes)
    return re.compile(rf"^第?([0-9零〇一二两三四五六七八九十百]+)(?:{ends})?$")


def parse_ordinal(value, *, suffixes: Sequence[str], required: bool = True) -> int | None:
    """届次 or 会次: 16, "16", "第十六届", "十六", "第三次会议"; None when blank and optional."""
    # A file repeats the same few terms and sessions on every row.
    return _parse_ordinal(value, tuple(suffixes), required)


@functools.lru_cache(maxsize=1024)
def _parse_ordinal(value, suffixes: tuple[str, ...], required: bool) -> int | None:
    if is_formula(value):
        raise formula_error()
    if isinstance(value, bool):
        value = str(value)
    number = None
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) or value is None:
        text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", value or ""))
        if not text:
            if required:
                raise BadValue(_("This cell is required."), "required")
            return None
        match = _ordinal_pattern(tuple(suffixes)).match(text)
        if match:
            try:
                number = _chinese_number(match.group(1))
            except ValueError:
                number = None
    if number is None or not 1 <= number <= 999:
        raise BadValue(
            _("“%(value)s” is not a number such as 16 or 第十六届.") % {"value": value},
            "bad_number",
        )
    return number


TERM_SUFFIXES = ("届人大", "届")
SESSION_SUFFIXES = ("次会议", "次", "会议")

_DATE = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?$"
)


def parse_date(value, *, spreadsheet: bool = True) -> datetime.date | None:
    """A spreadsheet date, or text such as 2026-03-05, 2026/3/5, 2026年3月5日; blank is None."""
    if is_formula(value):
        raise formula_error()
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    date = None
    if isinstance(value, (int, float)) and not isinstance(value, bool) and spreadsheet:
        # A date cell formatted as a number: Excel's serial day count.
        from openpyxl.utils.datetime import from_excel

        if 1 <= value <= 2958465:
            date = from_excel(value).date()
    elif isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip()
        if re.fullmatch(r"\d{8}", text):
            text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
        match = _DATE.match(text)
        if match:
            try:
                date = datetime.date(*(int(g) for g in match.groups()))
            except ValueError:
                date = None
    if date is None or not 1949 <= date.year <= 2100:
        raise BadValue(
            _("“%(value)s” is not a date such as 2026-03-05 or 2026年3月5日.") % {"value": value},
            "bad_date",
        )
    return date


def parse_choice(
    value, table: dict[str, str], *, required: bool, label: str, shown: Sequence[str] = ()
) -> str:
    """Map a value as written (Chinese or English) to a choice; blank is "" when optional.

    ``shown`` are the spellings the error message suggests (the table's values otherwise).
    """
    text = clean_text(value)
    if not text:
        if required:
            raise BadValue(_("This cell is required."), "required")
        return ""
    key = normalise_header(text)
    if key in table:
        return table[key]
    raise BadValue(
        _("“%(value)s” is not a %(label)s; write one of: %(choices)s.")
        % {
            "value": text,
            "label": label,
            "choices": "、".join(shown or dict.fromkeys(table.values())),
        },
        "bad_choice",
    )


def texts(values) -> set[str]:
    """The cells of a column as text, leaving out the bad ones (their rows report them)."""
    found = set()
    for value in values:
        try:
            found.add(clean_text(value))
        except BadValue:
            pass
    return found - {""}


def split_names(value) -> list[str]:
    """Co-signers as offices list them: separated by 、 ， , ； ; or spaces, once each."""
    text = clean_text(value)
    names = [n for n in re.split(r"[、，,；;\s]+", text) if n]
    return list(dict.fromkeys(names))


@functools.lru_cache(maxsize=8192)
def name_key(name: str) -> str:
    """Names compare without spaces (rosters pad two-character names: 王  丽)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", name or ""))


# The entry point.


def resource_class(kind: str):
    if kind == "deputies":
        from deputies.resources import DeputyResource

        return DeputyResource
    from .resources import HandlingUnitResource, SuggestionResource

    return {"units": HandlingUnitResource, "suggestions": SuggestionResource}[kind]


def _dataset(sheet: Sheet, found: dict[int, Column], resource):
    import tablib

    columns = sorted(found.items())
    dataset = tablib.Dataset(headers=[resource.fields[c.field].column_name for _i, c in columns])
    for _number, values in sheet.rows:
        padded = list(values) + [None] * (len(sheet.headers) - len(values))
        dataset.append([padded[index] for index, _c in columns])
    return dataset


def _collect(report: ImportReport, result, rows: list[int], columns: dict[str, str]) -> None:
    """Turn import-export's result into the report's errors and outcomes.

    ``rows`` maps the dataset's row index to the spreadsheet's row number, ``columns`` a
    resource attribute to its header as the file writes it.
    """
    for error in result.base_errors:
        report.errors.append(RowError(None, "", str(error.error), "error"))
    for error_row in result.error_rows:
        for error in error_row.errors:
            report.errors.append(
                RowError(rows[error_row.number - 1], "", str(error.error), "error")
            )
    for invalid in result.invalid_rows:
        number = rows[invalid.number - 1]
        problem = invalid.error
        by_attribute = (
            problem.error_dict
            if hasattr(problem, "error_dict")
            else {NON_FIELD_ERRORS: problem.error_list}
        )
        for attribute, errors in by_attribute.items():
            for error in errors:
                for message in error.messages:
                    report.errors.append(
                        RowError(
                            number, columns.get(attribute, ""), message, error.code or "invalid"
                        )
                    )
    report.errors.sort(key=lambda e: (e.row is not None, e.row or 0))
    if report.errors:
        return  # all or nothing: the good rows of a refused file are not imported either
    for index, row_result in enumerate(result.rows):
        if row_result.import_type in ("new", "update", "skip"):
            report.outcomes.append(
                RowOutcome(rows[index], row_result.import_type, row_result.instance)
            )
            if row_result.import_type != "skip" and row_result.instance is not None:
                report.written.append((row_result.import_type, row_result.instance))


def import_file(
    *,
    kind: str,
    file: bytes | str | Path | IO[bytes],
    by,
    dry_run: bool = False,
    name: str | None = None,
) -> ImportReport:
    """Import a file of deputies, units or suggestions: all rows, or none and every reason."""
    if kind not in KINDS:
        raise ValueError(f"unknown import kind {kind!r}")
    if by is not None and not can_import(by, kind):
        raise PermissionDenied(
            _("You may not import %(what)s.") % {"what": _model(kind)._meta.verbose_name_plural}
        )
    if name is None and isinstance(file, (str, Path)):
        name = str(file)
    name = name or getattr(file, "name", None)
    report = ImportReport(kind=kind, dry_run=dry_run)
    resource = resource_class(kind)(by=by)
    try:
        data = _read_limited(file)
        fmt = check_file(data, name)
        known = {n for column in resource.columns for n in column.names()}
        sheet = read_sheet(data, fmt, known)
        found = map_headers(sheet, resource.columns)
    except ImportRefused as e:
        report.errors.append(RowError(e.row, e.column, e.message, e.code))
        return report
    dataset = _dataset(sheet, found, resource)
    rows = [number for number, _values in sheet.rows]
    # As the file names its columns, for the errors: resource attribute -> header.
    columns = {
        resource.fields[column.field].attribute: sheet.headers[index].strip()
        for index, column in found.items()
    }
    resource.sheet_rows = rows
    with transaction.atomic():
        result = resource.import_data(
            dataset,
            dry_run=dry_run,
            use_transactions=True,
            rollback_on_validation_errors=True,
            raise_errors=False,
        )
        _collect(report, result, rows, columns)
        if dry_run or report.errors:
            transaction.set_rollback(True)
    return report
