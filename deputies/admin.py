from django.contrib import admin

from npc_tracker.admin import HistoryAdmin
from sheets.admin import ImportFileMixin

from .models import Deputy


@admin.register(Deputy)
class DeputyAdmin(ImportFileMixin, HistoryAdmin):
    list_display = ["name", "gender", "level", "delegation", "term", "position", "mobile"]
    list_filter = ["level", "term", "delegation", "gender"]
    search_fields = ["name", "delegation", "position", "mobile"]
    list_select_related = ["user"]
