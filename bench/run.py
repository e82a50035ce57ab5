"""``make bench``: the pages, the import, the reminder sweep and the ledger export, measured.

    .venv/bin/python bench/run.py [--smoke] [--sizes 10000,1000000] [--database-url URL]

Against PostgreSQL (the database of ``--database-url`` is dropped and created again), at
each size (the total number of suggestions, seeded by ``manage.py seed_bench``):

- the pages, served by gunicorn with 2 workers on 127.0.0.1 and loaded by wrk (one
  thread, 4 connections): a bare view that answers "ok" (the ceiling), ``tasks:list``
  of a unit with 500 assignments, ``status:list`` of a deputy with 20 suggestions,
  ``tasks:detail``, the admin's suggestion list with its default filters, and the same
  list on a default ``ModelAdmin`` (the baseline the admin must beat 3 times); for each
  the requests per second, p50 and p99 latency, SQL queries per request, the ratio to
  the ceiling;
- the import of a 10,000-row suggestions workbook: rows per second, peak memory;
- the reminder sweep, twice: seconds and reminders found (the second must find none);
- the ledger export of 100,000 rows as csv and xlsx: rows per second, peak memory;
- the similar-suggestion finder (issue 14, ``bench/similar.py``): its GIN index's build
  time and size, and 200 top-10 queries: p50, p95 and max milliseconds, peak memory;
- the units' assessment (issue 15, ``bench/assessment.py``): ``unit_assessment`` of the
  busiest year, live (median and max of 5 calls, SQL queries), the year's closing, the
  closed year read again; then through gunicorn and wrk the closed year's
  ``reports:assessment`` page and ``reports:dashboard`` for the office and a leader;
- the liaison stations (issue 16, ``bench/stations.py``): 10,000 stations and as many
  opinions as suggestions (``--opinions`` to choose) added by ``seed_bench_stations``,
  the opinion reminder rule timed, and as ``bench-keeper`` ``stations:detail`` of their
  station, ``stations:opinions`` and ``stations:opinions?station=<id>``;
- the deputies' duty (issue 17, ``bench/duty.py``): 100,000 deputies and 5,000,000 duty
  records over five years added once, at the first size (``seed_bench_duty``; they do not
  grow with the suggestions), then ``ranking`` of the busiest year, ``duty_year`` and
  ``shortfalls`` timed in a child process, and ``duty:mine`` (/my/duty/) under load.

``--only similar`` (or any of pages, import, sweep, export, similar, assessment,
stations, duty) measures only those parts; with ``--reuse`` it measures a database seeded
before (``--keep-database``).

It prints a table (figure, target, PASS or MISS) and writes ``bench/results.json``.
Every step has a time limit; a step that fails or runs out of time is recorded as
failed, with its error, and the run goes on. The default run fits in 15 minutes: the
largest size is reduced, and the table says so, when seeding it would not fit.
The exit status is 0 when targets are missed (this is a measurement); with ``--smoke``
it is 1 when a step failed, so CI can run it.

Needs PostgreSQL (trust or password in the URL) and wrk (``apt-get install -y wrk``;
installed by the script when it runs as root). Only the standard library and the
project's locked packages are used.

The parts, in the ``bench`` package: ``harness.py`` (the run's steps, time limits and
child processes), ``database.py`` (create, migrate, seed, vacuum, drop), ``pages.py``
(gunicorn, wrk, logins, query counts) and ``targets.py`` (the targets, the verdicts and
the table); this file measures each size and writes the results.
"""

import argparse
import contextlib
import datetime
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

