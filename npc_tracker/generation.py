"""The data's generation: one value that changes with every committed write the pages read.

The page cache (``npc_tracker.pagecache``) keys what it keeps by it, so it can never serve a
page older than the database: a write moves the generation in the same transaction as the
write itself, by a trigger on every table, so no service, admin action, import, Celery task
or management command can forget to.

- PostgreSQL: a statement trigger on each table records the writing transaction's id in
  ``npc_change`` (one row per transaction, ``ON CONFLICT DO NOTHING``: no row is updated,
  so concurrent writers never wait on each other or deadlock on it) and gives the
  transaction a new value of ``npc_write_seq`` in a transaction-local setting. The
  generation, read in one statement, is the newest committed id in ``npc_change``, the ids
  below it still in progress (from the statement's snapshot: their commit changes it), and
  the transaction's own setting (its own writes, when it has made any). Two reads that
  agree saw the same committed writes.
- SQLite (the demo and the tests; one writer at a time): row triggers move a counter row
  and a random number (so that a value rolled back and written again is not the same
  generation twice).

Tables that no page shows are left out (``UNTRACKED``): sessions (the idle timeout renews
one a minute), the login lockout's records and the devices' tokens. Their writes would
only empty the cache. ``install`` runs after every ``migrate`` (``apps.py``) and puts the
trigger on any table without one, so a new table is covered by its migration's run.
"""

from django.db import connections

UNTRACKED = frozenset(
    {
        "django_session",
        "django_migrations",
        "axes_accessattempt",
        "axes_accessattemptexpiration",
        "axes_accessfailurelog",
        "axes_accesslog",
        "api_devicetoken",
        "npc_change",
        "npc_generation",
    }
)
TRIGGER = "npc_generation"


def tracked_tables(connection) -> list[str]:
    return sorted(
        t
        for t in connection.introspection.table_names()
        if t not in UNTRACKED and not t.startswith("sqlite_")
    )


def install(using: str = "default") -> list[str]:
    """Create what the generation needs and put its trigger on every tracked table that
    has none; the tables it was put on."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        return _install_postgresql(connection)
    if connection.vendor == "sqlite":
        return _install_sqlite(connection)
    return []


def _install_postgresql(connection) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS npc_change (txid bigint PRIMARY KEY)")
        cursor.execute("CREATE SEQUENCE IF NOT EXISTS npc_write_seq")
        cursor.execute(
            """
            CREATE OR REPLACE FUNCTION npc_note_change() RETURNS trigger AS $$
            BEGIN
                INSERT INTO npc_change (txid)
                VALUES (pg_current_xact_id()::text::bigint) ON CONFLICT DO NOTHING;
                PERFORM set_config('npc.writes', nextval('npc_write_seq')::text, true);
                RETURN NULL;
            END;
            $$ LANGUAGE plpgsql
            """
        )
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname = %s",
            [TRIGGER],
        )
        done = {row[0] for row in cursor.fetchall()}
        added = [t for t in tracked_tables(connection) if t not in done]
        for table in added:
            cursor.execute(
                f"CREATE TRIGGER {TRIGGER} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
                f"ON {connection.ops.quote_name(table)} "
                "FOR EACH STATEMENT EXECUTE FUNCTION npc_note_change()"
            )
    return added


def _install_sqlite(connection) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS npc_generation (n integer NOT NULL, r integer NOT NULL)"
        )
        cursor.execute(
            "INSERT INTO npc_generation SELECT 0, 0 WHERE NOT EXISTS (SELECT 1 FROM npc_generation)"
        )
        cursor.execute(
            "SELECT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'npc_gen_%'"
        )
        done = {row[0] for row in cursor.fetchall()}
        added = [t for t in tracked_tables(connection) if t not in done]
        for table in added:
            for event in ("INSERT", "UPDATE", "DELETE"):
                cursor.execute(
                    f'CREATE TRIGGER IF NOT EXISTS "npc_gen_{event[0].lower()}_{table}" '
                    f'AFTER {event} ON "{table}" BEGIN '
                    "UPDATE npc_generation SET n = n + 1, r = random(); END"
                )
    return added


# The generation as one SQL expression (a text), for a query of its own or a column of
# another (the signed-in user's, npc_tracker.auth); ``parse`` makes it the key's value.
SQL = {
    "postgresql": (
        "(SELECT max(txid) FROM npc_change)::text || '/' || pg_current_snapshot()::text "
        "|| '/' || coalesce(current_setting('npc.writes', true), '')"
    ),
    "sqlite": "(SELECT n || ':' || r FROM npc_generation)",
}


def sql(using: str = "default") -> str | None:
    return SQL.get(connections[using].vendor)


def parse(raw: str | None, using: str = "default") -> str | None:
    if raw is None or connections[using].vendor != "postgresql":
        return raw
    newest, snapshot, own = raw.split("/")
    newest = int(newest or 0)  # "" before the first write
    # "xmin:xmax:xip,...": the ids below the newest that are still in progress.
    running = ",".join(x for x in snapshot.split(":")[2].split(",") if x and int(x) < newest)
    return f"{newest}:{running}:{own}"


def current(using: str = "default") -> str | None:
    """The generation now, in one query; None where the database keeps none."""
    expression = sql(using)
    if expression is None:
        return None
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT {expression}")
        return parse(cursor.fetchone()[0], using)


def prune(using: str = "default") -> int:
    """Forget the committed transactions below the newest (the generation reads only the
    newest and those still running); the rows deleted."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM npc_change WHERE txid < (SELECT max(txid) FROM npc_change)")
        return cursor.rowcount
