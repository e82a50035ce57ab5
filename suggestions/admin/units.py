"""The handling units and their members in the admin; units also import from a workbook."""

from django.contrib import admin

from npc_tracker.admin import HistoryAdmin
from sheets.admin import ImportFileMixin

from .. import models


@admin.register(models.HandlingUnit)
class HandlingUnitAdmin(ImportFileMixin, HistoryAdmin):
    list_display = ["name", "short_name", "kind", "leader", "is_active"]
    list_filter = ["kind", "is_active"]
    list_select_related = ["leader"]
    search_fields = ["name", "short_name"]


@admin.register(models.UnitMembership)
class UnitMembershipAdmin(HistoryAdmin):
    list_display = ["user", "unit", "is_head"]
    list_filter = ["is_head", "unit"]
    list_select_related = ["user", "unit"]
    autocomplete_fields = ["unit"]
