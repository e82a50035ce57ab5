"""Writing the generated rows: the columns per model, the ids, COPY and ``executemany``."""

import itertools
import queue
import threading
import time
from collections import Counter

import psycopg
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import JSONField

from deputies.models import Deputy
from suggestions.models import (
    Assignment,
    Commitment,
    Communication,
    CoOpinion,
    ExtensionRequest,
    KeySuggestion,
    ReassignmentRequest,
    Redo,
    Reminder,
    Reply,
    Revisit,
    RevisitOutcome,
    SignOff,
    SimilarityEntry,
    Suggestion,
)

User = get_user_model()

# The columns written per model, in the order of the generated tuples.
COLUMNS = {
    User: (
        "id", "password", "last_login", "is_superuser", "username", "first_name",
        "last_name", "email", "is_staff", "is_active", "date_joined",
    ),
    Deputy: (
        "id", "user_id", "name", "gender", "ethnicity", "party", "level", "delegation",
        "term", "position", "mobile",
    ),
    Suggestion: (
        "id", "term", "session", "number", "title", "content", "category", "delegation",
        "lead_deputy_id", "raised_on", "state", "round", "complex", "merged_into_id",
        "state_before_merge", "created_at", "created_by_id",
    ),
    Suggestion.co_deputies.through: ("id", "suggestion_id", "deputy_id"),
    # The finder's grams and marks (issue 14), one row per suggestion, keyed by it.
    SimilarityEntry: (
        "suggestion_id", "grams", "raised_before", "raised_by_several", "checked_at",
    ),
    Assignment: (
        "id", "suggestion_id", "unit_id", "role", "assigned_on", "due_on", "original_due_on",
        "due_basis", "closed_on", "close_reason", "created_at", "handler_id",
    ),
    ReassignmentRequest: (
        "id", "reason", "requested_by_id", "requested_at", "decision", "decided_by_id",
        "decided_at", "assignment_id",
    ),
    ExtensionRequest: (
        "id", "reason", "requested_by_id", "requested_at", "decision", "decided_by_id",
        "decided_at", "assignment_id", "until",
    ),
    Communication: (
        "id", "assignment_id", "round", "stage", "method", "happened_on", "notes",
        "recorded_by_id", "recorded_at",
    ),
    CoOpinion: ("id", "assignment_id", "text", "submitted_by_id", "submitted_at"),
    Reply: (
        "id", "suggestion_id", "assignment_id", "round", "classification", "text", "document",
        "due_on", "on_time", "submitted_by_id", "submitted_at",
    ),
    Commitment: ("id", "reply_id", "text", "due_on"),
    SignOff: (
        "id", "suggestion_id", "reply_id", "round", "level", "signer_id", "signed_at",
        "opinion", "work_rating", "result_rating", "deputy_id", "signed_on", "recorded_by_id",
        "verified_by_id", "paper_id", "scan",
    ),
    Redo: (
        "id", "suggestion_id", "unit_id", "round", "grounds", "reason", "due_on",
        "ordered_by_id", "ordered_at",
    ),
    Revisit: (
        "id", "suggestion_id", "reply_id", "notes", "recorded_by_id", "recorded_at", "due_on",
        "early_reason", "decision",
    ),
    RevisitOutcome: ("id", "revisit_id", "commitment_id", "outcome"),
    KeySuggestion: (
        "id", "suggestion_id", "year", "leader_id", "committee", "chosen_on", "designated_by_id",
    ),
    Reminder: (
        "id", "recipient_id", "kind", "suggestion_id", "assignment_id", "target", "due_on",
        "days", "sweep", "created_at", "sent_at", "summary", "link",
    ),
}  # fmt: skip
# Written per chunk, parents first.
CHUNK_MODELS = [m for m in COLUMNS if m not in (User, Deputy, Reminder)]


def check_columns() -> None:
    """Refuse to run when a model's columns are not the ones this module writes."""
    for model, columns in COLUMNS.items():
        fields = {f.attname for f in model._meta.concrete_fields}
        if set(columns) != fields:
            raise ImproperlyConfigured(
                f"seed_bench writes {model._meta.db_table} as {sorted(columns)}, "
                f"but its fields are {sorted(fields)}"
            )


class Ids:
    """Ids handed out here for one table, past its sequence (PostgreSQL) and its max id."""

    def __init__(self, model):
        self.table = model._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(f'SELECT max(id) FROM "{self.table}"')
            highest = cursor.fetchone()[0] or 0
            self.sequence = None
            if connection.vendor == "postgresql":
                cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [self.table])
                self.sequence = cursor.fetchone()[0]
                cursor.execute(f"SELECT last_value, is_called FROM {self.sequence}")
                last, called = cursor.fetchone()
                highest = max(highest, last if called else last - 1)
        self._start(highest + 1)

    def _start(self, first: int) -> None:
        self.counter = itertools.count(first)
        self.text = map(str, self.counter)  # the same ids, as the rows' text

    def take(self) -> int:
        return next(self.counter)

    def sync(self) -> None:
        """Move the sequence past the ids handed out, so later inserts do not collide."""
        self.next = next(self.counter)
        self._start(self.next)
        if self.sequence and self.next > 1:
            with connection.cursor() as cursor:
                cursor.execute("SELECT setval(%s, %s)", [self.sequence, self.next - 1])


