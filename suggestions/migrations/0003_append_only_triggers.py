"""Append-only records refused at the database, not only in Python.

PostgreSQL (the real deployment) refuses UPDATE and DELETE of a row. SQLite (the embedded
default) refuses UPDATE; its DELETE is refused in Python only, because Django's test
flush empties tables with DELETE. TRUNCATE, used by PostgreSQL's flush, fires no row
trigger.
"""

from django.db import migrations

TABLES = [
    "suggestions_communication",
    "suggestions_coopinion",
    "suggestions_reply",
    "suggestions_commitment",
    "suggestions_signoff",
    "suggestions_redo",
    "suggestions_revisit",
    "suggestions_revisitoutcome",
    "django_fsm_log_statelog",
]


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(
            """
            CREATE OR REPLACE FUNCTION npc_refuse_change() RETURNS trigger AS $$
            BEGIN
                RAISE EXCEPTION 'append-only table %%: %% refused', TG_TABLE_NAME, TG_OP;
            END;
            $$ LANGUAGE plpgsql
            """
        )
        for table in TABLES:
            schema_editor.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION npc_refuse_change()"
            )
    elif vendor == "sqlite":
        for table in TABLES:
            schema_editor.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE ON {table} "
                f"BEGIN SELECT RAISE(ABORT, 'append-only table {table}: UPDATE refused'); END"
            )


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor not in ("postgresql", "sqlite"):
        return
    for table in TABLES:
        on = f" ON {table}" if vendor == "postgresql" else ""
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only{on}")
    if vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS npc_refuse_change()")


class Migration(migrations.Migration):
    dependencies = [
        ("suggestions", "0002_staff_groups"),
        ("django_fsm_log", "0004_auto_20190131_0341"),
    ]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
