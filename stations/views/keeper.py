"""Stub: written by the helper that builds these pages."""

from django.http import Http404
from django.views import View


class StationListView(View):
    def get(self, request, *args, **kwargs):
        raise Http404


class StationDetailView(View):
    def get(self, request, *args, **kwargs):
        raise Http404


class StationActionView(View):
    def get(self, request, *args, **kwargs):
        raise Http404


class OpinionListView(View):
    def get(self, request, *args, **kwargs):
        raise Http404


class OpinionDetailView(View):
    def get(self, request, *args, **kwargs):
        raise Http404


class OpinionActionView(View):
    def get(self, request, *args, **kwargs):
        raise Http404


class ActivityFileView(View):
    def get(self, request, *args, **kwargs):
        raise Http404


class EvidenceView(View):
    def get(self, request, *args, **kwargs):
        raise Http404