NULL = "\\N"  # rows are tuples of strings, as COPY's text format reads them


def _copy_sql(model, columns=None) -> str:
    names = ", ".join(
        connection.ops.quote_name(model._meta.get_field(c).column)
        for c in columns or COLUMNS[model]
    )
    return f'COPY "{model._meta.db_table}" ({names}) FROM STDIN'


def _copy_data(rows: list[tuple]) -> bytes:
    # The generated text holds no tab, newline or backslash: no escaping is needed.
    return ("\n".join(map("\t".join, rows)) + "\n").encode()


class Writer:
    """Inserts generated rows: COPY on PostgreSQL, ``executemany`` elsewhere.

    Rows are tuples of strings, ``NULL`` for a null, as COPY reads them; elsewhere each
    value is parsed and prepared by its model field, as a save would.
    """

    def __init__(self):
        self.rows = Counter()
        self.seconds = Counter()
        self.copy = connection.vendor == "postgresql"

    def write(self, model, rows: list[tuple]) -> None:
        if not rows:
            return
        started = time.perf_counter()
        with connection.cursor() as cursor:
            if self.copy:
                with cursor.cursor.copy(_copy_sql(model)) as copy:
                    copy.write(_copy_data(rows))
            else:
                columns = COLUMNS[model]
                names = ", ".join(
                    connection.ops.quote_name(model._meta.get_field(c).column) for c in columns
                )
                cursor.executemany(
                    f'INSERT INTO "{model._meta.db_table}" ({names}) '
                    f"VALUES ({', '.join(['%s'] * len(columns))})",
                    self._adapted(model, rows),
                )
        self.count(model, len(rows), time.perf_counter() - started)

    def count(self, model, rows: int, seconds: float) -> None:
        self.rows[model._meta.db_table] += rows
        self.seconds[model._meta.db_table] += seconds

    def _adapted(self, model, rows):
        fields = []
        for name in COLUMNS[model]:
            f = model._meta.get_field(name)
            # JSON arrives encoded; the field would encode it again.
            fields.append(None if isinstance(f, JSONField) else f)
        for row in rows:
            yield [
                None
                if v == NULL
                else (v if f is None else f.get_db_prep_save(f.to_python(v), connection))
                for f, v in zip(fields, row, strict=True)
            ]


class CopyPipeline:
    """COPY of chunks on connections of their own while the next chunk is generated.

    PostgreSQL only. Each chunk is one transaction on one of ``WRITERS`` connections
    (chunks hold whole suggestions with their own ids, so two can be written at once);
    an error in a writing thread stops the run at the next chunk handed over.
    """

    WRITERS = 2

    def __init__(self, writer: Writer):
        self.writer = writer
        self.lock = threading.Lock()
        self.queue: queue.Queue = queue.Queue(maxsize=1)
        self.error: BaseException | None = None
        self.threads = []
        for n in range(self.WRITERS):
            thread = threading.Thread(
                target=self._run, args=(self._connect(),), name=f"seed-bench-copy-{n}"
            )
            thread.start()
            self.threads.append(thread)

    def _connect(self):
        raw = connection.get_new_connection(connection.get_connection_params())
        raw.autocommit = False
        # For this connection only, skip the foreign keys' triggers (they would triple the
        # server's work): every reference is to a row written before it or in the same
        # chunk, by construction, and the tests load the same rows with the keys checked
        # (SQLite). The unique and check constraints still hold. Needs a superuser; without
        # one the keys are checked as usual.
        try:
            raw.execute("SET session_replication_role = replica")
        except psycopg.Error:
            raw.rollback()
        else:
            raw.commit()
        return raw

    def put(self, chunk: list[tuple]) -> None:
        """Hand over [(model, rows), ...]; waits while the writers are busy."""
        if self.error:
            raise self.error
        self.queue.put(chunk)

    def close(self) -> None:
        for _thread in self.threads:
            self.queue.put(None)
        for thread in self.threads:
            thread.join()
        if self.error:
            raise self.error

    def _run(self, raw) -> None:
        try:
            while (chunk := self.queue.get()) is not None:
                if self.error:
                    continue
                try:
                    with raw.cursor() as cursor:
                        for model, rows in chunk:
                            started = time.perf_counter()
                            with cursor.copy(_copy_sql(model)) as copy:
                                copy.write(_copy_data(rows))
                            with self.lock:
                                self.writer.count(model, len(rows), time.perf_counter() - started)
                    raw.commit()
                except BaseException as error:  # handed to the main thread
                    self.error = error
                    raw.rollback()
        finally:
            raw.close()
