from django.contrib import admin

from .models import LiaisonStation


@admin.register(LiaisonStation)
class LiaisonStationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "level", "parent", "address", "contact"]
    list_filter = ["kind", "level"]
    search_fields = ["name", "address"]
