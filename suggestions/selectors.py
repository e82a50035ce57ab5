"""Reads shared by pages: one scoping queryset per role.

Views fetch through these (``get_object_or_404(assignments_visible_to(user=...), pk=...)``)
so that another unit's or another deputy's object is a 404, never its data.
"""

import datetime
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm_log.models import StateLog

from . import deadlines, permissions
from .models import (
    Assignment,
    Communication,
    CoOpinion,
    ExtensionRequest,
    HandlingUnit,
    Notification,
    ReassignmentRequest,
    Reply,
    SignOff,
    Suggestion,
    UnitMembership,
)

TRANSITION_LABELS = {
    "approve": gettext_lazy("Approved after review"),
    "return_for_revision": gettext_lazy("Returned for revision"),
    "reject": gettext_lazy("Not accepted"),
    "withdraw": gettext_lazy("Withdrawn"),
    "assign": gettext_lazy("Assigned"),
    "reassign": gettext_lazy("Reassigned"),
    "extend": gettext_lazy("Deadline extended"),
    "reply": gettext_lazy("Replied"),
    "sign": gettext_lazy("Handling record signed"),
    "order_redo": gettext_lazy("Redo ordered"),
    "revisit": gettext_lazy("Revisited and closed"),
}


def unit_member_ids(unit_ids, *, heads_only: bool = False) -> dict[int, set[int]]:
    """The active members (or heads) of each unit, by unit id, in one query."""
    members: dict[int, set[int]] = {}
    qs = UnitMembership.objects.filter(unit_id__in=set(unit_ids), user__is_active=True)
    if heads_only:
        qs = qs.filter(is_head=True)
    for unit_id, user_id in qs.values_list("unit_id", "user_id"):
        members.setdefault(unit_id, set()).add(user_id)
    return members


def task_unit_ids(user) -> list[int]:
    """The units whose tasks the user works on: as a member, or as their supervising
    leader (one query; empty for anyone else)."""
    if not (user.is_authenticated and user.is_active):
        return []
    units = HandlingUnit.objects.filter(Q(memberships__user=user) | Q(leader=user))
    return sorted(set(units.values_list("pk", flat=True)))


def assignments_visible_to(*, user, unit_ids: list[int] | None = None) -> QuerySet[Assignment]:
    """The assignments of the user's units, and of the units a leader supervises.

    ``unit_ids``, when the caller has them from ``task_unit_ids``, saves their query.
    """
    qs = Assignment.objects.select_related("suggestion", "suggestion__lead_deputy", "unit")
    if not user.is_authenticated:
        return qs.none()
    if unit_ids is None:
        if permissions.is_committee_staff(user):
            return qs
        unit_ids = task_unit_ids(user)
    return qs.filter(unit_id__in=unit_ids)


def suggestions_visible_to_deputy(*, user) -> QuerySet[Suggestion]:
    """The suggestions a deputy led or co-signed."""
    deputy = getattr(user, "deputy", None) if user.is_authenticated else None
    if deputy is None:
        return Suggestion.objects.none()
    # Two index lookups joined by UNION: "lead OR co-signer" across the join would read
    # every suggestion and every co-signature (seconds at a million suggestions).
    led = Suggestion.objects.filter(lead_deputy=deputy).order_by().values("pk")
    co_signed = Suggestion.co_deputies.through.objects.filter(deputy=deputy).values("suggestion_id")
    return Suggestion.objects.filter(pk__in=led.union(co_signed, all=True))


