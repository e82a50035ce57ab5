"""What the similar-suggestion finder reads: each suggestion's grams and its marks.

One row per suggestion, written with it (a post_save receiver keeps it in step on every
save). On PostgreSQL a GIN index on the grams (as a ``tsvector``, migration 0013) finds the
suggestions sharing a gram without a scan; ``suggestions.selectors.similar`` reads it.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SimilarityEntry(models.Model):
    suggestion = models.OneToOneField(
        "Suggestion",
        verbose_name=_("suggestion"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="similarity",
    )
    # suggestions.similarity.as_text(): sorted bigrams separated by spaces.
    grams = models.TextField(_("grams"), blank=True)
    # 多年提: the matter was raised in an earlier year.
    raised_before = models.BooleanField(_("raised in an earlier year"), default=False)
    # 多位代表提: the matter was raised by another deputy in the same session.
    raised_by_several = models.BooleanField(_("raised by several deputies"), default=False)
    checked_at = models.DateTimeField(_("marks checked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("similarity entry")
        verbose_name_plural = _("similarity entries")
        indexes = [
            models.Index(
                fields=["raised_before"], condition=models.Q(raised_before=True),
                name="similarity_raised_before",
            ),
            models.Index(
                fields=["raised_by_several"], condition=models.Q(raised_by_several=True),
                name="similarity_raised_by_several",
            ),
        ]  # fmt: skip

    def __str__(self):
        return str(self.suggestion_id)
