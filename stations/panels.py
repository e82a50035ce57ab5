"""The stations' panels on the loop's own list pages (``suggestions.panels``, registered
in ``apps.ready``): on a deputy's /my/ the opinions forwarded to them, on a unit's
/tasks/ the opinions referred to it. Their figures are scalar subqueries read in the
page's one query of counters, so they cost the page no query of their own."""

from django.db.models import Subquery
from django.http import HttpRequest

from suggestions.panels import Panel, count_of

from . import selectors
from .models import Opinion

NEWEST = 3
NEWEST_FIELDS = {"pk": "pk", "station": "station__name", "matter": "matter"}


def forwarded_figures(user) -> dict:
    """How many opinions were forwarded to the deputy, how many wait on them, and the
    newest waiting ones' id, station and matter."""
    forwarded = selectors.opinions_forwarded_to_user(user=user)
    waiting = forwarded.filter(state=Opinion.State.FORWARDED)
    figures = {"total": count_of(forwarded), "waiting": count_of(waiting)}
    for index in range(NEWEST):
        for name, field in NEWEST_FIELDS.items():
            figures[f"{name}{index}"] = Subquery(waiting.values(field)[index : index + 1])
    return figures


def forwarded_draw(request: HttpRequest, found: dict) -> dict | None:
    """On /my/: the count waiting, the newest few and the link to their list; nothing
    for a deputy no opinion was ever forwarded to."""
    if not found["total"]:
        return None
    newest = [
        {name: found[f"{name}{index}"] for name in NEWEST_FIELDS}
        for index in range(NEWEST)
        if found[f"pk{index}"] is not None
    ]
    return {
        "template": "stations/panel_forwarded.html",
        "context": {"total": found["total"], "waiting": found["waiting"], "newest": newest},
    }


def referred_figures(user) -> dict:
    """How many opinions were referred to the units the user sees, and how many of them
    wait for an answer."""
    referred = selectors.opinions_referred_to_units(user=user)
    return {
        "total": count_of(referred),
        "waiting": count_of(referred.filter(state=Opinion.State.REFERRED)),
    }


def referred_draw(request: HttpRequest, found: dict) -> dict | None:
    """On /tasks/: the count waiting for an answer and the link to their list; nothing
    when none was ever referred to the user's units."""
    if not found["total"]:
        return None
    return {"template": "stations/panel_referred.html", "context": found}


FORWARDED = Panel(figures=forwarded_figures, draw=forwarded_draw)
REFERRED = Panel(figures=referred_figures, draw=referred_draw)
