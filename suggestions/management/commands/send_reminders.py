import time

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from suggestions import services


class Command(BaseCommand):
    help = (
        "Run the reminder sweep once, or every N minutes with --loop: what the Celery beat "
        "does when there is no Redis."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--loop",
            type=int,
            metavar="MINUTES",
            help="Keep running, one sweep every MINUTES minutes.",
        )

    def handle(self, *args, loop=None, **options):
        while True:
            sent = services.send_due_reminders()
            self.stdout.write(_("Reminders sent: %(count)s") % {"count": sent})
            if not loop:
                return
            time.sleep(loop * 60)
