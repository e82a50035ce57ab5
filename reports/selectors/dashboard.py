"""The dashboards (DESIGN's ``reports:dashboard``): the committee office's overview of its
work and a government leader's of their units, each figure counted in SQL by one
aggregate query per kind of record, grouped by state, unit or month, so the number of
queries is the same for one unit or a hundred, ten suggestions or a million.

Which suggestions a figure counts:

- **The year's figures** (``year``): the counts by state are of the suggestions raised in
  the year (``raised_on``); satisfaction counts the deputies' sign-offs signed in the year
  (``signed_on``); the key suggestions' stage those designated for the year
  (``KeySuggestion.year``); the monthly trends count each measure by its own date, the year
  against the one before (received: ``raised_on``; assigned: the lead assignments'
  ``assigned_on``; replied: the replies' ``submitted_at``, every round; signed: the
  leaders' sign-offs' ``signed_on``).
- **The queues, as of today, whatever the year** (the units' open work does not belong
  to a year: a suggestion raised last year and overdue now is overdue on this year's
  page): overdue and due within ``DUE_SOON_DAYS`` days by unit, waiting for each
  signature level. They read the suggestions in handling only (a few thousand at a
  million), by the partial index on the state.
- **The office's follow-ups, as of today, of the year's suggestions** (raised in it):
  "decide: redo or accept" and revisits due. Each is a condition on every replied or
  signed suggestion (tens of thousands at a million, most of them years old), so they
  are counted among the year's only; the admin's index counts them for all years, and
  the dashboard of an earlier year shows that year's.

A leader's dashboard (``unit_ids``) counts the same of their units: the suggestions with
an open assignment (lead or co) at one of them; the replies, sign-offs and lead
assignments of those units; the units' own assignments for the queues.

The definitions are the task pages' and the ledger's, not copies with their own edges:
overdue is the task list's ``overdue`` tab (the unit still owes its work: the lead unit
its reply, a co-unit its opinion, on an open assignment of an assigned suggestion, past
its deadline); the signature levels follow ``signoffs.next_level`` through
``signoffs.signature_waiting_at`` (the queues' ``waiting_for_signature`` is made of it);
"decide: redo or accept" and revisits due are ``awaiting_redo_decision`` and
``revisits_due``, counted inside one query.
"""

import dataclasses
import datetime

