"""Key suggestions (重点督办建议)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class KeySuggestion(models.Model):
    """A suggestion chosen for key supervision (重点督办) in a year, led by a government leader.

    The inspection visits and the progress board come with the key-suggestion issue.
    """

    suggestion = models.OneToOneField(
        "Suggestion",
        verbose_name=_("suggestion"),
        on_delete=models.PROTECT,
        related_name="key",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("leading government leader"),
        on_delete=models.PROTECT,
        related_name="led_key_suggestions",
    )
    committee = models.CharField(_("supervising committee"), max_length=100, blank=True)
    chosen_on = models.DateField(_("chosen on"), default=timezone.localdate)

    class Meta:
        verbose_name = _("key suggestion")
        verbose_name_plural = _("key suggestions")
        ordering = ["-year", "suggestion"]

    def __str__(self):
        return f"{self.year} {self.suggestion}"
