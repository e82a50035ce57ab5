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
context; its template includes each panel's template with its context as ``panel``. The
page's own figures (a tab's count, the years of its filter, the newest notifications) can
come in the same query: ``read(page, request, figures={...})``, found in ``Read.figures``.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Expression, Model, QuerySet
from django.http import HttpRequest

from npc_tracker.figures import count_of, list_of, rows_of

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
    figures: dict = field(default_factory=dict)  # the page's own, by the names it gave them
    row: Model | None = None  # the object read with them (``read``'s ``on``)


_registered: dict[str, list[Panel]] = {}

__all__ = ["Panel", "Read", "count_of", "list_of", "read", "register", "rows_of"]


def register(page: str, panel: Panel) -> None:
    """Show ``panel`` on ``page`` (once, however often it is called)."""
    if page not in PAGES:
        raise ValueError(f"No page {page!r} shows panels: one of {PAGES}.")
    found = _registered.setdefault(page, [])
    if panel not in found:
        found.append(panel)


def read(
    page: str,
    request: HttpRequest,
    *,
    figures: dict[str, Expression] | None = None,
    on: QuerySet | None = None,
) -> Read | None:
    """The panels of ``page`` with something to show to the request's user, in the order
    they were registered, and the header's unread count: one query.

    ``figures``: the page's own scalar expressions, read in the same query. ``on``: a
    queryset of at most one object (the user's deputy) to read them on, which comes as
    ``Read.row``; None when it has none (the figures are then not computed). By default
    they are read on the user's row."""
    user = request.user
    registered = _registered.get(page, ())
    expressions = {"unread": count_of(notification_selectors.new_notifications(user=user))}
    names = []
    for index, panel in enumerate(registered):
        found = panel.figures(user)
        names.append({f"p{index}_{name}": name for name in found})
        expressions.update({f"p{index}_{name}": value for name, value in found.items()})
    own = {f"f_{name}": value for name, value in (figures or {}).items()}
    expressions.update(own)
    obj = None
    if on is None:
        row = get_user_model().objects.filter(pk=user.pk).values(**expressions).get()
    else:
        obj = next(iter(on.annotate(**expressions)[:1]), None)
        if obj is None:
            return None
        row = {key: getattr(obj, key) for key in expressions}
    shown = []
    for panel, named in zip(registered, names, strict=True):
        drawn = panel.draw(request, {name: row[key] for key, name in named.items()})
        if drawn is not None:
            shown.append(drawn)
    own_found = {key[2:]: row[key] for key in own}
    return Read(panels=shown, unread=row["unread"], figures=own_found, row=obj)