from django.core.cache import cache
from django.db import connection
from django.db.models import (
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils import timezone
from django_fsm_log.models import StateLog

from suggestions import selectors as suggestion_selectors
from suggestions.models import (
    Assignment,
    CoOpinion,
    Inspection,
    KeySuggestion,
    RedoWaiver,
    Reply,
    SignOff,
    Suggestion,
)

# "Due soon" on the dashboard as in the ledger's deadline filter (``?deadline=week``):
# today to seven days ahead, both included. (The task list's tab looks 15 days ahead.)
DUE_SOON_DAYS = 7
LEVELS = list(SignOff.Level)
RATINGS = list(SignOff.Rating)
MEASURES = ("received", "assigned", "replied", "signed")
# The states in which a suggestion is still being handled (open on the dashboard).
OPEN_STATES = (Suggestion.State.ASSIGNED, Suggestion.State.HANDLED)
LIST_SIZE = 20


@dataclasses.dataclass
class UnitQueue:
    """One unit's open work today: assignments overdue and due soon (lead and co), and its
    lead assignments waiting for each signature level."""

    unit_id: int
    unit_name: str
    overdue: int = 0
    due_soon: int = 0
    waiting: dict = dataclasses.field(default_factory=dict)  # level -> count

    @property
    def busy(self) -> bool:
        return bool(self.overdue or self.due_soon or any(self.waiting.values()))


@dataclasses.dataclass
class Dashboard:
    """Every figure of a dashboard (see the module's docstring for what each counts)."""

    year: int
    today: datetime.date
    unit_ids: frozenset | None  # None: every unit (the office's)
    states: dict  # state -> count, in ``Suggestion.State``'s order
    units: list  # UnitQueue, the units with open work, most overdue first
    waiting: dict  # level -> count
    satisfaction: dict  # "work" / "result" -> {rating: count}
    key_stages: dict  # state -> count of the year's key suggestions
    trends: dict  # measure -> {year: [12 counts], year - 1: [12 counts]}
    redo_decision: int | None = None  # the office's queues (None on a leader's)
    revisits_due: int | None = None

    @property
    def total(self) -> int:
        return sum(self.states.values())

    @property
    def overdue(self) -> int:
        return sum(u.overdue for u in self.units)

    @property
    def due_soon(self) -> int:
        return sum(u.due_soon for u in self.units)


def _year_days(year: int) -> tuple[datetime.date, datetime.date]:
    """The year as an inclusive range of dates (``__range``: an index on the column serves it)."""
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def _in_units(unit_ids, path: str = "pk") -> Q:
    """The suggestion (at ``path``) has an open assignment, lead or co, at one of the units."""
    return Q(
        Exists(
            Assignment.objects.filter(
                suggestion=OuterRef(path), unit_id__in=unit_ids, closed_on__isnull=True
            )
        )
    )


def state_counts(*, year: int, unit_ids=None) -> dict:
    """The year's suggestions (raised in it) by state: one query."""
    qs = Suggestion.objects.filter(raised_on__range=_year_days(year)).order_by()
    if unit_ids is not None:
        qs = qs.filter(_in_units(unit_ids))
    found = qs.aggregate(**{s.value: Count("pk", filter=Q(state=s)) for s in Suggestion.State})
    return {s: found[s.value] for s in Suggestion.State}


def unit_queues(*, today: datetime.date, unit_ids=None) -> list[UnitQueue]:
    """Each unit's open work today (``UnitQueue``), in one query grouped by unit: the
    units with any, most overdue first."""
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    waiting = suggestion_selectors.signature_waiting_at
    qs = Assignment.objects.filter(
        closed_on__isnull=True, suggestion__state__in=OPEN_STATES
    ).order_by()
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=unit_ids)
    pending = suggestion_selectors.owing()
    lead_replied = Q(role=Assignment.Role.LEAD, suggestion__state=Suggestion.State.HANDLED)
    rows = qs.values("unit_id", "unit__name").annotate(
        overdue=Count("pk", filter=pending & Q(due_on__lt=today)),
        due_soon=Count("pk", filter=pending & Q(due_on__gte=today, due_on__lte=soon)),
        **{f"wait_{level}": Count("pk", filter=lead_replied & waiting(level)) for level in LEVELS},
    )
    queues = [
        UnitQueue(
            unit_id=row["unit_id"],
            unit_name=row["unit__name"],
            overdue=row["overdue"],
            due_soon=row["due_soon"],
            waiting={level: row[f"wait_{level}"] for level in LEVELS},
        )
        for row in rows
    ]
    queues = [q for q in queues if q.busy]
    queues.sort(key=lambda q: (-q.overdue, -q.due_soon, q.unit_name))
    return queues


def office_followups(*, year: int) -> dict:
    """The office's decisions waiting today on the year's suggestions: "decide: redo or
    accept" (``awaiting_redo_decision``) and revisits due (``revisits_due``), as the
    ledger's ``followup`` filter selects them: one count query each."""
    year_s = Suggestion.objects.filter(raised_on__range=_year_days(year)).order_by()
    return {
        "redo_decision": suggestion_selectors.awaiting_redo_decision(year_s).count(),
        "revisits_due": suggestion_selectors.revisits_due(year_s).count(),
    }


def satisfaction(*, year: int, unit_ids=None) -> dict:
    """The deputies' sign-offs signed in the year, by rating of the work and of the
    result: one query."""
    qs = SignOff.objects.filter(
        level=SignOff.Level.DEPUTY, signed_on__range=_year_days(year)
    ).order_by()
    if unit_ids is not None:
        qs = qs.filter(reply__assignment__unit_id__in=unit_ids)
    found = qs.aggregate(
        **{
            f"{kind}_{rating.value}": Count("pk", filter=Q(**{f"{kind}_rating": rating}))
            for kind in ("work", "result")
            for rating in RATINGS
        }
    )
    return {
        kind: {rating: found[f"{kind}_{rating.value}"] for rating in RATINGS}
        for kind in ("work", "result")
    }


