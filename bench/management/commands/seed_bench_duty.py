"""Grow the benchmark's deputies and their duty records (issue 17, ``make bench``).

    python manage.py seed_bench_duty --deputies 100000 --records 5000000 [--seed 17]

Deputies (without accounts) are added until there are N in all; then every deputy of the
current term and the one before gets duty records over the last five years, about M in
all, month by month; a month written before is left as it is, so the same figures again
add nothing. Run after ``seed_bench`` (its ``bench-staff`` enters the manual records, its
``bench-deputy`` gets records too). What is written and how: ``bench/data/duty.py``.

Prints one line per table (rows added, seconds) and the total.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from bench.data.duty import seed_duty


class Command(BaseCommand):
    help = "Grow the benchmark's deputies to N and their duty records to about M."

    def add_arguments(self, parser):
        parser.add_argument("--deputies", type=int, required=True, metavar="N")
        parser.add_argument("--records", type=int, required=True, metavar="M")
        parser.add_argument("--seed", type=int, default=17)

    def handle(self, *args, deputies, records, seed, **options):
        with translation.override(settings.LANGUAGE_CODE):
            if deputies < 0 or records < 0:
                raise CommandError(_("The numbers of deputies and records cannot be negative."))
            lines = seed_duty(deputies=deputies, records=records, seed=seed)
            width = max(len(table) for table, _rows, _seconds in lines)
            for table, rows, spent in lines:
                self.stdout.write(
                    _("%(table)s: %(rows)s rows added in %(seconds).1f s")
                    % {"table": table.ljust(width), "rows": f"{rows:>9,}", "seconds": spent}
                )
            self.stdout.write(
                _("Total: %(rows)s rows added in %(seconds).1f s")
                % {
                    "rows": f"{sum(r for _t, r, _s in lines):,}",
                    "seconds": sum(s for _t, _r, s in lines),
                }
            )
