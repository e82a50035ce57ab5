"""Grow the benchmark data set to a total number of suggestions (``make bench``).

    python manage.py seed_bench --suggestions N [--seed 1]

N is the total: a database holding M seeded suggestions gets N − M more, in the same
proportions; the same N again adds nothing. The first run needs at least 600 and
creates the accounts the benchmark logs in as (password ``bench12345``): ``bench-clerk``
(a clerk of 基准测试单位, which has exactly 500 assignments whatever N is),
``bench-deputy`` (lead deputy of exactly 20 suggestions) and ``bench-staff`` (committee
office). What is written and how: ``bench/data/``.

Prints one line per table (rows added, seconds spent writing it) and the total.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from bench.data import seed as seeding


class Command(BaseCommand):
    help = (
        "Grow the benchmark data set to N suggestions in every state, with the accounts "
        "bench-clerk, bench-deputy and bench-staff (password bench12345)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--suggestions",
            type=int,
            required=True,
            metavar="N",
            help="The total number of seeded suggestions wanted (the first run: at least 600).",
        )
        parser.add_argument(
            "--seed", type=int, default=1, help="Seed of the random choices (default 1)."
        )

    def handle(self, *args, suggestions, seed, **options):
        with translation.override(settings.LANGUAGE_CODE):
            if suggestions < 0:
                raise CommandError(_("The number of suggestions cannot be negative."))
            try:
                lines, seconds = seeding.seed(total=suggestions, seed=seed)
            except seeding.TooFew as error:
                raise CommandError(
                    _("The first run needs at least %(count)s suggestions.")
                    % {"count": error.args[0]}
                )
            width = max(len(table) for table, _rows, _seconds in lines)
            for table, rows, spent in lines:
                self.stdout.write(
                    _("%(table)s: %(rows)s rows added in %(seconds).1f s")
                    % {"table": table.ljust(width), "rows": f"{rows:>9,}", "seconds": spent}
                )
            self.stdout.write(
                _("Total: %(rows)s rows added in %(seconds).1f s")
                % {"rows": f"{sum(r for _t, r, _s in lines):,}", "seconds": seconds}
            )