def key_stages(*, year: int) -> dict:
    """The year's key suggestions by their suggestion's state: one query."""
    rows = (
        KeySuggestion.objects.filter(year=year)
        .order_by()
        .values_list("suggestion__state")
        .annotate(n=Count("pk"))
    )
    found = dict(rows)
    return {s: found.get(s.value, 0) for s in Suggestion.State if found.get(s.value)}


def _monthly(qs: QuerySet, field: str, measure: str) -> QuerySet:
    return (
        qs.order_by()
        .annotate(
            measure=Value(measure, output_field=CharField()),
            y=ExtractYear(field),
            m=ExtractMonth(field),
        )
        .values("measure", "y", "m")
        .annotate(n=Count("pk"))
        .values_list("measure", "y", "m", "n")
    )


def monthly_trends(*, year: int, unit_ids=None) -> dict:
    """Received, assigned, replied and signed per month, the year and the one before: one
    query (the four measures' monthly counts as one UNION ALL)."""
    first, last = datetime.date(year - 1, 1, 1), datetime.date(year, 12, 31)
    start = timezone.make_aware(datetime.datetime(year - 1, 1, 1))
    end = timezone.make_aware(datetime.datetime(year + 1, 1, 1))
    received = Suggestion.objects.filter(raised_on__range=(first, last))
    assigned = Assignment.objects.filter(
        role=Assignment.Role.LEAD, assigned_on__range=(first, last)
    )
    replied = Reply.objects.filter(submitted_at__gte=start, submitted_at__lt=end)
    signed = SignOff.objects.filter(level=SignOff.Level.LEADER, signed_on__range=(first, last))
    if unit_ids is not None:
        received = received.filter(_in_units(unit_ids))
        assigned = assigned.filter(unit_id__in=unit_ids)
        replied = replied.filter(assignment__unit_id__in=unit_ids)
        signed = signed.filter(reply__assignment__unit_id__in=unit_ids)
    parts = [
        _monthly(received, "raised_on", "received"),
        _monthly(assigned, "assigned_on", "assigned"),
        _monthly(replied, "submitted_at", "replied"),
        _monthly(signed, "signed_on", "signed"),
    ]
    trends = {m: {year - 1: [0] * 12, year: [0] * 12} for m in MEASURES}
    for measure, y, m, n in parts[0].union(*parts[1:], all=True):
        if y in trends[measure]:
            trends[measure][y][m - 1] = n
    return trends


def _count(*, year: int, unit_ids=None, today: datetime.date | None = None) -> Dashboard:
    """Every figure of the dashboard: the office's (``unit_ids`` None: 7 queries) or a
    leader's of their units (4: the office's follow-ups are left out, they are the
    office's decisions; the key suggestions come with the leader's list)."""
    today = today or timezone.localdate()
    queues = unit_queues(today=today, unit_ids=unit_ids)
    waiting = {level: sum(q.waiting[level] for q in queues) for level in LEVELS}
    board = Dashboard(
        year=year,
        today=today,
        unit_ids=None if unit_ids is None else frozenset(unit_ids),
        states=state_counts(year=year, unit_ids=unit_ids),
        units=queues,
        waiting=waiting,
        satisfaction=satisfaction(year=year, unit_ids=unit_ids),
        key_stages={},
        trends=monthly_trends(year=year, unit_ids=unit_ids),
    )
    if unit_ids is None:
        board.key_stages = key_stages(year=year)
        followups = office_followups(year=year)
        board.redo_decision = followups["redo_decision"]
        board.revisits_due = followups["revisits_due"]
    return board


@dataclasses.dataclass
class LeaderItems:
    """What a leader's dashboard lists besides the figures: the records waiting for their
    signature, their units' overdue assignments (the first ``LIST_SIZE``), the key
    suggestions they lead or their units handle."""

    waiting: list
    overdue: list
    key_suggestions: list


def leader_items(*, user, unit_ids, year: int) -> LeaderItems:
    """The leader's lists, each one query: their signature queue and their units' overdue
    assignments as the task list's ``sign`` and ``overdue`` tabs have them (the first 20 by
    deadline), the key suggestions of the year they lead or one of their units handles."""
    unit_ids = sorted(unit_ids)
    scope = {"user": user, "unit_ids": unit_ids, "leader_unit_ids": unit_ids}
    rows = suggestion_selectors.task_rows
    waiting = list(rows(tab=suggestion_selectors.SIGN_TAB, **scope)[:LIST_SIZE])
    overdue = list(rows(tab="overdue", **scope)[:LIST_SIZE])
    return LeaderItems(waiting, overdue, list(key_board(year=year, user=user, unit_ids=unit_ids)))


