"""The units' assessment of a year (``reports:assessment``): the ranked table, its charts
and, for the office, closing and reopening the year; the suggestions behind a deduction
count (``reports:assessment_cases``); the table as an xlsx sheet
(``reports:assessment_export``). Leaders see the rows of the units they supervise, each
with its rank among all units."""

from decimal import Decimal

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from suggestions.models import HandlingUnit

from .. import charts, services
from ..access import reader_required
from ..assessment_export import assessment_xlsx_response
from ..assessment_words import RATE_LABELS, grounds_labels, percent, points
from ..models import AssessmentScheme
from ..selectors.assessment import closing_of
from ..selectors.assessment_page import (
    FIRST_YEAR,
    LAST_YEAR,
    assessment_rows,
    assessment_years,
    case_list,
)
from ..selectors.rows import CASE_KINDS, RATES, UnitAssessment


def _check_year(year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404


@require_http_methods(["GET", "HEAD", "POST"])
@reader_required()
def assessment(request, viewer, year: int):
    """The year's ranked table and charts; the office closes or reopens the year here."""
    _check_year(year)
    if request.method == "POST":
        return _close_or_reopen(request, viewer, year)
    closing = closing_of(year)
    context = {
        "year": year,
        "viewer": viewer,
        "closing": closing,
        "today": timezone.localdate(),
        "years": assessment_years(year),
        "deduction_add_url": reverse("admin:reports_deduction_add") + f"?year={year}",
    }
    asked = request.GET.get("unit")
    if closing is None:
        context.update(_body_context(viewer, year, closing, asked))
        return render(request, "reports/assessment.html", context)
    # A closed year's rows change only with a new event (a reopening): its table and
    # charts are rendered once per closing, language, reader's units and chosen unit, and
    # kept; nothing has to be invalidated.
    key = "reports:assessment:{}:{}:{}:{}".format(
        closing.pk,
        get_language(),
        "staff" if viewer.is_staff else ",".join(map(str, sorted(viewer.unit_ids))),
        asked if (asked or "").isdigit() else "",
    )
    body = cache.get(key)
    if body is None:
        body = render_to_string(
            "reports/includes/assessment_body.html",
            _body_context(viewer, year, closing, asked),
            request,
        )
        cache.set(key, body, CLOSED_PAGE_SECONDS)
    context["body"] = mark_safe(body)  # rendered by our own template above
    return render(request, "reports/assessment.html", context)


CLOSED_PAGE_SECONDS = 7 * 24 * 3600


def _body_context(viewer, year: int, closing, asked) -> dict:
    every_row = assessment_rows(year, closing)
    rows = viewer.only_theirs(every_row)
    chosen = _chosen(rows, asked)
    return {
        "year": year,
        "viewer": viewer,
        "rows": [_display(row, year) for row in rows],
        "rate_labels": list(RATE_LABELS.values()),
        "chosen": chosen,
        "charts": _charts(rows, every_row, chosen),
    }


def _close_or_reopen(request, viewer, year: int):
    if not viewer.is_staff:
        raise PermissionDenied
    action = request.POST.get("action")
    if action not in ("close", "reopen"):
        return HttpResponseBadRequest()
    try:
        if action == "close":
            if not request.POST.get("confirm"):
                raise ValidationError(_("Tick the box to confirm that the figures are final."))
            services.assessment_close(year=year, by=request.user)
            messages.success(request, _("The assessment of %(year)s is closed.") % {"year": year})
        else:
            reason = request.POST.get("reason", "")
            services.assessment_reopen(year=year, by=request.user, reason=reason)
            messages.success(
                request, _("The assessment of %(year)s is open again.") % {"year": year}
            )
    except ValidationError as refusal:
        for message in refusal.messages:
            messages.error(request, message)
    return redirect("reports:assessment", year=year)


def _chosen(rows: list[UnitAssessment], asked) -> UnitAssessment | None:
    """The unit ``?unit=<id>`` names among the rows shown, else the first row."""
    for row in rows:
        if str(row.unit.pk) == asked:
            return row
    return rows[0] if rows else None


def _display(row: UnitAssessment, year: int) -> dict:
    """A row's cells as the page shows them."""
    grounds = grounds_labels()
    deductions = []
    for line in row.deductions:
        url = None
        if line.kind in CASE_KINDS:
            url = reverse("reports:assessment_cases", args=[year, row.unit.pk, line.kind])
        deductions.append(
            {"label": line.label, "count": line.count, "points": points(line.points), "url": url}
        )
    return {
        "row": row,
        "rates": [
            {
                "label": RATE_LABELS[name],
                "rate": getattr(row, name),
                "percent": percent(getattr(row, name)),
            }
            for name in RATES
        ],
        "redos": [(grounds.get(code, code), n) for code, n in sorted(row.redo_count.items())],
        "deductions": deductions,
        "deducted": points(row.deducted),
        "score": points(row.score),
        "manual": [m | {"points": points(Decimal(m["points"]))} for m in row.manual],
    }


def _average(rows: list[UnitAssessment], name: str) -> float | None:
    """The mean of the units' rates (units without cases left out), as a percentage."""
    values = [getattr(r, name).percent for r in rows if getattr(r, name).percent is not None]
    return round(sum(values) / len(values), 1) if values else None


def _charts(rows, every_row, chosen) -> list:
    if not rows:
        return []
    names = [r.unit.name for r in rows]
    links = [f"?unit={r.unit.pk}#chart-unit" for r in rows]
    found = [
        charts.bar(
            id="chart-scores",
            title=_("Scores by unit"),
            categories=names,
            series=[(_("Score"), [float(r.score) for r in rows])],
            horizontal=True,
            max_value=100,
            links=links,
        ),
        charts.bar(
            id="chart-rates",
            title=_("On-time and satisfaction rates by unit (%)"),
            categories=names,
            series=[
                (RATE_LABELS["on_time"], [r.on_time.percent for r in rows]),
                (RATE_LABELS["satisfied_result"], [r.satisfied_result.percent for r in rows]),
            ],
            unit="%",
            max_value=100,
            links=links,
        ),
    ]
    if chosen is not None:
        found.append(
            charts.bar(
                id="chart-unit",
                title=_("%(unit)s against the average of all units (%%)")
                % {"unit": chosen.unit.name},
                categories=list(RATE_LABELS.values()),
                series=[
                    (chosen.unit.name, [getattr(chosen, name).percent for name in RATES]),
                    (_("Average of all units"), [_average(every_row, name) for name in RATES]),
                ],
                unit="%",
                max_value=100,
            )
        )
    return found


@require_GET
@reader_required()
def assessment_cases(request, viewer, year: int, unit: int, kind: str):
    """The suggestions behind one unit's count of one kind of deduction."""
    _check_year(year)
    if kind not in CASE_KINDS or not viewer.sees(unit):
        raise Http404
    handling_unit = get_object_or_404(HandlingUnit, pk=unit)
    cases = case_list(year=year, unit=handling_unit, kind=kind)
    for case in cases:
        if viewer.is_staff:
            case.url = reverse("admin:suggestions_suggestion_change", args=[case.suggestion.pk])
        elif case.assignment_id:
            case.url = reverse("tasks:detail", args=[case.assignment_id])
        else:
            case.url = None
    context = {
        "year": year,
        "viewer": viewer,
        "unit": handling_unit,
        "kind": kind,
        "kind_label": AssessmentScheme.kind_label(kind),
        "cases": cases,
        "co": kind == "late_co_opinion",
    }
    return render(request, "reports/assessment_cases.html", context)


@require_GET
@reader_required()
def assessment_export(request, viewer, year: int):
    """The page's table as an xlsx sheet (the viewer's rows)."""
    _check_year(year)
    rows = viewer.only_theirs(assessment_rows(year, closing_of(year)))
    return assessment_xlsx_response(rows, year)
