"""The stations' writes (DESIGN's service API, wave 2): activities, opinions and where
each goes. Each takes keyword arguments and the acting user as ``by``, runs in one
transaction, raises ``PermissionDenied`` for a user who may not act here and a
``ValidationError`` whose items carry codes otherwise; nothing is half written."""

import datetime
import os
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from deputies.models import Deputy, DutyRecord
from deputies.selectors import deputy_of
from deputies.signals import duty_done, duty_undone
from suggestions import documents
from suggestions import permissions as suggestion_permissions
from suggestions import services as suggestion_services
from suggestions.models import HandlingUnit, Suggestion
from suggestions.services import base

from . import permissions
from .models import Activity, ActivityFile, LiaisonStation, Opinion, OpinionStep, ReceptionDay

ROUTES = ("settled", "deputy", "unit")

# What an activity counts as in the deputies' duty record, for each deputy present.
ACTIVITY_DUTY = {
    Activity.Kind.RECEPTION: DutyRecord.Kind.RECEPTION,
    Activity.Kind.BRIEFING: DutyRecord.Kind.ACTIVITY,
    Activity.Kind.INSPECTION: DutyRecord.Kind.INSPECTION,
    Activity.Kind.RESEARCH: DutyRecord.Kind.RESEARCH,
    Activity.Kind.TRAINING: DutyRecord.Kind.TRAINING,
    Activity.Kind.REPORT: DutyRecord.Kind.REPORT,
}


def _require_keeper(by, station: LiaisonStation) -> None:
    if not permissions.keeps(by, station):
        raise PermissionDenied(
            _("Only the keepers of %(station)s and the committee office may do this.")
            % {"station": station}
        )


def _date(value, code: str, message: str, errors: list) -> datetime.date | None:
    """The date given (the loop's ``parse_date``), not in the future; a refusal is added
    to ``errors`` so that the form hears of every failed condition at once."""
    try:
        value = base.parse_date(value, code, message)
    except ValidationError as refusal:
        errors.append(refusal)
        return None
    if value > base.today():
        errors.append(
            ValidationError(_("The date %(date)s is in the future.") % {"date": value},
                            code="date_in_future")
        )  # fmt: skip
    return value


def _check_deputies(station: LiaisonStation, deputies: list, errors: list) -> None:
    """The deputies named must use the station (its deputies)."""
    if not deputies:
        return
    theirs = set(station.deputies.values_list("pk", flat=True))
    strangers = [deputy for deputy in deputies if deputy.pk not in theirs]
    if strangers:
        errors.append(
            ValidationError(
                _("%(names)s do not use this station: add them to its deputies first.")
                % {"names": "、".join(deputy.name for deputy in strangers)},
                code="deputy_not_of_station",
            )
        )


@transaction.atomic
def reception_day_plan(
    *,
    station: LiaisonStation,
    by,
    day: datetime.date,
    deputies: Iterable[Deputy] = (),
    notes: str = "",
) -> ReceptionDay:
    """Plan a reception day (接待日) at ``station`` with the deputies on duty."""
    _require_keeper(by, station)
    errors: list = []
    try:
        day = base.parse_date(day, "date_required", _("Give the reception day's date."))
    except ValidationError as refusal:
        errors.append(refusal)
        day = None
    deputies = list(dict.fromkeys(deputies))
    _check_deputies(station, deputies, errors)
    if day is not None and ReceptionDay.objects.filter(station=station, day=day).exists():
        errors.append(
            ValidationError(
                _("A reception day is already planned at this station on %(day)s.") % {"day": day},
                code="day_taken",
            )
        )
    base.raise_if(errors)
    reception = ReceptionDay.objects.create(
        station=station, day=day, planned_by=by, notes=(notes or "").strip()
    )
    reception.deputies.set(deputies)
    return reception


