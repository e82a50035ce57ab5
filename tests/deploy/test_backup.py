"""`make backup` and `make restore` (deploy/backup.sh, deploy/restore.sh) on PostgreSQL.

A suggestion is taken through the whole loop so that most tables hold rows; the test
database is dumped with the backup script and restored into a new database with the
restore script, and every table must come back with the same rows.
"""

import os
import shutil
import subprocess
import uuid
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.conf import settings
from django.db import connection
from psycopg import sql

from suggestions import services
from tests import flows

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump needs PostgreSQL"),
    pytest.mark.skipif(
        not (shutil.which("pg_dump") and shutil.which("pg_restore")),
        reason="needs PostgreSQL's client programs (pg_dump, pg_restore)",
    ),
    pytest.mark.django_db(transaction=True),
]


def database_url(name: str) -> str:
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = db["HOST"] or ""
    if host.startswith("/"):
        host = quote(host, safe="")
    port = f":{db['PORT']}" if db["PORT"] else ""
    at = "@" if credentials else ""
    return f"postgres://{credentials}{at}{host}{port}/{quote(name, safe='')}"


def run_script(script: str, *args: str, database: str, media_root: Path, backup_dir: Path):
    environment = {
        **os.environ,
        "DATABASE_URL": database_url(database),
        "DJANGO_MEDIA_ROOT": str(media_root),
        "BACKUP_DIR": str(backup_dir),
    }
    return subprocess.run(
        ["bash", str(ROOT / "deploy" / script), *args],
        env=environment,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=300,
    )


def connect(name: str):
    db = connection.settings_dict
    return psycopg.connect(
        dbname=name,
        user=db["USER"] or None,
        password=db["PASSWORD"] or None,
        host=db["HOST"] or None,
        port=db["PORT"] or None,
        autocommit=True,
        options="-c TimeZone=UTC -c DateStyle=ISO",
    )


def fingerprint(name: str) -> dict[str, tuple[int, str]]:
    """Each table's row count and a checksum of its rows (in a fixed order), and sequences."""
    tables = connection.introspection.table_names()
    result = {}
    with connect(name) as conn:
        for table in tables:
            quoted = sql.Identifier(table)
            count, digest = conn.execute(
                sql.SQL(
                    "SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), ''))"
                    " FROM {} AS t"
                ).format(quoted)
            ).fetchone()
            result[table] = (count, digest)
        for sequence, last_value in conn.execute(
            "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'"
        ):
            result[f"sequence {sequence}"] = (last_value, "")
    return result


def files_under(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def table_of_contents_end(data: bytes, scratch: Path) -> int:
    """The shortest start of a custom-format dump that pg_restore can list."""
    low, high = 0, len(data)
    while low < high:
        middle = (low + high) // 2
        scratch.write_bytes(data[:middle])
        listed = subprocess.run(["pg_restore", "--list", str(scratch)], capture_output=True)
        if listed.returncode == 0:
            high = middle
        else:
            low = middle + 1
    assert low < len(data), "the dump holds no data after its table of contents"
    return low


@pytest.fixture
def new_database():
    """An empty database beside the test database, dropped after the test."""
    name = f"{connection.settings_dict['NAME']}_restored_{uuid.uuid4().hex[:8]}"
    with connect("postgres") as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield name
    finally:
        with connect("postgres") as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


@pytest.fixture
def records(cast):
    """A suggestion revisited after a redo, and one only proposed: rows in most tables."""
    suggestion = flows.signed(cast)
    services.suggestion_order_redo(suggestion=suggestion, by=cast.staff, reason="答复不规范。")
    flows.prepare_reply(cast, suggestion)
    flows.reply(cast, suggestion)
    flows.sign_all(cast, suggestion)
    services.revisit_record(
        suggestion=suggestion,
        by=cast.staff,
        outcomes={c: "kept" for c in suggestion.current_reply().commitments.all()},
        notes="现场查看，信号灯已安装。",
        early_reason="承诺事项已提前完成。",
    )
    flows.proposed(cast, title="关于延长社区图书馆开放时间的建议")
    return suggestion


def test_backup_restores_every_row_into_a_new_database(records, new_database, tmp_path):
    """Every table's rows, the sequences, the documents and the append-only rule come back."""
    test_database = connection.settings_dict["NAME"]
    media_root = Path(settings.MEDIA_ROOT)
    backups = tmp_path / "backups"

    made = run_script(
        "backup.sh", database=test_database, media_root=media_root, backup_dir=backups
    )
    assert made.returncode == 0, made.stderr
    dump, media_archive = made.stdout.split()
    assert Path(dump).parent == backups and Path(dump).name.startswith("npc-")
    assert dump.endswith(".dump") and media_archive.endswith(".media.tar.gz")
    assert sorted(p.name for p in backups.iterdir()) == sorted(
        [Path(dump).name, Path(media_archive).name]
    )
    assert Path(dump).stat().st_mode & 0o077 == 0, "backups hold personal data: owner only"

    restored_media = tmp_path / "restored-media"
    restored = run_script(
        "restore.sh",
        dump,
        media_archive,
        database=new_database,
        media_root=restored_media,
        backup_dir=backups,
    )
    assert restored.returncode == 0, restored.stderr

    before, after = fingerprint(test_database), fingerprint(new_database)
    filled = {table for table, (count, _) in before.items() if count and "sequence" not in table}
    assert {
        "suggestions_suggestion",
        "suggestions_assignment",
        "suggestions_reply",
        "suggestions_commitment",
        "suggestions_signoff",
        "suggestions_redo",
        "suggestions_revisitoutcome",
        "django_fsm_log_statelog",
        "auditlog_logentry",
    } <= filled
    assert after == before

    documents = files_under(media_root)
    assert len(documents) == 2  # the first reply's and the redo's
    assert files_under(restored_media) == documents

    # The database still refuses to rewrite an append-only record after the restore.
    with connect(new_database) as conn, pytest.raises(psycopg.Error, match="append-only"):
        conn.execute("UPDATE suggestions_reply SET text = text || '!'")


def test_restore_of_a_damaged_dump_changes_nothing(cast, new_database, tmp_path):
    """A dump that breaks off is refused, and the database keeps what it had."""
    flows.assigned(cast)
    test_database = connection.settings_dict["NAME"]
    backups = tmp_path / "backups"
    made = run_script(
        "backup.sh", database=test_database, media_root=tmp_path / "none", backup_dir=backups
    )
    assert made.returncode == 0, made.stderr
    dump = made.stdout.split()[0]
    first = run_script(
        "restore.sh", dump, database=new_database, media_root=tmp_path, backup_dir=backups
    )
    assert first.returncode == 0, first.stderr
    before = fingerprint(new_database)

    damaged = tmp_path / "damaged.dump"
    data = Path(dump).read_bytes()
    # Cut half-way through the data, after the table of contents: pg_restore starts
    # replacing tables and fails on a table whose rows are missing.
    start = table_of_contents_end(data, damaged)
    damaged.write_bytes(data[: start + (len(data) - start) // 2])
    refused = run_script(
        "restore.sh", str(damaged), database=new_database, media_root=tmp_path, backup_dir=backups
    )

    assert refused.returncode != 0
    assert fingerprint(new_database) == before
