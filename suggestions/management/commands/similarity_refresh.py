from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from suggestions import similar_marks


class Command(BaseCommand):
    help = (
        "Recompute the similar-suggestion finder's grams and marks (多年提, 多位代表提) of every "
        "suggestion, or of one term's, in batches: after an upgrade, or for the office."
    )

    def add_arguments(self, parser):
        parser.add_argument("--term", type=int, help="Only the suggestions of this term.")
        parser.add_argument(
            "--batch", type=int, default=500, help="Suggestions per batch (500 by default)."
        )

    def handle(self, *args, term=None, batch=500, **options):
        def log(done, total, step):
            if options["verbosity"] > 1:
                self.stdout.write(f"{step}: {done}/{total}")

        regrammed, checked = similar_marks.refresh_all(term=term, batch=batch, log=log)
        self.stdout.write(
            _("Grams rewritten: %(grams)s; marks checked: %(checked)s")
            % {"grams": regrammed, "checked": checked}
        )
