"""The deputies' contact rule in the sweep (DESIGN "Deputy duty"; registered with
``reminders.register_rule`` from ``apps.ready``): when the quarter has 30 days or fewer
left, each deputy with an account who has not met constituents in it (a reception at a
station, a contact, a report to voters; net of reversals) is reminded once, and the
committee office gets one reminder with the number of deputies, accounts or not, who have
not, and a link to the office's list.

The rule is on in a year once the office has set the year's points (a ``DutyRule`` of the
year): an installation, or a year, in which the committee keeps no duty record reminds
nobody of contacts nobody records.

The quarter is swept once: the office's reminder, written in the same transaction as the
deputies', marks it done, so the later sweeps of the quarter cost one indexed lookup. The
sweep that finds it not done reads the deputies who have not met constituents in one
statement (the quarter's contact records grouped by deputy, as a subquery).
"""

import datetime

from django.conf import settings
from django.db.models import Sum
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext as _

from deputies.models import Deputy, DutyRecord, DutyRule, Term
from deputies.selectors import CONTACT_KINDS, quarter_of, quarter_range

from ..models import Reminder
from .reminders import Due, staff_ids

DAYS_BEFORE = 30


def deputy_target(deputy_id: int, year: int, quarter: int) -> str:
    return f"duty:{deputy_id}:{year}q{quarter}"


def office_target(year: int, quarter: int) -> str:
    return f"duty:office:{year}q{quarter}"


def office_list_link() -> str:
    """The office's list of the deputies who fall short (the admin's ranking)."""
    try:
        return reverse("admin:deputies_ranking") + "?short=1"
    except NoReverseMatch:  # an installation without the ranking page
        return reverse("admin:index")


def not_met(start: datetime.date, end: datetime.date) -> list[tuple[int, int | None]]:
    """(deputy id, active account's id or None) of the deputies in office who have not met
    constituents between ``start`` and ``end`` (one statement)."""
    met = (
        DutyRecord.objects.filter(kind__in=CONTACT_KINDS, happened_on__range=(start, end))
        .order_by()
        .values("deputy_id")
        .annotate(net=Sum("sign"))
        .filter(net__gt=0)
        .values("deputy_id")
    )
    # A deputy whose term ended before the quarter began owes nothing in it.
    ended = Term.objects.filter(ends_on__lt=start).values("number")
    return [
        (pk, user_id if active else None)
        for pk, user_id, active in Deputy.objects.exclude(pk__in=met)
        .exclude(term__in=ended)
        .order_by("pk")
        .values_list("pk", "user_id", "user__is_active")
    ]


def contact_reminders(today: datetime.date) -> list[Due]:
    """The deputies' and the office's reminders of ``today``'s quarter, once it has
    ``DAYS_BEFORE`` days or fewer left, in a year with rules, until it has been swept."""
    year, quarter = today.year, quarter_of(today)
    start, end = quarter_range(year, quarter)
    if (end - today).days > DAYS_BEFORE:
        return []
    if not DutyRule.objects.filter(year=year).exists():
        return []
    office = office_target(year, quarter)
    if Reminder.objects.filter(kind=Reminder.Kind.DUTY_SHORTFALL, target=office).exists():
        return []
    short = not_met(start, end)
    if not short:
        return []
    # Stored with the reminder, so worded in the installation's language like its e-mail.
    with translation.override(settings.LANGUAGE_CODE):
        mine = _("Quarter %(quarter)s of %(year)s: constituents not met yet") % {
            "quarter": quarter,
            "year": year,
        }
        listed = _("Deputies yet to meet constituents this quarter: %(count)s") % {
            "count": len(short)
        }
    link = reverse("duty:mine")
    found = [
        Due(
            Reminder.Kind.DUTY_CONTACT,
            None,
            None,
            end,
            DAYS_BEFORE,
            frozenset({user_id}),
            about=deputy_target(pk, year, quarter),
            summary=mine,
            link=link,
        )
        for pk, user_id in short
        if user_id is not None
    ]
    found.append(
        Due(
            Reminder.Kind.DUTY_SHORTFALL,
            None,
            None,
            end,
            DAYS_BEFORE,
            staff_ids(),
            about=office,
            summary=listed,
            link=office_list_link(),
        )
    )
    return found