@transaction.atomic
def station_activity_record(
    *,
    station: LiaisonStation,
    by,
    kind: str,
    happened_on: datetime.date,
    deputies: Iterable[Deputy] = (),
    citizens: int = 0,
    notes: str = "",
    reception_day: ReceptionDay | None = None,
    files: Iterable = (),
    corrects: Activity | None = None,
) -> Activity:
    """Record an activity held at ``station`` with the deputies present (the station's
    deputies), its files (photos, minutes), and the reception day it held, if any. It
    counts in the duty record of each deputy present. ``corrects``: the record it replaces
    (activities are append-only), whose duty records are reversed."""
    _require_keeper(by, station)
    errors: list = []
    if corrects is not None:
        corrects = Activity.objects.select_for_update().get(pk=corrects.pk)
        if corrects.station_id != station.pk:
            errors.append(
                ValidationError(
                    _("The activity corrected is another station's."), code="corrects_elsewhere"
                )
            )
        elif Activity.objects.filter(corrects=corrects).exists():
            errors.append(
                ValidationError(
                    _("That activity was corrected already: correct the latest record."),
                    code="already_corrected",
                )
            )
    if kind not in Activity.Kind.values:
        errors.append(ValidationError(_("Choose the kind of activity."), code="bad_kind"))
    happened_on = _date(happened_on, "date_required", _("Give the activity's date."), errors)
    deputies = list(dict.fromkeys(deputies))
    _check_deputies(station, deputies, errors)
    if reception_day is not None and reception_day.station_id != station.pk:
        errors.append(
            ValidationError(
                _("That reception day is another station's."), code="reception_day_elsewhere"
            )
        )
    files = [upload for upload in files if upload]
    for upload in files:
        try:
            documents.validate_scan(upload)
        except ValidationError as refusal:
            errors.append(refusal)
    try:
        citizens = int(citizens)
    except (TypeError, ValueError):
        citizens = -1
    if citizens < 0:
        errors.append(
            ValidationError(_("Give the number of citizens (0 or more)."), code="bad_citizens")
        )
    base.raise_if(errors)
    activity = Activity.objects.create(
        station=station,
        kind=kind,
        happened_on=happened_on,
        reception_day=reception_day,
        citizens=citizens,
        notes=(notes or "").strip(),
        corrects=corrects,
        recorded_by=by,
    )
    activity.deputies.set(deputies)
    if corrects is not None:
        duty_undone.send(
            sender=Activity,
            source=f"activity:{corrects.pk}",
            by=by,
            reason=_("Corrected by a later record."),
        )
    if deputies:
        duty_done.send(
            sender=Activity,
            source=f"activity:{activity.pk}",
            kind=ACTIVITY_DUTY[kind],
            happened_on=happened_on,
            deputy_ids=[deputy.pk for deputy in deputies],
            by=by,
        )
    for upload in files:
        name = os.path.basename(upload.name or "")[:200]
        ActivityFile.objects.create(activity=activity, file=upload, name=name)
    return activity


@transaction.atomic
def opinion_record(
    *,
    station: LiaisonStation,
    by,
    matter: str,
    raised_on: datetime.date,
    name: str = "",
    phone: str = "",
) -> Opinion:
    """Record an opinion a constituent raised at ``station``."""
    _require_keeper(by, station)
    errors: list = []
    errors += base.require_text(matter, "matter_required", _("Write down the matter raised."))
    raised_on = _date(raised_on, "date_required", _("Give the day it was raised."), errors)
    base.raise_if(errors)
    now = timezone.now()
    return Opinion.objects.create(
        station=station,
        matter=matter.strip(),
        raised_on=raised_on,
        name=(name or "").strip(),
        phone=(phone or "").strip(),
        recorded_by=by,
        recorded_at=now,
        moved_at=now,
    )


def _lock(opinion: Opinion) -> Opinion:
    fresh = Opinion.objects.select_for_update().get(pk=opinion.pk)
    for field in Opinion._meta.concrete_fields:
        opinion.__dict__[field.attname] = fresh.__dict__[field.attname]
    opinion._state.fields_cache = {}
    return opinion


