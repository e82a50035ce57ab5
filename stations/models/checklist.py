"""The "八有" standard: each station checked item by item each year, with evidence."""

import os
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .station import LiaisonStation


def evidence_path(instance, filename):
    # A random name: the file is served only by a view that checks access.
    ext = os.path.splitext(filename)[1].lower()[:10]
    return f"stations/checks/{timezone.localdate():%Y}/{uuid.uuid4().hex}{ext}"


class StationCheck(models.Model):
    """One item of a station's "八有" checklist for a year: met or not, the evidence,
    who checked it. A later check of the same item replaces it (the history is kept by
    the field history)."""

    class Item(models.TextChoices):
        SITE = "site", _("A fixed site")
        SIGN = "sign", _("A standard sign")
        BOARD = "board", _("A bulletin board")
        RULES = "rules", _("Rules on the wall")
        LEDGER = "ledger", _("A ledger")
        EQUIPMENT = "equipment", _("Office equipment")
        ACTIVITIES = "activities", _("Regular activities")
        PLATFORM = "platform", _("An information platform")

    station = models.ForeignKey(
        LiaisonStation, verbose_name=_("station"), on_delete=models.PROTECT, related_name="checks"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    item = models.CharField(_("item"), max_length=12, choices=Item.choices)
    met = models.BooleanField(_("met"), default=False)
    evidence = models.FileField(_("evidence"), upload_to=evidence_path, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    checked_on = models.DateField(_("checked on"), default=timezone.localdate)

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["station", "-year", "item"]
        constraints = [
            models.UniqueConstraint(
                fields=["station", "year", "item"], name="stationcheck_one_per_item_year"
            ),
            # An item is met only with its evidence (a photo or a file).
            models.CheckConstraint(
                condition=Q(met=False) | ~Q(evidence=""),
                name="stationcheck_met_has_evidence",
                violation_error_message=_("An item is met only with its evidence: attach it."),
            ),
        ]

    def __str__(self):
        return f"{self.station} {self.year} {self.get_item_display()}"
