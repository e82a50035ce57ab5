"""Cursor pagination: stable while rows are added (a phone scrolling its list sees no row
twice), constant cost at any depth, no count query. ``next`` and ``previous`` are links."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination, _reverse_ordering


class Cursor(CursorPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
    ordering = "-id"


SEP = "|"


class KeysetCursor(Cursor):
    """A cursor on every field of the ordering, not only the first: DRF's cursor keeps
    its place among rows sharing the first field's value by an offset, cut off at 1,000
    (a unit's assignments share a deadline by the hundred: those of one assignment
    meeting). The position is each field's value of the row at the page's edge, and a
    page starts after it in the ordering's order (a keyset); the last field, the id,
    makes it unique, so the offset is always 0. (DRF's ``paginate_queryset`` with its
    one filter replaced.)"""

    def _get_position_from_instance(self, instance, ordering):
        values = []
        for field in ordering:
            value = getattr(instance, field.lstrip("-"))
            values.append(value.isoformat() if hasattr(value, "isoformat") else str(value))
        return SEP.join(values)

    def _after(self, position: str, reverse: bool) -> Q:
        """The rows after ``position`` in the ordering (before it, going back)."""
        values = position.split(SEP)
        if len(values) != len(self.ordering):
            raise NotFound(_("The cursor is not valid."))
        after = Q()
        for depth, field in enumerate(self.ordering):
            ascending = not field.startswith("-")
            lookup = "__gt" if ascending != reverse else "__lt"
            step = Q(**{field.lstrip("-") + lookup: values[depth]})
            for earlier, value in zip(self.ordering[:depth], values, strict=False):
                step &= Q(**{earlier.lstrip("-"): value})
            after |= step
        return after

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.page_size = self.get_page_size(request)
        self.base_url = request.build_absolute_uri()
        self.ordering = self.get_ordering(request, queryset, view)
        self.cursor = self.decode_cursor(request)
        reverse, position = (False, None) if self.cursor is None else self.cursor[1:]
        order = _reverse_ordering(self.ordering) if reverse else self.ordering
        queryset = queryset.order_by(*order)
        if position is not None:
            try:
                queryset = queryset.filter(self._after(position, reverse))
            except (DjangoValidationError, ValueError, TypeError):
                raise NotFound(_("The cursor is not valid.")) from None
        results = list(queryset[: self.page_size + 1])
        self.page = results[: self.page_size]
        following = None
        if len(results) > len(self.page):
            following = self._get_position_from_instance(results[-1], self.ordering)
        if reverse:
            self.page.reverse()
            self.has_next, self.next_position = position is not None, position
            self.has_previous, self.previous_position = following is not None, following
        else:
            self.has_next, self.next_position = following is not None, following
            self.has_previous, self.previous_position = position is not None, position
        return self.page
