"""The entry point: a file in, an ``ImportReport`` out, all rows written or none."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from .columns import Column, map_headers
from .guard import check_file, read_limited
from .registry import can_import, kinds, model_of, needs_user, resource_class
from .report import ImportRefused, ImportReport, RowError, RowOutcome
from .sheet import Sheet, read_sheet


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


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """No cyclic garbage collection inside: an import creates objects by the hundred
    thousand, few of them cyclic, and the collector's passes over them took 0.25 s or
    more of a 10,000-row import (docs/performance.md). Reference counting still frees
    the rest; cycles made meanwhile are collected after. The switch is process-wide:
    another thread's cycles wait for the import too."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def import_file(
    *,
    kind: str,
    file: bytes | str | Path | IO[bytes],
    by,
    dry_run: bool = False,
    name: str | None = None,
) -> ImportReport:
    """Import a file of a registered ``kind``: all rows, or none and every reason."""
    if kind not in kinds():
        raise ValueError(f"unknown import kind {kind!r}")
    if by is None and needs_user(kind):
        raise PermissionDenied(
            _("An import of %(what)s is made by a user: name one (--by USERNAME).")
            % {"what": model_of(kind)._meta.verbose_name_plural}
        )
    if by is not None and not can_import(by, kind):
        raise PermissionDenied(
            _("You may not import %(what)s.") % {"what": model_of(kind)._meta.verbose_name_plural}
        )
    if name is None and isinstance(file, (str, Path)):
        name = str(file)
    name = name or getattr(file, "name", None)
    report = ImportReport(kind=kind, dry_run=dry_run)
    resource = resource_class(kind)(by=by)
    with _collector_paused():
        _import(report, resource, file, name)
    return report


def _import(report: ImportReport, resource, file, name: str | None) -> None:
    try:
        data = read_limited(file)
        fmt = check_file(data, name)
        known = {n for column in resource.columns for n in column.names()}
        sheet = read_sheet(data, fmt, known)
        found = map_headers(sheet, resource.columns)
    except ImportRefused as e:
        report.errors.append(RowError(e.row, e.column, e.message, e.code))
        return
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
            dry_run=report.dry_run,
            use_transactions=True,
            rollback_on_validation_errors=True,
            raise_errors=False,
        )
        _collect(report, result, rows, columns)
        if report.dry_run or report.errors:
            transaction.set_rollback(True)
