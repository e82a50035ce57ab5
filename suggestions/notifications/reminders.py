"""Which reminders are due on a day (DESIGN "Deadlines and reminders").

Each rule reads only the suggestions still in handling, through indexes (the open
assignments by deadline; a partial index of the assigned, replied and signed
suggestions; the revisit reminders by suggestion), so the cost grows with the work in
progress, not with the years of closed suggestions. Each per-row subquery runs once per
row, in the select list, and its result is compared in Python. A reminder is identified
by (recipient, kind, target, due_on, days); the sweep (``services.send_due_reminders``)
inserts the ones not yet there.

The apps above this one add their own rules with ``register_rule`` (from their
``AppConfig.ready``): the stations' opinions waiting for 15 days are reminded by the same
sweep, keyed and sent the same way, without this package knowing the stations.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from deputies.models import Deputy

from .. import permissions
from ..models import Assignment, Reminder, Reply, SignOff, Suggestion
from ..selectors import revisit_on, unit_member_ids


@dataclass(frozen=True)
class Due:
    kind: str
    suggestion_id: int | None
    assignment_id: int | None
    due_on: datetime.date
    days: int
    recipient_ids: frozenset[int]
    # A registered rule's reminder about something else (``about``: "opinion:12"), what
    # it is in a line without personal data (``summary``) and where to act (``link``).
    about: str = ""
    summary: str = ""
    link: str = ""

    @property
    def target(self) -> str:
        if self.about:
            return self.about
        if self.assignment_id:
            return f"assignment:{self.assignment_id}"
        return f"suggestion:{self.suggestion_id}"


Rule = Callable[[datetime.date], list[Due]]
_registered: list[Rule] = []


def register_rule(rule: Rule) -> None:
    """Add ``rule(today) -> list[Due]`` to the sweep (once, however often it is called)."""
    if rule not in _registered:
        _registered.append(rule)


def _rules() -> dict:
    return settings.NPC_REMINDERS


def staff_ids() -> frozenset[int]:
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
    staff = staff_ids() if rows else frozenset()
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
    """To the next signer when a sign-off has waited more than 15 days (again every 15):
    every lead deputy of a merged group who has not signed; for a deputy without an
    account, the lead unit and the office instead."""
    wait = _rules()["SIGNOFF_WAIT_DAYS"]
    current = Q(suggestion=OuterRef("pk"), round=OuterRef("round"))
    last_signed = SignOff.objects.filter(current).order_by("-signed_at").values("signed_at")[:1]
    replied = Reply.objects.filter(current).values("submitted_at")[:1]
    cutoff = today - datetime.timedelta(days=wait)
    # The replied suggestions are few (a partial index lists them): the wait is computed
    # once per row, in the select list, and compared here rather than in a WHERE clause
    # that would compute it again.
    rows = []
    for pk, round_, deputy_id, since in (
        Suggestion.objects.filter(state=Suggestion.State.HANDLED)
        .order_by("pk")
        .annotate(waiting_since=Coalesce(Subquery(last_signed), Subquery(replied)))
        .values_list("pk", "round", "lead_deputy_id", "waiting_since")
    ):
        since = timezone.localdate(since) if since is not None else None
        if since is not None and since < cutoff:
            rows.append((pk, round_, deputy_id, since))
    if not rows:
        return []
    ids = [pk for pk, _round, _deputy, _since in rows]
    # The lead deputies of each suggestion's group (并案): its own, then the merged ones'.
    groups = {pk: [deputy_id] for pk, _round, deputy_id, _since in rows}
    for main_id, deputy_id in (
        Suggestion.objects.filter(merged_into_id__in=ids, state=Suggestion.State.MERGED)
        .order_by("pk")
        .values_list("merged_into_id", "lead_deputy_id")
    ):
        if deputy_id not in groups[main_id]:
            groups[main_id].append(deputy_id)
    # Without the models' default orderings: nothing here needs the rows sorted.
    signed, deputies_signed = {}, {}
    for suggestion_id, round_, level, deputy_id in (
        SignOff.objects.filter(suggestion_id__in=ids)
        .order_by()
        .values_list("suggestion_id", "round", "level", "deputy_id")
    ):
        if level == SignOff.Level.DEPUTY:
            deputies_signed.setdefault((suggestion_id, round_), set()).add(deputy_id)
        else:
            signed.setdefault((suggestion_id, round_), set()).add(level)
    for pk, round_, _deputy, _since in rows:
        if deputies_signed.get((pk, round_), set()).issuperset(groups[pk]):
            signed.setdefault((pk, round_), set()).add(SignOff.Level.DEPUTY)
    leads = {
        suggestion_id: (unit_id, leader_id)
        for suggestion_id, unit_id, leader_id in Assignment.objects.filter(
            suggestion_id__in=ids, role=Assignment.Role.LEAD, closed_on__isnull=True
        )
        .order_by()
        .values_list("suggestion_id", "unit_id", "unit__leader_id")
    }
    heads = unit_member_ids((unit_id for unit_id, _leader in leads.values()), heads_only=True)
    members = unit_member_ids(unit_id for unit_id, _leader in leads.values())
    unsigned = {
        deputy_id
        for pk, round_, _deputy, _since in rows
        for deputy_id in groups[pk]
        if deputy_id not in deputies_signed.get((pk, round_), ())
    }
    accounts = dict(Deputy.objects.filter(pk__in=unsigned).order_by().values_list("pk", "user_id"))
    staff = staff_ids() if None in accounts.values() else frozenset()
    found = []
    for pk, round_, _deputy_id, since in rows:
        done = signed.get((pk, round_), set())
        if pk not in leads:
            continue
        unit_id, leader_id = leads[pk]
        waited = (today - since).days
        cycle = wait + 1 + wait * ((waited - wait - 1) // wait)
        if SignOff.Level.DEPUTY not in done:
            recipients = set()
            for deputy in groups[pk]:
                if deputy in deputies_signed.get((pk, round_), ()):
                    continue
                account = accounts.get(deputy)
                # A deputy without an account signs on paper: the lead unit collects the
                # signature and the office follows it up, so they are the ones reminded.
                recipients |= {account} if account else set(members.get(unit_id, ())) | staff
        elif SignOff.Level.UNIT_HEAD not in done:
            recipients = heads.get(unit_id, set())
        else:
            recipients = {leader_id} - {None}
        found.append(
            Due(
                Reminder.Kind.SIGNOFF_WAITING,
                pk,
                None,
                since,
                cycle,
                frozenset(recipients),
            )
        )
    return found


REVISIT_BATCH = 2000


def revisit_reminders(today: datetime.date) -> list[Due]:
    """To the staff when a signed suggestion's revisit is due: its last commitment's date.

    A round's revisit date never changes once the round is signed (its reply,
    commitments and sign-offs are append-only: one reply and one leader sign-off per
    round), and a revisit reminder is only written for a signed suggestion. So a
    suggestion still in its first round that has a revisit reminder has the one for its
    revisit date. Only the others are looked at: those never reminded, and those signed
    again after a redo. In a deployment of some years most signed suggestions were
    reminded long ago; this keeps them out of the per-row work (a partial index lists the
    signed suggestions, another the revisit reminders by suggestion).
    """
    reminded = Reminder.objects.filter(kind=Reminder.Kind.REVISIT_DUE, suggestion=OuterRef("pk"))
    candidates = list(
        Suggestion.objects.filter(state=Suggestion.State.SIGNED)
        .filter(Q(round__gt=1) | ~Exists(reminded))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    rows = []
    # In batches: each statement's size, and its cost estimate, stay small whatever the
    # number of candidates (all signed suggestions, the first time the sweep runs).
    for start in range(0, len(candidates), REVISIT_BATCH):
        batch = candidates[start : start + REVISIT_BATCH]
        due = [
            (pk, on)
            for pk, on in Suggestion.objects.filter(pk__in=batch)
            .order_by("pk")
            .annotate(revisit_on=revisit_on())
            .values_list("pk", "revisit_on")
            if on is not None and on <= today
        ]
        if not due:
            continue
        already = set(
            Reminder.objects.filter(
                kind=Reminder.Kind.REVISIT_DUE, suggestion_id__in=[pk for pk, _on in due]
            )
            .order_by()
            .values_list("suggestion_id", "due_on")
        )
        rows += [(pk, on) for pk, on in due if (pk, on) not in already]
    staff = staff_ids() if rows else frozenset()
    return [Due(Reminder.Kind.REVISIT_DUE, pk, None, on, 0, staff) for pk, on in rows]


def due_reminders(today: datetime.date) -> list[Due]:
    """Every reminder due on ``today``, whether or not it was already sent."""
    return [
        *deadline_reminders(today),
        *overdue_reminders(today),
        *signoff_reminders(today),
        *revisit_reminders(today),
        *(due for rule in _registered for due in rule(today)),
    ]
