"""The signed paper handling record (纪实表) a lead unit uploads for the office to verify."""

import os
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .assignment import Assignment


def paper_scan_path(instance, filename):
    # A random name: the scan is only reachable through a view that checks access.
    ext = os.path.splitext(filename)[1].lower()[:10]
    return f"paper/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}{ext}"


class PaperSubmission(models.Model):
    """The scan of the signed handling record and what it says, waiting for verification.

    ``signatures`` maps each level signed on the paper to what the paper says:
    ``{"deputy": {"signed_on": "2026-05-01", "work_rating": ..., "result_rating": ...},
    "unit_head": {"signed_on": ..., "signer": <user id>}, "leader": {"signed_on": ...}}``.
    The committee office accepts it (the sign-offs are written from it) or refuses it
    with a reason (the unit uploads again). The submission itself is kept either way.
    """

    class Decision(models.TextChoices):
        PENDING = "pending", pgettext_lazy("paper record", "Waiting for verification")
        ACCEPTED = "accepted", pgettext_lazy("paper record", "Accepted")
        REFUSED = "refused", pgettext_lazy("paper record", "Refused")

    assignment = models.ForeignKey(
        Assignment,
        verbose_name=_("assignment"),
        on_delete=models.PROTECT,
        related_name="paper_submissions",
    )
    round = models.PositiveSmallIntegerField(_("handling round"))
    scan = models.FileField(_("signed scan"), upload_to=paper_scan_path)
    signatures = models.JSONField(_("signatures on the paper"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    decision = models.CharField(
        _("decision"), max_length=10, choices=Decision.choices, default=Decision.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    reason = models.TextField(_("reason for refusal"), blank=True)

    class Meta:
        verbose_name = _("paper handling record")
        verbose_name_plural = _("paper handling records")
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment"],
                condition=Q(decision="pending"),
                name="paper_one_pending",
            ),
        ]
        indexes = [
            models.Index(
                fields=["submitted_at"],
                condition=Q(decision="pending"),
                name="paper_pending_idx",
            ),
        ]

    def __str__(self):
        return _("Paper handling record of %(suggestion)s") % {
            "suggestion": self.assignment.suggestion
        }

    @property
    def levels(self) -> list[str]:
        from .signoff import SignOff

        return [level for level in SignOff.Level.values if level in self.signatures]
