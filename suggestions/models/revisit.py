"""After the sign-off: a redo within a time limit (限时重办), and the revisit that checks the
commitments were kept (回头看). All append-only."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .handling import Commitment, Reply
from .records import AppendOnlyModel
from .units import HandlingUnit


class Redo(AppendOnlyModel):
    """Handling ordered again within a time limit (限时重办). Append-only."""

    class Grounds(models.TextChoices):
        DISSATISFIED = "dissatisfied", _("Deputy dissatisfied")
        NONCONFORMING = "nonconforming", _("Reply does not conform")

    suggestion = models.ForeignKey(
        "Suggestion", verbose_name=_("suggestion"), on_delete=models.PROTECT, related_name="redos"
    )
    unit = models.ForeignKey(
        HandlingUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="redos"
    )
    round = models.PositiveSmallIntegerField(_("new handling round"))
    grounds = models.CharField(_("grounds"), max_length=15, choices=Grounds.choices)
    reason = models.TextField(_("reason"))
    due_on = models.DateField(_("redo deadline"))
    ordered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ordered by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    ordered_at = models.DateTimeField(_("ordered at"), default=timezone.now)

    class Meta:
        verbose_name = _("redo order")
        verbose_name_plural = _("redo orders")
        ordering = ["round"]
        constraints = [
            models.UniqueConstraint(fields=["suggestion", "round"], name="redo_one_per_round"),
        ]

    def __str__(self):
        return _("Redo of %(suggestion)s (round %(round)s)") % {
            "suggestion": self.suggestion,
            "round": self.round,
        }


class Revisit(AppendOnlyModel):
    """The follow-up that checks a reply's commitments were kept (回头看). Append-only."""

    suggestion = models.ForeignKey(
        "Suggestion",
        verbose_name=_("suggestion"),
        on_delete=models.PROTECT,
        related_name="revisits",
    )
    reply = models.ForeignKey(
        Reply, verbose_name=_("reply"), on_delete=models.PROTECT, related_name="revisits"
    )
    notes = models.TextField(_("notes"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("revisit")
        verbose_name_plural = _("revisits")
        ordering = ["recorded_at"]
        constraints = [
            models.UniqueConstraint(fields=["reply"], name="revisit_one_per_reply"),
        ]

    def __str__(self):
        return _("Revisit of %(suggestion)s") % {"suggestion": self.suggestion}


class RevisitOutcome(AppendOnlyModel):
    """What the revisit found for one commitment. Append-only."""

    class Outcome(models.TextChoices):
        KEPT = "kept", _("Kept")
        PARTLY_KEPT = "partly_kept", _("Partly kept")
        NOT_KEPT = "not_kept", _("Not kept")

    revisit = models.ForeignKey(
        Revisit, verbose_name=_("revisit"), on_delete=models.PROTECT, related_name="outcomes"
    )
    commitment = models.ForeignKey(
        Commitment,
        verbose_name=_("commitment"),
        on_delete=models.PROTECT,
        related_name="revisit_outcomes",
    )
    outcome = models.CharField(_("outcome"), max_length=15, choices=Outcome.choices)

    class Meta:
        verbose_name = _("revisit outcome")
        verbose_name_plural = _("revisit outcomes")
        constraints = [
            models.UniqueConstraint(
                fields=["revisit", "commitment"], name="revisitoutcome_one_per_commitment"
            ),
        ]

    def __str__(self):
        return f"{self.commitment}: {self.get_outcome_display()}"
