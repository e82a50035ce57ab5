"""The suggestions behind each count of a deduction: the same conditions as the
assessment's (``assessment``), listed instead of counted; a closed year's are frozen."""

import datetime

from django.db.models import QuerySet
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


def _case_rows(kind: str, year: int, as_of: datetime.date) -> QuerySet:
    """(unit id, suggestion id) of each case of a deduction kind."""
    if kind == "late_reply":
        qs = _assignments(year).filter(_late_reply(as_of))
        return qs.values_list("unit_id", "suggestion_id")
    if kind == "late_co_opinion":
        qs = _assignments(year).filter(_late_co_opinion(as_of))
        return qs.values_list("unit_id", "suggestion_id")
    if kind == "missing_signatures":
        qs = _current_replies(year).filter(submitted_at__lt=_reply_cutoff(as_of), all_signed=False)
        return qs.values_list("assignment__unit_id", "suggestion_id")
    if kind == "nonconforming_reply":
        qs = _redos(year).filter(grounds__in=NONCONFORMING_GROUNDS)
        return qs.values_list("unit_id", "suggestion_id")
    if kind == "dissatisfied":
        qs = _deputy_signoffs(year).filter(DISSATISFIED_RESULT)
        return qs.values_list("reply__assignment__unit_id", "suggestion_id")
    if kind == "commitment_not_kept":
        qs = _closing_outcomes(year).filter(NOT_KEPT)
        return qs.values_list("revisit__reply__assignment__unit_id", "revisit__suggestion_id")
    raise ValueError(kind)


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
    return sorted(
        {
            s
            for u, s in _case_rows(kind, year, timezone.localdate()).filter(
                **{_unit_field(kind): unit.pk}
            )
        }
    )


def _unit_field(kind: str) -> str:
    return {
        "late_reply": "unit_id",
        "late_co_opinion": "unit_id",
        "missing_signatures": "assignment__unit_id",
        "nonconforming_reply": "unit_id",
        "dissatisfied": "reply__assignment__unit_id",
        "commitment_not_kept": "revisit__reply__assignment__unit_id",
    }[kind]
