"""The deputy's own duty page (``duty:mine``, /my/duty/): their records and points for a
year, their ranks, and what the contact rules say they still owe. Read-only, phone-first."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views import View

from . import selectors


class DutyMineView(LoginRequiredMixin, View):
    def get(self, request):
        deputy = selectors.deputy_of(request.user)
        if deputy is None:
            raise PermissionDenied
        today = timezone.localdate()
        try:
            year = int(request.GET.get("year", today.year))
        except ValueError:
            raise Http404 from None
        if not 2000 <= year <= today.year:
            raise Http404
        context = {
            "duty": selectors.duty_year(deputy=deputy, year=year, today=today),
            "years": range(today.year, max(today.year - 5, 1999), -1),
            "this_year": today.year,
        }
        return render(request, "deputies/duty.html", context)
