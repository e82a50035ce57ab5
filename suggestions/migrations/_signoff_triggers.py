"""The append-only triggers of the tables migrations 0011 and 0012 change (a helper of
theirs: the loader skips modules whose name starts with "_")."""

import importlib

TABLES = [
    "suggestions_signoff",
    "suggestions_redo",
    "suggestions_revisit",
    "suggestions_interimcheck",
    "suggestions_redowaiver",
]
_triggers = importlib.import_module("suggestions.migrations.0003_append_only_triggers")


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor not in ("postgresql", "sqlite"):
        return
    for table in TABLES:
        on = f" ON {table}" if vendor == "postgresql" else ""
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only{on}")


def create(apps, schema_editor):
    existing = set(schema_editor.connection.introspection.table_names())
    tables = [t for t in TABLES if t in existing]
    previous, _triggers.TABLES = _triggers.TABLES, tables
    try:
        drop(apps, schema_editor)
        _triggers.create_triggers(apps, schema_editor)
    finally:
        _triggers.TABLES = previous
