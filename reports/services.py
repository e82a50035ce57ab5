"""The office's writes on the year's outcome (DESIGN's service API, wave 2): a manual
deduction, closing a year (its figures frozen) and reopening it. Each runs in one
transaction and refuses with a ``ValidationError`` whose items carry codes."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from suggestions.models import Assignment, HandlingUnit
from suggestions.services import base

from .models import AssessmentEvent, AssessmentScheme, AssessmentSnapshot, Deduction
from .selectors import assessment as figures
from .selectors.cases import assessment_cases
from .selectors.rows import CASE_KINDS


def _year(year) -> int:
    try:
        year = int(year)
    except (TypeError, ValueError):
        year = 0
    if not 2000 <= year <= base.today().year:
        raise ValidationError(
            _("Give a year from 2000 to this year."),
            code="bad_year",
        )
    return year


def _lock_year(year: int) -> None:
    """Serialise the writes of one year: the scheme's row is the lock (made if missing)."""
    AssessmentScheme.objects.get_or_create(year=year)
    AssessmentScheme.objects.select_for_update().get(year=year)


def _refuse_closed(year: int) -> None:
    if figures.closing_of(year) is not None:
        raise ValidationError(
            _("The assessment of %(year)s is closed; reopen it first.") % {"year": year},
            code="year_closed",
        )


@transaction.atomic
def deduction_record(
    *, unit: HandlingUnit, year: int, by, kind: str = "manual", points, reason: str
) -> Deduction:
    """Deduct ``points`` from ``unit``'s score of ``year``, for ``reason``."""
    base.require_staff(by)
    year = _year(year)
    _lock_year(year)
    _refuse_closed(year)
    errors = []
    if kind != "manual":
        errors.append(
            ValidationError(
                _("Only other deductions are entered by hand; the rest are counted."),
                code="bad_kind",
            )
        )
    try:
        points = Decimal(str(points)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError, TypeError):
        points = None
    if points is None or not Decimal(0) < points <= Decimal(100):
        errors.append(
            ValidationError(_("Give the points, more than 0 and at most 100."), code="bad_points")
        )
    errors += base.require_text(reason, "reason_required", _("Give the reason."))
    if not Assignment.objects.filter(figures.in_year(year), unit=unit).exists():
        errors.append(
            ValidationError(
                _("%(unit)s had no assignment in %(year)s: it is not assessed that year.")
                % {"unit": unit, "year": year},
                code="unit_not_assessed",
            )
        )
    if errors:
        raise ValidationError(errors)
    return Deduction.objects.create(
        unit=unit, year=year, points=points, reason=reason.strip(), recorded_by=by
    )


@transaction.atomic
def assessment_close(*, year: int, by) -> AssessmentEvent:
    """Close ``year``: freeze every unit's figures as of today into snapshot rows."""
    base.require_staff(by)
    year = _year(year)
    _lock_year(year)
    _refuse_closed(year)
    as_of = base.today()
    rows = figures.unit_assessment(year=year, as_of=as_of, live=True)
    found = {kind: assessment_cases(year=year, kind=kind, as_of=as_of) for kind in CASE_KINDS}
    event = AssessmentEvent.objects.create(
        year=year, action=AssessmentEvent.Action.CLOSE, as_of=as_of, by=by
    )
    for row in rows:
        row.cases = {
            kind: sorted(set(by_unit.get(row.unit.pk, ())))
            for kind, by_unit in found.items()
            if by_unit.get(row.unit.pk)
        }
    AssessmentSnapshot.objects.bulk_create(
        AssessmentSnapshot(event=event, unit=row.unit, rank=row.rank, figures=row.to_json())
        for row in rows
    )
    return event


@transaction.atomic
def assessment_reopen(*, year: int, by, reason: str) -> AssessmentEvent:
    """Reopen a closed ``year``: its figures are counted again; the frozen rows stay."""
    base.require_staff(by)
    year = _year(year)
    _lock_year(year)
    errors = []
    if figures.closing_of(year) is None:
        errors.append(
            ValidationError(
                _("The assessment of %(year)s is not closed.") % {"year": year}, code="not_closed"
            )
        )
    errors += base.require_text(reason, "reason_required", _("Give the reason."))
    if errors:
        raise ValidationError(errors)
    return AssessmentEvent.objects.create(
        year=year,
        action=AssessmentEvent.Action.REOPEN,
        as_of=base.today(),
        reason=reason.strip(),
        by=by,
    )
