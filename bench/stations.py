"""The liaison stations measured (issue 16): ``bench/steps.py stations``.

In a child process of its own (``bench/run.py``), on the seeded data
(``manage.py seed_bench_stations``): the opinion reminder rule
(``stations.reminders.opinion_reminders``) of today, ``runs`` times: the first call as a
first sweep would find them (every opinion waiting 15 days or more, none reminded yet),
the median and maximum wall time, the SQL queries and how many it found; then, in a
transaction rolled back, those reminders written as the sweep writes them and the rule
called again: what a daily sweep pays once the backlog was told (it must find none).
The pages (``stations:detail``, ``stations:opinions``) are loaded by the harness.
"""

import statistics
import time

from bench.data.stations import KEEPER, MARK


def run_stations(runs: int) -> dict:
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from stations.models import LiaisonStation, Opinion
    from stations.reminders import opinion_reminders
    from stations.selectors import WAITING
    from suggestions.models import Reminder

    today = timezone.localdate()
    with CaptureQueriesContext(connection) as captured:
        found = opinion_reminders(today)
    times = []
    for _run in range(runs):
        started = time.perf_counter()
        found = opinion_reminders(today)
        times.append((time.perf_counter() - started) * 1000)
    with transaction.atomic():
        now = timezone.now()
        Reminder.objects.bulk_create(
            [
                Reminder(
                    recipient_id=recipient,
                    kind=due.kind,
                    target=due.target,
                    due_on=due.due_on,
                    days=due.days,
                    summary=due.summary[:200],
                    link=due.link,
                    sweep="00000000-0000-0000-0000-000000000016",
                    created_at=now,
                )
                for due in found
                for recipient in sorted(due.recipient_ids)
            ],
            batch_size=5000,
        )
        started = time.perf_counter()
        again = opinion_reminders(today)
        again_ms = (time.perf_counter() - started) * 1000
        transaction.set_rollback(True)
    keeper_station = LiaisonStation.objects.get(keepers__username=KEEPER)
    return {
        "stations": LiaisonStation.objects.filter(name__startswith=MARK).count(),
        "opinions": Opinion.objects.count(),
        "waiting": Opinion.objects.filter(state__in=WAITING).count(),
        "keeper_station": keeper_station.pk,
        "keeper_opinions": Opinion.objects.filter(station=keeper_station).count(),
        "runs": runs,
        "found": len(found),
        "queries": len(captured),
        "median_ms": statistics.median(times),
        "max_ms": max(times),
        "again_found": len(again),
        "again_ms": again_ms,
    }