# Run as a script, Python puts bench/ on the path, not the project's root: the root
# goes first so that the harness's own modules import as bench.*.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.database import (
    DEFAULT_DATABASE_URL,
    _connect,
    database_name,
    drop_database,
    migrate,
    recreate_database,
    seed_duty,
    seed_size,
    seed_stations,
    suggestion_count,
    vacuum_analyze,
)
from bench.harness import (
    FULL,
    LIMITS,
    PARTS,
    ROOT,
    SETTINGS,
    SMOKE,
    Mode,
    OutOfTime,
    Run,
    Step,
    StepFailed,
    django_setup,
    run_json_step,
)
from bench.pages import (
    duty_urls,
    ensure_wrk,
    measure,
    measure_pages,
    report_urls,
    station_urls,
)
from bench.targets import evaluate, format_table


def import_session() -> tuple[int, int, list[str]]:
    """A term and a free session for the import's rows, and deputies' names to use in them."""
    from django.db.models import Count, Max

    from deputies.models import Deputy
    from suggestions.models import Suggestion

    terms = Deputy.objects.values("term").annotate(n=Count("pk")).order_by("-n")
    if not terms:
        raise StepFailed("no deputies to import suggestions for")
    term = terms[0]["term"]
    # Names that name one deputy in the term, so that every row resolves.
    names = list(
        Deputy.objects.filter(term=term)
        .values("name")
        .annotate(n=Count("pk"))
        .filter(n=1)
        .order_by("name")
        .values_list("name", flat=True)[:300]
    )
    if len(names) < 3:
        raise StepFailed(f"fewer than 3 deputies of term {term} with a name of their own")
    latest = Suggestion.objects.filter(term=term).aggregate(Max("session"))["session__max"]
    return term, (latest or 100) + 1, names


def write_workbook(rows: int, folder: Path) -> tuple[Path, int, int]:
    from bench import import_speed

    term, session, names = import_session()
    path = folder / "import.xlsx"
    path.write_bytes(import_speed.excel_workbook(import_speed.rows_of(rows, names, session, term)))
    return path, term, session


def measure_size(run: Run, size: int, wrk: str, folder: Path, parts=PARTS) -> None:
    figures = run.figures.setdefault(size, {"pages": {}})
    figures["suggestions"] = suggestion_count()
    if "pages" in parts:
        measure_pages(run, size, wrk, folder)
    workbook = None
    if "import" in parts:
        workbook = run.step(
            "write the import workbook", size, write_workbook, run.mode.import_rows, folder
        )
    if workbook:
        path, term, session = workbook
        figures["import"] = run.step(
            "import",
            size,
            run_json_step,
            run,
            ["import", str(path), "--term", str(term), "--session", str(session)],
            LIMITS["import"],
        )
        found = figures["import"]
        if found and not found["ok"]:
            run.steps[-1].ok = False
            run.steps[-1].error = "rows refused: " + "; ".join(found["errors"])
        if found and (found["left_behind"] or found["cleanup_error"]):
            run.notes.append(
                f"the import's rows were not all deleted at {size:,}: {found['left_behind']}"
                f" left {found['cleanup_error']}; the next sizes hold that many more"
            )
    if "sweep" in parts:
        figures["sweep"] = run.step(
            "reminder sweep", size, run_json_step, run, ["sweep"], LIMITS["sweep"]
        )
    for fmt in ("csv", "xlsx") if "export" in parts else ():
        figures[f"export_{fmt}"] = run.step(
            f"export {fmt}",
            size,
            run_json_step,
            run,
            ["export", "--format", fmt, "--limit", str(run.mode.export_rows)],
            LIMITS["export"],
        )
    if "similar" in parts:
        figures["similar"] = run.step(
            "similar suggestions",
            size,
            run_json_step,
            run,
            ["similar", "--queries", str(run.mode.similar_queries)],
            LIMITS["similar"],
        )
    if "assessment" in parts:
        measure_assessment(run, size, wrk, folder)
    if "stations" in parts:
        measure_stations(run, size, wrk, folder)
    if "duty" in parts and not any("duty" in found for found in run.figures.values()):
        measure_duty(run, size, wrk, folder)


