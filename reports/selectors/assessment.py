"""The units' assessment of a year (DESIGN "Assessment"): each figure as a pair
(numerator, denominator) counted by one aggregate query per kind of record, grouped by
unit, so the number of queries does not grow with the number of units; the deductions
and the rank follow from the figures and the year's scheme. A closed year reads its
frozen rows instead (``AssessmentSnapshot``).

Each definition is written once, as conditions on an annotated queryset
(``_assignments``, ``_deputy_signoffs``, ``_current_replies``, ``_redos``,
``_closing_outcomes``): the counts aggregate them and ``assessment_cases`` lists the
suggestions behind a count with the same conditions.
"""

import datetime
from decimal import Decimal

from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import TruncDate
from django.utils import timezone

from suggestions.models import (
    Assignment,
    CoOpinion,
    HandlingUnit,
    Redo,
    Reply,
    Revisit,
    RevisitOutcome,
    SignOff,
    Suggestion,
)

from ..models import AssessmentEvent, AssessmentScheme, AssessmentSnapshot, Deduction
from .rows import MAX_SCORE, DeductionLine, Rate, UnitAssessment

# Left out of every figure (DESIGN: "stay out of every rate's denominator").
EXCLUDED_STATES = (
    Suggestion.State.WITHDRAWN,
    Suggestion.State.NOT_ACCEPTED,
    Suggestion.State.MERGED,
)
SATISFIED = (SignOff.Rating.SATISFIED, SignOff.Rating.BASICALLY_SATISFIED)
REPLY_AGE_DAYS = 30

# The definitions ---------------------------------------------------------------------


def year_range(year: int) -> tuple[datetime.date, datetime.date]:
    """The year's first day and the next year's (an assignment's year is its
    ``assigned_on``'s)."""
    return datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)


def in_year(year: int, prefix: str = "") -> Q:
    """The assignment (at ``prefix``) was assigned in the year."""
    start, end = year_range(year)
    return Q(**{f"{prefix}assigned_on__gte": start, f"{prefix}assigned_on__lt": end})


def _counted(prefix: str, year: int) -> Q:
    """An assignment (at ``prefix``) of the year that counts: assigned in the year, not
    closed as reassigned. (Its suggestion's state is each query's ``_not_excluded``.)"""
    return in_year(year, prefix) & ~Q(
        **{f"{prefix}close_reason": Assignment.CloseReason.REASSIGNED}
    )


def _not_excluded(suggestion_field: str) -> Q:
    """The record's suggestion is not withdrawn, not accepted or merged away: an anti-join
    with the few suggestions that are (by the state index), not a join to every one. (NOT
    IN the same ids, hashed, measured slower at a million: 4.2 s against 2.9 for the call.)"""
    excluded = Suggestion.objects.filter(pk=OuterRef(suggestion_field), state__in=EXCLUDED_STATES)
    return ~Exists(excluded)


LEAD = Q(role=Assignment.Role.LEAD)
CO = Q(role=Assignment.Role.CO)
REASSIGNED = Q(close_reason=Assignment.CloseReason.REASSIGNED)
NOT_REASSIGNED = ~REASSIGNED
ON_TIME_NUM = LEAD & NOT_REASSIGNED & Q(first_on_time=True)
CO_ON_TIME_NUM = CO & NOT_REASSIGNED & Q(co_on_time=True)


def _on_time_den(as_of: datetime.date) -> Q:
    # The deadline first: for a past year it holds for (nearly) every row, and the database
    # then skips the reply's lookup (OR stops at the first true operand).
    return LEAD & NOT_REASSIGNED & (Q(due_on__lt=as_of) | Q(first_on_time__isnull=False))


def _co_on_time_den(as_of: datetime.date) -> Q:
    return CO & NOT_REASSIGNED & (Q(due_on__lt=as_of) | Q(co_sent=True))


def _late_reply(as_of: datetime.date) -> Q:
    """In ``on_time``'s denominator, not in its numerator (written out: the first reply's
    flag is NULL for an assignment without one)."""
    late = Q(first_on_time=False) | Q(first_on_time__isnull=True, due_on__lt=as_of)
    return LEAD & NOT_REASSIGNED & late


def _late_co_opinion(as_of: datetime.date) -> Q:
    late = Q(co_sent=True, co_on_time=False) | Q(co_sent=False, due_on__lt=as_of)
    return CO & NOT_REASSIGNED & late


