"""The categories (类别) staff keep for suggestions: a choice list, not free text."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.Model):
    """A category a suggestion may be filed under (e.g. 城乡建设, 教育科技)."""

    name = models.CharField(_("name"), max_length=50, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(
        _("active"), default=True, help_text=_("Inactive categories are kept for old records.")
    )

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    @classmethod
    def names(cls, *, active_only: bool = True) -> list[str]:
        rows = cls.objects.filter(active=True) if active_only else cls.objects.all()
        return list(rows.values_list("name", flat=True))
