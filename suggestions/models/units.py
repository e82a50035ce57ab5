"""The handling units (承办单位) and who works for them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class HandlingUnit(models.Model):
    """A department (or court, procuratorate, enterprise) that handles suggestions."""

    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("Government department")
        COURT = "court", _("People's court")
        PROCURATORATE = "procuratorate", _("People's procuratorate")
        ENTERPRISE = "enterprise", _("Enterprise or public institution")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=100, unique=True)
    short_name = models.CharField(_("short name"), max_length=30, blank=True)
    kind = models.CharField(_("kind"), max_length=15, choices=Kind.choices, default=Kind.GOVERNMENT)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("supervising government leader"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supervised_units",
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("handling unit")
        verbose_name_plural = _("handling units")
        ordering = ["name"]

    def __str__(self):
        return self.name


class UnitMembership(models.Model):
    """Makes a user a clerk (or, with ``is_head``, the head) of a handling unit."""

    unit = models.ForeignKey(
        HandlingUnit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="unit_memberships",
    )
    is_head = models.BooleanField(_("unit head"), default=False)

    class Meta:
        verbose_name = _("unit membership")
        verbose_name_plural = _("unit memberships")
        constraints = [
            models.UniqueConstraint(fields=["unit", "user"], name="membership_unique_unit_user"),
        ]

    def __str__(self):
        return f"{self.user} @ {self.unit}"
