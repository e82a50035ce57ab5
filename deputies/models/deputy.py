from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Deputy(models.Model):
    """A people's congress deputy (人大代表)."""

    class Gender(models.TextChoices):
        MALE = "M", _("Male")
        FEMALE = "F", _("Female")

    class Level(models.TextChoices):
        NATIONAL = "national", _("National")
        PROVINCIAL = "provincial", _("Provincial")
        CITY = "city", _("City")
        COUNTY = "county", _("County")
        TOWNSHIP = "township", _("Township")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deputy",
    )
    name = models.CharField(_("full name"), max_length=50)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    ethnicity = models.CharField(_("ethnicity"), max_length=20, blank=True)
    party = models.CharField(_("party affiliation"), max_length=30, blank=True)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    delegation = models.CharField(
        _("delegation or constituency"),
        max_length=50,
        help_text=_("The delegation (代表团) or constituency (选区) the deputy was elected in."),
    )
    term = models.PositiveSmallIntegerField(_("term"), help_text=_("The congress term, e.g. 16."))
    position = models.CharField(_("position"), max_length=100, blank=True)
    mobile = models.CharField(_("mobile phone"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("deputy")
        verbose_name_plural = _("deputies")
        ordering = ["delegation", "name"]
        constraints = [
            # The offices' rosters identify a deputy by name, delegation and term.
            models.UniqueConstraint(
                fields=["name", "delegation", "term"], name="deputy_unique_name_delegation_term"
            ),
        ]

    def __str__(self):
        return f"{self.name}（{self.delegation}）"


class Term(models.Model):
    """A congress term (届) and its dates: a deputy's duty is recorded within them."""

    number = models.PositiveSmallIntegerField(_("term"), unique=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)

    class Meta:
        verbose_name = _("congress term")
        verbose_name_plural = _("congress terms")
        ordering = ["-number"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="term_ends_after_start",
                violation_error_message=_("A term ends after it starts."),
            ),
        ]

    def __str__(self):
        return _("Term %(number)s") % {"number": self.number}
