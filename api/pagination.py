"""Cursor pagination: stable while rows are added (a phone scrolling its list sees no row
twice), constant cost at any depth, no count query. ``next`` and ``previous`` are links."""

from rest_framework.pagination import CursorPagination


class Cursor(CursorPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
    ordering = "-id"
