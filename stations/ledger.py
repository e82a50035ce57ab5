"""A station's ledger (台账) of a year as an xlsx workbook: what the station did and heard,
as an inspection asks to see it.

Four sheets (``sheets.xlsx_writer.stream_workbook``):

- *Activities*: each activity of the year with its deputies present, citizens, notes, who
  recorded it and how many files it has; a record replaced by a correction stays in the
  ledger (the records are append-only) and says so, and a correction names the record
  of which day it corrects.
- *Opinions*: each opinion raised in the year, where it went (the deputy, the unit), the
  unit's answer, the suggestion made of it with that suggestion's state, and when it last
  moved. The constituent's name and phone are always masked (``npc_tracker.privacy``):
  an export leaves the system as a file, whoever downloads it.
- *Reception days*: the days planned in the year, their deputies on duty, held or not.
- *八有*: the eight items of the year's checklist, each met or not (or not checked), with
  whether evidence is attached, who checked it and when.

The queries are a fixed few whatever the number of rows (one per sheet, and one for each
list of deputies); the rows are read before the response starts, so the view's access
check and the reads happen in the request (a station's year is small).
"""

from __future__ import annotations

import datetime

from django.db.models import Count, Exists, OuterRef, Prefetch
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from npc_tracker.privacy import mask_name, mask_phone
from sheets.writers import attachment, neutralise
from sheets.xlsx_writer import CONTENT_TYPE, SheetSpec, stream_workbook

from .models import Activity, LiaisonStation, Opinion, OpinionStep, ReceptionDay, StationCheck

# The years a ledger may be asked for: from the first stations on record to next year
# (a reception day may be planned ahead). Any other year is a 404.
FIRST_YEAR = 2000


def year_allowed(year: int) -> bool:
    return FIRST_YEAR <= year <= timezone.localdate().year + 1


def _person(user) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else ""


def _names(deputies) -> str:
    return "、".join(d.name for d in deputies)


def _local(moment: datetime.datetime | None) -> datetime.datetime | None:
    """The wall-clock time in the site's time zone (a spreadsheet knows no zones)."""
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def _yes_no(value: bool) -> str:
    return _("Yes") if value else _("No")


def _cells(values: list) -> list:
    return [neutralise(value) for value in values]


# Activities.


def activity_headers() -> list[str]:
    return [
        _("Date"),
        _("Kind"),
        _("Deputies present"),
        _("Citizens"),
        _("Notes"),
        _("Recorded by"),
        _("Files"),
        _("Correction"),
    ]


def activity_rows(station: LiaisonStation, year: int) -> list[list]:
    activities = (
        Activity.objects.filter(station=station, happened_on__year=year)
        .select_related("recorded_by", "corrects")
        .prefetch_related("deputies")
        .annotate(
            file_count=Count("files"),
            corrected=Exists(Activity.objects.filter(corrects=OuterRef("pk"))),
        )
        .order_by("happened_on", "pk")
    )
    rows = []
    for activity in activities:
        notes = []
        if activity.corrected:
            notes.append(_("Replaced by a correction"))
        if activity.corrects is not None:
            notes.append(
                _("Corrects the record of %(date)s")
                % {"date": activity.corrects.happened_on.isoformat()}
            )
        rows.append(
            _cells(
                [
                    activity.happened_on,
                    activity.get_kind_display(),
                    _names(activity.deputies.all()),
                    activity.citizens,
                    activity.notes,
                    _person(activity.recorded_by),
                    activity.file_count,
                    "；".join(notes),
                ]
            )
        )
    return rows


# Opinions.


def opinion_headers() -> list[str]:
    return [
        _("Raised on"),
        _("Matter"),
        _("Constituent"),
        _("Phone"),
        _("State"),
        _("Forwarded to"),
        _("Referred to"),
        _("The unit's answer"),
        _("Suggestion made of it"),
        _("Suggestion's state"),
        _("Last moved"),
    ]