@transaction.atomic
def opinion_route(
    *,
    opinion: Opinion,
    by,
    to: str,
    deputy: Deputy | None = None,
    unit: HandlingUnit | None = None,
    notes: str = "",
) -> Opinion:
    """Send an opinion on: settled on the spot, forwarded to ``deputy``, or referred to
    ``unit`` for an answer. An opinion goes on once; its path is kept."""
    _require_keeper(by, opinion.station)
    _lock(opinion)
    errors: list = []
    if opinion.state != Opinion.State.OPEN:
        errors.append(
            ValidationError(
                _("This opinion was already sent on (%(state)s).")
                % {"state": opinion.get_state_display()},
                code="already_routed",
            )
        )
    if to not in ROUTES:
        errors.append(ValidationError(_("Choose where the opinion goes."), code="bad_route"))
    if to == "deputy" and deputy is None:
        errors.append(ValidationError(_("Choose the deputy."), code="deputy_required"))
    elif to == "deputy":
        _check_deputies(opinion.station, [deputy], errors)
    if to == "unit" and (unit is None or not unit.is_active):
        errors.append(ValidationError(_("Choose an active handling unit."), code="unit_required"))
    if to == "settled":
        errors += base.require_text(
            notes, "notes_required", _("Say how it was settled on the spot.")
        )
    base.raise_if(errors)
    state = {
        "settled": Opinion.State.SETTLED,
        "deputy": Opinion.State.FORWARDED,
        "unit": Opinion.State.REFERRED,
    }[to]
    opinion.state = state
    opinion.deputy = deputy if to == "deputy" else None
    opinion.unit = unit if to == "unit" else None
    opinion.moved_at = timezone.now()
    opinion.save(update_fields=["state", "deputy", "unit", "moved_at"])
    OpinionStep.objects.create(
        opinion=opinion,
        to=state,
        deputy=opinion.deputy,
        unit=opinion.unit,
        notes=(notes or "").strip(),
        by=by,
        at=opinion.moved_at,
    )
    return opinion


@transaction.atomic
def opinion_to_suggestion(*, opinion: Opinion, by, title: str, content: str) -> Suggestion:
    """The deputy an opinion was forwarded to makes it a suggestion of theirs (proposed,
    for the office's review); the opinion and the suggestion name each other."""
    _lock(opinion)
    deputy = deputy_of(by)
    if not by.is_active or deputy is None or opinion.deputy_id != deputy.pk:
        raise PermissionDenied(
            _("Only the deputy this opinion was forwarded to may make it a suggestion.")
        )
    if opinion.state != Opinion.State.FORWARDED:
        raise ValidationError(
            _("This opinion is “%(state)s”: only one forwarded to you can become a suggestion.")
            % {"state": opinion.get_state_display()},
            code="not_forwarded",
        )
    suggestion = suggestion_services.suggestion_create(
        by=by, title=title, content=content, lead_deputy=deputy
    )
    opinion.state = Opinion.State.SUGGESTED
    opinion.suggestion = suggestion
    opinion.moved_at = timezone.now()
    opinion.save(update_fields=["state", "suggestion", "moved_at"])
    OpinionStep.objects.create(
        opinion=opinion,
        to=Opinion.State.SUGGESTED,
        deputy=deputy,
        notes=suggestion.title,
        by=by,
        at=opinion.moved_at,
    )
    return suggestion


@transaction.atomic
def opinion_answer(*, opinion: Opinion, by, answer: str) -> Opinion:
    """The unit an opinion was referred to answers it (on its task pages): the station
    sees the answer and can tell the constituent."""
    _lock(opinion)
    if opinion.unit_id is None or not suggestion_permissions.units.has(by, "member", opinion.unit):
        raise PermissionDenied(_("Only the unit this opinion was referred to may answer it."))
    errors: list = []
    if opinion.state != Opinion.State.REFERRED:
        errors.append(
            ValidationError(
                _("This opinion is “%(state)s”: only one referred to your unit can be answered.")
                % {"state": opinion.get_state_display()},
                code="not_referred",
            )
        )
    errors += base.require_text(answer, "answer_required", _("Write the answer."))
    base.raise_if(errors)
    opinion.state = Opinion.State.ANSWERED
    opinion.moved_at = timezone.now()
    opinion.save(update_fields=["state", "moved_at"])
    OpinionStep.objects.create(
        opinion=opinion,
        to=Opinion.State.ANSWERED,
        unit=opinion.unit,
        notes=answer.strip(),
        by=by,
        at=opinion.moved_at,
    )
    return opinion
