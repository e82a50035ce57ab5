"""The assessment's table as an xlsx sheet: the page's rows and values, one column per
number (each rate as numerator, denominator and percentage; each deduction kind as
count and points), headers in the user's language, text cells neutralised."""

from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from sheets.writers import attachment, neutralise
from sheets.xlsx_writer import CONTENT_TYPE, stream_xlsx

from .assessment_words import RATE_LABELS, grounds_labels
from .models import AssessmentScheme
from .selectors.rows import CASE_KINDS, RATES, UnitAssessment

DEDUCTION_KINDS = (*CASE_KINDS, "manual")


def assessment_headers() -> list[str]:
    """The sheet's headers in the active language."""
    headers = [_("Rank"), _("Unit"), _("Lead assignments"), _("Co-handling assignments")]
    for name in RATES:
        label = RATE_LABELS[name]
        headers += [
            _("%(rate)s: numerator") % {"rate": label},
            _("%(rate)s: denominator") % {"rate": label},
            _("%(rate)s (%%)") % {"rate": label},
        ]
    headers += [_("Redos"), _("Redos by ground"), _("Reassigned")]
    for kind in DEDUCTION_KINDS:
        label = capfirst(str(AssessmentScheme.kind_label(kind)))
        headers += [
            _("%(kind)s: cases") % {"kind": label},
            _("%(kind)s: points") % {"kind": label},
        ]
    headers += [_("Reasons of other deductions"), _("Points deducted"), _("Score")]
    return headers


def assessment_sheet_rows(rows: list[UnitAssessment]) -> list[list]:
    """One list of cells per row, numbers typed, text neutralised; a rate without cases
    has an empty percentage."""
    grounds = grounds_labels()
    found = []
    for row in rows:
        cells = [row.rank, row.unit.name, row.lead_count, row.co_count]
        for name in RATES:
            rate = getattr(row, name)
            cells += [rate.numerator, rate.denominator, rate.percent]
        cells += [
            row.redo_total,
            "、".join(
                f"{grounds.get(code, code)} {n}" for code, n in sorted(row.redo_count.items())
            ),
            row.reassigned_count,
        ]
        lines = {line.kind: line for line in row.deductions}
        for kind in DEDUCTION_KINDS:
            line = lines.get(kind)
            cells += [line.count, line.points] if line else [0, 0]
        cells += [
            "；".join(f"{m['reason']}（{m['points']}）" for m in row.manual),
            row.deducted,
            row.score,
        ]
        found.append([neutralise(cell) for cell in cells])
    return found


def assessment_xlsx_response(rows: list[UnitAssessment], year: int) -> StreamingHttpResponse:
    """The rows as an xlsx download named for the year and today."""
    day = timezone.localdate().isoformat()
    name = _("Assessment %(year)s") % {"year": year}
    pieces = stream_xlsx(
        [neutralise(h) for h in assessment_headers()],
        assessment_sheet_rows(rows),
        sheet_title=name,
        column_widths=[6, 24, 8, 8] + [8] * (3 * len(RATES)) + [8, 24, 8] + [8] * 14 + [30, 8, 8],
    )
    response = StreamingHttpResponse(pieces, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = attachment(
        f"assessment-{year}-{day}.xlsx", f"{name}-{day}.xlsx"
    )
    return response
