"""The deputies' duty at scale (issue 17): ``manage.py seed_bench_duty``.

Adds deputies (without accounts) until the database holds ``deputies`` of them, at every
level and in many delegations, half again of the current term and the rest of the one
before, and then duty records over the last five years, about ``records`` in all:

- every deputy of those two terms (the ones ``seed_bench`` made too, ``bench-deputy``
  among them) gets records only within their term and up to today; how busy a deputy is
  varies (a factor from 0.2 to 1.8, kept for all their years), so some fall short of the
  contact rules in some quarters and the ranking has a spread;
- the kinds mixed as an office sees them (receptions, activities, contacts and meetings
  most, reports to voters few); the automatic kinds (suggestions, receptions, activities)
  carry a source of their own, once per deputy, kind and source; most records' points are
  empty (the year's rule), one in ten has its own; about 2 % are reversed (a record of
  sign -1 that ``reverses`` it, the same day, kind, points and source, recorded 3 days
  later), as a withdrawn suggestion or a corrected activity leaves them;
- each of the five years has its rules (``DutyRule``), one kind left to its default.

The records are written month by month in date order, as they would arrive, each month
one transaction. The records table is append-only at the database (its triggers refuse
UPDATE and DELETE): every row is inserted once. On PostgreSQL a month's rows are made by
one ``INSERT ... SELECT`` from ``generate_series`` in the server (the arrays of deputies
and their expected counts passed in); elsewhere (the tests' SQLite) the same plan is
expanded in Python. Incremental: a month that has records is done; a second run with the
same figures adds nothing, an interrupted one adds the months missing. Growing the records
of months already written needs a fresh database.
"""

import datetime
import random
import time
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction

from deputies.models import Deputy, DutyRecord, DutyRule, Term
from deputies.models.duty import DEFAULT_POINTS

from .copy import NULL, Ids, Writer
from .duty_indexes import drop_indexes, restore_indexes
from .plan import STAFF
from .tables import CITIES, DISTRICTS, ETHNICITIES, GIVEN, PARTIES, POSITIONS, SURNAMES

Kind = DutyRecord.Kind
Level = Deputy.Level

YEARS = 5
CURRENT_TERM_SHARE = 0.6
REVERSED_SHARE = 0.02
OWN_POINTS_SHARE = 0.1
# How often each kind is recorded, in percent (the SQL picks a kind from 100 slots).
KIND_PERCENT = {
    Kind.MEETING: 12,
    Kind.INSPECTION: 5,
    Kind.RESEARCH: 5,
    Kind.TRAINING: 8,
    Kind.RECEPTION: 14,
    Kind.ACTIVITY: 14,
    Kind.CONTACT: 16,
    Kind.SUGGESTION_LEAD: 6,
    Kind.SUGGESTION_CO: 10,
    Kind.REPORT: 3,
    Kind.OTHER: 7,
}
# The kinds made by themselves from a source, and the source's name.
SOURCED = {
    Kind.RECEPTION: "reception",
    Kind.ACTIVITY: "activity",
    Kind.SUGGESTION_LEAD: "suggestion",
    Kind.SUGGESTION_CO: "suggestion",
}
LEVEL_WEIGHTS = {
    Level.NATIONAL: 1,
    Level.PROVINCIAL: 4,
    Level.CITY: 15,
    Level.COUNTY: 30,
    Level.TOWNSHIP: 50,
}
REVERSAL_NOTE = "来源已撤回（基准数据）"

assert sum(KIND_PERCENT.values()) == 100

User = get_user_model()


def kind_slots() -> list[str]:
    """100 kinds, each as often as its percent: a uniform draw picks by the weights."""
    return [kind for kind, percent in KIND_PERCENT.items() for _ in range(percent)]


def term_years(term: int, today: datetime.date) -> tuple[int, int]:
    """The first and last year of ``term``, by the bench's sessions (one session a year,
    five a term, the current term's session ``CURRENT_SESSION`` this year)."""
    npc = settings.NPC
    first = today.year - (npc["CURRENT_SESSION"] - 1) - (npc["CURRENT_TERM"] - term) * 5
    return first, first + 4


