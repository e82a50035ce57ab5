"""Reads of the assessment's pages (``reports:assessment``, its cases and its export):
the year's status, its rows read once whether the year is open or closed, the years to
choose from, and the suggestions behind one deduction count with their dates."""

import dataclasses
import datetime

from django.core.cache import cache
from django.db.models import OuterRef, QuerySet, Subquery
from django.db.models.functions import TruncDate
from django.utils import timezone

from suggestions.models import Assignment, CoOpinion, HandlingUnit, Reply, Suggestion

from ..models import AssessmentEvent
from .assessment import frozen_rows, in_year, unit_assessment
from .cases import unit_cases
from .rows import UnitAssessment

FIRST_YEAR, LAST_YEAR = 2000, 2100


def assessment_rows(year: int, closing: AssessmentEvent | None) -> list[UnitAssessment]:
    """Every unit's row of the year in rank order: the frozen rows of ``closing``, else
    counted as of today (``closing`` is read once by the caller, not again here)."""
    if closing is not None:
        return frozen_rows(closing)
    return unit_assessment(year=year, live=True)


YEARS_CACHE_KEY = "reports:assessment:years"
YEARS_CACHE_SECONDS = 600


def assessment_years(year: int) -> list[int]:
    """The years that have assignments, this year and ``year``, newest first.

    The years with assignments are read once every ten minutes: finding them reads every
    entry of the ``assigned_on`` index (1.4 million at a million suggestions), too slow for
    every page view of a closed year, and a year newly in use shows among them soon
    enough."""
    years = cache.get(YEARS_CACHE_KEY)
    if years is None:
        years = sorted({d.year for d in Assignment.objects.dates("assigned_on", "year")})
        cache.set(YEARS_CACHE_KEY, years, YEARS_CACHE_SECONDS)
    years = set(years)
    years |= {timezone.localdate().year, year}
    return sorted(years, reverse=True)


@dataclasses.dataclass
class Case:
    """One suggestion behind a deduction count, with the unit's assignment of it."""

    suggestion: Suggestion
    assignment_id: int | None
    due_on: datetime.date | None
    answered_on: datetime.date | None


def _answered(kind: str) -> Subquery:
    """The day the unit answered: its co-opinion for a co-handler's count, else its first
    reply (the one the on-time rate judges)."""
    if kind == "late_co_opinion":
        first = CoOpinion.objects.filter(assignment=OuterRef("unit_assignment_id")).order_by("pk")
        day = first.annotate(day=TruncDate("submitted_at")).values("day")[:1]
    else:
        first = Reply.objects.filter(assignment=OuterRef("unit_assignment_id"))
        day = first.order_by("round", "pk").annotate(day=TruncDate("submitted_at")).values("day")
        day = day[:1]
    return Subquery(day)


def case_list(*, year: int, unit: HandlingUnit, kind: str) -> list[Case]:
    """The suggestions behind ``unit``'s count of ``kind`` in ``year`` (frozen for a
    closed year), by number: three queries whatever their number."""
    ids = unit_cases(year=year, unit=unit, kind=kind)
    if not ids:
        return []
    role = Assignment.Role.CO if kind == "late_co_opinion" else Assignment.Role.LEAD
    theirs = Assignment.objects.filter(
        in_year(year), suggestion=OuterRef("pk"), unit=unit, role=role
    ).order_by("-pk")
    lead = Assignment.objects.filter(
        suggestion=OuterRef("pk"), role=Assignment.Role.LEAD, closed_on__isnull=True
    )
    suggestions: QuerySet[Suggestion] = (
        Suggestion.objects.filter(pk__in=ids)
        .annotate(
            lead_unit_name=Subquery(lead.values("unit__name")[:1]),
            unit_assignment_id=Subquery(theirs.values("pk")[:1]),
            unit_due_on=Subquery(theirs.values("due_on")[:1]),
        )
        .annotate(answered_on=_answered(kind))
        .order_by("number", "pk")
    )
    return [Case(s, s.unit_assignment_id, s.unit_due_on, s.answered_on) for s in suggestions]
