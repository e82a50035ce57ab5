"""A list page's rows and their count in one query (the count a scalar subquery of the
rows' query), where ``Paginator`` reads the count first and then the rows."""

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet, Window

from npc_tracker.figures import count_of

TOTAL = "_npc_total"


def page_of(
    queryset: QuerySet, number, per_page: int, count: int | None = None, window: bool = False
) -> Page:
    """``Paginator(queryset, per_page).get_page(number)``, the same page, in one query:
    the page's rows each carry the count of all. A page past the last (or below the
    first) has no row to carry it: then the count, and the last page, as ``get_page``.
    ``count``: the caller has it already (the rows alone are read). ``window``: count by
    ``COUNT(*) OVER ()`` instead of a subquery, cheaper to build (1 ms of CPU on the
    deputy's list) but the database then computes every row's columns, not the page's:
    for lists of tens of rows (a deputy's suggestions), not a unit's hundreds."""
    paginator = Paginator(queryset, per_page)
    if count is not None:
        paginator.count = count
        return paginator.get_page(number)
    try:
        number = int(number)
    except (TypeError, ValueError):
        number = 1  # as get_page: a page that is no number is the first
    if number >= 1:
        bottom = (number - 1) * per_page
        total = Window(Count("*")) if window else count_of(queryset)
        counted = queryset.annotate(**{TOTAL: total})
        rows = list(counted[bottom : bottom + per_page])
        if rows or number == 1:
            paginator.count = getattr(rows[0], TOTAL) if rows else 0
            return Page(rows, number, paginator)
    return paginator.get_page(number)
