"""Writing the new rows of an import in bulk (today: suggestions and their co-signers).

On PostgreSQL the rows go in by ``COPY`` (psycopg 3), with their ids taken from the
table's sequence first, so each instance gets its primary key as ``bulk_create`` would
give it; Django's ``bulk_create`` (one ``INSERT ... UNNEST``) took 1.0 s for 10,000
suggestions, ``COPY`` 0.3 s (docs/performance.md). Other databases use ``bulk_create``.
Either way the database checks every constraint: ``COPY`` is an insert.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable, Sequence

from django.db import connection

# Field types whose Python values (text, numbers, dates, aware datetimes, ids) psycopg
# adapts as Django's get_db_prep_save() gives them on PostgreSQL: the value itself. A
# field of another type makes the import fall back to bulk_create rather than write a
# value Django would have converted.
PLAIN_TYPES = {
    "AutoField",
    "BigAutoField",
    "BigIntegerField",
    "BooleanField",
    "CharField",
    "DateField",
    "DateTimeField",
    "ForeignKey",
    "IntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SmallIntegerField",
    "TextField",
}


def _copy_possible(model) -> bool:
    return connection.vendor == "postgresql" and all(
        field.get_internal_type() in PLAIN_TYPES for field in model._meta.concrete_fields
    )


def _copy(cursor, table: str, columns: Sequence[str], rows: Iterable[tuple]) -> None:
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    # Django's cursor converts psycopg's errors only in the calls it wraps; copy() is not one.
    with connection.wrap_database_errors:
        with cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)


def insert_new(model, instances: list, *, batch_size: int | None = None) -> None:
    """Insert new ``instances`` of ``model``, setting their primary keys, as
    ``model.objects.bulk_create(instances)`` does (``pre_save`` sets auto_now_add dates)."""
    if not instances:
        return
    if not _copy_possible(model):
        model.objects.bulk_create(instances, batch_size=batch_size)
        return
    opts = model._meta
    fields = opts.concrete_fields
    quote = connection.ops.quote_name
    # pre_save() is what fills auto_now and auto_now_add; for every other field it reads
    # the attribute, which the row tuple below does too.
    auto = [f for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
    for instance in instances:
        for field in auto:
            field.pre_save(instance, add=True)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [quote(opts.db_table), opts.pk.column, len(instances)],
        )
        ids = sorted(pk for (pk,) in cursor.fetchall())
        for instance, pk in zip(instances, ids, strict=True):
            instance.pk = pk
        values = operator.attrgetter(*[field.attname for field in fields])
        _copy(cursor, opts.db_table, [f.column for f in fields], map(values, instances))
    for instance in instances:
        instance._state.adding = False
        instance._state.db = connection.alias


def insert_links(through, pairs: Sequence[tuple[int, int]], fields: tuple[str, str]) -> None:
    """Insert rows of a many-to-many table: (source id, target id) pairs into the columns
    of ``fields`` (the through model's two foreign keys).

    Not ``bulk_create``: a model instance per pair took longer than inserting the
    suggestions themselves.
    """
    opts = through._meta
    insert_rows(through, [opts.get_field(name).column for name in fields], pairs)


def insert_rows(model, columns: Sequence[str], rows: Sequence[tuple]) -> None:
    """Insert plain rows (values as the database takes them: JSON as text) into
    ``model``'s table: ``COPY`` on PostgreSQL, one ``executemany`` elsewhere. For records
    written in bulk beside an import, whose instances nobody reads afterwards."""
    if not rows:
        return
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _copy(cursor, table, columns, rows)
        else:
            quote = connection.ops.quote_name
            names = ", ".join(quote(c) for c in columns)
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})", rows)
