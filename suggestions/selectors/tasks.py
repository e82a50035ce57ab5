"""Reads of the task pages (/tasks/) of the handling units and the government leaders.

What a user may do on an assignment is the action table's (``suggestions.actions``).
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import deadlines, permissions, wording
from ..models import Assignment, CoOpinion, Suggestion
from .records import read_records, records_of
from .scoping import TaskUnits, assignments_visible_to
from .signoffs import waiting_for_signature
from .timeline import suggestion_timeline

# A head's and a leader's queue: first among their tabs, their landing tab when not empty.
SIGN_TAB = "sign"
SIGN_TAB_LABEL = gettext_lazy("Waiting for my signature")
TASK_TABS = {
    "todo": gettext_lazy("To do"),
    "due_soon": gettext_lazy("Due within 15 days"),
    "overdue": gettext_lazy("Overdue"),
    "replied": gettext_lazy("Replied"),
    "all": gettext_lazy("All"),
}
DUE_SOON_DAYS = 15


# What a row of the task list shows (the suggestion's text is not read).
TASK_ROW_FIELDS = [
    "role",
    "due_on",
    "closed_on",
    "close_reason",
    "suggestion__number",
    "suggestion__title",
    "suggestion__state",
    "suggestion__lead_deputy__name",
    "unit__name",
    "unit__short_name",
    "suggestion__round",
    "handler__username",
    "handler__first_name",
    "handler__last_name",
]


def task_tabs(*, signs: bool) -> dict:
    """The task list's tabs for a user: a signer's queue first, then everyone's."""
    return {SIGN_TAB: SIGN_TAB_LABEL, **TASK_TABS} if signs else dict(TASK_TABS)


def owing(opinion_missing: Q | None = None) -> Q:
    """On assignments: the unit still owes its work: an open assignment of an assigned
    suggestion, the lead unit's reply or a co-unit's opinion not sent yet (the task list's
    ``is_pending``, the dashboard's overdue and due soon). ``opinion_missing``: a caller
    that annotated whether the opinion came passes its condition; else a subquery."""
    if opinion_missing is None:
        opinion_missing = ~Q(Exists(CoOpinion.objects.filter(assignment=OuterRef("pk"))))
    return (
        Q(closed_on__isnull=True)
        & Q(suggestion__state=Suggestion.State.ASSIGNED)
        & (Q(role=Assignment.Role.LEAD) | opinion_missing)
    )


def task_rows(
    *,
    user,
    tab: str = "todo",
    year: int | None = None,
    search: str = "",
    unit_ids: list[int] | None = None,
    head_unit_ids: Sequence[int] = (),
    leader_unit_ids: Sequence[int] = (),
) -> QuerySet[Assignment]:
    """The assignments of the task list, annotated so that a row needs no query of its own.

    ``is_pending``: the unit still owes its work (the lead unit its reply, a co-unit its
    opinion) on an open assignment of an assigned suggestion. ``is_overdue`` and
    ``is_due_soon`` are computed from ``due_on`` against today, never stored. (A page of
    rows gets its signatures from ``attach_current_signoffs``.) The ``sign`` tab lists
    what waits for the user's signature as a head of ``head_unit_ids`` or the leader of
    ``leader_unit_ids``.
    """

    today = timezone.localdate()
    opinions = CoOpinion.objects.filter(assignment=OuterRef("pk"))
    pending = owing(Q(has_opinion=False))
    replied = (
        Q(role=Assignment.Role.LEAD)
        & Q(
            suggestion__state__in=[
                Suggestion.State.HANDLED,
                Suggestion.State.SIGNED,
                Suggestion.State.REVISITED,
            ]
        )
    ) | (Q(role=Assignment.Role.CO) & Q(has_opinion=True))
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    qs = (
        assignments_visible_to(user=user, unit_ids=unit_ids)
        .select_related("handler")
        .only(*TASK_ROW_FIELDS)
        .annotate(has_opinion=Exists(opinions))
        .annotate(
            is_pending=ExpressionWrapper(pending, output_field=BooleanField()),
            is_overdue=ExpressionWrapper(
                pending & Q(due_on__lt=today), output_field=BooleanField()
            ),
        )
    )
    if tab == SIGN_TAB:
        qs = qs.filter(
            waiting_for_signature(head_unit_ids=head_unit_ids, leader_unit_ids=leader_unit_ids)
        )
    elif tab == "todo":
        # The lead unit's replied suggestion still waits for its head's and leader's signatures.
        qs = qs.filter(
            pending
            | (
                Q(closed_on__isnull=True)
                & Q(role=Assignment.Role.LEAD)
                & Q(suggestion__state=Suggestion.State.HANDLED)
            )
        )
    elif tab == "due_soon":
        qs = qs.filter(pending, due_on__gte=today, due_on__lte=soon)
    elif tab == "overdue":
        qs = qs.filter(pending, due_on__lt=today)
    elif tab == "replied":
        qs = qs.filter(replied)
    if year:
        qs = qs.filter(assigned_on__year=year)
    search = (search or "").strip()
    if search:
        qs = qs.filter(
            Q(suggestion__number__icontains=search) | Q(suggestion__title__icontains=search)
        )
    return qs.order_by("due_on", "pk")


