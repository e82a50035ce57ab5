"""The figures of a year's handling report (办理情况报告, DESIGN "Assessment", last
paragraph), read from the same counts as the units' assessment so that the report and
the assessment never disagree.

Which suggestions are the year's:

- *received* (收到) and what review made of them (not accepted, withdrawn, merged): the
  suggestions raised in the year (``raised_on``), whatever became of them;
- *assigned* (交办) and everything after (replied, signed, closed): the suggestions whose
  lead assignment was assigned in the year, as the assessment counts them (not closed as
  reassigned; withdrawn, not accepted and merged-away suggestions left out). The
  assigned, replied and by-class totals, every rate, the redo orders and the revisit
  findings are sums over ``unit_assessment``'s rows or counted with its definitions;
  the interim checks counted are those made on these suggestions, whenever.

A closed year's unit figures are its frozen rows; the counts by state are as of today.
"""

import dataclasses
import datetime
from collections import Counter

from django.conf import settings
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from suggestions.models import (
    Assignment,
    InterimCheck,
    KeySuggestion,
    Redo,
    Reply,
    Suggestion,
)

from .assessment import (
    EXCLUDED_STATES,
    _counted,
    closing_of,
    frozen_rows,
    unit_assessment,
    year_range,
)
from .rows import RATES, Rate, UnitAssessment

REPLIED_STATES = (Suggestion.State.HANDLED, Suggestion.State.SIGNED, Suggestion.State.REVISITED)
SIGNED_STATES = (Suggestion.State.SIGNED, Suggestion.State.REVISITED)


@dataclasses.dataclass(frozen=True)
class ClassCount:
    code: str
    label: str
    share: Rate  # replies of the class / current replies


@dataclasses.dataclass(frozen=True)
class GroundCount:
    code: str
    label: str
    count: int


@dataclasses.dataclass(frozen=True)
class KeyLine:
    """A key suggestion of the year and where it stands."""

    number: str
    title: str
    leader: str
    lead_unit: str
    state: str  # the state's code
    state_label: str
    classification: str
    visits: int


@dataclasses.dataclass
class HandlingReport:
    """The year's figures, in the report's order."""

    year: int
    as_of: datetime.date
    closed_on: datetime.date | None  # the assessment was closed with figures of that day
    committee_name: str
    term: int | None  # the congress term and session most of the year's suggestions belong to
    session: int | None
    # Received in the year (raised_on), and what review made of them.
    received: int = 0
    under_review: int = 0
    not_accepted: int = 0
    withdrawn: int = 0
    merged: int = 0
    # Assigned in the year (the lead assignment's date), and where they stand now.
    assigned: int = 0
    units: int = 0
    lead_assignments: int = 0
    co_assignments: int = 0
    in_handling: int = 0
    replied: int = 0
    signed: int = 0
    closed: int = 0
    # The current replies by class.
    replies: int = 0
    by_class: list[ClassCount] = dataclasses.field(default_factory=list)
    # Sums of the assessment's rates.
    on_time: Rate = Rate(0, 0)
    co_on_time: Rate = Rate(0, 0)
    satisfied_work: Rate = Rate(0, 0)
    satisfied_result: Rate = Rate(0, 0)
    resolved: Rate = Rate(0, 0)
    signed_complete: Rate = Rate(0, 0)
    kept: Rate = Rate(0, 0)
    dissatisfied: int = 0
    # The problems.
    late_by_unit: list[tuple[str, int]] = dataclasses.field(default_factory=list)
    redos: list[GroundCount] = dataclasses.field(default_factory=list)
    partly_kept: int = 0
    not_kept: int = 0
    interim_checks: int = 0
    key_suggestions: list[KeyLine] = dataclasses.field(default_factory=list)
    ranking: list[UnitAssessment] = dataclasses.field(default_factory=list)

    @property
    def late_replies(self) -> int:
        return self.on_time.misses

    @property
    def missing_signatures(self) -> int:
        return self.signed_complete.misses

    @property
    def redo_total(self) -> int:
        return sum(g.count for g in self.redos)

    @property
    def key_visits(self) -> int:
        return sum(k.visits for k in self.key_suggestions)

    @property
    def is_empty(self) -> bool:
        return not (self.received or self.assigned or self.key_suggestions)


def _sum(rows: list[UnitAssessment], name: str) -> Rate:
    return Rate(
        sum(getattr(r, name).numerator for r in rows),
        sum(getattr(r, name).denominator for r in rows),
    )


