"""Scalar subqueries for a page's figures: a count, a list of rows. A page reads many of
them in one query (``suggestions.panels.read``) instead of one query each."""

from django.db.models import Expression, F, IntegerField, JSONField, QuerySet, Subquery


class _Count(Subquery):
    """The number of rows of a queryset, as a scalar subquery."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _count)"
    output_field = IntegerField()


def count_of(queryset: QuerySet) -> Expression:
    """How many rows ``queryset`` has."""
    return _Count(queryset.order_by().values("pk"))


class _List(Subquery):
    """The rows of a queryset as a JSON list of lists, as a scalar subquery."""

    output_field = JSONField()

    def __init__(self, queryset: QuerySet, width: int):
        self.width = width
        super().__init__(queryset)

    def as_sql(self, compiler, connection, template=None, **extra_context):
        columns = ", ".join(connection.ops.quote_name(f"c{i}") for i in range(self.width))
        if connection.vendor == "postgresql":
            row, rows = f"JSONB_BUILD_ARRAY({columns})", "JSONB_AGG"
        else:
            row, rows = f"JSON_ARRAY({columns})", "JSON_GROUP_ARRAY"
        template = f"(SELECT {rows}({row}) FROM (%(subquery)s) _list)"
        return super().as_sql(compiler, connection, template=template, **extra_context)


def list_of(queryset: QuerySet, *columns) -> Expression:
    """The rows of ``queryset`` (its filter, order, slice and distinct), each the list of
    ``columns``' values (field names or expressions; dates and times come as ISO text).
    Read through ``rows_of``, in the queryset's order: PostgreSQL and SQLite aggregate
    the rows of a subquery in FROM in the order it gives them (PostgreSQL's manual: "will
    usually work"; the SQL standard does not promise it)."""
    named = {f"c{i}": F(c) if isinstance(c, str) else c for i, c in enumerate(columns)}
    return _List(queryset.values(**named), len(columns))


def rows_of(value) -> list[list]:
    """A ``list_of`` figure as read (PostgreSQL's aggregate of no row is NULL)."""
    return value or []
