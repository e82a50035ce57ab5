"""Reading the first worksheet of an xlsx: its rows as lists of values, streamed.

openpyxl (read-only) reads the small parts of the workbook: the manifest, the list of
sheets and the styles (which number formats are dates, and the date epoch). The shared
strings and the sheet itself are read here, by expat handlers that keep only the values:
no element is built. On the benchmark's 10,000-row sheet openpyxl's own row iterator took
2.4 s, an ``iterparse`` through defusedxml 1.0 s to 1.4 s, these handlers 0.5 s
(docs/performance.md).

Every parser here refuses what defusedxml refuses (entity declarations, external
references) and any DOCTYPE, which the file guard refuses first: an XML bomb is refused
by the parser too, not only by the guard's byte scan.
"""

from __future__ import annotations

import functools
import io
import pyexpat
import zipfile
from collections.abc import Iterator

from django.utils.translation import gettext as _

from .guard import xml_bomb
from .report import ImportRefused

CHUNK = 64 * 1024
_DIGITS = "0123456789"

# expat joins a namespace and a local name with the separator given to ParserCreate.
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main "
_ROW, _CELL, _VALUE, _FORMULA = _MAIN + "row", _MAIN + "c", _MAIN + "v", _MAIN + "f"
_INLINE, _TEXT, _PHONETIC, _SHARED = _MAIN + "is", _MAIN + "t", _MAIN + "rPh", _MAIN + "si"


def _refuse(*args) -> None:
    raise xml_bomb()


def _parser(handler) -> pyexpat.XMLParserType:
    """An expat parser calling ``handler``'s start, end and text, refusing DTDs and entities."""
    parser = pyexpat.ParserCreate(namespace_separator=" ")
    parser.buffer_text = True  # one call per text node, not one per line of it
    parser.StartDoctypeDeclHandler = _refuse
    parser.EntityDeclHandler = _refuse
    parser.UnparsedEntityDeclHandler = _refuse
    parser.ExternalEntityRefHandler = _refuse
    parser.StartElementHandler = handler.start
    parser.EndElementHandler = handler.end
    parser.CharacterDataHandler = handler.text
    return parser


def _feed(parser, source) -> Iterator[None]:
    """Parse ``source`` a chunk at a time; yields after each chunk."""
    while chunk := source.read(CHUNK):
        parser.Parse(chunk, False)
        yield
    parser.Parse(b"", True)


@functools.lru_cache(maxsize=1024)
def _column_index(letters: str) -> int:
    """The column of a reference's letters: A is 1, Z 26, AA 27."""
    index = 0
    for char in letters:
        if not "A" <= char <= "Z":
            break
        index = index * 26 + ord(char) - 64
    return index


@functools.lru_cache(maxsize=1024)
def _excel_datetime(number, epoch):
    """A date cell's value as openpyxl gives it (a file repeats the same few dates)."""
    from openpyxl.utils.datetime import from_excel

    return from_excel(number, epoch)


class _SharedStrings:
    """The text of each ``si`` as openpyxl gives it: its ``t``, then its runs' ``t``, without
    phonetic guides (``rPh``), and with openpyxl's ``x005F_`` escape removed."""

    def __init__(self):
        self.strings: list[str] = []
        self.parts: list[str] | None = None
        self.plain: list[str] = []  # the si's own t, which openpyxl puts before the runs
        self.runs: list[str] = []
        self.depth = 0  # of the element being read, inside an si
        self.phonetic = False

    def start(self, name, attrs):
        if name == _SHARED:
            self.plain, self.runs, self.depth = [], [], 0
        elif name == _TEXT and not self.phonetic:
            self.parts = []
        elif name == _PHONETIC:
            self.phonetic = True
        self.depth += 1

    def text(self, data):
        if self.parts is not None:
            self.parts.append(data)

    def end(self, name):
        self.depth -= 1
        if name == _TEXT and self.parts is not None:
            # si/t is at depth 1; r/t, inside a run, deeper.
            (self.plain if self.depth == 1 else self.runs).append("".join(self.parts))
            self.parts = None
        elif name == _PHONETIC:
            self.phonetic = False
        elif name == _SHARED:
            self.strings.append("".join(self.plain + self.runs).replace("x005F_", ""))