def ensure_terms(today: datetime.date) -> dict[int, tuple[datetime.date, datetime.date]]:
    """The current term and the one before exist with their dates; each one's days that
    fall in the five years and not after today."""
    current = settings.NPC["CURRENT_TERM"]
    window_start = datetime.date(today.year - YEARS + 1, 1, 1)
    spans = {}
    for number in (current - 1, current):
        first, last = term_years(number, today)
        term, _created = Term.objects.get_or_create(
            number=number,
            defaults={
                "starts_on": datetime.date(first, 1, 1),
                "ends_on": None if number == current else datetime.date(last, 12, 31),
            },
        )
        start = max(term.starts_on, window_start)
        end = min(term.ends_on or today, today)
        if start <= end:
            spans[number] = (start, end)
    return spans


def ensure_rules(today: datetime.date) -> int:
    """Each of the five years' rules: the defaults, a little higher every other year, one
    kind (other) left to its default. Returns the rules added."""
    added = 0
    for year in range(today.year - YEARS + 1, today.year + 1):
        bump = Decimal("0.5") if year % 2 else Decimal(0)
        for kind, points in DEFAULT_POINTS.items():
            if kind == Kind.OTHER:
                continue
            _rule, created = DutyRule.objects.get_or_create(
                year=year, kind=kind, defaults={"points": points + bump}
            )
            added += created
    return added


def _delegation(rng: random.Random, level: str) -> str:
    city = rng.choice(CITIES)
    if level in (Level.NATIONAL, Level.PROVINCIAL):
        return f"{city}代表团"
    district = rng.choice(DISTRICTS)
    if level == Level.CITY:
        return f"{city}{district}代表团"
    constituencies = 20 if level == Level.COUNTY else 60
    return f"{city}{district}第{rng.randrange(1, constituencies + 1)}选区"


def add_deputies(total: int, rng: random.Random, writer: Writer, today: datetime.date) -> int:
    """Deputies without accounts until there are ``total``; returns how many were added."""
    have = Deputy.objects.count()
    count = total - have
    if count <= 0:
        return 0
    current = settings.NPC["CURRENT_TERM"]
    terms = (current - 1, current)
    taken = set(Deputy.objects.filter(term__in=terms).values_list("name", "delegation", "term"))
    levels = list(LEVEL_WEIGHTS)
    weights = list(LEVEL_WEIGHTS.values())
    ids = Ids(Deputy)
    rows = []
    for _n in range(count):
        term = current if rng.random() < CURRENT_TERM_SHARE else current - 1
        level = rng.choices(levels, weights)[0]
        delegation = _delegation(rng, level)
        while True:
            name = rng.choice(SURNAMES) + rng.choice(GIVEN)
            if rng.random() < 0.8:
                name += rng.choice(GIVEN)
            if (name, delegation, term) not in taken:
                taken.add((name, delegation, term))
                break
        city = delegation[:3]
        position = rng.choice(POSITIONS).format(city=city, district=rng.choice(DISTRICTS))
        rows.append(
            (str(ids.take()), NULL, name, rng.choice("MF"), rng.choice(ETHNICITIES),
             rng.choice(PARTIES), level, delegation, str(term), position,
             f"13{rng.randrange(10**9):09d}")
        )  # fmt: skip
    with transaction.atomic():
        writer.write(Deputy, rows)
        ids.sync()
    return count


