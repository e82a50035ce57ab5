"""The year's outcome: the assessment scheme (points per deduction kind), the office's
manual deductions, and the closing of a year with its frozen figures. The figures
themselves are computed from the loop's records (``selectors.unit_assessment``)."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from suggestions.models import HandlingUnit
from suggestions.models.records import AppendOnlyModel


def _points(verbose_name, default):
    return models.DecimalField(
        verbose_name,
        max_digits=4,
        decimal_places=1,
        default=Decimal(default),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
        help_text=_("Points deducted for each case."),
    )


class AssessmentScheme(models.Model):
    """The points each kind of deduction costs a unit in one year (考核细则)."""

    # The kinds the figures count, in the order the page and the report list them.
    KINDS = (
        "late_reply",
        "missing_signatures",
        "nonconforming_reply",
        "late_co_opinion",
        "dissatisfied",
        "commitment_not_kept",
    )

    year = models.PositiveSmallIntegerField(
        _("year"), unique=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    late_reply = _points(_("reply not on time"), 2)
    missing_signatures = _points(_("three signatures not complete"), 2)
    nonconforming_reply = _points(_("reply not up to standard"), 2)
    late_co_opinion = _points(_("co-handler's opinion late"), 1)
    dissatisfied = _points(_("deputy dissatisfied with the result"), 0)
    commitment_not_kept = _points(_("commitment not kept"), 0)

    class Meta:
        verbose_name = _("assessment scheme")
        verbose_name_plural = _("assessment schemes")
        ordering = ["-year"]

    def __str__(self):
        return _("Assessment scheme %(year)s") % {"year": self.year}

    @classmethod
    def for_year(cls, year: int) -> "AssessmentScheme":
        """The year's scheme, or the default points when staff have set none."""
        return cls.objects.filter(year=year).first() or cls(year=year)

    def points(self, kind: str) -> Decimal:
        return getattr(self, kind)

    @classmethod
    def kind_label(cls, kind: str) -> str:
        if kind == "manual":
            return _("other deductions")
        return cls._meta.get_field(kind).verbose_name


class Deduction(AppendOnlyModel):
    """A deduction the office enters by hand for a unit and year, with its reason (for
    example 制度不健全). Append-only, like the loop's records; the service refuses one for a
    closed year."""

    unit = models.ForeignKey(
        HandlingUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="deductions"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    points = models.DecimalField(_("points"), max_digits=4, decimal_places=1)
    reason = models.TextField(_("reason"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("manual deduction")
        verbose_name_plural = _("manual deductions")
        ordering = ["year", "unit", "recorded_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(points__gt=0) & Q(points__lte=100), name="deduction_points_range"
            ),
        ]

    def __str__(self):
        return f"{self.unit} {self.year}: -{self.points}"


class AssessmentEvent(AppendOnlyModel):
    """A year closed (its figures frozen into snapshot rows) or reopened. Append-only: the
    latest event says whether the year is closed."""

    class Action(models.TextChoices):
        CLOSE = "close", _("Closed")
        REOPEN = "reopen", _("Reopened")

    year = models.PositiveSmallIntegerField(_("year"))
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    # The day the figures were computed for ("deadline passed", "older than 30 days").
    as_of = models.DateField(_("figures as of"))
    reason = models.TextField(_("reason"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("closing of an assessment year")
        verbose_name_plural = _("closings of assessment years")
        ordering = ["year", "at", "pk"]
        indexes = [models.Index(fields=["year", "-at"], name="assessment_event_year_idx")]

    def __str__(self):
        return f"{self.year} {self.get_action_display()} {self.at:%Y-%m-%d}"


class AssessmentSnapshot(AppendOnlyModel):
    """One unit's frozen figures of a closed year. Append-only."""

    event = models.ForeignKey(
        AssessmentEvent,
        verbose_name=_("closing"),
        on_delete=models.PROTECT,
        related_name="snapshots",
    )
    unit = models.ForeignKey(
        HandlingUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    rank = models.PositiveIntegerField(_("rank"))
    # Every figure of the row, and the suggestions behind each deduction.
    figures = models.JSONField(_("figures"))

    class Meta:
        verbose_name = _("frozen assessment row")
        verbose_name_plural = _("frozen assessment rows")
        ordering = ["event", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["event", "unit"], name="snapshot_one_per_unit"),
        ]

    def __str__(self):
        return f"{self.event.year} {self.unit} #{self.rank}"
