"""Assignment (交办): one suggestion given to one unit with its deadline, and the units'
requests to be relieved of it (reassignment) or to get more time (extension)."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .units import HandlingUnit


class Assignment(models.Model):
    """One suggestion given to one unit (交办), with that unit's own deadline."""

    class Role(models.TextChoices):
        LEAD = "lead", _("Lead")
        CO = "co", _("Co-handler")

    class CloseReason(models.TextChoices):
        REASSIGNED = "reassigned", _("Reassigned")

    suggestion = models.ForeignKey(
        "Suggestion",
        verbose_name=_("suggestion"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    unit = models.ForeignKey(
        HandlingUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="assignments"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    assigned_on = models.DateField(_("assigned on"))
    due_on = models.DateField(_("due on"))
    original_due_on = models.DateField(_("original due date"))
    # How ``due_on`` was computed, for the task page: {"rule": ..., "from": ..., ...}.
    due_basis = models.JSONField(_("deadline basis"), default=dict, editable=False)
    # The person the unit head names to handle it (承办人).
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="handled_assignments",
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    close_reason = models.CharField(
        _("close reason"), max_length=20, choices=CloseReason.choices, blank=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["suggestion"],
                condition=Q(role="lead", closed_on__isnull=True),
                name="assignment_one_open_lead",
            ),
            models.UniqueConstraint(
                fields=["suggestion", "unit"],
                condition=Q(closed_on__isnull=True),
                name="assignment_one_open_per_unit",
            ),
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("assigned_on")),
                name="assignment_due_after_assigned",
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "due_on"], name="assignment_unit_due_idx"),
            # A year's assignments for the assessment and the reports, from the index alone.
            models.Index(
                fields=["assigned_on"],
                include=["id", "unit", "suggestion", "role", "close_reason", "due_on"],
                name="assignment_year_idx",
            ),
            models.Index(
                fields=["due_on"],
                condition=Q(closed_on__isnull=True),
                name="assignment_open_due_idx",
            ),
        ]

    def __str__(self):
        return f"{self.suggestion} → {self.unit}（{self.get_role_display()}）"

    @property
    def is_open(self) -> bool:
        return self.closed_on is None

    @property
    def is_extended(self) -> bool:
        """Whether the current deadline is an approved extension (not a redo's deadline)."""
        return self.due_basis.get("rule") == "extension"

    def days_left(self, today: datetime.date | None = None) -> int:
        return (self.due_on - (today or timezone.localdate())).days


class UnitRequest(models.Model):
    """A unit's request that the staff approve or reject: its reason and its decision."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    reason = models.TextField(_("reason"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    decision = models.CharField(
        _("decision"), max_length=10, choices=Decision.choices, default=Decision.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-requested_at"]


class ReassignmentRequest(UnitRequest):
    """A unit's request to be relieved of an assignment, with its reason."""

    assignment = models.ForeignKey(
        Assignment,
        verbose_name=_("assignment"),
        on_delete=models.PROTECT,
        related_name="reassignment_requests",
    )

    class Meta(UnitRequest.Meta):
        verbose_name = _("reassignment request")
        verbose_name_plural = _("reassignment requests")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment"],
                condition=Q(decision="pending"),
                name="reassignment_one_pending",
            ),
        ]

    def __str__(self):
        return _("Reassignment request for %(assignment)s") % {"assignment": self.assignment}


class ExtensionRequest(UnitRequest):
    """A lead unit's request for a later deadline, for a suggestion found complex."""

    assignment = models.ForeignKey(
        Assignment,
        verbose_name=_("assignment"),
        on_delete=models.PROTECT,
        related_name="extension_requests",
    )
    until = models.DateField(_("requested deadline"))

    class Meta(UnitRequest.Meta):
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment"],
                condition=Q(decision="pending"),
                name="extension_one_pending",
            ),
        ]

    def __str__(self):
        return _("Extension request for %(assignment)s") % {"assignment": self.assignment}