def months(today: datetime.date) -> list[tuple[datetime.date, datetime.date]]:
    """The first and last day of each month of the five years, up to today."""
    found = []
    year, month = today.year - YEARS + 1, 1
    while (year, month) <= (today.year, today.month):
        start = datetime.date(year, month, 1)
        following = datetime.date(year + month // 12, month % 12 + 1, 1)
        found.append((start, min(following - datetime.timedelta(days=1), today)))
        year, month = following.year, following.month
    return found


@dataclass
class Plan:
    """Who gets records in which month, and how many on average per deputy-day."""

    deputies: list[tuple[int, int, float]]  # (id, term, busyness factor)
    spans: dict[int, tuple[datetime.date, datetime.date]]
    per_day: float  # the mean records per deputy and day, before the factor
    staff: int


def make_plan(records: int, spans: dict, rng: random.Random) -> Plan:
    """Every deputy of the two terms with a factor; the mean that gives ``records`` in all,
    reversals included, over the days of their terms in the five years."""
    deputies = [
        (pk, term, 0.2 + 1.6 * rng.random())
        for pk, term in Deputy.objects.filter(term__in=list(spans))
        .order_by("pk")
        .values_list("pk", "term")
    ]
    days = {term: (end - start).days + 1 for term, (start, end) in spans.items()}
    # The factors' mean is 1 only on average: use the drawn ones.
    weighted_days = sum(factor * days[term] for _pk, term, factor in deputies) or 1
    per_day = records / (1 + REVERSED_SHARE) / weighted_days
    staff = User.objects.filter(username=STAFF).values_list("pk", flat=True).first()
    if staff is None:
        staff = User.objects.filter(is_staff=True).order_by("pk").values_list("pk", flat=True)[0]
    return Plan(deputies, spans, per_day, staff)


def month_done(start: datetime.date, end: datetime.date) -> bool:
    return DutyRecord.objects.filter(happened_on__range=(start, end)).exists()


def _month_deputies(plan: Plan, start: datetime.date, end: datetime.date):
    """(deputy, first day, days, expected count) of the deputies in their term that month."""
    found = []
    for pk, term, factor in plan.deputies:
        term_start, term_end = plan.spans[term]
        first, last = max(start, term_start), min(end, term_end)
        if first > last:
            continue
        days = (last - first).days + 1
        found.append((pk, first, days, plan.per_day * factor * days))
    return found


# One month's records, made in the server: for each deputy a number of records drawn
# around their expected count (its whole part, plus one with the chance of the rest), each
# a kind from the 100 slots, a day of the month, now and then points of its own; written
# in date order. Then some of them reversed, three days after they were recorded.
INSERT_MONTH = """
WITH made AS (
    INSERT INTO deputies_dutyrecord
        (deputy_id, kind, happened_on, points, sign, source, reverses_id, notes,
         recorded_by_id, recorded_at)
    SELECT r.deputy, r.kind, r.day,
           CASE WHEN r.rp < %(own_points)s
                THEN round((0.5 + r.rp / %(own_points)s * 4.5)::numeric, 1) END,
           1,
           CASE r.kind {sources} ELSE '' END,
           NULL, '',
           CASE WHEN r.kind IN ({automatic}) THEN NULL ELSE %(staff)s END,
           (r.day + time '10:00') AT TIME ZONE %(zone)s
    FROM (
        SELECT p.deputy,
               (%(slots)s::text[])[1 + floor(random() * 100)::int] AS kind,
               p.first + floor(random() * p.days)::int AS day,
               g.n, random() AS rp
        FROM unnest(%(deputy)s::bigint[], %(first)s::date[], %(days)s::int[],
                    %(expected)s::float8[]) AS p(deputy, first, days, expected)
        CROSS JOIN LATERAL generate_series(1, floor(p.expected + random())::int) AS g(n)
    ) AS r
    ORDER BY r.day, r.deputy
    RETURNING *
), reversed AS (
    INSERT INTO deputies_dutyrecord
        (deputy_id, kind, happened_on, points, sign, source, reverses_id, notes,
         recorded_by_id, recorded_at)
    SELECT deputy_id, kind, happened_on, points, -1, source, id, %(note)s,
           recorded_by_id, recorded_at + interval '3 days'
    FROM made
    WHERE random() < %(share)s
    ORDER BY happened_on, id
    RETURNING 1
)
SELECT (SELECT count(*) FROM made) + (SELECT count(*) FROM reversed)
"""


def _insert_month_sql() -> str:
    sources = " ".join(
        f"WHEN '{kind}' THEN '{name}:' || r.deputy || '-' || "
        f"to_char(r.day, 'YYYYMMDD') || '-' || r.n"
        for kind, name in SOURCED.items()
    )
    automatic = ", ".join(f"'{kind}'" for kind in SOURCED)
    return INSERT_MONTH.format(sources=sources, automatic=automatic)


def write_month_sql(plan: Plan, start: datetime.date, end: datetime.date, seed: float) -> int:
    """PostgreSQL: the month's records and their reversals, made in the server."""
    rows = _month_deputies(plan, start, end)
    with connection.cursor() as cursor:
        # The references are right by construction: the foreign keys' triggers are
        # skipped for this transaction (superuser only; otherwise they are checked). The
        # append-only triggers refuse only UPDATE and DELETE: nothing here needs them.
        cursor.execute("SAVEPOINT replica")
        try:
            cursor.execute("SET LOCAL session_replication_role = replica")
        except Exception:
            cursor.execute("ROLLBACK TO SAVEPOINT replica")
        cursor.execute("SELECT setseed(%s)", [seed])
        cursor.execute(
            _insert_month_sql(),
            {
                "deputy": [r[0] for r in rows],
                "first": [r[1] for r in rows],
                "days": [r[2] for r in rows],
                "expected": [r[3] for r in rows],
                "slots": kind_slots(),
                "own_points": OWN_POINTS_SHARE,
                "staff": plan.staff,
                "zone": settings.TIME_ZONE,
                "share": REVERSED_SHARE,
                "note": REVERSAL_NOTE,
            },
        )
        return cursor.fetchone()[0]


def write_month_python(
    plan: Plan, start: datetime.date, end: datetime.date, rng: random.Random
) -> int:
    """Elsewhere (the tests' SQLite): the same plan expanded here, through the ORM."""
    import zoneinfo

    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    slots = kind_slots()
    made = []
    for pk, first, days, expected in _month_deputies(plan, start, end):
        for n in range(1, int(expected + rng.random()) + 1):
            kind = slots[int(rng.random() * 100)]
            day = first + datetime.timedelta(days=int(rng.random() * days))
            rp = rng.random()
            points = None
            if rp < OWN_POINTS_SHARE:
                points = round(Decimal(0.5 + rp / OWN_POINTS_SHARE * 4.5), 1)
            made.append(
                DutyRecord(
                    deputy_id=pk,
                    kind=kind,
                    happened_on=day,
                    points=points,
                    source=f"{SOURCED[kind]}:{pk}-{day:%Y%m%d}-{n}" if kind in SOURCED else "",
                    recorded_by_id=None if kind in SOURCED else plan.staff,
                    recorded_at=datetime.datetime.combine(day, datetime.time(10), tzinfo=zone),
                )
            )
    made.sort(key=lambda r: (r.happened_on, r.deputy_id))
    made = DutyRecord.objects.bulk_create(made)
    reversals = [
        DutyRecord(
            deputy_id=r.deputy_id,
            kind=r.kind,
            happened_on=r.happened_on,
            points=r.points,
            sign=-1,
            source=r.source,
            reverses_id=r.pk,
            notes=REVERSAL_NOTE,
            recorded_by_id=r.recorded_by_id,
            recorded_at=r.recorded_at + datetime.timedelta(days=3),
        )
        for r in made
        if rng.random() < REVERSED_SHARE
    ]
    DutyRecord.objects.bulk_create(reversals)
    return len(made) + len(reversals)


# Adding this many records or more, the table's secondary indexes are dropped while they
# are written and built again after (each index kept row by row costs about 20 buffer
# visits per row: 10 s a month at 90,000 rows, against 1 s without them).
REBUILD_INDEXES_FROM = 500_000


def seed_duty(*, deputies: int, records: int, seed: int = 17, today=None) -> list[tuple]:
    """Grow the data set to ``deputies`` deputies and about ``records`` duty records;
    (what, rows added, seconds) lines."""
    from django.utils import timezone

    today = today or timezone.localdate()
    rng = random.Random(f"duty-{seed}")
    writer = Writer()
    lines = []
    started = time.perf_counter()
    with transaction.atomic():
        spans = ensure_terms(today)
        rules = ensure_rules(today)
    lines.append((DutyRule._meta.db_table, rules, time.perf_counter() - started))
    started = time.perf_counter()
    added = add_deputies(deputies, rng, writer, today)
    lines.append((Deputy._meta.db_table, added, time.perf_counter() - started))
    started = time.perf_counter()
    restored = restore_indexes()  # left dropped by an interrupted run
    todo = [(start, end) for start, end in months(today) if not month_done(start, end)]
    written = 0
    if todo:
        plan = make_plan(records, spans, rng)
        rebuild = (
            connection.vendor == "postgresql"
            and records * len(todo) / len(months(today)) >= REBUILD_INDEXES_FROM
        )
        if rebuild:
            drop_indexes()
        try:
            for index, (start, end) in enumerate(months(today)):
                if (start, end) not in todo:
                    continue
                with transaction.atomic():
                    if connection.vendor == "postgresql":
                        written += write_month_sql(
                            plan, start, end, (seed * 101 + index) % 997 / 997
                        )
                    else:
                        written += write_month_python(plan, start, end, rng)
        finally:
            if rebuild:
                restored += restore_indexes()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # Vacuumed, as autovacuum would have: the ranking's index-only scan needs
                # the visibility map (not inside a transaction: then analysed only).
                vacuum = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
                cursor.execute(f'{vacuum} "{DutyRecord._meta.db_table}"')
                cursor.execute(f'ANALYZE "{Deputy._meta.db_table}"')
    if restored:
        lines.append(("indexes built again", 0, restored))
    lines.append((DutyRecord._meta.db_table, written, time.perf_counter() - started))
    return lines
