"""Import deputies, units, suggestions, a 交办会's assignment list, liaison stations or the
deputies' stations from an xlsx or csv file, as the admin does.

    python manage.py import_data
        {deputies,units,suggestions,assignments,stations,deputy_stations} FILE [--dry-run]
        [--by USERNAME]

The kinds are those the apps registered (``sheets.registry``), in their order. The same
code as the admin's import (``sheets.import_file``): all rows or none. A refused file
prints each bad row (row, column, reason) and exits with status 1. ``--by`` names the
user recorded as having entered imported suggestions and checks that user's import
permission; without it the import runs as the system, except an assignment list, which
needs ``--by`` (the assignment service records who assigned).
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

import sheets


class Command(BaseCommand):
    help = (
        "Import deputies, units, suggestions or an assignment list from an xlsx or csv file "
        "(all rows or none)."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sheets.kinds())
        parser.add_argument("file")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and report; change nothing."
        )
        parser.add_argument("--by", metavar="USERNAME", help="The user the import is made by.")

    def handle(self, *args, kind, file, dry_run, by, **options):
        with translation.override(settings.LANGUAGE_CODE):
            user = None
            if by:
                user = get_user_model().objects.filter(username=by).first()
                if user is None:
                    raise CommandError(_("No user %(username)s.") % {"username": by})
            try:
                report = sheets.import_file(kind=kind, file=file, by=user, dry_run=dry_run)
            except OSError as e:
                raise CommandError(
                    _("Cannot read %(file)s: %(error)s") % {"file": file, "error": e.strerror}
                )
            except PermissionDenied as e:
                raise CommandError(str(e))
            if not report.ok:
                for error in report.errors:
                    self.stderr.write(str(error))
                raise CommandError(
                    _("%(count)s error(s): nothing was imported.") % {"count": len(report.errors)}
                )
            if dry_run:
                message = _("Dry run, nothing changed: %(summary)s")
            else:
                message = _("Imported: %(summary)s")
            self.stdout.write(message % {"summary": report.summary()})
