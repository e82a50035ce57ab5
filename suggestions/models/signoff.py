"""The three signatures on the handling record (三级签字). Append-only."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .handling import Reply
from .records import AppendOnlyModel


class SignOff(AppendOnlyModel):
    """One of the three signatures on the handling record. Append-only."""

    class Level(models.TextChoices):
        DEPUTY = "deputy", _("Deputy")
        UNIT_HEAD = "unit_head", _("Unit head")
        LEADER = "leader", _("Government leader")

    class Rating(models.TextChoices):
        SATISFIED = "satisfied", _("Satisfied")
        BASICALLY_SATISFIED = "basically_satisfied", _("Basically satisfied")
        DISSATISFIED = "dissatisfied", _("Dissatisfied")

    suggestion = models.ForeignKey(
        "Suggestion",
        verbose_name=_("suggestion"),
        on_delete=models.PROTECT,
        related_name="signoffs",
    )
    reply = models.ForeignKey(
        Reply, verbose_name=_("reply"), on_delete=models.PROTECT, related_name="signoffs"
    )
    round = models.PositiveSmallIntegerField(_("handling round"))
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    signed_at = models.DateTimeField(_("signed at"), default=timezone.now)
    opinion = models.TextField(_("opinion"), blank=True)
    work_rating = models.CharField(
        _("rating of the handling work"), max_length=20, choices=Rating.choices, blank=True
    )
    result_rating = models.CharField(
        _("rating of the result"), max_length=20, choices=Rating.choices, blank=True
    )

    class Meta:
        verbose_name = _("sign-off")
        verbose_name_plural = _("sign-offs")
        ordering = ["round", "signed_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["suggestion", "round", "level"], name="signoff_one_per_level_per_round"
            ),
            # The deputy rates both the work and the result; the others rate nothing.
            models.CheckConstraint(
                condition=(Q(level="deputy") & ~Q(work_rating="") & ~Q(result_rating=""))
                | (~Q(level="deputy") & Q(work_rating="") & Q(result_rating="")),
                name="signoff_ratings_only_for_deputy",
            ),
        ]

    def __str__(self):
        return f"{self.get_level_display()} {self.signed_by} {self.signed_at:%Y-%m-%d}"

    @property
    def is_dissatisfied(self) -> bool:
        return self.Rating.DISSATISFIED in (self.work_rating, self.result_rating)