class _SheetRows:
    """The rows of a worksheet: ``rows`` gathers (row number, values) as they end.

    A value is what openpyxl gives: text, a number, a datetime for a number in a date
    format, a bool; a formula is its text ("=..."), never its cached value.
    """

    def __init__(self, strings: list[str], date_styles: set[int], epoch, max_columns: int):
        self.strings, self.date_styles, self.epoch = strings, date_styles, epoch
        self.max_columns = max_columns
        self.rows: list[tuple[int, list]] = []
        self.number = 0
        self.values: list = []
        self.full = False  # the row reached max_columns: its further cells are left out
        self.parts: list[str] | None = None  # text of the v, f or t being read
        self.phonetic = False
        self.ref = self.kind = self.style = self.value = self.formula = None
        self.inline: list[str] | None = None

    def start(self, name, attrs):
        if name == _CELL:
            self.ref, self.kind, self.style = attrs.get("r"), attrs.get("t", "n"), attrs.get("s")
            self.value = self.formula = self.inline = None
        elif name == _VALUE or name == _FORMULA:
            self.parts = []
        elif name == _TEXT:
            if self.inline is not None and not self.phonetic:
                self.parts = []
        elif name == _INLINE:
            self.inline = []
        elif name == _ROW:
            self.number = int(attrs.get("r") or self.number + 1)
            self.values, self.full = [], False
        elif name == _PHONETIC:
            self.phonetic = True

    def text(self, data):
        if self.parts is not None:
            self.parts.append(data)

    def end(self, name):
        if name == _VALUE:
            self.value, self.parts = "".join(self.parts), None
        elif name == _CELL:
            self.add_cell()
        elif name == _TEXT:
            if self.parts is not None:
                self.inline.append("".join(self.parts))
                self.parts = None
        elif name == _ROW:
            self.rows.append((self.number, self.values))
        elif name == _FORMULA:
            self.formula, self.parts = "".join(self.parts), None
        elif name == _PHONETIC:
            self.phonetic = False

    def add_cell(self):
        values = self.values
        # Cached by the letters: each cell's reference (A2, A3 ...) is new.
        column = _column_index(self.ref.rstrip(_DIGITS)) if self.ref else len(values) + 1
        if self.full or column > self.max_columns:
            self.full = True
            return
        if column > len(values) + 1:
            values.extend([None] * (column - len(values) - 1))
        values.append(self.cell_value())

    def cell_value(self):
        if self.formula is not None:
            return "=" + self.formula
        if self.inline is not None:
            return "".join(self.inline)
        value, kind = self.value, self.kind
        if not value:
            return None
        if kind == "s":
            return self.strings[int(value)]
        if kind == "n":
            number = float(value) if ("." in value or "E" in value or "e" in value) else int(value)
            if self.style and int(self.style) in self.date_styles:
                try:
                    return _excel_datetime(number, self.epoch)
                except (OverflowError, ValueError):
                    return number
            return number
        if kind == "b":
            return value == "1"
        if kind == "d":
            from openpyxl.utils.datetime import from_ISO8601

            return from_ISO8601(value)
        return value  # "str", "e"


def _open_workbook(data: bytes):
    """openpyxl's reader of the workbook's manifest, sheet list and styles; the path of
    its shared strings (or None) and of its first worksheet (or None)."""
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.styles.stylesheet import apply_stylesheet
    from openpyxl.xml.constants import SHARED_STRINGS

    reader = ExcelReader(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
    reader.read_manifest()
    reader.read_workbook()
    apply_stylesheet(reader.archive, reader.wb)
    strings = reader.package.find(SHARED_STRINGS)
    strings_path = strings.PartName[1:] if strings is not None else None
    for _sheet, rel in reader.parser.find_sheets():
        if rel.target in reader.valid_files and rel.Type.endswith("/worksheet"):
            return reader, strings_path, rel.target
    return reader, strings_path, None


def _damaged(error: Exception) -> ImportRefused:
    return ImportRefused(
        _("The workbook could not be read (%(error)s).") % {"error": type(error).__name__},
        "damaged",
    )


def xlsx_rows(data: bytes, *, max_columns: int) -> Iterator[tuple[int, list]]:
    """The first worksheet's rows, (row number, values), as the sheet's XML is parsed;
    cells past ``max_columns`` are left out."""
    import defusedxml
    from openpyxl.xml import DEFUSEDXML

    if not DEFUSEDXML:  # fail closed: openpyxl must parse through defusedxml
        raise ImportRefused(_("Workbooks cannot be read safely on this server."), "no_defusedxml")
    try:
        reader, strings_path, path = _open_workbook(data)
    except defusedxml.DefusedXmlException:
        raise xml_bomb()
    except Exception as e:  # openpyxl raises many kinds on a damaged file
        raise _damaged(e)
    archive, wb = reader.archive, reader.wb
    try:
        strings = _SharedStrings()
        if strings_path is not None:
            with archive.open(strings_path) as source:
                for _chunk in _feed(_parser(strings), source):
                    pass
        if path is None:
            return
        sheet = _SheetRows(strings.strings, wb._date_formats, wb.epoch, max_columns)
        with archive.open(path) as source:
            for _chunk in _feed(_parser(sheet), source):
                yield from sheet.rows
                sheet.rows.clear()
            yield from sheet.rows
    except (
        pyexpat.ExpatError,
        ValueError,
        IndexError,
        KeyError,
        TypeError,
        zipfile.BadZipFile,
        NotImplementedError,  # a compression method zipfile cannot read
        EOFError,
    ) as e:
        raise _damaged(e)
    finally:
        archive.close()
