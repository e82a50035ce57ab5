"""The three signatures on the handling record (三级签字), online or from the signed paper
record (纪实表) the lead unit uploads and the committee office verifies. Append-only."""

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
    # The person who signed, never the clerk who typed it in: the deputy's account (none
    # for a deputy without one), the unit head, the leader.
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # For the deputy level: the deputy who signed (with or without an account).
    deputy = models.ForeignKey(
        "deputies.Deputy",
        verbose_name=_("deputy"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signoffs",
    )
    # The date of the signature: today online, the date written on the paper otherwise.
    signed_on = models.DateField(_("signed on"), default=timezone.localdate)
    signed_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    # Who entered it: the signer online; the unit clerk who uploaded the paper record.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The committee office's verifier of a paper signature; empty online.
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    paper = models.ForeignKey(
        "PaperSubmission",
        verbose_name=_("paper record"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signoffs",
    )
    scan = models.FileField(_("signed scan"), blank=True, editable=False)
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
        indexes = [
            # The dashboard: the deputies' ratings of the year, the signed trend by month.
            models.Index(fields=["level", "signed_on"], name="signoff_level_signed_idx"),
        ]
        constraints = [
            # One head's and one leader's signature a round; one of each lead deputy of a
            # merged group (one deputy when nothing was merged).
            models.UniqueConstraint(
                fields=["suggestion", "round", "level"],
                condition=~Q(level="deputy"),
                name="signoff_one_per_level_per_round",
            ),
            models.UniqueConstraint(
                fields=["suggestion", "round", "deputy"],
                condition=Q(level="deputy"),
                name="signoff_one_per_deputy_per_round",
            ),
            models.CheckConstraint(
                condition=~Q(level="deputy") | Q(deputy__isnull=False),
                name="signoff_deputy_level_names_deputy",
            ),
            # The deputy rates both the work and the result; the others rate nothing.
            models.CheckConstraint(
                condition=(Q(level="deputy") & ~Q(work_rating="") & ~Q(result_rating=""))
                | (~Q(level="deputy") & Q(work_rating="") & Q(result_rating="")),
                name="signoff_ratings_only_for_deputy",
            ),
        ]

    def __str__(self):
        who = self.signer or self.deputy or ""
        return f"{self.get_level_display()} {who} {self.signed_on:%Y-%m-%d}"

    @property
    def on_paper(self) -> bool:
        return self.paper_id is not None

    @property
    def is_dissatisfied(self) -> bool:
        return self.Rating.DISSATISFIED in (self.work_rating, self.result_rating)