def opinion_rows(station: LiaisonStation, year: int) -> list[list]:
    answers = OpinionStep.objects.filter(to=Opinion.State.ANSWERED).order_by("at", "pk")
    opinions = (
        Opinion.objects.filter(station=station, raised_on__year=year)
        .select_related("deputy", "unit", "suggestion")
        .prefetch_related(Prefetch("steps", answers, to_attr="answers"))
        .order_by("raised_on", "pk")
    )
    rows = []
    for opinion in opinions:
        suggestion = opinion.suggestion
        made = ""
        if suggestion is not None:
            made = (
                f"{suggestion.number} {suggestion.title}" if suggestion.number else suggestion.title
            )
        rows.append(
            _cells(
                [
                    opinion.raised_on,
                    opinion.matter,
                    # Always masked: the file leaves the system.
                    mask_name(opinion.name),
                    mask_phone(opinion.phone),
                    opinion.get_state_display(),
                    opinion.deputy.name if opinion.deputy else "",
                    opinion.unit.name if opinion.unit else "",
                    "\n".join(step.notes for step in opinion.answers),
                    made,
                    suggestion.get_state_display() if suggestion is not None else "",
                    _local(opinion.moved_at),
                ]
            )
        )
    return rows


# Reception days.


def reception_day_headers() -> list[str]:
    return [_("Day"), _("Deputies on duty"), _("Held"), _("Planned by"), _("Notes")]


def reception_day_rows(station: LiaisonStation, year: int) -> list[list]:
    days = (
        ReceptionDay.objects.filter(station=station, day__year=year)
        .select_related("planned_by")
        .prefetch_related("deputies")
        .annotate(held=Exists(Activity.objects.filter(reception_day=OuterRef("pk"))))
        .order_by("day")
    )
    return [
        _cells(
            [
                day.day,
                _names(day.deputies.all()),
                _yes_no(day.held),
                _person(day.planned_by),
                day.notes,
            ]
        )
        for day in days
    ]


# The "八有" checklist.


def checklist_headers() -> list[str]:
    return [_("Item"), _("Met"), _("Evidence"), _("Notes"), _("Checked by"), _("Checked on")]


def checklist_rows(station: LiaisonStation, year: int) -> list[list]:
    checks = {
        check.item: check
        for check in StationCheck.objects.filter(station=station, year=year).select_related(
            "checked_by"
        )
    }
    rows = []
    for item, label in StationCheck.Item.choices:  # all eight, in the standard's order
        check = checks.get(item)
        if check is None:
            rows.append(_cells([label, _("Not checked"), "", "", "", None]))
            continue
        rows.append(
            _cells(
                [
                    label,
                    _yes_no(check.met),
                    _("Attached") if check.evidence else "",
                    check.notes,
                    _person(check.checked_by),
                    check.checked_on,
                ]
            )
        )
    return rows


# The workbook.


def ledger_sheets(station: LiaisonStation, year: int) -> list[SheetSpec]:
    """The four sheets of the station's year, their rows read now."""
    return [
        SheetSpec(
            _("Activities"),
            activity_headers(),
            activity_rows(station, year),
            [12, 14, 24, 8, 40, 12, 6, 24],
        ),
        SheetSpec(
            _("Opinions"),
            opinion_headers(),
            opinion_rows(station, year),
            [12, 40, 10, 14, 14, 10, 20, 40, 30, 12, 18],
        ),
        SheetSpec(
            _("Reception days"),
            reception_day_headers(),
            reception_day_rows(station, year),
            [12, 30, 6, 12, 40],
        ),
        SheetSpec(
            _("The 8 standards"),
            checklist_headers(),
            checklist_rows(station, year),
            [20, 10, 10, 40, 12, 12],
        ),
    ]


def ledger_response(station: LiaisonStation, year: int) -> StreamingHttpResponse:
    """The station's ledger of ``year`` as an xlsx download."""
    sheets = ledger_sheets(station, year)
    name = _("%(station)s ledger %(year)s") % {"station": station.name, "year": year}
    response = StreamingHttpResponse(stream_workbook(sheets), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = attachment(
        f"station-{station.pk}-ledger-{year}.xlsx", f"{name}.xlsx"
    )
    return response
