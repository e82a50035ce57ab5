"""Reminders (one row per reminder, keyed so it goes out once) and in-app notifications.

The code that decides, sends and lists them is the ``suggestions.notifications`` package.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .assignment import Assignment


class Reminder(models.Model):
    """One reminder to one person. The unique key makes each reminder go out at most once.

    A sweep inserts the reminders it finds due; a second sweep, or two at once, finds the
    rows already there and inserts nothing. ``sent_at`` is set once the e-mail is out.
    """

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("Deadline approaching")
        DUE_TODAY = "due_today", _("Deadline today")
        OVERDUE = "overdue", _("Overdue")
        SIGNOFF_WAITING = "signoff_waiting", _("Sign-off waiting")
        REVISIT_DUE = "revisit_due", _("Revisit due")
        # Registered by the stations (``reminders.register_rule``): an opinion heard at a
        # station that has not moved on within 15 days, to the station's keepers.
        OPINION_WAITING = "opinion_waiting", _("Opinion waiting")
        # The deputies' contact rule (``notifications.duty_reminders``): a deputy who has
        # not met constituents with 30 days of the quarter left, and the office's count.
        DUTY_CONTACT = "duty_contact", _("Constituents not met")
        DUTY_SHORTFALL = "duty_shortfall", _("Deputies short of contact")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # Empty for a reminder about something else than a suggestion (an opinion): its
    # ``target`` names it, ``summary`` says what it is and ``link`` where to act.
    suggestion = models.ForeignKey(
        "Suggestion",
        verbose_name=_("suggestion"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminders",
    )
    assignment = models.ForeignKey(
        Assignment,
        verbose_name=_("assignment"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminders",
    )
    # What the reminder is about: "assignment:12" or "suggestion:5", so the key has no NULL.
    target = models.CharField(_("target"), max_length=40)
    # The date the reminder is keyed on: the deadline, or the start of an overdue cycle.
    due_on = models.DateField(_("due date"))
    # Days before the deadline (negative: days overdue; for sign-offs: days waited).
    days = models.SmallIntegerField(_("days"), default=0)
    summary = models.CharField(_("summary"), max_length=200, blank=True)
    link = models.CharField(_("link"), max_length=200, blank=True)
    sweep = models.UUIDField(editable=False, db_index=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["target", "kind"], name="reminder_target_kind_idx"),
            # The revisit rule: which signed suggestions were reminded, and of which date.
            models.Index(
                fields=["suggestion", "due_on"],
                condition=Q(kind="revisit_due"),
                name="reminder_revisit_due_idx",
            ),
        ]
        constraints = [
            # ``days`` tells apart the 15-, 7-, 3- and 1-day reminders of one deadline.
            models.UniqueConstraint(
                fields=["recipient", "kind", "target", "due_on", "days"],
                name="reminder_unique_key",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.recipient} ({self.due_on})"


class Notification(models.Model):
    """One in-app notice to one user: a new assignment, a redo ordered, a reminder."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=30)
    text = models.CharField(_("text"), max_length=300)
    suggestion = models.ForeignKey(
        "Suggestion",
        verbose_name=_("suggestion"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    assignment = models.ForeignKey(
        Assignment,
        verbose_name=_("assignment"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    # Where the notice leads, when it is not about a suggestion (an opinion's page).
    link = models.CharField(_("link"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["recipient"],
                condition=Q(read_at__isnull=True),
                name="notification_unread_idx",
            ),
        ]

    def __str__(self):
        return f"{self.recipient}: {self.text[:40]}"
