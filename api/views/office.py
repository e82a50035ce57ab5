"""The committee office's actions (the admin's transition pages, ``Page.ADMIN`` in the
action table): ``POST ledger/<id>/<action>/`` for each, on any suggestion, for the office
only (anyone else a 403). The reads are the ledger's (``api/views/staff.py``)."""

from django.shortcuts import get_object_or_404
from rest_framework.response import Response

from suggestions.actions import Page
from suggestions.models import Suggestion

from ..actions import action_urls
from ..roles import IsStaff
from ..serializers.office import SuggestionSummaryOut

TAGS = ["office"]


def get_suggestion(request, pk) -> Suggestion:
    return get_object_or_404(Suggestion.objects.all(), pk=pk)


def summary(request, suggestion) -> Response:
    return Response(SuggestionSummaryOut(suggestion).data)


def _office_actions() -> list:
    return action_urls(
        Page.ADMIN,
        route="ledger/<int:pk>/{name}/",
        url_name=lambda name: f"ledger-{name}",
        get_target=get_suggestion,
        done=summary,
        response=SuggestionSummaryOut,
        tags=TAGS,
        permission_classes=[IsStaff],
    )


urlpatterns = _office_actions()
