"""Stub: written by the helper that builds these pages."""

from django.http import Http404
from django.views import View


class StationLedgerView(View):
    def get(self, request, *args, **kwargs):
        raise Http404
