"""The duty records' secondary indexes dropped while a large seeding writes them, and
built again after (``bench.data.duty``); their definitions wait in a table meanwhile."""

import time

from django.db import connection, transaction

from deputies.models import DutyRecord

# Where the dropped indexes' definitions wait until they are built again, so that a run
# interrupted in between builds them at its next start.
DROPPED = "bench_duty_dropped_index"


def _dropped_table(cursor) -> None:
    cursor.execute(
        f"CREATE TABLE IF NOT EXISTS {DROPPED} (name text PRIMARY KEY, definition text NOT "
        "NULL, constraint_name text, constraint_definition text)"
    )


def drop_indexes() -> None:
    """Drop the records table's indexes but its primary key, their definitions kept."""
    table = DutyRecord._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        _dropped_table(cursor)
        cursor.execute(
            "SELECT i.indexname, i.indexdef, c.conname, pg_get_constraintdef(c.oid) "
            "FROM pg_indexes i LEFT JOIN pg_constraint c ON c.conindid = "
            "(quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))::regclass "
            "AND c.contype IN ('u', 'p') WHERE i.tablename = %s AND i.schemaname = "
            "current_schema() ORDER BY i.indexname",
            [table],
        )
        for name, definition, constraint, constraint_definition in cursor.fetchall():
            if constraint_definition and constraint_definition.startswith("PRIMARY KEY"):
                continue
            cursor.execute(
                f"INSERT INTO {DROPPED} VALUES (%s, %s, %s, %s) ON CONFLICT DO NOTHING",
                [name, definition, constraint, constraint_definition],
            )
            if constraint:
                cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{constraint}"')
            else:
                cursor.execute(f'DROP INDEX "{name}"')


def restore_indexes() -> float:
    """Build again every index dropped (by this run or an interrupted one); seconds."""
    if connection.vendor != "postgresql":
        return 0.0
    started = time.perf_counter()
    table = DutyRecord._meta.db_table
    with connection.cursor() as cursor:
        _dropped_table(cursor)
        cursor.execute(
            f"SELECT name, definition, constraint_name, constraint_definition FROM {DROPPED}"
        )
        dropped = cursor.fetchall()
        if not dropped:
            return 0.0
        cursor.execute("SET maintenance_work_mem = '256MB'")
        try:
            for name, definition, constraint, constraint_definition in dropped:
                with transaction.atomic():
                    if constraint:
                        cursor.execute(
                            f'ALTER TABLE "{table}" ADD CONSTRAINT "{constraint}" '
                            f"{constraint_definition}"
                        )
                    else:
                        cursor.execute(definition)
                    cursor.execute(f"DELETE FROM {DROPPED} WHERE name = %s", [name])
        finally:
            cursor.execute("RESET maintenance_work_mem")
    return time.perf_counter() - started
