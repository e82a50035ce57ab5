"""The deputies' duty measured (issue 17): ``bench/steps.py duty``.

In a child process of its own (``bench/run.py``), on the data ``seed_bench_duty`` wrote:

- the busiest year (the most duty records, up to this one), its records, the deputies;
- ``deputies.selectors.ranking(year=Y)``: one untimed call, one under
  ``CaptureQueriesContext`` (the query count), then ``runs`` timed calls: median and max
  wall time, and the SQL's share of it;
- ``duty_year`` of ``bench-deputy`` for this year (what /my/duty/ shows): the same;
- ``shortfalls(year=Y)``: the same, and how many deputies fall short.

Nothing is written. The /my/duty/ page itself is loaded by the harness (``bench/pages.py``,
``duty_urls``): its queries with the test client, its p50 and throughput under wrk.
"""

import statistics
import time

DEPUTY_USER = "bench-deputy"


def busiest_year() -> tuple[int, int]:
    """The year with the most duty records, up to this one, and their number."""
    from django.db.models import Count
    from django.db.models.functions import ExtractYear
    from django.utils import timezone

    from deputies.models import DutyRecord

    found = (
        DutyRecord.objects.annotate(year=ExtractYear("happened_on"))
        .filter(year__lte=timezone.localdate().year)
        .order_by()
        .values("year")
        .annotate(n=Count("pk"))
        .order_by("-n", "-year")
        .first()
    )
    if found is None:
        raise SystemExit("no duty record to rank")
    return found["year"], found["n"]


def timed(call, runs: int) -> dict:
    """Wall times (ms) of ``runs`` calls after an untimed one, the SQL's time in them, the
    queries of one call, and the last result."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    result = call()
    with CaptureQueriesContext(connection) as captured:
        call()
    sql = [0.0]

    def wrapper(execute, sql_text, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql_text, params, many, context)
        finally:
            sql[0] += time.perf_counter() - started

    times = []
    with connection.execute_wrapper(wrapper):
        for _run in range(runs):
            started = time.perf_counter()
            result = call()
            times.append((time.perf_counter() - started) * 1000)
    return {
        "median_ms": statistics.median(times),
        "max_ms": max(times),
        "sql_share": sql[0] * 1000 / sum(times) if sum(times) else None,
        "queries": len(captured),
        "result": result,
    }


def run_duty(runs: int) -> dict:
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from deputies import selectors
    from deputies.models import Deputy, DutyRecord

    today = timezone.localdate()
    year, year_records = busiest_year()
    deputy = get_user_model().objects.get(username=DEPUTY_USER).deputy
    ranking = timed(lambda: selectors.ranking(year=year), runs)
    rows = ranking.pop("result")
    mine = timed(lambda: selectors.duty_year(deputy=deputy, year=today.year, today=today), runs)
    duty = mine.pop("result")
    short = timed(lambda: selectors.shortfalls(year=year, today=today), runs)
    found = short.pop("result")
    return {
        "year": year,
        "year_records": year_records,
        "records": DutyRecord.objects.count(),
        "reversals": DutyRecord.objects.filter(sign=-1).count(),
        "deputies": Deputy.objects.count(),
        "runs": runs,
        "ranking": {
            **ranking,
            "rows": len(rows),
            "ranked_with_records": sum(1 for row in rows if row.total),
            "top_total": str(rows[0].total) if rows else None,
            "distinct_totals": len({row.total for row in rows}),
        },
        "duty_year": {
            **mine,
            "year": today.year,
            "records": len(duty.records),
            "total": str(duty.total),
            "rank": duty.rank,
        },
        "shortfalls": {**short, "deputies_short": len(found)},
    }
