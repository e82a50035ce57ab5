"""The year's duty ranking as an xlsx sheet (``admin:deputies_ranking_export``): the
ranking page's rows for the same filters, all of them, with the points of each kind and
the contact rules unmet. Headers in the user's language, text cells neutralised; no
phone numbers (the sheet leaves the office)."""

from decimal import Decimal

from django.db.models import Sum
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from sheets.writers import attachment, neutralise
from sheets.xlsx_writer import CONTENT_TYPE, stream_xlsx

from . import selectors
from .models import Deputy, DutyRecord, DutyTotal

Kind = DutyRecord.Kind


def points_by_kind(*, year: int, delegation: str = "", level: str = "", group=None) -> dict:
    """(deputy id, kind) → the year's net points, for the deputies the filters keep: one
    grouped query over the year's totals (after the year's rules), not one per deputy."""
    records = DutyTotal.objects.filter(year=year)
    if delegation:
        records = records.filter(deputy__delegation=delegation)
    if level:
        records = records.filter(deputy__level=level)
    if group is not None:
        records = records.filter(deputy__groups=group)
    grouped = (
        records.order_by()
        .values("deputy_id", "kind")
        .annotate(total=Sum(selectors.total_expression(selectors.points_of(year))))
        .values_list("deputy_id", "kind", "total")
    )
    return {(deputy_id, kind): total for deputy_id, kind, total in grouped}


def ranking_headers() -> list[str]:
    """The sheet's headers in the active language."""
    return [
        _("Rank"),
        _("Rank in delegation"),
        _("Name"),
        _("Delegation"),
        _("Level"),
        _("Total points"),
        *[str(label) for label in Kind.labels],
        _("Rules unmet"),
    ]


def ranking_sheet_rows(table, by_kind: dict) -> list[list]:
    """One list of cells per row of the table, numbers typed, text neutralised."""
    levels = dict(Deputy.Level.choices)
    found = []
    for row, unmet in table.rows:
        cells = [
            row.rank,
            row.rank_in_delegation,
            row.name,
            row.delegation,
            str(levels.get(row.level, row.level)),
            row.total,
            *[by_kind.get((row.deputy_id, kind), Decimal(0)) for kind in Kind.values],
            "、".join(unmet),
        ]
        found.append([neutralise(cell) for cell in cells])
    return found


def ranking_xlsx_response(table) -> StreamingHttpResponse:
    """The table's rows as an xlsx download named for the year and today."""
    by_kind = points_by_kind(
        year=table.year,
        delegation=table.filters.get("delegation", ""),
        level=table.filters.get("level", ""),
        group=table.group,
    )
    day = timezone.localdate().isoformat()
    name = _("Duty ranking %(year)s") % {"year": table.year}
    pieces = stream_xlsx(
        [neutralise(header) for header in ranking_headers()],
        ranking_sheet_rows(table, by_kind),
        sheet_title=name,
        column_widths=[6, 6, 12, 20, 8, 8] + [8] * len(Kind.values) + [40],
    )
    response = StreamingHttpResponse(pieces, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = attachment(
        f"duty-ranking-{table.year}-{day}.xlsx", f"{name}-{day}.xlsx"
    )
    return response
