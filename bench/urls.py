"""The project's pages plus two benchmark-only pages (``bench.settings`` only).

- ``bench/ceiling/``: the throughput ceiling, a view that does nothing but answer, through
  the same middleware as every page.
- ``bench/plain-admin/``: the suggestions on a second admin site with a default
  ``ModelAdmin``, as a developer would first write it: the baseline the real admin's
  changelist is measured against.
"""

from django.contrib import admin
from django.http import HttpResponse
from django.urls import path

from npc_tracker.urls import urlpatterns as project_urlpatterns
from suggestions.models import Suggestion


def ceiling(request):
    return HttpResponse("ok", content_type="text/plain")


class PlainSuggestionAdmin(admin.ModelAdmin):
    # Plain fields only and nothing tuned: no select_related, no count avoided.
    list_display = ("number", "title", "state")


plain_admin = admin.AdminSite(name="plain_admin")
plain_admin.register(Suggestion, PlainSuggestionAdmin)

urlpatterns = [
    path("bench/ceiling/", ceiling, name="bench-ceiling"),
    path("bench/plain-admin/", plain_admin.urls),
    *project_urlpatterns,
]
