"""The opinions that reached a deputy or a unit from the stations: a deputy's on
/my/opinions/ (forwarded to them, to make a suggestion of), a unit's on /tasks/opinions/
(referred to it, to answer). Both are read-only lists linking to the opinion's page
(``stations:opinion``), where the deputy and the unit act. Read through the selectors:
nobody lists another deputy's or unit's opinions."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import ngettext
from django.views import View

from suggestions import actions
from suggestions.actions import Page
from suggestions.views.status import DeputyRequiredMixin
from suggestions.views.tasks import TaskUserRequiredMixin

from .. import selectors

PAGE_SIZE = 20


def _rows(page, contact: selectors.Contact) -> list[tuple]:
    """Each opinion of the page with the constituent's name and phone as the user may see
    them (no query per row)."""
    return [(opinion, *contact.shown(opinion)) for opinion in page]


def _count_label(count: int) -> str:
    return ngettext("%(counter)s opinion", "%(counter)s opinions", count) % {"counter": count}


class ForwardedOpinionListView(DeputyRequiredMixin, View):
    """The opinions forwarded to the deputy, those still waiting on them first."""

    def get(self, request):
        page = Paginator(selectors.forwarded_rows(user=request.user), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        context = {
            "page": page,
            "rows": _rows(page, selectors.Contact(request.user)),
            "count_label": _count_label(page.paginator.count),
            # The opinion page's action this list leads to, named as the action table names it
            # (read here: the stations' rows join the table in ``apps.ready``).
            "act": actions.get(Page.OPINION, "to_suggestion").label,
        }
        return render(request, "stations/my_opinions.html", context)


class ReferredOpinionListView(TaskUserRequiredMixin, View):
    """The opinions referred to the user's units, those waiting for an answer first;
    the constituents' names and phones masked (a unit is not told who raised it)."""

    def get(self, request):
        page = Paginator(selectors.referred_rows(user=request.user), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        context = {
            "page": page,
            "rows": _rows(page, selectors.Contact(request.user)),
            "count_label": _count_label(page.paginator.count),
            "act": actions.get(Page.OPINION, "answer").label,
        }
        return render(request, "stations/unit_opinions.html", context)
