from django.contrib import admin

from npc_tracker.admin import HistoryAdmin

from .models import LiaisonStation


@admin.register(LiaisonStation)
class LiaisonStationAdmin(HistoryAdmin):
    list_display = ["name", "kind", "level", "parent", "address", "contact"]
    list_filter = ["kind", "level"]
    search_fields = ["name", "address"]
