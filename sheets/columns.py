"""The header row: which column of the file is which column of the resource."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from django.utils.translation import gettext as _

from .report import ImportRefused

# Columns offices add for their own use; ignored, never imported.
IGNORED_HEADERS = {"序号", "#"}


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


class HeaderRow(Protocol):
    """What ``map_headers`` reads of a sheet (``sheet.Sheet``): its headers and their row."""

    headers: Sequence[str]
    header_row: int


@dataclass(frozen=True)
class Column:
    """One column of an import: the resource field, its Chinese header, English aliases."""

    field: str
    header: str
    aliases: tuple[str, ...] = ()
    required: bool = True

    def names(self) -> set[str]:
        return {normalise_header(n) for n in (self.header, self.field, *self.aliases)}


def map_headers(sheet: HeaderRow, columns: Sequence[Column]) -> dict[int, Column]:
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