def _suggestions(report: HandlingReport) -> None:
    """The suggestions raised or assigned in the year, grouped by term, session, state and
    current reply class, with the interim checks made on them: one query for the received
    and assigned counts, the replies by class and the most common term and session."""
    start, end = year_range(report.year)
    lead = Assignment.objects.filter(
        _counted("", report.year), role=Assignment.Role.LEAD, suggestion=OuterRef("pk")
    )
    # The current reply, as the assessment's ``_current_replies`` has it: of the
    # suggestion's current round, by an assignment counted in the year.
    current = Reply.objects.filter(
        _counted("assignment__", report.year), suggestion=OuterRef("pk"), round=OuterRef("round")
    ).order_by("-pk")
    checks = (
        InterimCheck.objects.filter(suggestion=OuterRef("pk"))
        .values("suggestion")
        .annotate(n=Count("pk"))
        .values("n")
    )
    raised = Q(raised_on__gte=start, raised_on__lt=end)
    states: Counter = Counter()
    sessions: Counter = Counter()
    classes: Counter = Counter()
    for r in (
        Suggestion.objects.filter(raised | Exists(lead))
        .annotate(
            raised=ExpressionWrapper(raised, output_field=BooleanField()),
            assigned=Exists(lead),
            reply_class=Subquery(current.values("classification")[:1]),
            checks=Coalesce(Subquery(checks[:1]), 0),
        )
        .values("term", "session", "state", "raised", "assigned", "reply_class")
        .annotate(n=Count("pk"), checks_made=Sum("checks"))
        .order_by()
    ):
        state, n = r["state"], r["n"]
        if r["raised"]:
            states[state] += n
            sessions[(r["term"], r["session"])] += n
        if not r["assigned"] or state in EXCLUDED_STATES:
            continue
        report.assigned += n
        report.interim_checks += r["checks_made"] or 0
        if r["reply_class"]:
            classes[r["reply_class"]] += n
        if state in REPLIED_STATES:
            report.replied += n
        if state in SIGNED_STATES:
            report.signed += n
        if state == Suggestion.State.REVISITED:
            report.closed += n
    report.in_handling = report.assigned - report.replied
    report.received = sum(states.values())
    report.under_review = states[Suggestion.State.PROPOSED]
    report.not_accepted = states[Suggestion.State.NOT_ACCEPTED]
    report.withdrawn = states[Suggestion.State.WITHDRAWN]
    report.merged = states[Suggestion.State.MERGED]
    if sessions:
        # The most common; ties go to the latest session.
        (report.term, report.session), _n = max(sessions.items(), key=lambda i: (i[1], i[0]))
    report.replies = sum(classes.values())
    report.by_class = [
        ClassCount(code, label, Rate(classes[code], report.replies))
        for code, label in Reply.Classification.choices
    ]


def _key_suggestions(year: int) -> list[KeyLine]:
    """The year's key suggestions with their lead unit, current reply and visits (one
    query)."""
    lead_unit = Assignment.objects.filter(
        suggestion=OuterRef("suggestion"), role=Assignment.Role.LEAD, closed_on__isnull=True
    ).order_by("-assigned_on", "-pk")
    current = Reply.objects.filter(
        suggestion=OuterRef("suggestion"), round=OuterRef("suggestion__round")
    ).order_by("-pk")
    keys = (
        KeySuggestion.objects.filter(year=year)
        .select_related("suggestion", "leader")
        .annotate(
            unit_name=Subquery(lead_unit.values("unit__name")[:1]),
            classification=Subquery(current.values("classification")[:1]),
            visits=Count("inspections", distinct=True),
        )
        .order_by("suggestion__term", "suggestion__session", "suggestion__pk")
    )
    return [
        KeyLine(
            number=k.suggestion.number,
            title=k.suggestion.title,
            leader=k.leader.get_full_name() or k.leader.get_username(),
            lead_unit=k.unit_name or "",
            state=k.suggestion.state,
            state_label=k.suggestion.get_state_display(),
            classification=k.classification or "",
            visits=k.visits,
        )
        for k in keys
    ]


def handling_report(*, year: int, as_of: datetime.date | None = None) -> HandlingReport:
    """The figures of the year's handling report (a constant number of queries)."""
    # unit_assessment's own choice between the frozen rows and the live ones, made here
    # once so that the report knows the day its figures stand at.
    closing = closing_of(year)
    if closing is not None:
        rows, as_of = frozen_rows(closing), closing.as_of
    else:
        as_of = as_of or timezone.localdate()
        rows = unit_assessment(year=year, as_of=as_of, live=True)
    report = HandlingReport(
        year=year,
        as_of=as_of,
        closed_on=closing.as_of if closing else None,
        committee_name=settings.NPC["COMMITTEE_NAME"],
        term=None,
        session=None,
    )
    _suggestions(report)
    report.ranking = rows
    report.units = sum(1 for r in rows if r.lead_count or r.co_count)
    report.lead_assignments = sum(r.lead_count for r in rows)
    report.co_assignments = sum(r.co_count for r in rows)
    for name in RATES:
        setattr(report, name, _sum(rows, name))
    report.dissatisfied = sum(r.dissatisfied_count for r in rows)
    late = [(r.unit.name, r.on_time.misses) for r in rows]
    report.late_by_unit = sorted(((u, n) for u, n in late if n), key=lambda i: (-i[1], i[0]))
    grounds: Counter = Counter()
    for r in rows:
        grounds.update(r.redo_count)
    report.redos = [
        GroundCount(code, label, grounds[code])
        for code, label in Redo.Grounds.choices
        if grounds.get(code)
    ]
    report.not_kept = sum(r.not_kept_count for r in rows)
    report.partly_kept = report.kept.denominator - report.kept.numerator - report.not_kept
    report.key_suggestions = _key_suggestions(year)
    return report
