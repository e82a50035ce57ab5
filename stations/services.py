"""The stations' writes (DESIGN's service API, wave 2): activities, opinions and where
each goes. Each takes keyword arguments and the acting user as ``by``, runs in one
transaction, raises ``PermissionDenied`` for a user who may not act here and a
``ValidationError`` whose items carry codes otherwise; nothing is half written."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from deputies.models import Deputy
from deputies.selectors import deputy_of
from suggestions import services as suggestion_services
from suggestions.models import HandlingUnit, Suggestion
from suggestions.services import base

from . import permissions
from .models import Activity, LiaisonStation, Opinion, OpinionStep

ROUTES = ("settled", "deputy", "unit")


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
) -> Activity:
    """Record an activity held at ``station`` with the deputies present."""
    _require_keeper(by, station)
    errors: list = []
    if kind not in Activity.Kind.values:
        errors.append(ValidationError(_("Choose the kind of activity."), code="bad_kind"))
    happened_on = _date(happened_on, "date_required", _("Give the activity's date."), errors)
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
        citizens=citizens,
        notes=(notes or "").strip(),
        recorded_by=by,
    )
    activity.deputies.set(list(deputies))
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