# The figures are counted over the whole year (at a million suggestions, about 1.3 s of
# SQL: docs/performance.md) and kept under the records' version: one query reads the last
# id of every kind of record a figure counts (each write that changes a figure adds one:
# a transition's record, a suggestion, an assignment, a sign-off, a co-opinion, an
# acceptance without redo, a key suggestion) and the day; a write makes a new key, so a
# figure is never older than the last write. What moves no id (an office's edit of a
# suggestion's date, a deadline extended) shows within ``DASHBOARD_SECONDS``.
DASHBOARD_SECONDS = 300
VERSIONED = (
    StateLog,
    Suggestion,
    Assignment,
    SignOff,
    CoOpinion,
    RedoWaiver,
    KeySuggestion,
    Inspection,
)


def records_version() -> tuple:
    """The last id of each kind of record the dashboard counts (one query, each a read of
    the primary key's index)."""
    quote = connection.ops.quote_name
    columns = ", ".join(
        f"(SELECT MAX({quote(m._meta.pk.column)}) FROM {quote(m._meta.db_table)})"
        for m in VERSIONED
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns}")  # the table names are the models'
        return tuple(cursor.fetchone())


def _kept(key: tuple, count):
    """``count()``, kept under ``key`` (which holds the records' version) for a while."""
    key = "reports:dashboard:" + ":".join(map(str, key))
    found = cache.get(key)
    if found is None:
        found = count()
        cache.set(key, found, DASHBOARD_SECONDS)
    return found


def dashboard(
    *, year: int, unit_ids=None, today: datetime.date | None = None, version=None
) -> Dashboard:
    """The dashboard's figures (``_count``), kept while no record they count changes."""
    today = today or timezone.localdate()
    scope = "all" if unit_ids is None else ",".join(map(str, sorted(unit_ids)))
    version = records_version() if version is None else version
    return _kept(
        ("board", year, today.isoformat(), scope, *version),
        lambda: _count(year=year, unit_ids=unit_ids, today=today),
    )


def leader_dashboard(*, user, unit_ids, year: int) -> tuple[Dashboard, LeaderItems]:
    """A leader's dashboard: the figures of their units and their lists (8 queries). The
    key suggestions' stage counts the key suggestions listed (a handful a year) instead
    of a query of its own."""
    version, today = records_version(), timezone.localdate()
    board = dashboard(year=year, unit_ids=unit_ids, today=today, version=version)
    # The lists too: what waits for their signature and what is overdue change only with
    # a record the version counts (a signature, a transition) or with the day.
    items = _kept(
        (
            "leader",
            user.pk,
            year,
            today.isoformat(),
            ",".join(map(str, sorted(unit_ids))),
            *version,
        ),
        lambda: leader_items(user=user, unit_ids=unit_ids, year=year),
    )
    found = {}
    for key in items.key_suggestions:
        found[key.state] = found.get(key.state, 0) + 1
    board.key_stages = {s: found[s.value] for s in Suggestion.State if s.value in found}
    return board, items


def key_board(*, year: int, user=None, unit_ids=None) -> QuerySet[KeySuggestion]:
    """The key suggestions of the year with their leader, lead unit, deadline, visits
    (``with_visits``: count and last date) and the last visit's findings: one query
    whatever the number of rows. ``unit_ids`` (a leader's): only those ``user`` leads or
    one of the units handles."""
    last = Inspection.objects.filter(key_suggestion=OuterRef("pk")).order_by("-happened_on", "-pk")
    qs = KeySuggestion.objects.filter(year=year)
    if unit_ids is not None:
        qs = qs.filter(Q(leader=user.pk) | _in_units(unit_ids, "suggestion"))
    return (
        suggestion_selectors.with_visits(qs)
        .select_related("suggestion", "leader")
        .annotate(
            last_findings=Subquery(last.values("findings")[:1]),
            state=F("suggestion__state"),
        )
        .order_by("suggestion__number", "pk")
    )
