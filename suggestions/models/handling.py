"""Handling: the communications with the deputy, the co-handlers' opinions, and the lead
unit's reply (答复) with its commitments. All append-only."""

import os
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .assignment import Assignment
from .records import AppendOnlyModel


class Communication(AppendOnlyModel):
    """A documented contact with the deputy, before, during or after handling. Append-only."""

    class Stage(models.TextChoices):
        BEFORE = "before", _("Before handling")
        DURING = "during", _("During handling")
        AFTER = "after", _("After handling")

    class Method(models.TextChoices):
        VISIT = "visit", _("Visit in person")
        MEETING = "meeting", _("Meeting or forum")
        PHONE = "phone", _("Telephone")
        SITE = "site", _("Site inspection")
        WRITTEN = "written", _("In writing")
        ONLINE = "online", _("Online")

    assignment = models.ForeignKey(
        Assignment,
        verbose_name=_("assignment"),
        on_delete=models.PROTECT,
        related_name="communications",
    )
    round = models.PositiveSmallIntegerField(_("handling round"))
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices)
    method = models.CharField(_("method"), max_length=10, choices=Method.choices)
    happened_on = models.DateField(_("date"))
    notes = models.TextField(_("notes"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("communication")
        verbose_name_plural = _("communications")
        ordering = ["happened_on", "pk"]

    def __str__(self):
        return f"{self.get_stage_display()} {self.get_method_display()} {self.happened_on}"


class CoOpinion(AppendOnlyModel):
    """A co-handling unit's opinion for the lead unit. Append-only."""

    assignment = models.ForeignKey(
        Assignment,
        verbose_name=_("assignment"),
        on_delete=models.PROTECT,
        related_name="co_opinions",
    )
    text = models.TextField(_("opinion"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)

    class Meta:
        verbose_name = _("co-handler's opinion")
        verbose_name_plural = _("co-handlers' opinions")
        ordering = ["submitted_at", "pk"]
        indexes = [
            # Whether a co-unit's opinion came by its due date (the assessment), index-only.
            models.Index(
                fields=["assignment"], include=["submitted_at"], name="coopinion_assignment_at_idx"
            ),
        ]

    def __str__(self):
        return _("Opinion of %(unit)s") % {"unit": self.assignment.unit}


def reply_document_path(instance, filename):
    # A random name: the file is only reachable through a view that checks access.
    ext = os.path.splitext(filename)[1].lower()[:10]
    return f"replies/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}{ext}"


class Reply(AppendOnlyModel):
    """The lead unit's formal answer (答复) for one handling round. Append-only."""

    class Classification(models.TextChoices):
        A = "A", _("A: solved or mostly solved")
        B = "B", _("B: being solved or scheduled")
        C = "C", _("C: cannot be solved now, explained")
        D = "D", _("D: kept for reference")

    suggestion = models.ForeignKey(
        "Suggestion", verbose_name=_("suggestion"), on_delete=models.PROTECT, related_name="replies"
    )
    assignment = models.ForeignKey(
        Assignment, verbose_name=_("assignment"), on_delete=models.PROTECT, related_name="replies"
    )
    round = models.PositiveSmallIntegerField(_("handling round"))
    classification = models.CharField(
        _("classification"), max_length=1, choices=Classification.choices
    )
    text = models.TextField(_("reply text"))
    document = models.FileField(_("signed reply document"), upload_to=reply_document_path)
    # Frozen when the reply is submitted, never recomputed.
    due_on = models.DateField(_("deadline at reply"))
    on_time = models.BooleanField(_("on time"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)

    class Meta:
        verbose_name = _("reply")
        verbose_name_plural = _("replies")
        ordering = ["round"]
        constraints = [
            models.UniqueConstraint(fields=["suggestion", "round"], name="reply_one_per_round"),
        ]
        indexes = [
            # An assignment's first reply and its frozen on-time flag (the assessment).
            models.Index(
                fields=["assignment", "round", "id"], include=["on_time"], name="reply_first_idx"
            ),
            # The dashboard's replied trend by month.
            models.Index(fields=["submitted_at"], name="reply_submitted_idx"),
        ]

    def __str__(self):
        return _("Reply %(classification)s to %(suggestion)s (round %(round)s)") % {
            "classification": self.classification,
            "suggestion": self.suggestion,
            "round": self.round,
        }

    @property
    def needs_commitments(self) -> bool:
        return self.classification in (self.Classification.B, self.Classification.C)


class Commitment(AppendOnlyModel):
    """A promise made in a B or C reply, checked at the revisit. Append-only."""

    reply = models.ForeignKey(
        Reply, verbose_name=_("reply"), on_delete=models.PROTECT, related_name="commitments"
    )
    text = models.TextField(_("commitment"))
    due_on = models.DateField(_("due on"))

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["due_on", "pk"]

    def __str__(self):
        return f"{self.text[:30]}（{self.due_on}）"
