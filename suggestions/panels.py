"""What the apps above ``suggestions`` show on its list pages, without this app knowing
them (DESIGN: the list pages read at most 8 queries whatever the number of rows).

An app registers, from its ``AppConfig.ready``, a panel for a page:
``register(STATUS_LIST, Panel(figures=..., draw=...))``. ``figures(user)`` names the
scalar expressions the panel needs (counts, the newest few values: ``count_of`` and
``Subquery``); every panel's figures of a page are read in the one query that also
counts the header's unread notifications, so panels cost the page no query of their
own. ``draw(request, found)`` turns what was found into ``{"template": ...,
"context": {...}}``, or ``None`` when there is nothing to show; it reads nothing more.

A page's view calls ``read(page, request)`` and puts ``.panels`` and ``.unread`` in its
context; its template includes each panel's template with its context as ``panel``.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Expression, IntegerField, QuerySet, Subquery
from django.http import HttpRequest

from .notifications import selectors as notification_selectors

# The pages that show panels (their URL names).
STATUS_LIST = "status:list"
TASK_LIST = "tasks:list"
PAGES = (STATUS_LIST, TASK_LIST)


@dataclass(frozen=True)
class Panel:
    figures: Callable[..., dict[str, Expression]]
    draw: Callable[[HttpRequest, dict], dict | None]


@dataclass(frozen=True)
class Read:
    panels: list[dict]
    unread: int  # the header's count of new notifications (its context processor's, read here)


_registered: dict[str, list[Panel]] = {}


class _Count(Subquery):
    """The number of rows of a queryset, as a scalar subquery."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _count)"
    output_field = IntegerField()


def count_of(queryset: QuerySet) -> Expression:
    """How many rows ``queryset`` has, for a panel's figures."""
    return _Count(queryset.order_by().values("pk"))


def register(page: str, panel: Panel) -> None:
    """Show ``panel`` on ``page`` (once, however often it is called)."""
    if page not in PAGES:
        raise ValueError(f"No page {page!r} shows panels: one of {PAGES}.")
    found = _registered.setdefault(page, [])
    if panel not in found:
        found.append(panel)


def read(page: str, request: HttpRequest) -> Read:
    """The panels of ``page`` with something to show to the request's user, in the order
    they were registered, and the header's unread count: one query."""
    user = request.user
    registered = _registered.get(page, ())
    expressions = {"unread": count_of(notification_selectors.new_notifications(user=user))}
    names = []
    for index, panel in enumerate(registered):
        figures = panel.figures(user)
        names.append({f"p{index}_{name}": name for name in figures})
        expressions.update({f"p{index}_{name}": value for name, value in figures.items()})
    row = get_user_model().objects.filter(pk=user.pk).values(**expressions).get()
    shown = []
    for panel, named in zip(registered, names, strict=True):
        drawn = panel.draw(request, {name: row[key] for key, name in named.items()})
        if drawn is not None:
            shown.append(drawn)
    return Read(panels=shown, unread=row["unread"])
