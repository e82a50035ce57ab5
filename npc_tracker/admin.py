"""The project's shared admin bases: read-only records, field history, and a changelist
that stays quick at provincial scale. They know no app; each app's admin builds on them.

The ledger's changelist at provincial scale: no count of the whole table, and filter
choices read from indexes. Django's changelist counts the filtered queryset on every
page and lists a field filter's choices with ``SELECT DISTINCT``; over a million
suggestions each of those reads the whole table. Here the count stops at ``CAP`` rows
("10,000+") and the choices come from a loose index scan (one index probe per distinct
value).
"""

from auditlog.mixins import AuditlogHistoryAdminMixin
from django.contrib import admin
from django.contrib.admin.utils import get_last_value_from_parameters
from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property


class ReadOnlyAdmin(admin.ModelAdmin):
    """Append-only records: viewable, never added, changed or deleted in the admin."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class HistoryAdmin(AuditlogHistoryAdminMixin, admin.ModelAdmin):
    """An editable record whose field history (who changed what, when) is one click away."""

    show_auditlog_history_link = True


class CappedCountPaginator(Paginator):
    """Counts at most ``CAP`` + 1 rows; ``capped`` tells the page to say "CAP+"."""

    CAP = 10_000

    @cached_property
    def count(self) -> int:
        rows = self.object_list.order_by().values("pk")[: self.CAP + 1].count()
        self.capped = rows > self.CAP
        return min(rows, self.CAP)

    capped = False


def distinct_values(model, field_names: list[str], using: str = "default") -> dict[str, list]:
    """The distinct non-null values of each column, ascending, in one query that probes
    each column's index once per value (recursive CTEs: PostgreSQL and SQLite)."""
    connection = connections[using]
    qn = connection.ops.quote_name
    table = qn(model._meta.db_table)
    ctes, selects = [], []
    for n, name in enumerate(field_names):
        column = qn(model._meta.get_field(name).column)
        ctes.append(
            f"v{n}(x) AS (SELECT MIN({column}) FROM {table} UNION ALL"
            f" SELECT (SELECT MIN({column}) FROM {table} WHERE {column} > v{n}.x)"
            f" FROM v{n} WHERE v{n}.x IS NOT NULL)"
        )
        selects.append(f"SELECT {n}, CAST(x AS TEXT) FROM v{n} WHERE x IS NOT NULL")
    sql = "WITH RECURSIVE " + ", ".join(ctes) + " " + " UNION ALL ".join(selects)
    values = {name: [] for name in field_names}
    with connection.cursor() as cursor:
        cursor.execute(sql)
        for n, text in cursor.fetchall():
            field = model._meta.get_field(field_names[n])
            values[field_names[n]].append(field.to_python(text))
    for found in values.values():
        found.sort()
    return values


class IndexedValuesFilter(admin.AllValuesFieldListFilter):
    """``AllValuesFieldListFilter`` whose choices come from ``distinct_values``, newest
    first. Every such filter of the changelist is answered by the same single query
    (the admin names the columns in ``indexed_value_fields``); each column needs an
    index of its own or leading one."""

    def __init__(self, field, request, params, model, model_admin, field_path):
        # AllValuesFieldListFilter.__init__ without its queryset (the ledger's annotated
        # queryset, built only to be replaced here).
        self.lookup_kwarg = field_path
        self.lookup_kwarg_isnull = f"{field_path}__isnull"
        self.lookup_val = params.get(self.lookup_kwarg)
        self.lookup_val_isnull = get_last_value_from_parameters(params, self.lookup_kwarg_isnull)
        self.empty_value_display = model_admin.get_empty_value_display()
        if not hasattr(request, "_indexed_values"):
            request._indexed_values = distinct_values(model, model_admin.indexed_value_fields)
        values = request._indexed_values[field_path]
        self.lookup_choices = [v for v in reversed(values) if v != ""]
        admin.FieldListFilter.__init__(self, field, request, params, model, model_admin, field_path)
