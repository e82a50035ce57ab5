"""The official working-day calendar's overrides (调休), kept by the staff."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkdayOverride(models.Model):
    """A day the official calendar treats differently: a holiday, or a make-up workday (调休).

    Staff add the State Council's arrangement for a year the ``holidays`` package does not
    know yet; an override always wins over the package.
    """

    date = models.DateField(_("date"), unique=True)
    is_workday = models.BooleanField(
        _("working day"), help_text=_("Ticked: a working day (e.g. a make-up Saturday).")
    )
    note = models.CharField(_("note"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date} {self.note}"
