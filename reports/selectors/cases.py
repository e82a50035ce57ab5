"""The suggestions behind each count of a deduction: the same conditions as the
assessment's (``assessment``), listed instead of counted; a closed year's are frozen."""

import datetime

from django.utils import timezone

from suggestions.models import HandlingUnit

from ..models import AssessmentSnapshot
from .assessment import (
    DISSATISFIED_RESULT,
    NONCONFORMING_GROUNDS,
    NOT_KEPT,
    _assignments,
    _closing_outcomes,
    _current_replies,
    _deputy_signoffs,
    _late_co_opinion,
    _late_reply,
    _redos,
    _reply_cutoff,
    closing_of,
)
from .rows import CASE_KINDS

# Each kind's cases: the records behind its count (as of a day), the path from a record
# to its unit and to its suggestion.
CASES = {
    "late_reply": (
        lambda year, as_of: _assignments(year).filter(_late_reply(as_of)),
        "unit_id",
        "suggestion_id",
    ),
    "late_co_opinion": (
        lambda year, as_of: _assignments(year).filter(_late_co_opinion(as_of)),
        "unit_id",
        "suggestion_id",
    ),
    "missing_signatures": (
        lambda year, as_of: _current_replies(year).filter(
            submitted_at__lt=_reply_cutoff(as_of), all_signed=False
        ),
        "assignment__unit_id",
        "suggestion_id",
    ),
    "nonconforming_reply": (
        lambda year, as_of: _redos(year).filter(grounds__in=NONCONFORMING_GROUNDS),
        "unit_id",
        "suggestion_id",
    ),
    "dissatisfied": (
        lambda year, as_of: _deputy_signoffs(year).filter(DISSATISFIED_RESULT),
        "reply__assignment__unit_id",
        "suggestion_id",
    ),
    "commitment_not_kept": (
        lambda year, as_of: _closing_outcomes(year).filter(NOT_KEPT),
        "revisit__reply__assignment__unit_id",
        "revisit__suggestion_id",
    ),
}


def _case_rows(kind: str, year: int, as_of: datetime.date, unit_id: int | None = None):
    """(unit id, suggestion id) of each case of a deduction kind (of one unit's)."""
    records, unit_path, suggestion_path = CASES[kind]
    qs = records(year, as_of)
    if unit_id is not None:
        qs = qs.filter(**{unit_path: unit_id})
    return qs.values_list(unit_path, suggestion_path)


def assessment_cases(
    *, year: int, kind: str, as_of: datetime.date | None = None
) -> dict[int, list[int]]:
    """The suggestions behind each unit's count of a deduction kind: unit id → suggestion
    ids (a suggestion may appear for several units)."""
    cases: dict[int, list[int]] = {}
    for unit_id, suggestion_id in _case_rows(kind, year, as_of or timezone.localdate()):
        cases.setdefault(unit_id, []).append(suggestion_id)
    return cases


def unit_cases(*, year: int, unit: HandlingUnit, kind: str) -> list[int]:
    """The ids of the suggestions behind one unit's count of a kind: the frozen ones for a
    closed year, else as of today."""
    if kind not in CASE_KINDS:
        raise ValueError(kind)
    closing = closing_of(year)
    if closing is not None:
        snap = AssessmentSnapshot.objects.filter(event=closing, unit=unit).first()
        return list((snap.figures.get("cases") or {}).get(kind, [])) if snap else []
    return sorted({s for _u, s in _case_rows(kind, year, timezone.localdate(), unit.pk)})
