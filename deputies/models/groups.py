"""Deputy groups (代表小组, industry groups) and their activities: a group's activity counts
for each member present."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from npc_tracker.records import AppendOnlyModel

from .deputy import Deputy
from .duty import Kind


class DeputyGroup(models.Model):
    class GroupKind(models.TextChoices):
        LOCAL = "local", _("Deputies' group (代表小组)")
        INDUSTRY = "industry", _("Industry group")
        OTHER = "other", _("Other group")

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(
        _("kind"), max_length=10, choices=GroupKind.choices, default=GroupKind.LOCAL
    )
    members = models.ManyToManyField(
        Deputy, verbose_name=_("members"), related_name="groups", blank=True
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("deputy group")
        verbose_name_plural = _("deputy groups")
        ordering = ["name"]

    def __str__(self):
        return self.name


class GroupActivity(AppendOnlyModel):
    """Something a group did together; a duty record for each member present."""

    group = models.ForeignKey(
        DeputyGroup, verbose_name=_("group"), on_delete=models.PROTECT, related_name="activities"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    happened_on = models.DateField(_("date"))
    present = models.ManyToManyField(
        Deputy, verbose_name=_("members present"), related_name="group_activities"
    )
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("group activity")
        verbose_name_plural = _("group activities")
        ordering = ["-happened_on", "-pk"]

    def __str__(self):
        return f"{self.group} {self.happened_on} {self.get_kind_display()}"
