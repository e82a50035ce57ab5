"""The stations, the deputies who use them and the keepers who run them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class LiaisonStation(models.Model):
    """A place where deputies meet their constituents (代表之家、代表工作站、代表联络站)."""

    class Kind(models.TextChoices):
        HOME = "home", _("Deputies' home")
        STATION = "station", _("Deputies' work station")
        ROOM = "room", _("Deputies' liaison room")

    class Level(models.TextChoices):
        COUNTY = "county", _("County")
        TOWNSHIP = "township", _("Township")
        VILLAGE = "village", _("Village")

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent station"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    contact = models.CharField(_("contact"), max_length=100, blank=True)
    phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=100, blank=True)
    # A deputy may use several stations (a home in the county, a station in their town).
    deputies = models.ManyToManyField(
        "deputies.Deputy", verbose_name=_("deputies"), related_name="stations", blank=True
    )
    # The users who run the station (联络站管理员、站长): its pages are theirs.
    keepers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("keepers"),
        related_name="kept_stations",
        blank=True,
    )

    class Meta:
        verbose_name = _("liaison station")
        verbose_name_plural = _("liaison stations")
        ordering = ["name"]

    def __str__(self):
        return self.name
