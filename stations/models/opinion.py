"""Opinions heard at a station (民意) and where each went: settled on the spot, forwarded
to a deputy, referred to a handling unit for an answer, or turned by the deputy it was
forwarded to into a suggestion. The path is kept step by step (``OpinionStep``,
append-only); ``Opinion.state`` is where it stands now."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from suggestions.models.records import AppendOnlyModel

from .station import LiaisonStation


class Opinion(models.Model):
    """A constituent's opinion recorded at a station. The constituent's name and phone are
    personal data: shown to the station's keepers, the deputies it was forwarded to and
    staff only."""

    class State(models.TextChoices):
        OPEN = "open", _("Not yet routed")
        SETTLED = "settled", _("Settled on the spot")
        FORWARDED = "forwarded", _("Forwarded to a deputy")
        REFERRED = "referred", _("Referred to a unit")
        ANSWERED = "answered", _("Answered by the unit")
        SUGGESTED = "suggested", _("Made into a suggestion")

    station = models.ForeignKey(
        LiaisonStation, verbose_name=_("station"), on_delete=models.PROTECT, related_name="opinions"
    )
    matter = models.TextField(_("matter"))
    raised_on = models.DateField(_("raised on"))
    name = models.CharField(_("constituent's name"), max_length=50, blank=True)
    phone = models.CharField(_("constituent's phone"), max_length=30, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.OPEN, editable=False
    )
    deputy = models.ForeignKey(
        "deputies.Deputy",
        verbose_name=_("forwarded to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="opinions",
    )
    unit = models.ForeignKey(
        "suggestions.HandlingUnit",
        verbose_name=_("referred to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="opinions",
    )
    suggestion = models.OneToOneField(
        "suggestions.Suggestion",
        verbose_name=_("suggestion made of it"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="opinion",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    # When it last moved (the reminder: an opinion not moved on within 15 days).
    moved_at = models.DateTimeField(_("last moved"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("opinion")
        verbose_name_plural = _("opinions")
        ordering = ["-raised_on", "-pk"]
        indexes = [
            models.Index(fields=["station", "-raised_on", "-id"], name="opinion_station_idx"),
            # The office's list of every station's opinions, newest first.
            models.Index(fields=["-raised_on", "-id"], name="opinion_newest_idx"),
            models.Index(
                fields=["moved_at"],
                condition=Q(state__in=["open", "forwarded", "referred"]),
                name="opinion_waiting_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state__in=["forwarded", "suggested"]) | Q(deputy__isnull=False),
                name="opinion_forwarded_names_deputy",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=["referred", "answered"]) | Q(unit__isnull=False),
                name="opinion_referred_names_unit",
            ),
            models.CheckConstraint(
                condition=~Q(state="suggested") | Q(suggestion__isnull=False),
                name="opinion_suggested_names_suggestion",
            ),
        ]

    def __str__(self):
        return f"{self.station} {self.raised_on} {self.matter[:20]}"


class OpinionStep(AppendOnlyModel):
    """One step of an opinion's path: where it went, by whom, when, with notes (the unit's
    answer, for ``answered``). Append-only."""

    opinion = models.ForeignKey(
        Opinion, verbose_name=_("opinion"), on_delete=models.PROTECT, related_name="steps"
    )
    to = models.CharField(_("to"), max_length=10, choices=Opinion.State.choices)
    deputy = models.ForeignKey(
        "deputies.Deputy",
        verbose_name=_("deputy"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    unit = models.ForeignKey(
        "suggestions.HandlingUnit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    notes = models.TextField(_("notes"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("opinion step")
        verbose_name_plural = _("opinion steps")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.opinion_id}: {self.get_to_display()}"
