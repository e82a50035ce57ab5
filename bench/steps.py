"""The benchmark's measured steps, each run in a child process of its own (``bench/run.py``).

    DJANGO_SETTINGS_MODULE=bench.settings DATABASE_URL=... \\
        .venv/bin/python bench/steps.py {import FILE | sweep | export --format csv | similar
                                         | assessment | stations | duty}

A child of its own per step, so that the peak memory (a high-water mark, see ``peak_mb``)
is that step's alone. Each prints one line of JSON on stdout: the seconds, the rows, and
the peak memory in MB, absolute and above the baseline taken once Django is set up (and,
for the import, the file is read). A failure is a traceback on stderr and exit status 1.

None of them changes what was seeded: the import's rows are deleted after the import
committed, the sweeps are rolled back, the export only reads, the finder only reads (its
index is rebuilt in place), except the assessment's, which closes the busiest year (and
reopens it first when an earlier run left it closed). The finder's step is in
``bench/similar.py``, the assessment's in ``bench/assessment.py``, the stations' (the
opinion reminder rule; its reminders rolled back) in ``bench/stations.py``, the duty's (the
ranking, a deputy's year, the shortfalls; it only reads) in ``bench/duty.py``.
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.memory import peak_mb  # noqa: E402 (after the path is set)


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from django.db import connection

    connection.ensure_connection()


def run_import(path: str, username: str, term: int, session: int) -> dict:
    """Import the workbook as ``username``, commit, then delete what it imported (untimed).

    Every row of the workbook is a suggestion of ``term`` and ``session``, a session no
    seeded suggestion uses: that is how its rows are found again and deleted.
    """
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction

    import sheets as imports
    from suggestions.models import NumberSequence, SimilarityEntry, Suggestion

    if Suggestion.objects.filter(term=term, session=session).exists():
        raise SystemExit(f"term {term} session {session} has suggestions: not a free session")
    user = get_user_model().objects.get(username=username)
    data = Path(path).read_bytes()
    before = Suggestion.objects.count()
    baseline = peak_mb()
    # Timed like bench/import_speed.py: from the file's bytes to the commit, through the
    # call the admin and `manage.py import_data` make.
    started = time.perf_counter()
    report = imports.import_file(kind="suggestions", file=data, by=user, name=Path(path).name)
    seconds = time.perf_counter() - started
    peak = peak_mb()
    # The import committed (the commit is part of its cost): its rows are deleted again so
    # that the sizes stay as seeded. Plain SQL, as the ORM's cascade would first look for
    # rows in every related table.
    table = Suggestion._meta.db_table
    through = Suggestion.co_deputies.through._meta.db_table
    chosen = f"SELECT id FROM {table} WHERE term = %s AND session = %s"
    cleanup_error = ""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            for related in (through, SimilarityEntry._meta.db_table):
                cursor.execute(
                    f"DELETE FROM {related} WHERE suggestion_id IN ({chosen})", [term, session]
                )
            cursor.execute(f"DELETE FROM {table} WHERE term = %s AND session = %s", [term, session])
            NumberSequence.objects.filter(term=term, session=session).delete()
    except Exception as e:  # the figures stand; the rows left behind are reported
        cleanup_error = repr(e)
    return {
        "ok": report.ok,
        "rows": report.new,
        "errors": [str(error) for error in report.errors[:5]],
        "bytes": len(data),
        "seconds": seconds,
        "rows_per_second": report.new / seconds if seconds else None,
        "baseline_mb": baseline,
        "peak_mb": peak,
        "peak_above_baseline_mb": peak - baseline,
        "left_behind": Suggestion.objects.count() - before,
        "cleanup_error": cleanup_error,
    }


def run_sweep() -> dict:
    """Two reminder sweeps in a row; the second must find nothing new."""
    from django.db import transaction

    from suggestions import services
    from suggestions.models import Reminder

    baseline = peak_mb()
    sweeps = []
    # Rolled back, so that the seeded data stays as it was for the next size. Inside this
    # transaction nothing is delivered (deliveries are queued on commit, as separate tasks
    # in production), so the time is the sweep's own: selecting what is due and inserting
    # the reminders. The second sweep sees the first one's rows.
    with transaction.atomic():
        for _round in range(2):
            started = time.perf_counter()
            created = services.send_due_reminders()
            seconds = time.perf_counter() - started
            sweeps.append({"seconds": seconds, "created": created})
        reminders = Reminder.objects.count()
        transaction.set_rollback(True)
    peak = peak_mb()
    return {
        "sweeps": sweeps,
        "reminders_in_table": reminders,
        "baseline_mb": baseline,
        "peak_mb": peak,
        "peak_above_baseline_mb": peak - baseline,
    }


def run_export(fmt: str, limit: int) -> dict:
    """The ledger of the newest ``limit`` suggestions through the admin export's functions."""
    from suggestions import exports, selectors
    from suggestions.models import Suggestion

    rows = min(limit, selectors.suggestions_ledger().count())
    baseline = peak_mb()
    # The admin's queryset in the changelist's default order, at most ``limit`` rows.
    queryset = selectors.suggestions_ledger().order_by(*Suggestion._meta.ordering)[:limit]
    respond = {"csv": exports.ledger_csv_response, "xlsx": exports.ledger_xlsx_response}[fmt]
    started = time.perf_counter()
    response = respond(queryset)
    first_byte = None
    size = 0
    try:
        for piece in response.streaming_content if response.streaming else [response.content]:
            if first_byte is None:
                first_byte = time.perf_counter() - started
            size += len(piece)  # the null sink
    finally:
        response.close()
    seconds = time.perf_counter() - started
    peak = peak_mb()
    return {
        "format": fmt,
        "rows": rows,
        "bytes": size,
        "streaming": response.streaming,
        "response_class": type(response).__name__,
        "first_byte_seconds": first_byte,
        "seconds": seconds,
        "rows_per_second": rows / seconds if seconds else None,
        "baseline_mb": baseline,
        "peak_mb": peak,
        "peak_above_baseline_mb": peak - baseline,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    step = commands.add_parser("import", help="import a suggestions workbook, then delete it")
    step.add_argument("file")
    step.add_argument("--user", default="bench-staff")
    step.add_argument("--term", type=int, required=True)
    step.add_argument("--session", type=int, required=True)
    commands.add_parser("sweep", help="two reminder sweeps, rolled back")
    step = commands.add_parser("export", help="the ledger export into a null sink")
    step.add_argument("--format", choices=["csv", "xlsx"], required=True)
    step.add_argument("--limit", type=int, default=100_000)
    step = commands.add_parser("similar", help="the similar-suggestion finder's top-10 queries")
    step.add_argument("--queries", type=int, default=200)
    step.add_argument("--no-reindex", action="store_true", help="do not time a REINDEX")
    step = commands.add_parser("assessment", help="the units' assessment, live and closed")
    step.add_argument("--runs", type=int, default=5)
    step = commands.add_parser("stations", help="the opinion reminder rule at scale")
    step.add_argument("--runs", type=int, default=5)
    step = commands.add_parser("duty", help="the deputies' duty ranking at scale")
    step.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    setup()
    if args.command == "import":
        result = run_import(args.file, args.user, args.term, args.session)
    elif args.command == "sweep":
        result = run_sweep()
    elif args.command == "assessment":
        from bench.assessment import run_assessment

        result = run_assessment(args.runs)
    elif args.command == "stations":
        from bench.stations import run_stations

        result = run_stations(args.runs)
    elif args.command == "duty":
        from bench.duty import run_duty

        result = run_duty(args.runs)
    elif args.command == "similar":
        from bench.similar import run_similar

        result = run_similar(args.queries, reindex=not args.no_reindex)
    else:
        result = run_export(args.format, args.limit)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
