"""What happens at a station: reception days planned and held, and activities with the
deputies present. Recorded by the station's keepers (or staff); append-only."""

import os
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from suggestions.models.records import AppendOnlyModel

from .station import LiaisonStation


class ReceptionDay(models.Model):
    """A reception day (接待日) planned at a station, with the deputies on duty; marked
    held once it took place (its reception is then an ``Activity``)."""

    station = models.ForeignKey(
        LiaisonStation,
        verbose_name=_("station"),
        on_delete=models.PROTECT,
        related_name="reception_days",
    )
    day = models.DateField(_("day"))
    deputies = models.ManyToManyField(
        "deputies.Deputy", verbose_name=_("deputies on duty"), related_name="reception_days"
    )
    planned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("planned by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("reception day")
        verbose_name_plural = _("reception days")
        ordering = ["-day"]
        constraints = [
            models.UniqueConstraint(fields=["station", "day"], name="receptionday_one_per_day"),
        ]

    def __str__(self):
        return f"{self.station} {self.day}"


class Activity(AppendOnlyModel):
    """Something that happened at a station (联络站活动). Append-only: a correction is a
    new record that replaces it (``corrects``)."""

    class Kind(models.TextChoices):
        RECEPTION = "reception", _("Reception of constituents")
        BRIEFING = "briefing", _("Briefing")
        INSPECTION = "inspection", _("Inspection")
        RESEARCH = "research", _("Research")
        TRAINING = "training", _("Training")
        REPORT = "report", _("Report to voters")

    station = models.ForeignKey(
        LiaisonStation,
        verbose_name=_("station"),
        on_delete=models.PROTECT,
        related_name="activities",
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    happened_on = models.DateField(_("date"))
    reception_day = models.ForeignKey(
        ReceptionDay,
        verbose_name=_("reception day"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
    )
    deputies = models.ManyToManyField(
        "deputies.Deputy", verbose_name=_("deputies present"), related_name="activities"
    )
    citizens = models.PositiveIntegerField(_("citizens"), default=0)
    notes = models.TextField(_("notes"), blank=True)
    corrects = models.OneToOneField(
        "self",
        verbose_name=_("corrects"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrected_by",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("station activity")
        verbose_name_plural = _("station activities")
        ordering = ["-happened_on", "-pk"]
        indexes = [
            models.Index(fields=["station", "-happened_on"], name="activity_station_day_idx"),
        ]

    def __str__(self):
        return f"{self.station} {self.get_kind_display()} {self.happened_on}"


def activity_file_path(instance, filename):
    ext = os.path.splitext(filename)[1].lower()[:10]
    return f"stations/activities/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}{ext}"


class ActivityFile(AppendOnlyModel):
    """A photo or document of an activity. Append-only."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.PROTECT, related_name="files"
    )
    file = models.FileField(_("file"), upload_to=activity_file_path)
    name = models.CharField(_("file name"), max_length=200)

    class Meta:
        verbose_name = _("activity file")
        verbose_name_plural = _("activity files")

    def __str__(self):
        return self.name