def measure_stations(run: Run, size: int, wrk: str, folder: Path) -> None:
    """Issue 16: the stations and opinions added (once; topped up to the size's opinions,
    also with ``--reuse``), the opinion reminder rule timed (a child process), then the
    keeper's station page and opinion lists under load."""
    figures = run.figures[size]
    opinions = run.mode.opinions or size
    figures["stations_seed"] = run.step("seed stations", size, seed_stations, run, opinions)
    found = figures["stations"] = run.step(
        "stations",
        size,
        run_json_step,
        run,
        ["stations", "--runs", str(run.mode.station_runs)],
        LIMITS["stations"],
    )
    if not found:
        return
    urls = station_urls(found["keeper_station"])
    figures["station_pages"] = {}
    measure(run, size, wrk, folder, urls, figures["station_pages"])


def measure_duty(run: Run, size: int, wrk: str, folder: Path) -> None:
    """Issue 17, once a run: the deputies and duty records added (topped up to the mode's
    figures, also with ``--reuse``), the ranking and the rest timed in a child process,
    then /my/duty/ under load."""
    figures = run.figures[size]
    figures["duty_seed"] = run.step("seed duty", size, seed_duty, run)
    found = figures["duty"] = run.step(
        "duty", size, run_json_step, run, ["duty", "--runs", str(run.mode.duty_runs)],
        LIMITS["duty"],
    )  # fmt: skip
    if not found:
        return
    figures["duty_pages"] = {}
    measure(run, size, wrk, folder, duty_urls(), figures["duty_pages"])


def measure_assessment(run: Run, size: int, wrk: str, folder: Path) -> None:
    """Issue 15: ``unit_assessment`` of the busiest year live, the year closed and read
    again (a child process), then the closed year's page and the dashboards under load."""
    figures = run.figures[size]
    found = figures["assessment"] = run.step(
        "assessment",
        size,
        run_json_step,
        run,
        ["assessment", "--runs", str(run.mode.assessment_runs)],
        LIMITS["assessment"],
    )
    if not found:
        return
    urls = report_urls(found["year"])
    figures["reports"] = {}
    measure(run, size, wrk, folder, urls, figures["reports"])


