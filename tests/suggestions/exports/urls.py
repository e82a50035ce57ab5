"""Test-only admin sites with the export mixin, so the exports are tested on their own.

The real ``SuggestionAdmin`` gets the mixin from the lead engineer; these tests do not
depend on how that admin is written. A second site puts the mixin in front of
django-import-export's ``ImportMixin``, which sets its own changelist template.
"""

from django.contrib import admin
from django.urls import path
from import_export.admin import ImportMixin

from suggestions.admin.export import LedgerExportMixin
from suggestions.models import Suggestion


class SuggestionExportAdmin(LedgerExportMixin, admin.ModelAdmin):
    list_display = ["number", "title", "lead_deputy", "state"]
    list_filter = ["state", "term", "session"]
    list_select_related = ["lead_deputy"]
    search_fields = ["number", "title", "lead_deputy__name"]


class SuggestionImportExportAdmin(LedgerExportMixin, ImportMixin, admin.ModelAdmin):
    list_display = ["number", "title"]


site = admin.AdminSite(name="exports_admin")
site.register(Suggestion, SuggestionExportAdmin)

composed_site = admin.AdminSite(name="composed_admin")
composed_site.register(Suggestion, SuggestionImportExportAdmin)

urlpatterns = [
    path("admin/", site.urls),
    path("composed/", composed_site.urls),
]
