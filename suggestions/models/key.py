"""Key suggestions (重点督办建议) and their inspection visits (视察、督办)."""

import os
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .records import AppendOnlyModel


class KeySuggestion(models.Model):
    """A suggestion chosen for key supervision (重点督办) in a year, led by a government
    leader (领办), followed by a committee of the standing committee and invited deputies."""

    suggestion = models.OneToOneField(
        "Suggestion",
        verbose_name=_("suggestion"),
        on_delete=models.PROTECT,
        related_name="key",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("leading government leader"),
        on_delete=models.PROTECT,
        related_name="led_key_suggestions",
    )
    committee = models.CharField(_("supervising committee"), max_length=100, blank=True)
    invited_deputies = models.ManyToManyField(
        "deputies.Deputy",
        verbose_name=_("invited deputies"),
        blank=True,
        related_name="key_suggestions_followed",
    )
    chosen_on = models.DateField(_("chosen on"), default=timezone.localdate)
    designated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("designated by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("key suggestion")
        verbose_name_plural = _("key suggestions")
        ordering = ["-year", "suggestion"]
        indexes = [models.Index(fields=["year", "leader"], name="keysuggestion_year_leader")]

    def __str__(self):
        return f"{self.year} {self.suggestion}"


def inspection_file_path(instance, filename):
    # A random name: the file is only reachable through a view that checks access.
    ext = os.path.splitext(filename)[1].lower()[:10]
    return f"inspections/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}{ext}"


class Inspection(AppendOnlyModel):
    """An inspection visit (视察) or supervision meeting (督办会) on a key suggestion: who
    went, what was found, what was agreed. Append-only: a correction is a new record."""

    class Kind(models.TextChoices):
        VISIT = "visit", _("Inspection visit")
        MEETING = "meeting", _("Supervision meeting")
        CHECK = "check", _("Interim check")

    key_suggestion = models.ForeignKey(
        KeySuggestion,
        verbose_name=_("key suggestion"),
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.VISIT)
    happened_on = models.DateField(_("date"))
    participants = models.TextField(_("participants"))
    # The invited deputies who took part (they see the visit on their page).
    deputies = models.ManyToManyField(
        "deputies.Deputy",
        verbose_name=_("deputies who took part"),
        blank=True,
        related_name="inspections",
    )
    findings = models.TextField(_("findings"))
    next_steps = models.TextField(_("agreed next steps"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("inspection visit")
        verbose_name_plural = _("inspection visits")
        ordering = ["happened_on", "pk"]

    def __str__(self):
        return _("%(kind)s on %(date)s") % {
            "kind": self.get_kind_display(),
            "date": self.happened_on,
        }


class InspectionFile(AppendOnlyModel):
    """A file of an inspection visit: photos, minutes, the agreed list. Append-only."""

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("inspection visit"), on_delete=models.PROTECT,
        related_name="files",
    )  # fmt: skip
    file = models.FileField(_("file"), upload_to=inspection_file_path)
    name = models.CharField(_("file name"), max_length=200)

    class Meta:
        verbose_name = _("inspection file")
        verbose_name_plural = _("inspection files")
        ordering = ["pk"]

    def __str__(self):
        return self.name
