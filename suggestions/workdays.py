"""Working days on China's official calendar, with the make-up workdays (调休).

The ``holidays`` package knows the State Council's arrangement for the years it lists;
staff add or correct days in ``WorkdayOverride``, which always wins. A year the package
has no arrangement for falls back to Monday to Friday plus the overrides, with a
warning in the log, so a deadline is never refused for want of a calendar.
"""

import datetime
import functools
import logging
from dataclasses import dataclass, field

import holidays
from django.utils.translation import gettext as _
from holidays.countries.china import ChinaStaticHolidays

logger = logging.getLogger(__name__)

# Years whose holiday and make-up workday arrangement the package carries.
KNOWN_YEARS = frozenset(ChinaStaticHolidays.special_public_holidays)


@functools.cache
def _china(year: int) -> holidays.HolidayBase:
    return holidays.China(years=year, language="zh_CN")


@functools.cache
def _warn_unknown_year(year: int) -> None:
    logger.warning(
        "No official holiday arrangement known for %s: counting Monday to Friday plus "
        "the calendar overrides. Add the year's arrangement as calendar overrides.",
        year,
    )


@dataclass
class WorkdayCount:
    """The result of counting working days, with what was skipped and why."""

    start: datetime.date
    days: int
    end: datetime.date
    skipped: list[tuple[datetime.date, str]] = field(default_factory=list)
    make_up_days: list[datetime.date] = field(default_factory=list)
    estimated_years: set[int] = field(default_factory=set)

    def explanation(self) -> str:
        parts = [
            _("%(days)s working days after %(start)s end on %(end)s.")
            % {"days": self.days, "start": self.start, "end": self.end}
        ]
        holidays_skipped = [f"{d:%m-%d} {why}" for d, why in self.skipped if why]
        if holidays_skipped:
            parts.append(_("Holidays skipped: %s.") % "、".join(holidays_skipped))
        if self.make_up_days:
            parts.append(
                _("Make-up working days counted: %s.")
                % "、".join(f"{d:%m-%d}" for d in self.make_up_days)
            )
        if self.estimated_years:
            parts.append(
                _("No official arrangement is known for %s: Monday to Friday were counted.")
                % "、".join(str(y) for y in sorted(self.estimated_years))
            )
        return " ".join(parts)


class Calendar:
    """Answers "is this a working day" for a span of dates, with one query for overrides."""

    def __init__(self, first: datetime.date, last: datetime.date):
        from .models import WorkdayOverride

        self.overrides = {
            o.date: o for o in WorkdayOverride.objects.filter(date__range=(first, last))
        }

    def day(self, date: datetime.date) -> tuple[bool, str]:
        """Whether ``date`` is a working day, and the holiday's name when it is not."""
        override = self.overrides.get(date)
        if override is not None:
            return override.is_workday, override.note
        if date.year not in KNOWN_YEARS:
            _warn_unknown_year(date.year)
            return date.weekday() < 5, ""
        china = _china(date.year)
        if china.is_working_day(date):
            return True, ""
        return False, china.get(date, "")


def add_working_days(start: datetime.date, days: int) -> WorkdayCount:
    """Count ``days`` working days after ``start`` (``start`` itself not counted)."""
    # The longest official break is nine days, so three calendar days per working day
    # plus two weeks always covers the span: one query loads its overrides.
    calendar = Calendar(start, start + datetime.timedelta(days=days * 3 + 14))
    result = WorkdayCount(start=start, days=days, end=start)
    date, counted = start, 0
    while counted < days:
        date += datetime.timedelta(days=1)
        if date not in calendar.overrides and date.year not in KNOWN_YEARS:
            result.estimated_years.add(date.year)
        working, name = calendar.day(date)
        if working:
            counted += 1
            if date.weekday() >= 5:
                result.make_up_days.append(date)
        else:
            result.skipped.append((date, name))
    result.end = date
    return result


def is_working_day(date: datetime.date) -> bool:
    return Calendar(date, date).day(date)[0]