def task_year_rows(*, user, unit_ids: list[int] | None = None) -> QuerySet[Assignment]:
    """``task_years`` unordered, as a queryset (its one column ``year``), for a page that
    reads them with its other figures."""
    visible = assignments_visible_to(user=user, unit_ids=unit_ids).select_related(None)
    return (
        visible.filter(assigned_on__isnull=False)
        .order_by()
        .annotate(year=ExtractYear("assigned_on"))
        .values("year")
        .distinct()
    )


def task_years(*, user, unit_ids: list[int] | None = None) -> list[int]:
    """The years in which the user's units were given assignments, latest first."""
    visible = assignments_visible_to(user=user, unit_ids=unit_ids).select_related(None)
    years = visible.dates("assigned_on", "year", order="DESC")
    return [d.year for d in years]


@dataclass(frozen=True)
class Condition:
    """One thing an action needs first, met or not, in the words of the service's check."""

    met: bool
    code: str
    text: str


def reply_conditions(*, assignment: Assignment) -> list[Condition]:
    """What the lead unit's reply needs before it is sent, as the service checks it: a
    communication with the deputy in this round, and every co-handling unit's opinion."""
    suggestion = assignment.suggestion
    records = records_of(suggestion)
    if records is not None:
        # The page's records (``read_records``): no query.
        latest = max(
            (
                c.happened_on
                for c in records.communications
                if c.assignment_id == assignment.pk and c.round == suggestion.round
            ),
            default=None,
        )
        answered = {o.assignment_id for o in records.co_opinions}
        missing = [
            str(a.unit)
            for a in records.assignments
            if a.is_open and a.role == Assignment.Role.CO and a.pk not in answered
        ]
    else:
        latest = (
            assignment.communications.filter(round=suggestion.round)
            .order_by("-happened_on")
            .values_list("happened_on", flat=True)
            .first()
        )
        missing = [
            str(a.unit)
            for a in suggestion.open_assignments()
            .filter(role=Assignment.Role.CO, co_opinions__isnull=True)
            .select_related("unit")
        ]
    if latest is None:
        conditions = [
            Condition(
                False,
                "no_communication",
                _("Record at least one communication with the deputy before replying."),
            )
        ]
    else:
        conditions = [
            Condition(
                True,
                "communication",
                _("A communication with the deputy is recorded for this round (latest: %(date)s).")
                % {"date": latest.isoformat()},
            )
        ]
    if missing:
        conditions.append(
            Condition(
                False,
                "co_opinions_missing",
                _("These co-handling units have not sent their opinion: %(units)s.")
                % {"units": "、".join(missing)},
            )
        )
    return conditions


@dataclass
class TaskDetail:
    """What the task page shows of one assignment."""

    assignment: Assignment
    suggestion: Suggestion
    show_contact: bool
    co_assignments: list
    replies: list
    timeline: list
    window: object = None
    deadline_basis: str = ""
    # The days left in words ("剩 N 天", "逾期 N 天") while the unit still owes its work.
    days_left: str = ""
    overdue: bool = False
    # The suggestions merged into this one (并案), with their lead deputies, whom the unit
    # contacts too and who each sign the handling record.
    merged: list = field(default_factory=list)


def task_detail(*, assignment: Assignment, user, units: TaskUnits | None = None) -> TaskDetail:
    """The task page's content for an assignment the user may see, its records read in one
    query (``read_records``, kept for the page's action table and forms).

    The deputy's contact is shown to the members of a unit handling the suggestion now.
    ``units``: the user's units as the page read them (``task_units``), which tell that
    without a query.
    """
    suggestion = assignment.suggestion
    records = read_records([suggestion], pending=True)[suggestion.pk]
    handling = [a for a in records.assignments if a.is_open]
    if units is not None:
        show_contact = any(a.unit_id in units.member_ids for a in handling)
    else:
        show_contact = (
            suggestion.open_assignments()
            .filter(unit__in=permissions.units.units(user, "member"))
            .exists()
        )
    # Each with its opinions (``co.co_opinions.all``).
    co_assignments = [a for a in handling if a.role == Assignment.Role.CO]
    show_window = assignment.is_open and suggestion.state == Suggestion.State.ASSIGNED
    # As the task list's ``is_pending``: the lead unit owes its reply, a co-unit its opinion.
    owing = show_window and (
        assignment.role == Assignment.Role.LEAD
        or not any(o.assignment_id == assignment.pk for o in records.co_opinions)
    )
    replies = records.replies
    timeline = suggestion_timeline(suggestion)
    if assignment.closed_on is not None:
        # A unit relieved of the suggestion keeps its record up to the day it was relieved,
        # not what the units after it did.
        replies = [r for r in replies if timezone.localdate(r.submitted_at) <= assignment.closed_on]
        timeline = [e for e in timeline if timezone.localdate(e.at) <= assignment.closed_on]
        co_assignments = []  # today's co-handlers; their opinions until then are in the timeline
    return TaskDetail(
        assignment=assignment,
        suggestion=suggestion,
        show_contact=show_contact,
        co_assignments=co_assignments,
        replies=replies,
        timeline=timeline,
        window=deadlines.window_of(assignment) if show_window else None,
        deadline_basis=deadlines.describe(assignment.due_basis) if assignment.due_basis else "",
        days_left=wording.deadline_words(assignment.due_on) if owing else "",
        overdue=owing and assignment.due_on < timezone.localdate(),
        # With their lead deputies and co-signers.
        merged=records.merged,
    )
