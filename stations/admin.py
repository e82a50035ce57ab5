"""The committee office's admin of the stations: the stations with their deputies and
keepers, the "八有" checklist (which station falls short of which item), and, read-only,
the activities and the opinions with their paths (the keepers record them on their pages).

The stations' changelist imports the stations (``sheets.admin.ImportFileMixin``, as the
deputies' does) and, from the same pages with ``?kind=deputy_stations``, the deputies'
stations (``stations.resources``). A station's ledger of a year downloads from its change
form's links or the changelist's action (``stations:ledger``)."""

import copy

from django.contrib import admin, messages
from django.core import signing
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

import sheets
from npc_tracker.admin import HistoryAdmin, ReadOnlyAdmin
from sheets.admin import TOKEN_SALT, ImportFileMixin

from .models import Activity, LiaisonStation, Opinion, OpinionStep, StationCheck

# The kinds the stations' admin imports: the first is its own (the button's).
IMPORT_KINDS = ("stations", "deputy_stations")


@admin.register(LiaisonStation)
class LiaisonStationAdmin(ImportFileMixin, HistoryAdmin):
    list_display = ["name", "kind", "level", "parent", "address", "contact", "opening_hours"]
    list_filter = ["kind", "level"]
    search_fields = ["name", "address"]
    autocomplete_fields = ["parent", "deputies"]
    filter_horizontal = ["keepers"]
    actions = ["download_ledger"]
    import_export_change_list_template = "admin/stations/liaisonstation/change_list.html"
    change_form_template = "admin/stations/liaisonstation/change_form.html"
    # The kind of an import page (a copy of this admin serves each request: see _for).
    import_kind = IMPORT_KINDS[0]

    # The two imports.

    def _requested_kind(self, request) -> str:
        """The kind a request imports: ``?kind=`` on the upload, the signed preview's
        token on the confirmation (checked again, with its age, by the mixin)."""
        kind = request.GET.get("kind")
        if request.method == "POST" and "token" in request.POST:
            try:
                kind = signing.loads(request.POST["token"], salt=TOKEN_SALT).get("kind")
            except (signing.BadSignature, AttributeError):
                pass
        return kind if kind in IMPORT_KINDS else IMPORT_KINDS[0]

    def _for(self, request):
        clone = copy.copy(self)
        clone.import_kind = self._requested_kind(request)
        return clone

    def import_action(self, request, **kwargs):
        return ImportFileMixin.import_action(self._for(request), request, **kwargs)

    def process_import(self, request, **kwargs):
        return ImportFileMixin.process_import(self._for(request), request, **kwargs)

    def _render(self, request, **context):
        response = super()._render(request, **context)
        if self.import_kind == "deputy_stations":
            response.context_data["title"] = gettext("Import deputies' stations")
        return response

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "has_deputy_stations_import_permission": sheets.can_import(
                request.user, "deputy_stations"
            ),
        }
        return super().changelist_view(request, extra_context)

    # The ledger.

    def change_view(self, request, object_id, form_url="", extra_context=None):
        year = timezone.localdate().year
        extra_context = {**(extra_context or {}), "ledger_years": [year, year - 1]}
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.action(description=_("Download the ledger of this year"))
    def download_ledger(self, request, queryset):
        """One selected station's ledger (台账) of the current year."""
        stations = list(queryset[:2])
        if len(stations) != 1:
            self.message_user(
                request, gettext("Select one station to download its ledger."), messages.WARNING
            )
            return None
        year = timezone.localdate().year
        return HttpResponseRedirect(reverse("stations:ledger", args=[stations[0].pk, year]))


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
