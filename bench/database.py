"""The benchmark's database (``bench/run.py``): created, migrated, seeded, vacuumed, dropped.

The database of ``--database-url`` is dropped and created again, so ``database_name``
refuses the server's own and CI's. ``seed_size`` grows the data to a size, or to less when
seeding all of it would not fit in the run's budget.
"""

import re
import time
import urllib.parse

from bench.harness import LIMITS, OutOfTime, Run, _python, run_child

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/npc_bench"
# Databases the harness never drops: the server's own, and CI's test databases.
PROTECTED_DATABASES = re.compile(r"^(postgres|template[01]|test|test_.*)$")


def database_name(url: str) -> str:
    parsed = urllib.parse.urlsplit(url)
    if parsed.scheme not in ("postgres", "postgresql", "pgsql"):
        raise SystemExit(f"--database-url must be a PostgreSQL URL, not {parsed.scheme}://")
    name = urllib.parse.unquote(parsed.path.lstrip("/"))
    if not name or PROTECTED_DATABASES.match(name):
        raise SystemExit(f"refusing to use the database {name!r}: choose a benchmark's own name")
    return name


def _connect(url: str, dbname: str | None = None):
    import psycopg

    parsed = urllib.parse.urlsplit(url)
    return psycopg.connect(
        host=parsed.hostname or "127.0.0.1",
        port=parsed.port or 5432,
        user=urllib.parse.unquote(parsed.username or "postgres"),
        password=urllib.parse.unquote(parsed.password or "") or None,
        dbname=dbname or urllib.parse.unquote(parsed.path.lstrip("/")),
        autocommit=True,
        connect_timeout=10,
    )


def recreate_database(url: str) -> None:
    from psycopg import sql

    name = database_name(url)
    with _connect(url, "postgres") as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop_database(url: str) -> None:
    from psycopg import sql

    name = database_name(url)
    with _connect(url, "postgres") as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def vacuum_analyze(run: Run) -> None:
    with _connect(run.database_url) as connection:
        seconds = int(run.limit(LIMITS["vacuum"]) * 1000)
        connection.execute(f"SET statement_timeout = {seconds}")
        connection.execute("VACUUM ANALYZE")


def migrate(run: Run) -> None:
    run_child(run, [_python(), "manage.py", "migrate", "--no-input", "-v", "0"], LIMITS["migrate"])


def seed_command(size: int) -> list[str]:
    """The seeding command; ``size`` is the total number of suggestions wanted."""
    return [_python(), "manage.py", "seed_bench", "--suggestions", str(size)]


def seed(run: Run, size: int, cap: float) -> float:
    started = time.monotonic()
    run_child(run, seed_command(size), cap)
    return time.monotonic() - started


def seed_stations(run: Run, opinions: int) -> dict:
    """Add the liaison stations (once) and opinions up to ``opinions`` (issue 16)."""
    started = time.monotonic()
    out = run_child(
        run,
        [_python(), "manage.py", "seed_bench_stations", "--stations", str(run.mode.stations),
         "--opinions", str(opinions)],
        LIMITS["seed stations"],
    )  # fmt: skip
    return {"seconds": time.monotonic() - started, "output": out.strip().splitlines()}


def seed_duty(run: Run) -> dict:
    """Add the deputies and their duty records up to the mode's figures (issue 17)."""
    started = time.monotonic()
    out = run_child(
        run,
        [_python(), "manage.py", "seed_bench_duty", "--deputies", str(run.mode.duty_deputies),
         "--records", str(run.mode.duty_records)],
        LIMITS["seed duty"],
    )  # fmt: skip
    return {"seconds": time.monotonic() - started, "output": out.strip().splitlines()}


def round_down(n: float) -> int:
    """``n`` rounded down to two significant digits (437,912 -> 430,000)."""
    n = int(n)
    if n < 100:
        return n
    scale = 10 ** (len(str(n)) - 2)
    return n // scale * scale


def suggestion_count() -> int:
    from suggestions.models import Suggestion

    return Suggestion.objects.count()


def seed_size(run: Run, size: int, previous: int, rate: float | None) -> int | None:
    """Seed up to ``size`` suggestions, or fewer when the budget is short; the size reached.

    ``rate`` is the seeding speed seen so far (suggestions per second). When seeding all of
    ``size`` would not leave time to measure it, an intermediate size is seeded first to
    learn the speed, then the largest size that fits (seed_bench's number is the total,
    so each call adds what is missing).
    """
    reserve = run.mode.measure_reserve

    def seed_to(target: int) -> float | None:
        cap = run.left() - reserve
        if cap < 10:
            raise OutOfTime("no time left to seed")
        return run.step("seed", target, seed, run, target, cap)

    if rate is not None and (size - previous) / rate > run.left() - reserve:
        step = round_down(previous + rate * (run.left() - reserve) / 3)
        if step > previous:
            seconds = seed_to(step)
            if seconds is None:
                return None
            rate = (step - previous) / seconds
            previous = step
        fits = round_down(previous + rate * (run.left() - reserve) * 0.8)
        if fits < size:
            run.notes.append(
                f"{size:,} suggestions did not fit in the time budget"
                f" (seeding at {rate:,.0f} per second): measured at {max(fits, previous):,}"
            )
            size = max(fits, previous)
        if size == previous:
            return size
    return size if seed_to(size) is not None else None
