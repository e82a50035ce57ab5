"""The committee office's actions (the admin's transition pages, ``Page.ADMIN`` in the
action table): ``POST ledger/<id>/<action>/`` for each, on any suggestion, for the office
only (anyone else a 403). The reads are the ledger's (``api/views/staff.py``)."""

from django.shortcuts import get_object_or_404
from django.urls import path
from rest_framework.response import Response

from suggestions import actions
from suggestions.actions import Page
from suggestions.models import Suggestion

from ..actions import action_view
from ..roles import IsStaff
from ..serializers.office import SuggestionSummaryOut

TAGS = ["office"]


def get_suggestion(request, pk) -> Suggestion:
    return get_object_or_404(Suggestion.objects.all(), pk=pk)


def summary(request, suggestion) -> Response:
    return Response(SuggestionSummaryOut(suggestion).data)


def _office_actions() -> list:
    urls = []
    for page, name in list(actions.ACTIONS):
        if page != Page.ADMIN:
            continue
        view = action_view(
            Page.ADMIN,
            name,
            get_target=get_suggestion,
            done=summary,
            response=SuggestionSummaryOut,
            tags=TAGS,
        )
        view.permission_classes = [IsStaff]
        urls.append(path(f"ledger/<int:pk>/{name}/", view.as_view(), name=f"ledger-{name}"))
    return urls


urlpatterns = _office_actions()
