"""What an import reports: the refusal of a file, a bad value, and each row's outcome."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _


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
