"""Add the liaison stations to the benchmark data set (issue 16, ``make bench``).

    python manage.py seed_bench_stations --stations 10000 --opinions 1000000

On a data set ``seed_bench`` made: the stations, their deputies, keepers (``bench-keeper``,
password ``bench12345``, keeps one township station), checklists, reception days and
activities once; opinions with their steps up to the total asked for (the same total again
adds nothing). What is written and how: ``bench/data/stations.py``.
"""

from collections import Counter

from django.core.management.base import BaseCommand

from bench.data import stations as seeding


class Command(BaseCommand):
    help = "Add liaison stations, their keepers and opinions to the benchmark data set."

    def add_arguments(self, parser):
        parser.add_argument("--stations", type=int, default=10_000, metavar="N")
        parser.add_argument("--opinions", type=int, required=True, metavar="N")
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, stations, opinions, seed, **options):
        lines, seconds = seeding.seed(stations=stations, opinions=opinions, seed=seed)
        rows, spent = Counter(), Counter()
        for table, n, s in lines:
            rows[table] += n
            spent[table] += s
        for table in rows:
            self.stdout.write(f"{table}: {rows[table]:,} rows in {spent[table]:.1f} s")
        self.stdout.write(f"total: {sum(rows.values()):,} rows in {seconds:.1f} s")