def _assignments(year: int) -> QuerySet[Assignment]:
    """The year's assignments (reassigned ones included: they count in
    ``reassigned_count``), each with its first reply's frozen on-time flag and its
    co-opinion's."""
    first_reply = Reply.objects.filter(assignment=OuterRef("pk")).order_by("round", "pk")
    opinions = CoOpinion.objects.filter(assignment=OuterRef("pk"))
    return (
        Assignment.objects.filter(in_year(year))
        .filter(_not_excluded("suggestion_id"))
        .annotate(
            first_on_time=Subquery(first_reply.values("on_time")[:1]),
            co_sent=Exists(opinions),
            # The opinion's day in the site's time zone, against the co-unit's due date.
            co_on_time=Exists(
                opinions.annotate(day=TruncDate("submitted_at")).filter(day__lte=OuterRef("due_on"))
            ),
        )
    )


def _deputy_signoffs(year: int) -> QuerySet[SignOff]:
    """Deputy sign-offs on the replies of the year's counted assignments; for each deputy
    and suggestion only the latest round's."""
    later = SignOff.objects.filter(
        suggestion=OuterRef("suggestion"),
        deputy=OuterRef("deputy"),
        level=SignOff.Level.DEPUTY,
        round__gt=OuterRef("round"),
    )
    return (
        SignOff.objects.filter(level=SignOff.Level.DEPUTY)
        .filter(_counted("reply__assignment__", year))
        .filter(_not_excluded("suggestion_id"))
        .filter(~Exists(later))
    )


def _reply_cutoff(as_of: datetime.date) -> datetime.datetime:
    """Replies submitted before this moment are older than 30 days on ``as_of``."""
    day = as_of - datetime.timedelta(days=REPLY_AGE_DAYS)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _current_replies(year: int) -> QuerySet[Reply]:
    """The current replies (of the suggestion's current round) of the year's counted
    assignments, each marked when its three levels are signed."""
    leader_signed = SignOff.objects.filter(
        suggestion=OuterRef("suggestion"), round=OuterRef("round"), level=SignOff.Level.LEADER
    )
    return (
        # The suggestion is joined for its round: its state is read from the same row.
        Reply.objects.filter(round=F("suggestion__round"))
        .filter(_counted("assignment__", year))
        .exclude(suggestion__state__in=EXCLUDED_STATES)
        .annotate(all_signed=Exists(leader_signed))
    )


def _redos(year: int) -> QuerySet[Redo]:
    """Redo orders on the units' lead assignments of the year."""
    lead = Assignment.objects.filter(
        _counted("", year),
        suggestion=OuterRef("suggestion"),
        unit=OuterRef("unit"),
        role=Assignment.Role.LEAD,
    )
    return Redo.objects.filter(Exists(lead))


def _closing_outcomes(year: int) -> QuerySet[RevisitOutcome]:
    """What the closing revisits (decision ``close``) found for each commitment."""
    return (
        RevisitOutcome.objects.filter(revisit__decision=Revisit.Decision.CLOSE)
        .filter(_counted("revisit__reply__assignment__", year))
        .filter(_not_excluded("revisit__suggestion_id"))
    )


NONCONFORMING_GROUNDS = (Redo.Grounds.NONCONFORMING, Redo.Grounds.OFF_POINT)
DISSATISFIED_RESULT = Q(result_rating=SignOff.Rating.DISSATISFIED)
NOT_KEPT = Q(outcome=RevisitOutcome.Outcome.NOT_KEPT)


# Reading the year ---------------------------------------------------------------------


def closing_of(year: int) -> AssessmentEvent | None:
    """The event that closed the year (with who closed it), or None while it is open."""
    last = (
        AssessmentEvent.objects.filter(year=year).select_related("by").order_by("-at", "-pk")
    ).first()
    return last if last is not None and last.action == AssessmentEvent.Action.CLOSE else None


