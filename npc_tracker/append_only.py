"""The database's side of append-only tables, for any app's migrations: PostgreSQL refuses
UPDATE and DELETE of a row, SQLite refuses UPDATE (its DELETE is refused in Python only:
Django's test flush empties tables with DELETE).

``create, drop = for_tables([...])`` gives the pair for ``migrations.RunPython``; the
function the triggers call is made if missing and never dropped here (other apps' triggers
call it too)."""


def for_tables(tables: list[str]):
    """The (create, drop) pair of RunPython operations for ``tables``' triggers."""

    def create(apps, schema_editor):
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
            for table in tables:
                schema_editor.execute(
                    f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                    "FOR EACH ROW EXECUTE FUNCTION npc_refuse_change()"
                )
        elif vendor == "sqlite":
            for table in tables:
                schema_editor.execute(
                    f"CREATE TRIGGER {table}_append_only BEFORE UPDATE ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, 'append-only table {table}: UPDATE refused'); END"
                )

    def drop(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for table in tables if vendor in ("postgresql", "sqlite") else ():
            on = f" ON {table}" if vendor == "postgresql" else ""
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only{on}")

    return create, drop