def suggestions_ledger() -> QuerySet[Suggestion]:
    """Suggestions with the ledger's columns annotated: one query, whatever the row count.

    Annotated: ``lead_unit_name``, ``due_on`` and ``original_due_on`` of the open lead
    assignment, ``reply_class`` and ``reply_on_time`` of the current round's reply, and
    the lead deputy's ``work_rating`` and ``result_rating`` for that round.
    """
    lead = Assignment.objects.filter(
        suggestion=OuterRef("pk"), role=Assignment.Role.LEAD, closed_on__isnull=True
    )
    current = {"suggestion": OuterRef("pk"), "round": OuterRef("round")}
    reply = Reply.objects.filter(**current)
    deputy_signoff = SignOff.objects.filter(**current, level=SignOff.Level.DEPUTY)
    return Suggestion.objects.select_related("lead_deputy").annotate(
        lead_unit_name=Subquery(lead.values("unit__name")[:1]),
        due_on=Subquery(lead.values("due_on")[:1]),
        original_due_on=Subquery(lead.values("original_due_on")[:1]),
        reply_class=Subquery(reply.values("classification")[:1]),
        reply_on_time=Subquery(reply.values("on_time")[:1]),
        work_rating=Subquery(deputy_signoff.values("work_rating")[:1]),
        result_rating=Subquery(deputy_signoff.values("result_rating")[:1]),
    )


@dataclass
class Event:
    """One step of a suggestion's timeline."""

    at: datetime.datetime
    kind: str
    title: str
    actor: str = ""
    detail: str = ""
    note: str = ""


def _moment(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def _name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def suggestion_timeline(suggestion: Suggestion, *, reminders: bool = False) -> list[Event]:
    """Every record of a suggestion in time order, in a fixed number of queries."""
    events = [
        Event(
            suggestion.created_at, "created", _("Suggestion entered"), _name(suggestion.created_by)
        )
    ]
    logs = StateLog.objects.for_(suggestion).select_related("by").order_by("timestamp", "pk")
    states = dict(Suggestion.State.choices)
    for log in logs:
        events.append(
            Event(
                log.timestamp,
                "transition",
                TRANSITION_LABELS.get(log.transition, log.transition),
                _name(log.by),
                _("%(source)s → %(target)s")
                % {
                    "source": states.get(log.source_state, log.source_state),
                    "target": states.get(log.state, log.state),
                },
                log.description or "",
            )
        )
    assignments = list(suggestion.assignments.select_related("unit"))
    for a in assignments:
        events.append(
            Event(
                max(a.created_at, _moment(a.assigned_on)),
                "assignment",
                _("Assigned to %(unit)s (%(role)s)")
                % {"unit": a.unit, "role": a.get_role_display()},
                detail=_("due %(due)s") % {"due": a.due_on},
            )
        )
        if a.closed_on:
            events.append(
                Event(
                    _moment(a.closed_on) + datetime.timedelta(hours=23, minutes=59),
                    "assignment",
                    _("%(unit)s relieved: %(reason)s")
                    % {"unit": a.unit, "reason": a.get_close_reason_display()},
                )
            )
    by_unit = {a.pk: a.unit for a in assignments}
    for c in Communication.objects.filter(assignment__suggestion=suggestion).select_related(
        "recorded_by"
    ):
        events.append(
            Event(
                # Sorted by when it was recorded, so it never precedes the assignment.
                c.recorded_at,
                "communication",
                _("Communication %(stage)s on %(date)s: %(method)s")
                % {
                    "stage": c.get_stage_display(),
                    "date": c.happened_on,
                    "method": c.get_method_display(),
                },
                f"{by_unit[c.assignment_id]} {_name(c.recorded_by)}",
                note=c.notes,
            )
        )
    for o in CoOpinion.objects.filter(assignment__suggestion=suggestion).select_related(
        "submitted_by"
    ):
        events.append(
            Event(
                o.submitted_at,
                "co_opinion",
                _("Opinion of %(unit)s") % {"unit": by_unit[o.assignment_id]},
                _name(o.submitted_by),
                note=o.text,
            )
        )
    for r in suggestion.replies.select_related("submitted_by"):
        replaced = r.round < suggestion.round
        events.append(
            Event(
                r.submitted_at,
                "reply",
                _("Reply %(classification)s (round %(round)s)")
                % {"classification": r.get_classification_display(), "round": r.round},
                _name(r.submitted_by),
                (_("on time") if r.on_time else _("late"))
                + ("，" + str(_("replaced by a redo")) if replaced else ""),
                r.text,
            )
        )
    for s in suggestion.signoffs.select_related("signed_by"):
        ratings = ""
        if s.work_rating:
            ratings = _("work: %(work)s, result: %(result)s") % {
                "work": s.get_work_rating_display(),
                "result": s.get_result_rating_display(),
            }
        events.append(
            Event(
                s.signed_at,
                "signoff",
                _("Signed by the %(level)s") % {"level": s.get_level_display()},
                _name(s.signed_by),
                ratings,
                s.opinion,
            )
        )
    for redo in suggestion.redos.select_related("ordered_by", "unit"):
        events.append(
            Event(
                redo.ordered_at,
                "redo",
                _("Redo ordered: %(grounds)s") % {"grounds": redo.get_grounds_display()},
                _name(redo.ordered_by),
                _("%(unit)s, due %(due)s") % {"unit": redo.unit, "due": redo.due_on},
                redo.reason,
            )
        )
    for visit in suggestion.revisits.select_related("recorded_by").prefetch_related(
        "outcomes__commitment"
    ):
        outcomes = "；".join(
            f"{o.commitment.text}：{o.get_outcome_display()}" for o in visit.outcomes.all()
        )
        events.append(
            Event(
                visit.recorded_at,
                "revisit",
                _("Revisit"),
                _name(visit.recorded_by),
                outcomes,
                visit.notes,
            )
        )
    if reminders:
        for reminder in suggestion.reminders.select_related("recipient"):
            events.append(
                Event(
                    reminder.created_at,
                    "reminder",
                    _("Reminder: %(kind)s") % {"kind": reminder.get_kind_display()},
                    _name(reminder.recipient),
                    _("sent") if reminder.sent_at else _("not sent yet"),
                )
            )
    return sorted(events, key=lambda e: e.at)


def is_redo_eligible(suggestion: Suggestion) -> bool:
    """A replied suggestion whose deputy is dissatisfied: staff may order a redo for it."""
    if suggestion.state not in (Suggestion.State.HANDLED, Suggestion.State.SIGNED):
        return False
    signoff = suggestion.signoffs.filter(round=suggestion.round, level=SignOff.Level.DEPUTY).first()
    return signoff is not None and signoff.is_dissatisfied


# The task pages of the handling units and the government leaders.

TASK_TABS = {
    "todo": gettext_lazy("To do"),
    "due_soon": gettext_lazy("Due within 15 days"),
    "overdue": gettext_lazy("Overdue"),
    "replied": gettext_lazy("Replied"),
    "all": gettext_lazy("All"),
}
DUE_SOON_DAYS = 15


def is_task_user(user) -> bool:
    """A member of a handling unit or a supervising leader: one query."""
    return bool(task_unit_ids(user))


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
]