def machine(run: Run) -> dict:
    info = {
        "cpu": "",
        "cores": os.cpu_count(),
        "memory_gb": None,
        "python": platform.python_version(),
        "postgresql": None,
        "platform": platform.platform(),
        "load_average_at_start": os.getloadavg(),
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "commit": None,
    }
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                info["memory_gb"] = round(int(line.split()[1]) / 1024**2, 1)
    with contextlib.suppress(Exception), _connect(run.database_url, "postgres") as connection:
        info["postgresql"] = connection.execute("SHOW server_version").fetchone()[0]
    with contextlib.suppress(Exception):
        info["commit"] = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, timeout=10
        ).stdout.strip()
    return info


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="a seconds-long version for CI")
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--sizes", help="comma-separated numbers of suggestions")
    parser.add_argument("--seconds", type=int, help="wrk's duration per page")
    parser.add_argument("--budget", type=int, help="seconds for the whole run")
    parser.add_argument(
        "--opinions", type=int, help="opinions over the stations (default: the size's)"
    )
    parser.add_argument("--output", type=Path, help="the results file")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure the database as it is (no drop, no migrate, no seeding)",
    )
    parser.add_argument("--keep-database", action="store_true", help="do not drop it at the end")
    parser.add_argument(
        "--only", help=f"comma-separated parts to measure, of {', '.join(PARTS)} (default all)"
    )
    args = parser.parse_args(argv)
    parts = tuple(args.only.split(",")) if args.only else PARTS
    if set(parts) - set(PARTS):
        parser.error(f"--only: unknown parts {', '.join(sorted(set(parts) - set(PARTS)))}")
    mode = SMOKE if args.smoke else FULL
    if args.sizes:
        mode = Mode(**{**asdict(mode), "sizes": tuple(int(s) for s in args.sizes.split(","))})
    if args.seconds:
        mode = Mode(**{**asdict(mode), "wrk_seconds": args.seconds})
    if args.budget:
        mode = Mode(**{**asdict(mode), "budget": args.budget})
    if args.opinions:
        mode = Mode(**{**asdict(mode), "opinions": args.opinions})
    output = args.output or ROOT / "bench" / (
        "results-smoke.json" if args.smoke else "results.json"
    )
    database_name(args.database_url)
    wrk = ensure_wrk() if {"pages", "assessment", "stations", "duty"} & set(parts) else ""
    run = Run(mode=mode, database_url=args.database_url)
    print(f"bench: {'smoke' if args.smoke else 'full'} run, budget {mode.budget} s")
    info = machine(run)
    sizes: list[int] = []
    with tempfile.TemporaryDirectory(prefix="npc-bench-") as folder:
        folder = Path(folder)
        if args.reuse:
            django_setup(run.database_url)
            sizes = [suggestion_count()]
            run.figures[sizes[0]] = {"pages": {}}
            run.step("vacuum analyze", sizes[0], vacuum_analyze, run)
            measure_size(run, sizes[0], wrk, folder, parts)
        else:
            run.step("create database", None, recreate_database, run.database_url)
            if run.steps[-1].ok:
                run.step("migrate", None, migrate, run)
            ready = run.steps[-1].ok
            if ready:
                django_setup(run.database_url)
            previous, rate = 0, None
            for wanted in sorted(mode.sizes) if ready else []:
                started = time.monotonic()
                try:
                    size = seed_size(run, wanted, previous, rate)
                except OutOfTime as e:
                    run.steps.append(Step("seed", wanted, False, 0, str(e)))
                    break
                if size is None or size <= previous:
                    break
                rate = (size - previous) / (time.monotonic() - started)
                run.figures[size] = {"pages": {}}
                sizes.append(size)
                run.step("vacuum analyze", size, vacuum_analyze, run)
                measure_size(run, size, wrk, folder, parts)
                previous = size
        if not args.keep_database and not args.reuse:
            if "django" in sys.modules and os.environ.get("DJANGO_SETTINGS_MODULE") == SETTINGS:
                from django.db import connections

                connections.close_all()
            run.step("drop database", None, drop_database, run.database_url)
        log = folder / "gunicorn.log"
        server_errors = log.read_text(errors="replace")[-4000:] if log.exists() else ""
    rows = evaluate(run.figures, sizes, parts)
    elapsed = time.monotonic() - run.started
    print()
    print(format_table(rows))
    failed = [s for s in run.steps if not s.ok]
    for note in run.notes:
        print(f"note: {note}")
    for s in failed:
        print(
            f"failed: {s.name}"
            + (f" @ {s.size:,}" if s.size else "")
            + f": {s.error.splitlines()[0] if s.error else ''}"
        )
    print(f"total: {elapsed:.0f} s (budget {mode.budget} s)")
    info["load_average_at_end"] = os.getloadavg()
    results = {
        "mode": "smoke" if args.smoke else "full",
        "machine": info,
        "settings": {
            **asdict(mode),
            "gunicorn_workers": 2,
            "wrk": "-t1 -c4 --latency",
            "parts": list(parts),
        },
        "sizes": sizes,
        "requested_sizes": list(mode.sizes),
        "seconds": round(elapsed, 1),
        "notes": run.notes,
        "figures": {str(size): figures for size, figures in run.figures.items()},
        "table": [asdict(row) for row in rows],
        "steps": [asdict(step) for step in run.steps],
        "server_errors": server_errors,
    }
    output.write_text(json.dumps(results, indent=2, ensure_ascii=False, default=str) + "\n")
    print(f"results: {output}")
    return 1 if args.smoke and failed else 0


if __name__ == "__main__":
    sys.exit(main())
