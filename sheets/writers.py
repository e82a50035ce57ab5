"""What every export writes the same way: safe cells, the csv, the download's name.

- ``neutralise``: a text cell a spreadsheet program would run as a formula (or a DDE
  call) gets a leading ``'``; numbers and dates stay typed.
- ``csv_pieces``: a csv in UTF-8 with a byte order mark, produced in pieces as the rows
  come (the xlsx counterpart is ``xlsx_writer.stream_xlsx``).
- ``attachment``: the Content-Disposition of a download, with an ASCII name and the name
  in the user's language.
"""

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from urllib.parse import quote

from django.utils.functional import Promise

# The csv is streamed in pieces of about this many characters.
CSV_PIECE = 64 * 1024

# A cell starting with one of these is read as a formula (or a DDE call) by spreadsheet
# programs; Excel also folds the full-width forms to their ASCII counterparts.
DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def neutralise(value):
    """Prefix a string that a spreadsheet would run as a formula with ``'``; keep the rest."""
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str) and value.startswith(DANGEROUS_PREFIXES):
        return "'" + value
    return value


def csv_pieces(headers: Sequence, rows: Iterable[Sequence]) -> Iterator[bytes]:
    """Yield a csv file, UTF-8 with a byte order mark: ``headers``, then ``rows`` as they
    are read, in pieces of about ``CSV_PIECE`` characters. Cells are written as given:
    neutralising them is the caller's business, as for ``stream_xlsx``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    # The byte order mark tells Excel the file is UTF-8 (it assumes the ANSI code page).
    buffer.write("\ufeff")
    writer.writerow(headers)
    for row in rows:
        writer.writerow(row)
        if buffer.tell() >= CSV_PIECE:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def attachment(ascii_name: str, name: str) -> str:
    """Content-Disposition: an ASCII name, and the name in the user's language (RFC 5987)."""
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