def task_rows(
    *,
    user,
    tab: str = "todo",
    year: int | None = None,
    search: str = "",
    unit_ids: list[int] | None = None,
) -> QuerySet[Assignment]:
    """The assignments of the task list, annotated so that a row needs no query of its own.

    ``is_pending``: the unit still owes its work (the lead unit its reply, a co-unit its
    opinion) on an open assignment of an assigned suggestion. ``is_overdue`` and
    ``is_due_soon`` are computed from ``due_on`` against today, never stored.
    """

    today = timezone.localdate()
    opinions = CoOpinion.objects.filter(assignment=OuterRef("pk"))
    pending = (
        Q(closed_on__isnull=True)
        & Q(suggestion__state=Suggestion.State.ASSIGNED)
        & (Q(role=Assignment.Role.LEAD) | Q(has_opinion=False))
    )
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
        .only(*TASK_ROW_FIELDS)
        .annotate(has_opinion=Exists(opinions))
        .annotate(
            is_pending=ExpressionWrapper(pending, output_field=BooleanField()),
            is_overdue=ExpressionWrapper(
                pending & Q(due_on__lt=today), output_field=BooleanField()
            ),
        )
    )
    if tab == "todo":
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


def task_years(*, user, unit_ids: list[int] | None = None) -> list[int]:
    """The years in which the user's units were given assignments, latest first."""
    visible = assignments_visible_to(user=user, unit_ids=unit_ids).select_related(None)
    years = visible.dates("assigned_on", "year", order="DESC")
    return [d.year for d in years]


