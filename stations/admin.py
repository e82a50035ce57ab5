"""The committee office's admin of the stations: the stations with their deputies and
keepers, the "八有" checklist (which station falls short of which item), and, read-only,
the activities and the opinions with their paths (the keepers record them on their pages)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from npc_tracker.admin import HistoryAdmin, ReadOnlyAdmin

from .models import Activity, LiaisonStation, Opinion, OpinionStep, StationCheck


@admin.register(LiaisonStation)
class LiaisonStationAdmin(HistoryAdmin):
    list_display = ["name", "kind", "level", "parent", "address", "contact", "opening_hours"]
    list_filter = ["kind", "level"]
    search_fields = ["name", "address"]
    autocomplete_fields = ["parent", "deputies"]
    filter_horizontal = ["keepers"]


@admin.register(StationCheck)
class StationCheckAdmin(HistoryAdmin):
    list_display = ["station", "year", "item", "met", "checked_by", "checked_on"]
    # "Met: no" with a year lists the stations that fall short, item by item.
    list_filter = ["year", "met", "item", "station__level"]
    search_fields = ["station__name"]
    autocomplete_fields = ["station"]
    readonly_fields = ["checked_by"]

    def save_model(self, request, obj, form, change):
        obj.checked_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Activity)
class ActivityAdmin(ReadOnlyAdmin):
    list_display = ["station", "kind", "happened_on", "citizens", "recorded_by"]
    list_filter = ["kind", "station__level"]
    search_fields = ["station__name", "notes"]
    date_hierarchy = "happened_on"


class OpinionStepInline(admin.TabularInline):
    model = OpinionStep
    extra = 0
    can_delete = False
    fields = ["at", "to", "deputy", "unit", "notes", "by"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Opinion)
class OpinionAdmin(ReadOnlyAdmin):
    list_display = ["raised_on", "station", "matter_start", "state", "deputy", "unit"]
    list_filter = ["state", "station__level"]
    search_fields = ["matter", "station__name"]
    date_hierarchy = "raised_on"
    inlines = [OpinionStepInline]

    @admin.display(description=_("matter"))
    def matter_start(self, obj):
        return obj.matter[:40]
