"""After the reply: a redo within a time limit (限时重办), the office's decision to accept a
dissatisfied sign-off without a redo, interim checks (督查), and the revisit that checks
the commitments were kept (回访). All append-only."""

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
        NONCONFORMING = "nonconforming", _("Reply does not conform to the requirements")
        OFF_POINT = "off_point", _("Reply misses the point")
        NOT_CARRIED_OUT = "not_carried_out", _("Measures not carried out")
        COMMITMENT_NOT_KEPT = "commitment_not_kept", _("Commitment found not kept at the revisit")

    suggestion = models.ForeignKey(
        "Suggestion", verbose_name=_("suggestion"), on_delete=models.PROTECT, related_name="redos"
    )
    unit = models.ForeignKey(
        HandlingUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="redos"
    )
    round = models.PositiveSmallIntegerField(_("new handling round"))
    grounds = models.CharField(_("grounds"), max_length=20, choices=Grounds.choices)
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


class RedoWaiver(AppendOnlyModel):
    """The office's decision to accept a round a deputy was dissatisfied with, without a
    redo (the other answer to "decide: redo or accept"). Append-only."""

    suggestion = models.ForeignKey(
        "Suggestion",
        verbose_name=_("suggestion"),
        on_delete=models.PROTECT,
        related_name="redo_waivers",
    )
    round = models.PositiveSmallIntegerField(_("handling round"))
    reason = models.TextField(_("reason"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now)

    class Meta:
        verbose_name = _("acceptance without redo")
        verbose_name_plural = _("acceptances without redo")
        ordering = ["round"]
        constraints = [
            models.UniqueConstraint(
                fields=["suggestion", "round"], name="redowaiver_one_per_round"
            ),
        ]

    def __str__(self):
        return _("%(suggestion)s accepted without redo (round %(round)s)") % {
            "suggestion": self.suggestion,
            "round": self.round,
        }


class InterimCheck(AppendOnlyModel):
    """A check on the handling before the revisit (督查): recorded, nothing closes. Append-only."""

    suggestion = models.ForeignKey(
        "Suggestion",
        verbose_name=_("suggestion"),
        on_delete=models.PROTECT,
        related_name="interim_checks",
    )
    happened_on = models.DateField(_("date"))
    findings = models.TextField(_("findings"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("interim check")
        verbose_name_plural = _("interim checks")
        ordering = ["happened_on", "pk"]

    def __str__(self):
        return _("Interim check of %(suggestion)s on %(date)s") % {
            "suggestion": self.suggestion,
            "date": self.happened_on,
        }


class Revisit(AppendOnlyModel):
    """The follow-up that checks a reply's commitments were kept (回访). Append-only."""

    class Decision(models.TextChoices):
        CLOSE = "close", _("Close")
        REDO = "redo", _("Redo")

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
    # When the revisit was due (the last commitment's date, or the sign-off's), and why it
    # came earlier, if it did.
    due_on = models.DateField(_("revisit due on"), null=True, blank=True)
    early_reason = models.TextField(_("reason for an early revisit"), blank=True)
    decision = models.CharField(
        _("decision"), max_length=10, choices=Decision.choices, default=Decision.CLOSE
    )
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
