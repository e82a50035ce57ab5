"""Celery tasks: ids in, the body calls a service. Rules live in the services, never here."""

from smtplib import SMTPException

from celery import shared_task

from . import services


@shared_task(bind=True, acks_late=True)
def sweep_reminders(self) -> int:
    """The periodic sweep (one beat, every 15 minutes by default)."""
    return services.send_due_reminders()


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(SMTPException, ConnectionError, TimeoutError),
    retry_backoff=30,
    retry_backoff_max=3600,
    retry_jitter=True,
    max_retries=10,
)
def deliver_reminder(self, reminder_id: int) -> bool:
    return services.reminder_deliver(reminder_id=reminder_id)
