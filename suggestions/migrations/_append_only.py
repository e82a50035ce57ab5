"""Append-only triggers for the tables a later migration adds, in any app (a helper of
theirs: the loader skips modules whose name starts with "_"). The function the triggers
call is made by suggestions 0003 and stays; these drop only their own tables' triggers."""

import importlib

_triggers = importlib.import_module("suggestions.migrations.0003_append_only_triggers")


def for_tables(tables: list[str]):
    """The (create, drop) pair of RunPython operations for ``tables``' triggers."""

    def create(apps, schema_editor):
        previous, _triggers.TABLES = _triggers.TABLES, list(tables)
        try:
            _triggers.create_triggers(apps, schema_editor)
        finally:
            _triggers.TABLES = previous

    def drop(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for table in tables if vendor in ("postgresql", "sqlite") else ():
            on = f" ON {table}" if vendor == "postgresql" else ""
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only{on}")

    return create, drop
