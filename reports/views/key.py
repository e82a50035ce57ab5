"""The key suggestions' board (/reports/key/<year>/): every key suggestion of the year
with its leading leader, committee, lead unit, stage, deadline, visits and the last
visit's findings; a leader sees those they lead or their units handle."""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from ..access import reader_required
from ..selectors.dashboard import key_board as board_of


@reader_required()
def key_board(request, viewer, year):
    """The board of ``year``'s key suggestions (one query for its rows)."""
    if not 1 < year < 9999:
        raise Http404
    keys = list(
        board_of(year=year)
        if viewer.is_staff
        else board_of(year=year, user=request.user, unit_ids=viewer.unit_ids)
    )
    for key in keys:
        if viewer.is_staff:
            key.link = reverse("admin:suggestions_keysuggestion_change", args=[key.pk])
        elif key.leader_id == request.user.pk:
            key.link = reverse("tasks:key", args=[key.pk])
        else:
            key.link = ""
    return render(request, "reports/key_board.html", {"year": year, "viewer": viewer, "keys": keys})
