"""A deputy's duty (履职): what they did, each record worth the year's points of its kind.

Records are append-only. One made from something the system knows (a suggestion accepted,
an activity attended) names it as its ``source`` and exists once per deputy, kind and
source; when the source is undone (the suggestion withdrawn, the activity corrected) a
reversal record (``reverses``, ``sign`` -1) takes its points back and the history stays.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from npc_tracker.records import AppendOnlyModel

from .deputy import Deputy


class Kind(models.TextChoices):
    MEETING = "meeting", _("Meeting attended")
    INSPECTION = "inspection", _("Inspection")
    RESEARCH = "research", _("Research")
    TRAINING = "training", _("Training")
    RECEPTION = "reception", _("Station reception")
    ACTIVITY = "activity", _("Station activity")
    CONTACT = "contact", _("Constituent contact")
    SUGGESTION_LEAD = "suggestion_lead", _("Suggestion led")
    SUGGESTION_CO = "suggestion_co", _("Suggestion co-signed")
    REPORT = "report", _("Report to voters")
    OTHER = "other", _("Other")


# The points of a kind in a year without a rule of its own (staff set the year's rules).
DEFAULT_POINTS = {
    Kind.MEETING: Decimal(2),
    Kind.INSPECTION: Decimal(2),
    Kind.RESEARCH: Decimal(2),
    Kind.TRAINING: Decimal(1),
    Kind.RECEPTION: Decimal(3),
    Kind.ACTIVITY: Decimal(1),
    Kind.CONTACT: Decimal(1),
    Kind.SUGGESTION_LEAD: Decimal(5),
    Kind.SUGGESTION_CO: Decimal(2),
    Kind.REPORT: Decimal(5),
    Kind.OTHER: Decimal(1),
}

# Made by themselves from their sources; never entered by hand.
AUTOMATIC_KINDS = frozenset({Kind.SUGGESTION_LEAD, Kind.SUGGESTION_CO})


class DutyRule(models.Model):
    """The points a kind of record is worth in a year (the rules table staff set)."""

    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    points = models.DecimalField(_("points"), max_digits=5, decimal_places=1)

    class Meta:
        verbose_name = _("duty rule")
        verbose_name_plural = _("duty rules")
        ordering = ["-year", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["year", "kind"], name="dutyrule_one_per_kind_year"),
            models.CheckConstraint(
                condition=Q(points__gte=0),
                name="dutyrule_points_not_negative",
                violation_error_message=_("Points cannot be negative."),
            ),
        ]

    def __str__(self):
        return f"{self.year} {self.get_kind_display()}: {self.points}"


class DutyRecord(AppendOnlyModel):
    """One thing a deputy did, or the reversal of one."""

    Kind = Kind

    deputy = models.ForeignKey(
        Deputy, verbose_name=_("deputy"), on_delete=models.PROTECT, related_name="duty_records"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    happened_on = models.DateField(_("date"))
    # Empty: the year's rule for the kind (read when counted, so a rule set later applies).
    points = models.DecimalField(_("points"), max_digits=5, decimal_places=1, null=True, blank=True)
    # 1 for a record, -1 for the reversal of one.
    sign = models.SmallIntegerField(_("sign"), default=1, editable=False)
    # What it came from: "suggestion:12", "activity:5", "group:3", or a manual reference.
    source = models.CharField(_("source"), max_length=100, blank=True)
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("reverses"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="reversed_by",
    )
    notes = models.TextField(_("notes"), blank=True)
    # Empty for a record made by itself from its source.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("duty record")
        verbose_name_plural = _("duty records")
        ordering = ["-happened_on", "-pk"]
        indexes = [
            # The year's ranking: the year's records by date, with what a sum needs.
            models.Index(
                fields=["happened_on", "deputy", "kind", "sign", "points"],
                name="dutyrecord_year_idx",
            ),
            models.Index(fields=["deputy", "-happened_on"], name="dutyrecord_deputy_idx"),
            models.Index(fields=["source"], name="dutyrecord_source_idx"),
        ]
        constraints = [
            # Once per deputy, kind and source, however often the source's signal fires.
            models.UniqueConstraint(
                fields=["deputy", "kind", "source"],
                condition=Q(reverses__isnull=True) & ~Q(source=""),
                name="dutyrecord_once_per_source",
                violation_error_message=_("This deputy's record from this source exists already."),
            ),
            models.CheckConstraint(
                condition=(Q(sign=1) & Q(reverses__isnull=True))
                | (Q(sign=-1) & Q(reverses__isnull=False)),
                name="dutyrecord_sign_matches_reversal",
            ),
            models.CheckConstraint(
                condition=Q(points__isnull=True) | Q(points__gte=0),
                name="dutyrecord_points_not_negative",
                violation_error_message=_("Points cannot be negative."),
            ),
        ]

    def __str__(self):
        return f"{self.deputy.name} {self.happened_on} {self.get_kind_display()}"


class DutyTotal(models.Model):
    """A deputy's records of a year and kind, summed: what the year's ranking reads instead
    of every record. Written only by the database (a trigger on every insert into the
    records, whatever wrote it); never by the code. ``ruled``: records minus reversals
    whose points are the year's rule; ``fixed``: the signed points of those with points of
    their own. A deputy's year is the sum over kinds of ``ruled`` × the kind's points +
    ``fixed``, so a rule set later applies without rewriting anything."""

    deputy = models.ForeignKey(
        Deputy, verbose_name=_("deputy"), on_delete=models.CASCADE, related_name="duty_totals"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    ruled = models.IntegerField(_("records at the year's points"), default=0)
    fixed = models.DecimalField(_("points of their own"), max_digits=9, decimal_places=1, default=0)

    class Meta:
        verbose_name = _("duty total")
        verbose_name_plural = _("duty totals")
        constraints = [
            models.UniqueConstraint(
                fields=["deputy", "year", "kind"], name="dutytotal_one_per_kind_year"
            ),
        ]
        indexes = [
            # The year's ranking reads one year's rows and nothing else of the table.
            # (By deputy within the year: the sums by deputy need no sort.)
            models.Index(
                fields=["year", "deputy"],
                include=["kind", "ruled", "fixed"],
                name="dutytotal_year_idx",
            ),
        ]

    def __str__(self):
        return f"{self.deputy_id} {self.year} {self.kind}"
