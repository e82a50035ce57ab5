"""The reminder sweep, the delivery of one reminder, and the in-app notifications.

The sweep decides and records in one transaction; the deliveries go out after it has
committed (``signals.reminders_created``, received by ``receivers``, which hands each
reminder to the worker). A delivery sends through every channel and writes the in-app
copy.
"""

import datetime
import uuid
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from ..models import Assignment, Notification, Reminder, Suggestion
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
) -> list:
    """Create one in-app notification per recipient (users or their ids)."""

    ids = sorted({getattr(r, "pk", r) for r in recipients})
    return Notification.objects.bulk_create(
        Notification(
            recipient_id=pk,
            kind=kind,
            text=str(text)[:300],
            suggestion=suggestion,
            assignment=assignment,
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
    )


def notifications_mark_read(*, by) -> int:
    """Mark every unread notification of the user as read; returns how many."""

    return Notification.objects.filter(recipient=by, read_at__isnull=True).update(
        read_at=timezone.now()
    )