def unit_assessment(
    *, year: int, as_of: datetime.date | None = None, live: bool = False
) -> list[UnitAssessment]:
    """One row per unit with an assignment in the year, in rank order. A closed year gives
    its frozen rows unless ``live``; an open one is counted as of ``as_of`` (today)."""
    if not live:
        closing = closing_of(year)
        if closing is not None:
            return frozen_rows(closing)
    as_of = as_of or timezone.localdate()
    rows: dict[int, UnitAssessment] = {}

    def row(unit_id: int) -> UnitAssessment:
        if unit_id not in rows:
            rows[unit_id] = UnitAssessment(unit=None)
        return rows[unit_id]

    # 1. Assignments: counts, on time, co-opinions on time, reassigned.
    for r in (
        _assignments(year)
        .values("unit_id")
        .annotate(
            lead=Count("pk", filter=LEAD & NOT_REASSIGNED),
            co=Count("pk", filter=CO & NOT_REASSIGNED),
            reassigned=Count("pk", filter=REASSIGNED),
            on_time=Count("pk", filter=ON_TIME_NUM),
            on_time_den=Count("pk", filter=_on_time_den(as_of)),
            co_on_time=Count("pk", filter=CO_ON_TIME_NUM),
            co_on_time_den=Count("pk", filter=_co_on_time_den(as_of)),
        )
        .order_by()
    ):
        u = row(r["unit_id"])
        u.lead_count, u.co_count, u.reassigned_count = r["lead"], r["co"], r["reassigned"]
        u.on_time = Rate(r["on_time"], r["on_time_den"])
        u.co_on_time = Rate(r["co_on_time"], r["co_on_time_den"])
    # 2. The deputies' ratings (latest round per deputy and suggestion).
    for r in (
        _deputy_signoffs(year)
        .values(unit_id=F("reply__assignment__unit_id"))
        .annotate(
            n=Count("pk"),
            work=Count("pk", filter=Q(work_rating__in=SATISFIED)),
            result=Count("pk", filter=Q(result_rating__in=SATISFIED)),
            dissatisfied=Count("pk", filter=DISSATISFIED_RESULT),
        )
        .order_by()
    ):
        u = row(r["unit_id"])
        u.satisfied_work = Rate(r["work"], r["n"])
        u.satisfied_result = Rate(r["result"], r["n"])
        u.dissatisfied_count = r["dissatisfied"]
    # 3. The current replies: resolved, and signed at three levels within 30 days.
    cutoff = _reply_cutoff(as_of)
    old = Q(submitted_at__lt=cutoff)
    for r in (
        _current_replies(year)
        .values(unit_id=F("assignment__unit_id"))
        .annotate(
            n=Count("pk"),
            ab=Count("pk", filter=Q(classification__in=("A", "B"))),
            old=Count("pk", filter=old),
            old_signed=Count("pk", filter=old & Q(all_signed=True)),
        )
        .order_by()
    ):
        u = row(r["unit_id"])
        u.resolved = Rate(r["ab"], r["n"])
        u.signed_complete = Rate(r["old_signed"], r["old"])
    # 4. Redo orders by ground.
    for r in _redos(year).values("unit_id", "grounds").annotate(n=Count("pk")).order_by():
        row(r["unit_id"]).redo_count[r["grounds"]] = r["n"]
    # 5. The commitments checked at the closing revisits.
    for r in (
        _closing_outcomes(year)
        .values(unit_id=F("revisit__reply__assignment__unit_id"))
        .annotate(
            n=Count("pk"),
            kept=Count("pk", filter=Q(outcome=RevisitOutcome.Outcome.KEPT)),
            not_kept=Count("pk", filter=NOT_KEPT),
        )
        .order_by()
    ):
        u = row(r["unit_id"])
        u.kept = Rate(r["kept"], r["n"])
        u.not_kept_count = r["not_kept"]
    # 6. The office's manual deductions, 7. the scheme, 8. the units.
    manual: dict[int, list] = {}
    for d in Deduction.objects.filter(year=year).order_by("recorded_at", "pk"):
        manual.setdefault(d.unit_id, []).append(
            {
                "points": str(d.points),
                "reason": d.reason,
                "on": timezone.localdate(d.recorded_at).isoformat(),
            }
        )
    scheme = AssessmentScheme.for_year(year)
    units = HandlingUnit.objects.in_bulk(list(rows))
    result = []
    for unit_id, u in rows.items():
        u.unit = units[unit_id]
        u.manual = manual.get(unit_id, [])
        u.deductions = _deductions(u, scheme)
        u.score = max(Decimal(0), MAX_SCORE - u.deducted)
        result.append(u)
    return rank(result)


def _deductions(u: UnitAssessment, scheme: AssessmentScheme) -> list[DeductionLine]:
    counts = {
        "late_reply": u.on_time.misses,
        "missing_signatures": u.signed_complete.misses,
        "nonconforming_reply": sum(u.redo_count.get(g, 0) for g in NONCONFORMING_GROUNDS),
        "late_co_opinion": u.co_on_time.misses,
        "dissatisfied": u.dissatisfied_count,
        "commitment_not_kept": u.not_kept_count,
    }
    lines = [
        DeductionLine(kind, count, count * scheme.points(kind))
        for kind, count in counts.items()
        if count
    ]
    if u.manual:
        points = sum((Decimal(m["points"]) for m in u.manual), Decimal(0))
        lines.append(DeductionLine("manual", len(u.manual), points))
    return lines


def rank(rows: list[UnitAssessment]) -> list[UnitAssessment]:
    """Rank by score, ties by the on-time rate (a unit with no case after those with one),
    then by the unit's name in code-point order."""

    def key(u: UnitAssessment):
        rate = u.on_time.fraction
        return (-u.score, rate is None, -(rate or 0), u.unit.name)

    ordered = sorted(rows, key=key)
    for position, u in enumerate(ordered, start=1):
        u.rank = position
    return ordered


def frozen_rows(closing: AssessmentEvent) -> list[UnitAssessment]:
    return [
        UnitAssessment.from_json(s.unit, s.figures)
        for s in AssessmentSnapshot.objects.filter(event=closing)
        .select_related("unit")
        .order_by("rank")
    ]
