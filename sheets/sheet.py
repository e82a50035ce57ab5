"""Reading the first worksheet of an xlsx (``xlsx_reader.py``), or a csv, into numbered rows."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .columns import normalise_header
from .guard import decode_csv
from .report import ImportRefused
from .xlsx_reader import xlsx_rows

MAX_ROWS = 20_000
MAX_COLUMNS = 100
# This many blank rows in a row end the sheet: Excel pads sheets with formatted blanks.
BLANK_RUN_END = 1_000
HEADER_SEARCH_ROWS = 10


@dataclass
class Sheet:
    header_row: int
    headers: list[str]
    rows: list[tuple[int, list]]  # (row number in the spreadsheet, cell values)


def _is_blank(values: Sequence) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def _csv_rows(data: bytes) -> Iterator[tuple[int, list]]:
    text = decode_csv(data)
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
    source = xlsx_rows(data, max_columns=MAX_COLUMNS) if fmt == "xlsx" else _csv_rows(data)
    header_row, headers, candidates = None, [], []
    rows: list[tuple[int, list]] = []
    blank_run, previous = 0, 0
    for number, values in source:
        # Rows missing from the sheet's XML are blank rows too.
        blank_run += number - previous - 1
        previous = number
        blank = _is_blank(values)
        if blank:
            blank_run += 1
        if blank_run >= BLANK_RUN_END and fmt == "xlsx":
            break
        if blank:
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
