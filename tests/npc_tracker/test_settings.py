"""The one settings module: the embedded default, and the real deployment from the environment."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection


def settings_with(**env) -> dict:
    """Import the settings module in a fresh interpreter with only ``env`` set."""
    code = (
        "import json, npc_tracker.settings as s;"
        "print(json.dumps({'engine': s.DATABASES['default']['ENGINE'],"
        "'name': str(s.DATABASES['default']['NAME']), 'eager': s.CELERY_TASK_ALWAYS_EAGER,"
        "'broker': s.CELERY_BROKER_URL, 'cache': s.CACHES['default']['BACKEND'],"
        "'cache_at': s.CACHES['default'].get('LOCATION', ''),"
        "'debug': s.DEBUG, 'lang': s.LANGUAGE_CODE, 'tz': s.TIME_ZONE}))"
    )
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE", "REDIS"))
    }
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, "DJANGO_SECRET_KEY": "a-server-key-" + "x" * 40, **env},
        cwd=settings.BASE_DIR,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout)


def test_settings_default_to_sqlite_and_in_process_tasks():
    """With nothing set: SQLite, Celery tasks run in-process, Chinese, Shanghai time."""
    s = settings_with()
    assert s["engine"] == "django.db.backends.sqlite3"
    assert s["eager"] is True
    assert s["broker"] == "memory://"
    assert s["debug"] is False
    assert (s["lang"], s["tz"]) == ("zh-hans", "Asia/Shanghai")


def test_settings_select_postgresql_and_redis_from_the_environment():
    """DATABASE_URL selects PostgreSQL; REDIS_URL the broker and cache, with a real worker."""
    s = settings_with(
        DATABASE_URL="postgres://npc:pw@db.example:5432/npc", REDIS_URL="redis://redis:6379/0"
    )
    assert s["engine"] == "django.db.backends.postgresql"
    assert s["name"] == "npc"
    assert s["eager"] is False
    assert s["broker"] == "redis://redis:6379/0"
    assert s["cache"] == "django.core.cache.backends.redis.RedisCache"
    # In a database of its own: clearing the cache (FLUSHDB) must not drop queued tasks.
    assert s["cache_at"] == "redis://redis:6379/1"


def test_the_cache_can_be_given_its_own_redis():
    s = settings_with(REDIS_URL="redis://:pw@redis:6379/3", REDIS_CACHE_URL="redis://cache:6379/0")
    assert (s["broker"], s["cache_at"]) == ("redis://:pw@redis:6379/3", "redis://cache:6379/0")


def test_a_server_refuses_to_start_without_a_secret_key():
    """DEBUG off and no DJANGO_SECRET_KEY: the settings refuse, saying what to set."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    out = subprocess.run(
        [sys.executable, "-c", "import npc_tracker.settings"],
        env=clean,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
    )
    assert out.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in out.stderr


def test_the_demo_runs_on_its_known_key_only_with_debug():
    s = settings_with(DJANGO_SECRET_KEY="", DJANGO_DEBUG="1")
    assert s["debug"] is True


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's JIT")
def test_postgresql_connections_run_without_jit():
    """The JIT compiler cost the ledger and the sweep a quarter of their time."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
