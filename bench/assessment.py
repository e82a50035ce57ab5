"""The units' assessment measured (issue 15): ``bench/steps.py assessment``.

In a child process of its own (``bench/run.py``), on the seeded data:

- the busiest year (the most assignments; a year left closed by an earlier run is
  reopened first, through ``reports.services.assessment_reopen``);
- ``reports.selectors.unit_assessment(year=Y, live=True)``, ``runs`` times after one
  untimed call: the median and the maximum wall time, the SQL queries of a call
  (``CaptureQueriesContext``), the number of units and of assignments of the year, and how
  many cases of each deduction kind the rows hold (the data set must give every kind);
- ``reports.services.assessment_close(year=Y)`` once, timed (it counts the year again and
  lists the suggestions behind each kind, then freezes the rows);
- ``unit_assessment(year=Y)`` of the closed year (the frozen rows): median, maximum, queries.

The year stays closed: the harness then loads its ``reports:assessment`` page, and the
next run reopens it. The dashboards are pages, measured by the harness (``bench/run.py``).
"""

import statistics
import time
from collections import Counter

OFFICE_USER = "bench-staff"


def busiest_year() -> tuple[int, int]:
    """The year with the most assignments, up to this one, and their number."""
    from django.db.models import Count
    from django.db.models.functions import ExtractYear
    from django.utils import timezone

    from suggestions.models import Assignment

    found = (
        Assignment.objects.annotate(year=ExtractYear("assigned_on"))
        .filter(year__lte=timezone.localdate().year)
        .values("year")
        .annotate(n=Count("pk"))
        .order_by("-n", "-year")
        .first()
    )
    if found is None:
        raise SystemExit("no assignment to assess")
    return found["year"], found["n"]


def _timed(call, runs: int) -> tuple[list[float], int, object]:
    """Wall times (ms) of ``runs`` calls after an untimed one, the queries of one call,
    and the last result."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    result = call()
    with CaptureQueriesContext(connection) as captured:
        call()
    times = []
    for _run in range(runs):
        started = time.perf_counter()
        result = call()
        times.append((time.perf_counter() - started) * 1000)
    return times, len(captured), result


def run_assessment(runs: int) -> dict:
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from reports import services
    from reports.selectors.assessment import closing_of, unit_assessment
    from suggestions.models import Assignment

    staff = get_user_model().objects.get(username=OFFICE_USER)
    year, assignments = busiest_year()
    reopened = False
    if closing_of(year) is not None:
        services.assessment_reopen(year=year, by=staff, reason="基准测试：重新计算")
        reopened = True
    live, live_queries, rows = _timed(lambda: unit_assessment(year=year, live=True), runs)
    # The year in progress (the one an office reads live until it closes it): at a million
    # it holds a session's suggestions, not a busiest past year's.
    current = timezone.localdate().year
    current_assignments = Assignment.objects.filter(assigned_on__year=current).count()
    now, _queries, _rows = _timed(lambda: unit_assessment(year=current, live=True), runs)
    kinds = Counter()
    for row in rows:
        for line in row.deductions:
            kinds[line.kind] += line.count
    started = time.perf_counter()
    event = services.assessment_close(year=year, by=staff)
    close_seconds = time.perf_counter() - started
    closed, closed_queries, frozen = _timed(lambda: unit_assessment(year=year), runs)
    return {
        "year": year,
        "assignments": assignments,
        "units": len(rows),
        "runs": runs,
        "live_median_ms": statistics.median(live),
        "live_max_ms": max(live),
        "live_queries": live_queries,
        "current_year": current,
        "current_assignments": current_assignments,
        "current_median_ms": statistics.median(now),
        "deduction_cases": dict(kinds),
        "distinct_scores": len({row.score for row in rows}),
        "scores": [str(rows[0].score), str(rows[-1].score)] if rows else [],
        "top_unit": rows[0].unit.name if rows else "",
        "reopened_first": reopened,
        "close_seconds": close_seconds,
        "closed_event": event.pk,
        "closed_rows": len(frozen),
        "closed_median_ms": statistics.median(closed),
        "closed_max_ms": max(closed),
        "closed_queries": closed_queries,
    }
