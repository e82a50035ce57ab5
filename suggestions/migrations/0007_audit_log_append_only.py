"""Audit records (django-auditlog's LogEntry) cannot be altered or removed.

The one change allowed is the one Django makes when an account is deleted: the entry's
actor becomes NULL (on_delete=SET_NULL) while everything else stays. PostgreSQL refuses
any other UPDATE and every DELETE; SQLite refuses the UPDATEs (its DELETE is refused in
Python only, as for the other append-only tables: Django's test flush deletes rows).
"""

from django.db import migrations

TABLE = "auditlog_logentry"


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(
            """
            CREATE OR REPLACE FUNCTION npc_audit_append_only() RETURNS trigger AS $$
            BEGIN
                IF TG_OP = 'UPDATE' AND NEW.actor_id IS NULL
                   AND (to_jsonb(NEW) - 'actor_id') = (to_jsonb(OLD) - 'actor_id') THEN
                    RETURN NEW;
                END IF;
                RAISE EXCEPTION 'audit records are append-only: %% refused', TG_OP;
            END;
            $$ LANGUAGE plpgsql
            """
        )
        schema_editor.execute(
            f"CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE} "
            "FOR EACH ROW EXECUTE FUNCTION npc_audit_append_only()"
        )
    elif vendor == "sqlite":
        LogEntry = apps.get_model("auditlog", "LogEntry")
        columns = ", ".join(
            f.column for f in LogEntry._meta.concrete_fields if f.column != "actor_id"
        )
        schema_editor.execute(
            f"CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OF {columns} ON {TABLE} "
            "BEGIN SELECT RAISE(ABORT, 'audit records are append-only: UPDATE refused'); END"
        )
        schema_editor.execute(
            f"CREATE TRIGGER {TABLE}_actor_only_cleared BEFORE UPDATE OF actor_id ON {TABLE} "
            "WHEN NEW.actor_id IS NOT NULL "
            "BEGIN SELECT RAISE(ABORT, 'audit records are append-only: UPDATE refused'); END"
        )


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE}")
        schema_editor.execute("DROP FUNCTION IF EXISTS npc_audit_append_only()")
    elif vendor == "sqlite":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_append_only")
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_actor_only_cleared")


class Migration(migrations.Migration):
    dependencies = [
        ("suggestions", "0006_notifications"),
        ("auditlog", "0017_add_actor_email"),
    ]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
