"""The whole run: add suggestions until the data set holds the total asked for."""

import contextlib
import datetime
import importlib
import random
import time
import zoneinfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.models.functions import Length
from django.utils import timezone

from deputies.models import Deputy
from reports.models import Deduction
from suggestions.models import HandlingUnit, NumberSequence, Reminder, Suggestion, UnitMembership
from suggestions.notifications import reminders

from . import assessment
from .cast import Cast, Setup
from .copy import CHUNK_MODELS, COLUMNS, CopyPipeline, Writer, check_columns
from .generator import Generator
from .plan import (
    BENCH_DEPUTY_SUGGESTIONS,
    BENCH_UNIT_ASSIGNMENTS,
    CHUNK,
    DOCUMENT,
    HISTORY_SWEEP,
    MIN_FIRST_RUN,
    SEED_USER,
    WITH_ASSIGNMENTS,
    S,
    batch_specs,
    decode,
    sessions,
    spread_pick,
)
from .tables import PDF

User = get_user_model()


# Adding this many suggestions or more, the finder's GIN index is dropped while the rows are
# copied and built again after (faster than growing it row by row).
REBUILD_GRAMS_INDEX_FROM = 100_000


class TooFew(ValueError):
    """The first run asked for fewer suggestions than the fixed actors need."""


def _numbers() -> dict:
    """The highest number used so far in each session the data set covers."""
    found = {}
    for term, session in sessions():
        last = (
            NumberSequence.objects.filter(term=term, session=session)
            .values_list("last", flat=True)
            .first()
        ) or 0
        highest = (
            Suggestion.objects.filter(term=term, session=session, number__regex=r"^[0-9]+$")
            .annotate(length=Length("number"))
            .order_by("-length", "-number")
            .values_list("number", flat=True)
            .first()
        )
        found[(term, session)] = max(last, int(highest or 0))
    return found


def _save_numbers(numbers: dict) -> None:
    for (term, session), last in numbers.items():
        sequence, _created = NumberSequence.objects.get_or_create(term=term, session=session)
        if last > sequence.last:
            sequence.last = last
            sequence.save(update_fields=["last"])


def _document() -> None:
    """The one reply document every seeded reply points to, so its download works."""
    if not default_storage.exists(DOCUMENT):
        default_storage.save(DOCUMENT, ContentFile(PDF))


def _bench_picks(specs: list[int], cast: Cast) -> tuple[dict, set]:
    """Which of the first chunk's suggestions are the bench unit's and the bench deputy's."""
    decoded = [decode(code) for code in specs]
    handled = [(i, (k, s)) for i, (k, s) in enumerate(decoded) if s in WITH_ASSIGNMENTS]
    current = [(i, s) for i, (k, s) in handled if k == 0]
    picked = spread_pick(current, min(100, len(current)))
    taken = set(picked)
    past = [(i, k) for i, (k, _s) in handled if k > 0 and i not in taken]
    picked += spread_pick(past, BENCH_UNIT_ASSIGNMENTS - len(picked))
    if len(picked) < BENCH_UNIT_ASSIGNMENTS:
        raise TooFew(MIN_FIRST_RUN)
    unit_roles = {i: ("co" if n % 5 == 4 else "lead") for n, i in enumerate(picked)}
    term = cast.bench_deputy_term
    # Spread over the states, in the current session and the earlier ones of the term; not
    # merged ones, so that the deputy's page lists the same mix as before issue 14 and its
    # figures stay comparable.
    own_term = [
        (i, (k, s))
        for i, (k, s) in enumerate(decoded)
        if sessions()[k][0] == term and s != S.MERGED
    ]
    ordered = [(i, (k > 0, s)) for i, (k, s) in own_term]
    deputy = set(spread_pick(ordered, BENCH_DEPUTY_SUGGESTIONS))
    if len(deputy) < BENCH_DEPUTY_SUGGESTIONS:
        raise TooFew(MIN_FIRST_RUN)
    return unit_roles, deputy


def existing_count() -> int:
    return Suggestion.objects.filter(created_by__username=SEED_USER).count()


