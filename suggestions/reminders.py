"""Which reminders are due on a day (DESIGN "Deadlines and reminders").

Each rule selects its candidates with an indexed query bounded by dates, so the cost
grows with the number of due rows, not with the number of suggestions. A reminder is
identified by (recipient, kind, target, due_on, days); the sweep in ``services`` inserts
the ones not yet there.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from . import permissions
from .models import Assignment, Commitment, Reminder, Reply, SignOff, Suggestion
from .selectors import unit_member_ids


@dataclass(frozen=True)
class Due:
    kind: str
    suggestion_id: int
    assignment_id: int | None
    due_on: datetime.date
    days: int
    recipient_ids: frozenset[int]

    @property
    def target(self) -> str:
        if self.assignment_id:
            return f"assignment:{self.assignment_id}"
        return f"suggestion:{self.suggestion_id}"


def _rules() -> dict:
    return settings.NPC_REMINDERS


def _staff_ids() -> frozenset[int]:
    return frozenset(
        get_user_model()
        .objects.filter(is_active=True, is_staff=True, groups__name=permissions.COMMITTEE_OFFICE)
        .values_list("pk", flat=True)
    )


def _owing_assignments():
    """Open assignments whose unit still owes something: the lead its reply, a co its opinion."""
    return Assignment.objects.filter(
        closed_on__isnull=True, suggestion__state=Suggestion.State.ASSIGNED
    ).filter(Q(role=Assignment.Role.LEAD) | Q(role=Assignment.Role.CO, co_opinions__isnull=True))


def deadline_reminders(today: datetime.date) -> list[Due]:
    """To the unit 15, 7, 3 and 1 days before its deadline and on the day."""
    thresholds = sorted({0, *_rules()["DAYS_BEFORE"]})
    rows = list(
        _owing_assignments()
        .filter(due_on__range=(today, today + datetime.timedelta(days=thresholds[-1])))
        .values_list("pk", "suggestion_id", "unit_id", "due_on")
    )
    members = unit_member_ids(unit_id for _, _, unit_id, _ in rows)
    found = []
    for pk, suggestion_id, unit_id, due_on in rows:
        left = (due_on - today).days
        # Only the latest threshold passed: a sweep that missed the 15-day reminder while
        # the worker was down sends it late, but never once the 7-day one is due.
        threshold = min(t for t in thresholds if t >= left)
        kind = Reminder.Kind.DUE_TODAY if threshold == 0 else Reminder.Kind.DUE_SOON
        found.append(
            Due(kind, suggestion_id, pk, due_on, threshold, frozenset(members.get(unit_id, ())))
        )
    return found


def overdue_reminders(today: datetime.date) -> list[Due]:
    """Once overdue, to the unit, the staff and the supervising leader every 7 days."""
    every = _rules()["OVERDUE_EVERY_DAYS"]
    rows = list(
        _owing_assignments()
        .filter(due_on__lt=today)
        .values_list("pk", "suggestion_id", "unit_id", "unit__leader_id", "due_on")
    )
    members = unit_member_ids(unit_id for _, _, unit_id, _, _ in rows)
    staff = _staff_ids() if rows else frozenset()
    found = []
    for pk, suggestion_id, unit_id, leader_id, due_on in rows:
        late = (today - due_on).days
        cycle_start = 1 + every * ((late - 1) // every)
        recipients = set(members.get(unit_id, ())) | staff | ({leader_id} if leader_id else set())
        found.append(
            Due(
                Reminder.Kind.OVERDUE,
                suggestion_id,
                pk,
                due_on,
                -cycle_start,
                frozenset(recipients),
            )
        )
    return found


def signoff_reminders(today: datetime.date) -> list[Due]:
    """To the next signer when a sign-off has waited more than 15 days (again every 15)."""
    wait = _rules()["SIGNOFF_WAIT_DAYS"]
    current = Q(suggestion=OuterRef("pk"), round=OuterRef("round"))
    last_signed = SignOff.objects.filter(current).order_by("-signed_at").values("signed_at")[:1]
    replied = Reply.objects.filter(current).values("submitted_at")[:1]
    cutoff = today - datetime.timedelta(days=wait)
    rows = list(
        Suggestion.objects.filter(state=Suggestion.State.HANDLED)
        .annotate(waiting_since=Coalesce(Subquery(last_signed), Subquery(replied)))
        .filter(waiting_since__date__lt=cutoff)
        .select_related("lead_deputy")
    )
    if not rows:
        return []
    signed = {}
    for suggestion_id, round_, level in SignOff.objects.filter(suggestion__in=rows).values_list(
        "suggestion_id", "round", "level"
    ):
        signed.setdefault((suggestion_id, round_), set()).add(level)
    leads = {
        a.suggestion_id: a
        for a in Assignment.objects.filter(
            suggestion__in=rows, role=Assignment.Role.LEAD, closed_on__isnull=True
        ).select_related("unit")
    }
    heads = unit_member_ids((a.unit_id for a in leads.values()), heads_only=True)
    found = []
    for suggestion in rows:
        done = signed.get((suggestion.pk, suggestion.round), set())
        lead = leads.get(suggestion.pk)
        if lead is None:
            continue
        since = timezone.localdate(suggestion.waiting_since)
        waited = (today - since).days
        cycle = wait + 1 + wait * ((waited - wait - 1) // wait)
        if SignOff.Level.DEPUTY not in done:
            recipients = {suggestion.lead_deputy.user_id} - {None}
        elif SignOff.Level.UNIT_HEAD not in done:
            recipients = heads.get(lead.unit_id, set())
        else:
            recipients = {lead.unit.leader_id} - {None}
        found.append(
            Due(
                Reminder.Kind.SIGNOFF_WAITING,
                suggestion.pk,
                None,
                since,
                cycle,
                frozenset(recipients),
            )
        )
    return found


def revisit_reminders(today: datetime.date) -> list[Due]:
    """To the staff when a signed suggestion's revisit is due: its last commitment's date."""
    current = Q(reply__suggestion=OuterRef("pk"), reply__round=OuterRef("round"))
    last_due = Commitment.objects.filter(current).order_by("-due_on").values("due_on")[:1]
    signed_on = SignOff.objects.filter(
        suggestion=OuterRef("pk"), round=OuterRef("round"), level=SignOff.Level.LEADER
    ).values("signed_at__date")[:1]
    already = Reminder.objects.filter(kind=Reminder.Kind.REVISIT_DUE, suggestion=OuterRef("pk"))
    rows = list(
        Suggestion.objects.filter(state=Suggestion.State.SIGNED)
        .annotate(revisit_on=Coalesce(Subquery(last_due), Subquery(signed_on)))
        .filter(revisit_on__lte=today)
        .exclude(Exists(already.filter(due_on=OuterRef("revisit_on"))))
        .values_list("pk", "revisit_on")
    )
    staff = _staff_ids() if rows else frozenset()
    return [Due(Reminder.Kind.REVISIT_DUE, pk, None, on, 0, staff) for pk, on in rows]


def due_reminders(today: datetime.date) -> list[Due]:
    """Every reminder due on ``today``, whether or not it was already sent."""
    return [
        *deadline_reminders(today),
        *overdue_reminders(today),
        *signoff_reminders(today),
        *revisit_reminders(today),
    ]
