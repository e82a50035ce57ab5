"""The reminder sweep, the next signer's turn, the delivery of one reminder, and the
in-app notifications.

The sweep decides and records in one transaction; the deliveries go out after it has
committed (``signals.reminders_created``, received by ``receivers``, which hands each
reminder to the worker). A delivery sends through every channel and writes the in-app
copy. The next signer's notice is a sign-off reminder of day 0 (``signoff_turn_remind``),
recorded and sent the same way once the previous signature has committed.
"""

import datetime
import uuid
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from ..models import Assignment, HandlingUnit, Notification, Reminder, SignOff, Suggestion
from ..selectors import next_level, unit_member_ids
from . import channels, reminders
from .signals import reminders_created


def send_due_reminders(*, now: datetime.datetime | None = None) -> int:
    """Insert every reminder due now that was not sent before, and send them after commit.

    Idempotent by data: a reminder's unique key means a second sweep, or a concurrent one,
    inserts nothing again. A sweep missed while the worker was down is made up by the next.
    Returns how many reminders this sweep created.
    """
    today = timezone.localdate(now)
    sweep = uuid.uuid4()
    with transaction.atomic():
        found = [due for due in reminders.due_reminders(today) if due.recipient_ids]
        existing = set(
            Reminder.objects.filter(target__in={due.target for due in found}).values_list(
                "target", "kind", "due_on", "days"
            )
        )
        rows = [
            Reminder(
                recipient_id=recipient_id,
                kind=due.kind,
                suggestion_id=due.suggestion_id,
                assignment_id=due.assignment_id,
                target=due.target,
                due_on=due.due_on,
                days=due.days,
                summary=due.summary[:200],
                link=due.link[:200],
                sweep=sweep,
            )
            for due in found
            if (due.target, due.kind, due.due_on, due.days) not in existing
            for recipient_id in sorted(due.recipient_ids)
        ]
        # A concurrent sweep's rows make ours conflict and be skipped: only the rows this
        # sweep really inserted carry its id.
        Reminder.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
        created = list(Reminder.objects.filter(sweep=sweep).values_list("pk", flat=True))
        transaction.on_commit(lambda: reminders_created.send(sender=Reminder, reminder_ids=created))
    return len(created)


def _record_and_send(rows: list[Reminder]) -> list[int]:
    """Insert ``rows`` (one sweep's), skipping any already there; send the new ones on commit."""
    Reminder.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    if not rows:
        return []
    created = list(Reminder.objects.filter(sweep=rows[0].sweep).values_list("pk", flat=True))
    transaction.on_commit(lambda: reminders_created.send(sender=Reminder, reminder_ids=created))
    return created


def signoff_turn_remind(*, suggestion_id: int, signoff_ids: list[int]) -> int:
    """Tell the next signer at once that the handling record waits for them: a unit head
    once the deputy has signed, the supervising leader once a head has.

    Called once the signatures ``signoff_ids`` have committed (``receivers``, on
    ``signoffs_recorded``). Reads the record afresh and tells someone only when the level
    after the last one just recorded is the one waiting now (a paper record carrying
    several signatures tells only the last one's next signer). In-app and by every
    channel, as a sign-off reminder of day 0, keyed like the 15-day ones: told once,
    however often this runs. Returns how many were told.
    """
    order = list(SignOff.Level)
    with transaction.atomic():
        suggestion = Suggestion.objects.filter(
            pk=suggestion_id, state=Suggestion.State.HANDLED
        ).first()
        lead = suggestion.lead_assignment() if suggestion is not None else None
        if lead is None:
            return 0  # the leader's signature closed the record, or a redo replaced it
        current = suggestion.signoffs.filter(round=suggestion.round)
        # The deputy level once every lead deputy of a merged group has signed.
        signed = suggestion.levels_signed(current.values_list("level", "deputy_id"))
        recorded = list(current.filter(pk__in=signoff_ids).values_list("level", "signed_at"))
        if not recorded:
            return 0
        last, since = max(recorded, key=lambda row: order.index(row[0]))
        upcoming = next_level(signed)
        if upcoming is None or order.index(upcoming) != order.index(last) + 1:
            return 0
        if upcoming == SignOff.Level.UNIT_HEAD:
            recipients = unit_member_ids([lead.unit_id], heads_only=True).get(lead.unit_id, ())
        else:
            recipients = HandlingUnit.objects.filter(
                pk=lead.unit_id, leader__is_active=True
            ).values_list("leader_id", flat=True)
        sweep = uuid.uuid4()
        rows = [
            Reminder(
                recipient_id=recipient_id,
                kind=Reminder.Kind.SIGNOFF_WAITING,
                suggestion=suggestion,
                assignment=lead,
                target=f"suggestion:{suggestion.pk}",
                due_on=timezone.localdate(since),
                days=0,
                sweep=sweep,
            )
            for recipient_id in sorted(set(recipients))
        ]
        return len(_record_and_send(rows))


def reminder_deliver(*, reminder_id: int) -> bool:
    """Send one reminder through every channel unless it went out already; True when sent now."""
    with transaction.atomic():
        reminder = (
            Reminder.objects.select_for_update(of=("self",))
            .select_related("recipient", "recipient__deputy", "suggestion", "assignment__unit")
            .filter(pk=reminder_id, sent_at__isnull=True)
            .first()
        )
        if reminder is None:
            return False
        # A channel's error propagates: the transaction rolls back, sent_at stays empty and
        # the task retries the same row; no second reminder is created.
        for channel in channels.channels():
            channel.deliver(reminder)
        reminder.sent_at = timezone.now()
        reminder.save(update_fields=["sent_at"])
        notify_reminder(reminder)
    return True


def notify(
    *,
    recipients: Iterable,
    kind: str,
    text: str,
    suggestion: Suggestion | None = None,
    assignment: Assignment | None = None,
    link: str = "",
) -> list:
    """Create one in-app notification per recipient (users or their ids); ``link``: where
    it leads, for a notice about something else than a suggestion."""

    ids = sorted({getattr(r, "pk", r) for r in recipients})
    return Notification.objects.bulk_create(
        Notification(
            recipient_id=pk,
            kind=kind,
            text=str(text)[:300],
            suggestion=suggestion,
            assignment=assignment,
            link=link[:200],
        )
        for pk in ids
    )


def notify_reminder(reminder: Reminder) -> list:
    """The in-app copy of a reminder, worded like its e-mail's subject."""
    with translation.override(settings.LANGUAGE_CODE):
        context = {"reminder": reminder, "suggestion": reminder.suggestion}
        text = render_to_string("notifications/reminder_subject.txt", context).strip()
    return notify(
        recipients=[reminder.recipient_id],
        kind=f"reminder_{reminder.kind}",
        text=text,
        suggestion=reminder.suggestion,
        assignment=reminder.assignment,
        link=reminder.link,
    )


def notifications_mark_read(*, by) -> int:
    """Mark every unread notification of the user as read; returns how many."""

    return Notification.objects.filter(recipient=by, read_at__isnull=True).update(
        read_at=timezone.now()
    )
