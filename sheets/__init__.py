"""Spreadsheets in and out, for any app: imports from xlsx and csv files, streamed exports.

``sheets`` knows no app of the project. Each app registers the kinds it imports
(``registry.py``) from its ``AppConfig.ready()``: today ``deputies`` (the deputies),
``suggestions`` (handling units, suggestions, and the assignment list of a 交办会,
whose rows are calls of the assignment service rather than records the resource writes)
and ``stations`` (the liaison stations, and the deputies' stations).

One entry point, ``import_file()`` (``driver.py``), serves the admin (``admin.py``) and
the ``import_data`` command:

1. The file guard (``guard.py``) refuses, before any parser sees the file: more than
   10 MB; a type that is not what the content is (magic bytes: an xlsx is a zip holding
   ``[Content_Types].xml``; a csv is text in UTF-8, with or without BOM, or GB18030); an
   xlsx whose members declare more than 100 MB uncompressed (read from the zip
   directory); an xlsx whose XML parts carry a DOCTYPE or ENTITY (an XML bomb).
   openpyxl parses with defusedxml besides (``openpyxl.xml.DEFUSEDXML``).
2. The first worksheet is read into rows that keep their spreadsheet row numbers
   (``sheet.py``; ``xlsx_reader.py`` for workbooks): openpyxl (read-only) reads the workbook's
   small parts (manifest, sheet list, date styles); the shared strings and the sheet
   are streamed through expat handlers that keep only the values and, like defusedxml,
   refuse any DTD or entity (docs/performance.md has the timings). Formulas are read as
   formulas, never as their cached values, so they can be refused. Blank rows are
   skipped; a run of ``BLANK_RUN_END`` blank rows ends the sheet, so a workbook padded
   with a million blank rows is read in a moment. More than 20,000 non-blank rows are
   refused.
3. The header row (the first row naming at least two known columns, among the first
   ten) is mapped to the resource's columns (``columns.py``): Chinese headers as
   DESIGN.md lists them, or English ones. A missing required column, an unknown column
   or a column named twice refuses the file.
4. The resource (``resources.py`` of each app, on the base of ``resources.py`` here)
   imports the rows inside one transaction that is rolled back on a dry run or when any
   row is bad: all or nothing. Cells are parsed by ``values.py``, names resolved in
   memory by a ``resolvers.Resolver`` (leaders here, deputies in ``deputies.resources``);
   new suggestions are written in bulk by ``bulk.py`` (``COPY`` on PostgreSQL), with
   their audit entries by ``audit.py``. Every bad row is reported (``report.py``) with
   its spreadsheet row number, its column as the file names it, a reason in the user's
   language and a code that tests and tools can rely on.

Rows are keyed as DESIGN.md says: a deputy by name, delegation and term, a unit by
name, a suggestion by its number within term and session. A key seen twice in one file
is a bad row. An existing deputy or unit whose other columns differ is updated; an
existing suggestion with other content is a bad row (an import never rewrites a
suggestion); the same content is unchanged. Importing the same file again changes
nothing.

Who may import (``registry.py``): an active staff user with the model's ``add``
permission (or the codename in ``IMPORT_EXPORT_IMPORT_PERMISSION_CODE`` when that
setting is set), who passes the kind's own check when it registered one: a suggestion
import also needs the committee office, as ``services.suggestion_create`` does. The
command line may run without a user (``by=None``): whoever runs it has the database
already; except for a kind registered with ``needs_user`` (the assignment list), whose
services record who acted.

Exports are written by ``xlsx_writer.py`` (a streamed xlsx) and ``writers.py`` (the csv,
the neutralising of cells a spreadsheet would run as formulas, the download's name).

This module re-exports the names the admin, the command, the resources and the tests
use. ``resources``, ``resolvers``, ``bulk``, ``audit`` and ``admin`` are imported from
their modules by those who need them (they need the apps loaded).
"""

from .columns import IGNORED_HEADERS, Column, map_headers, normalise_header
from .driver import import_file
from .guard import MAX_BYTES, MAX_UNCOMPRESSED, MAX_ZIP_MEMBERS, check_file
from .registry import (
    can_import,
    import_permission,
    kind_of,
    kinds,
    needs_user,
    register,
    resource_class,
)
from .report import BadValue, ImportRefused, ImportReport, RowError, RowOutcome
from .sheet import BLANK_RUN_END, HEADER_SEARCH_ROWS, MAX_COLUMNS, MAX_ROWS, Sheet, read_sheet
from .values import (
    SESSION_SUFFIXES,
    TERM_SUFFIXES,
    clean_text,
    formula_error,
    is_formula,
    name_key,
    parse_choice,
    parse_date,
    parse_ordinal,
    split_names,
    texts,
)

__all__ = [
    "BLANK_RUN_END",
    "HEADER_SEARCH_ROWS",
    "IGNORED_HEADERS",
    "MAX_BYTES",
    "MAX_COLUMNS",
    "MAX_ROWS",
    "MAX_UNCOMPRESSED",
    "MAX_ZIP_MEMBERS",
    "SESSION_SUFFIXES",
    "TERM_SUFFIXES",
    "BadValue",
    "Column",
    "ImportRefused",
    "ImportReport",
    "RowError",
    "RowOutcome",
    "Sheet",
    "can_import",
    "check_file",
    "clean_text",
    "formula_error",
    "import_file",
    "import_permission",
    "is_formula",
    "kind_of",
    "kinds",
    "map_headers",
    "name_key",
    "needs_user",
    "normalise_header",
    "parse_choice",
    "parse_date",
    "parse_ordinal",
    "read_sheet",
    "register",
    "resource_class",
    "split_names",
    "texts",
]