def replies_visible_to(*, user) -> QuerySet[Reply]:
    """Replies whose suggestion the user may see: its units, their leaders, its deputies."""
    qs = Reply.objects.all()
    if not (user.is_authenticated and user.is_active):
        return qs.none()
    if permissions.is_committee_staff(user):
        return qs
    units = Q(suggestion__assignments__unit__memberships__user=user) | Q(
        suggestion__assignments__unit__leader=user
    )
    deputies = Q(suggestion__lead_deputy__user=user) | Q(suggestion__co_deputies__user=user)
    return qs.filter(units | deputies).distinct()


@dataclass
class TaskDetail:
    """What the task page shows of one assignment, and what the user may do on it now."""

    assignment: Assignment
    suggestion: Suggestion
    show_contact: bool
    co_assignments: list
    replies: list
    timeline: list
    actions: list[str]
    window: object = None
    deadline_basis: str = ""


def task_actions(*, assignment: Assignment, user) -> list[str]:
    """The forms the user may use now on an assignment, from the role predicates and state."""

    suggestion = assignment.suggestion
    state = suggestion.state
    State = Suggestion.State
    if not assignment.is_open:
        return []
    lead = assignment.role == Assignment.Role.LEAD
    member = permissions.is_unit_member(user, assignment.unit)
    actions = []
    if member and state in (State.ASSIGNED, State.HANDLED, State.SIGNED):
        actions.append("communication")
    if member and state == State.ASSIGNED and not lead:
        actions.append("co_opinion")
    if member and state == State.ASSIGNED and lead:
        actions.append("reply")
    if member and state == State.ASSIGNED:
        window = _reassignment_window(assignment)
        pending = assignment.reassignment_requests.filter(
            decision=ReassignmentRequest.Decision.PENDING
        ).exists()
        if timezone.localdate() <= window.end and not pending:
            actions.append("reassignment")
    if member and state == State.ASSIGNED and lead:
        pending = assignment.extension_requests.filter(
            decision=ExtensionRequest.Decision.PENDING
        ).exists()
        if not pending:
            actions.append("extension")
    if lead and state == State.HANDLED:
        signed = set(
            suggestion.signoffs.filter(round=suggestion.round).values_list("level", flat=True)
        )
        if SignOff.Level.UNIT_HEAD not in signed and permissions.is_unit_head(
            user, assignment.unit
        ):
            actions.append("signoff_head")
        if SignOff.Level.LEADER not in signed and permissions.is_unit_leader(user, assignment.unit):
            actions.append("signoff_leader")
    return actions


def _reassignment_window(assignment: Assignment):

    return deadlines.reassignment_window(assignment.assigned_on)


def task_detail(*, assignment: Assignment, user) -> TaskDetail:
    """The task page's content for an assignment the user may see."""

    suggestion = assignment.suggestion
    open_units = suggestion.open_assignments().filter(unit__memberships__user=user)
    co_assignments = list(
        suggestion.open_assignments()
        .filter(role=Assignment.Role.CO)
        .select_related("unit")
        .prefetch_related("co_opinions")
    )
    show_window = assignment.is_open and suggestion.state == Suggestion.State.ASSIGNED
    return TaskDetail(
        assignment=assignment,
        suggestion=suggestion,
        show_contact=open_units.exists(),
        co_assignments=co_assignments,
        replies=list(suggestion.replies.prefetch_related("commitments").order_by("round")),
        timeline=suggestion_timeline(suggestion),
        actions=task_actions(assignment=assignment, user=user),
        window=_reassignment_window(assignment) if show_window else None,
        deadline_basis=deadlines.describe(assignment.due_basis) if assignment.due_basis else "",
    )


def notifications_of(*, user) -> QuerySet:
    """The user's in-app notifications, newest first."""

    return Notification.objects.filter(recipient=user).select_related("suggestion")


def unread_notification_count(*, user) -> int:

    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
