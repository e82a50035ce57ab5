"""Fill the database with a believable demo city, made through the services.

The city is ``demo/city.py``; ``demo/builder.py`` makes it. Run twice, it changes nothing
the second time and prints the same accounts.
"""

import unicodedata

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from demo import builder
from demo.city import DEFAULT_PASSWORD, LEADERS, SESSION, TERM, UNITS
from demo.stations import KEEPER
from deputies.models import Deputy
from stations.models import LiaisonStation
from suggestions.models import HandlingUnit, Suggestion


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


class Command(BaseCommand):
    help = (
        "Create the demo data set (清河市: deputies, units, stations, 80 suggestions in every "
        "state) and its accounts; does nothing when the demo data is already there."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            default=DEFAULT_PASSWORD,
            help=f"The password of every demo account (default: {DEFAULT_PASSWORD}).",
        )

    def handle(self, *args, password, **options):
        if not password:
            raise CommandError(_("The password cannot be empty."))
        if builder.already_seeded():
            self.stdout.write(_("The demo data is already there: nothing was changed."))
            staff = get_user_model().objects.get(username="staff")
            shown = password if staff.check_password(password) else None
        else:
            taken = sorted(
                get_user_model()
                .objects.filter(username__in=builder.demo_usernames())
                .values_list("username", flat=True)
            )
            if taken:
                # Someone else's accounts: never reset their passwords behind their back.
                raise CommandError(
                    _(
                        "These accounts exist but the demo data does not: %(usernames)s. "
                        "Run seed_demo on a fresh database."
                    )
                    % {"usernames": ", ".join(taken)}
                )
            started = timezone.now()
            with transaction.atomic():
                builder.Builder().build(password)
            seconds = (timezone.now() - started).total_seconds()
            self.stdout.write(
                self.style.SUCCESS(
                    _("Demo data created in %(seconds).1f s.") % {"seconds": seconds}
                )
            )
            shown = password
        self._print_states()
        self._print_accounts(shown)

    # Output.

    def _print_states(self) -> None:
        counts = dict(
            Suggestion.objects.filter(term=TERM, session=SESSION)
            .values_list("state")
            .annotate(n=Count("pk"))
        )
        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING(_("Suggestions by state")))
        for state in Suggestion.State:
            self.stdout.write(f"  {_pad(str(state.label), 22)}{counts.get(state.value, 0):>4}")

    def _print_accounts(self, password: str | None) -> None:
        users = get_user_model().objects
        deputy = Deputy.objects.get(user__username="deputy")
        clerk_unit = HandlingUnit.objects.get(memberships__user__username="clerk")
        head_unit = HandlingUnit.objects.get(memberships__user__username="head")
        leader_units = "、".join(
            HandlingUnit.objects.filter(leader__username="leader").values_list(
                "short_name", flat=True
            )
        )
        leader = users.get(username="leader")
        kept = (
            LiaisonStation.objects.filter(
                keepers__username=KEEPER[0], kind=LiaisonStation.Kind.STATION
            )
            .values_list("name", flat=True)
            .first()
        )
        rows = [
            (
                "admin",
                _("Superuser"),
                _("Everything, in the admin at /admin/"),
            ),
            (
                "staff",
                _("Committee staff (committee office)"),
                _("Every suggestion: review, assign, redo, revisit, in the admin at /admin/"),
            ),
            (
                "reviewer",
                _("Reviewer"),
                _("Proposed suggestions to approve, return or reject, in the admin"),
            ),
            (
                "clerk",
                _("Clerk of %(unit)s") % {"unit": clerk_unit.name},
                _("The unit's assignments at /tasks/: communications, replies, requests"),
            ),
            (
                "head",
                _("Head of %(unit)s") % {"unit": head_unit.name},
                _("As the clerk, plus the unit head's sign-off"),
            ),
            (
                "leader",
                _("Government leader %(name)s") % {"name": leader.first_name},
                _("The suggestions of %(units)s at /tasks/; the leader's sign-off")
                % {"units": leader_units},
            ),
            (
                "deputy",
                _("Deputy %(name)s (%(delegation)s)")
                % {"name": deputy.name, "delegation": deputy.delegation},
                _("Their own suggestions at /my/, with the timeline; their sign-off"),
            ),
            (
                KEEPER[0],
                _("Keeper of %(station)s and its liaison rooms") % {"station": kept},
                _("Their stations at /stations/: opinions and where each went, activities"),
            ),
        ]
        headings = (_("Username"), _("Role"), _("What they see"))
        widths = [max(_width(str(r[i])) for r in [headings, *rows]) + 2 for i in range(2)]
        self.stdout.write("")
        if password is None:
            title = _("Demo accounts (password: the one given when the data was created)")
        else:
            title = _("Demo accounts (password: %(password)s)") % {"password": password}
        self.stdout.write(self.style.MIGRATE_HEADING(title))
        self.stdout.write(
            "  " + _pad(headings[0], widths[0]) + _pad(headings[1], widths[1]) + headings[2]
        )
        for username, role, sees in rows:
            self.stdout.write("  " + _pad(username, widths[0]) + _pad(role, widths[1]) + sees)
        self.stdout.write(
            _(
                "The other units' clerks and heads are clerk02 to clerk%(last)s and head02 to "
                "head%(last)s, the other leaders leader02 to leader%(leaders)02d, and every "
                "deputy with something to sign has an account deputyNN; all share the password."
            )
            % {"last": f"{len(UNITS):02d}", "leaders": len(LEADERS)}
        )
