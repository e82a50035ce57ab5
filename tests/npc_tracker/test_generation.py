"""The data's generation (npc_tracker.generation): every table a page reads is watched, a
committed write moves it, and a page is never served older than the data (PostgreSQL: with
writers committing out of order, from other connections)."""

import contextlib

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.test import Client
from django.urls import reverse

from npc_tracker import generation
from suggestions.models import Suggestion
from tests import flows
from tests.npc_tracker.test_pagecache import primed

pytestmark = pytest.mark.django_db
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="other connections' transactions"
)


def triggered_tables() -> dict[str, set[str]]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT c.relname, t.tgtype FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE t.tgname = %s",
                [generation.TRIGGER],
            )
            # tgtype bits: 4 insert, 8 delete, 16 update, 32 truncate.
            return {
                table: {e for bit, e in ((4, "I"), (8, "D"), (16, "U")) if kind & bit}
                for table, kind in cursor.fetchall()
            }
        cursor.execute(
            "SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger' "
            "AND name LIKE 'npc_gen_%'"
        )
        found = {}
        for table, name in cursor.fetchall():
            found.setdefault(table, set()).add(name.split("_")[2].upper())
        return found


def test_every_table_but_the_untracked_moves_the_generation_on_every_write():
    tables = connection.introspection.table_names()
    triggered = triggered_tables()
    for table in tables:
        if table in generation.UNTRACKED or table.startswith("sqlite_"):
            assert table not in triggered, table
        else:
            assert triggered.get(table) == {"I", "U", "D"}, table
    assert "suggestions_suggestion" in triggered and "auth_user" in triggered


def test_a_write_moves_it_and_a_session_does_not(cast):
    before = generation.current()
    assert before is not None
    session = SessionStore()  # a session row (the idle timeout renews one a minute)
    session["_last_seen"] = 1
    session.save()
    assert generation.current() == before
    flows.proposed(cast)
    assert generation.current() != before


@contextlib.contextmanager
def writers(count: int):
    """Connections of their own, each in a transaction until it commits or closes."""
    opened = [connection.copy() for _ in range(count)]
    try:
        for writer in opened:
            writer.ensure_connection()
            writer.set_autocommit(False)
        yield opened
    finally:
        for writer in opened:
            writer.close()


def write(writer, column: str, value: str, suggestion) -> None:
    with writer.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Suggestion._meta.db_table} SET {column} = %s WHERE id = %s",
            [value, suggestion.pk],
        )


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_write_running_on_another_connection_shows_when_it_commits(cast):
    suggestion = flows.assigned(cast, title="最初的标题")
    client, url = Client(), reverse("tasks:list")
    assert "最初的标题" in primed(client, cast.clerk, url).content.decode()
    with writers(1) as (writer,):
        write(writer, "title", "新的标题", suggestion)
        # Not committed: the page kept is the page.
        assert "最初的标题" in client.get(url).content.decode()
        writer.commit()
        assert "新的标题" in client.get(url).content.decode()


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_an_older_transaction_committing_after_a_newer_one_moves_it(cast):
    suggestion = flows.assigned(cast, title="最初的标题")
    client, url = Client(), reverse("tasks:list")
    primed(client, cast.clerk, url)
    with writers(2) as (older, newer):
        write(older, "title", "较早事务的标题", suggestion)
        other = flows.proposed(cast, title="无关的建议")  # commits (autocommit) in between
        write(newer, "content", "乙", other)
        newer.commit()
        # Kept while the older one still runs: its title is not committed yet.
        assert "最初的标题" in client.get(url).content.decode()
        older.commit()
        assert "较早事务的标题" in client.get(url).content.decode()


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_pruning_keeps_the_generation(cast):
    flows.proposed(cast)
    flows.proposed(cast, title="第二条")
    before = generation.current()
    assert generation.prune() >= 1
    assert generation.current() == before
