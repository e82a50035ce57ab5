"""A station's ledger (台账) of a year, as an xlsx download (``stations.ledger``): for the
station's keepers and the committee office; anyone else gets a 404, as for a station
that does not exist, and so does a year outside the ledger's range."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views import View

from .. import ledger
from ..selectors import stations_kept_by


class StationLedgerView(LoginRequiredMixin, View):
    def get(self, request, pk: int, year: int):
        if not ledger.year_allowed(year):
            raise Http404
        station = get_object_or_404(stations_kept_by(user=request.user), pk=pk)
        return ledger.ledger_response(station, year)