def seed(*, total: int, seed: int = 1, chunk: int = CHUNK) -> tuple[list, float]:
    """Add suggestions until the data set holds ``total``; return (table, rows, s) lines."""
    check_columns()
    started = time.perf_counter()
    today = timezone.localdate()
    writer = Writer()
    have = existing_count()
    if have == 0 and 0 < total < MIN_FIRST_RUN:
        raise TooFew(MIN_FIRST_RUN)
    small = [HandlingUnit, UnitMembership, NumberSequence]
    counts = {model: model.objects.count() for model in small}
    if total > have:
        rng = random.Random(f"{seed}-{have}-{total}")
        setup_started = time.perf_counter()
        users_before = User.objects.count()
        with transaction.atomic():
            cast = Setup(writer, rng, today).run(total)
        users = User._meta.db_table
        writer.rows[users] = User.objects.count() - users_before
        writer.seconds[users] = (
            time.perf_counter() - setup_started - writer.seconds[Deputy._meta.db_table]
        )
        _document()
        specs = batch_specs(have, total, rng)
        picks = _bench_picks(specs[:chunk], cast) if cast.fresh else ({}, set())
        numbers = _numbers()
        generator = Generator(cast, rng, today, numbers)
        with grams_index_rebuilt(len(specs), writer):
            pipeline = CopyPipeline(writer) if connection.vendor == "postgresql" else None
            try:
                for start in range(0, len(specs), chunk):
                    for i, code in enumerate(specs[start : start + chunk], start):
                        k, state = decode(code)
                        generator.suggestion(k, state, picks[0].get(i, ""), i in picks[1])
                    if pipeline:
                        pipeline.put(generator.chunk())
                    else:
                        with transaction.atomic():
                            for model, rows in generator.chunk():
                                writer.write(model, rows)
            finally:
                if pipeline:
                    pipeline.close()
        with transaction.atomic():
            generator.sync()
            _save_numbers(numbers)
        if connection.vendor == "postgresql":
            # Fresh statistics, or the planner takes the new rows for a few (as autovacuum
            # would put right later) and the reminder queries below crawl.
            with connection.cursor() as cursor:
                for model in [User, Deputy, *CHUNK_MODELS]:
                    if writer.rows[model._meta.db_table]:
                        cursor.execute(f'ANALYZE "{model._meta.db_table}"')
        assessment_started = time.perf_counter()
        writer.rows[Deduction._meta.db_table] += assessment.write(rng, today, cast.staff)
        writer.seconds[Deduction._meta.db_table] += time.perf_counter() - assessment_started
        history_started = time.perf_counter()
        writer.rows[Reminder._meta.db_table] += reminder_history(today)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f'ANALYZE "{Reminder._meta.db_table}"')
        writer.seconds[Reminder._meta.db_table] += time.perf_counter() - history_started
    for model in small:
        writer.rows[model._meta.db_table] = model.objects.count() - counts[model]
    lines = [
        (
            model._meta.db_table,
            writer.rows[model._meta.db_table],
            writer.seconds[model._meta.db_table],
        )
        for model in [User, Deputy, *small, *CHUNK_MODELS, Reminder, Deduction]
    ]
    if GRAMS_INDEX in writer.seconds:
        lines.append((GRAMS_INDEX, 0, writer.seconds[GRAMS_INDEX]))  # built again
    return lines, time.perf_counter() - started


# The migration that creates the finder's GIN index: its definition's one source.
_GRAMS_MIGRATION = importlib.import_module(
    "suggestions.migrations.0013_merge_key_visits_similarity"
)
GRAMS_INDEX = _GRAMS_MIGRATION.GRAMS_INDEX


@contextlib.contextmanager
def grams_index_rebuilt(adding: int, writer: Writer):
    """Without the finder's GIN index while ``adding`` suggestions are copied, when they
    are many (PostgreSQL): it is dropped, then built again as its migration builds it,
    even when the copy fails, and also when an interrupted run had left it dropped."""
    present = rebuild = False
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = %s", [GRAMS_INDEX])
            present = cursor.fetchone() is not None
            rebuild = not present or adding >= REBUILD_GRAMS_INDEX_FROM
            if present and rebuild:
                cursor.execute(f"DROP INDEX {GRAMS_INDEX}")
    if not rebuild:
        yield
        return
    try:
        yield
    finally:
        started = time.perf_counter()
        with connection.cursor() as cursor:
            # A quarter faster than the server's default 64 MB at a million rows.
            cursor.execute("SET maintenance_work_mem = '256MB'")
        try:
            with connection.schema_editor() as editor:
                _GRAMS_MIGRATION._grams_index(None, editor)
        finally:
            with connection.cursor() as cursor:
                cursor.execute("RESET maintenance_work_mem")
        writer.seconds[GRAMS_INDEX] += time.perf_counter() - started


def reminder_history(today: datetime.date) -> int:
    """Write as sent the reminders due yesterday: the sweep ran every day until then."""
    yesterday = today - datetime.timedelta(days=1)
    tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    sent = datetime.datetime.combine(yesterday, datetime.time(8), tzinfo=tz)
    rows = [
        (recipient, due.kind, due.suggestion_id, due.assignment_id, due.target, due.due_on,
         due.days, HISTORY_SWEEP, sent, sent, due.summary, due.link)
        for due in reminders.due_reminders(yesterday)
        for recipient in sorted(due.recipient_ids)
    ]  # fmt: skip
    before = Reminder.objects.filter(sweep=HISTORY_SWEEP).count()
    columns = [c for c in COLUMNS[Reminder] if c != "id"]
    names = ", ".join(
        connection.ops.quote_name(Reminder._meta.get_field(c).column) for c in columns
    )
    table = Reminder._meta.db_table
    # Yesterday's sweep key may equal one a sweep of today wrote already: keep that one.
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP TABLE IF EXISTS bench_reminder")  # a run in one transaction
            cursor.execute(f'CREATE TEMPORARY TABLE bench_reminder (LIKE "{table}") ON COMMIT DROP')
            cursor.execute("ALTER TABLE bench_reminder DROP COLUMN id")
            with cursor.cursor.copy(f"COPY bench_reminder ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            cursor.execute(
                f'INSERT INTO "{table}" ({names}) SELECT {names} FROM bench_reminder '
                "ON CONFLICT DO NOTHING"
            )
        else:
            placeholders = ", ".join(["%s"] * len(columns))
            fields = [Reminder._meta.get_field(c) for c in columns]
            cursor.executemany(
                f'INSERT OR IGNORE INTO "{table}" ({names}) VALUES ({placeholders})',
                [
                    [f.get_db_prep_save(v, connection) for f, v in zip(fields, row, strict=True)]
                    for row in rows
                ],
            )
    return Reminder.objects.filter(sweep=HISTORY_SWEEP).count() - before
