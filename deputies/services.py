"""The deputies' writes: duty records, by hand and by themselves from their sources, and
the groups' activities (DESIGN's service API: ``duty_record``). Each takes keyword
arguments and the acting user as ``by``, runs in one transaction, raises
``PermissionDenied`` for a user who may not act and a ``ValidationError`` whose items carry
codes otherwise; nothing is half written."""

import datetime
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Deputy, DeputyGroup, DutyRecord, GroupActivity, Term
from .models.duty import AUTOMATIC_KINDS
from .signals import duty_done

Kind = DutyRecord.Kind


def _raise_if(errors: list) -> None:
    if errors:
        raise ValidationError(errors)


def is_duty_office(user) -> bool:
    """Staff who may enter any deputy's duty (the committee office has the permission)."""
    return bool(
        user.is_authenticated
        and user.is_active
        and user.is_staff
        and user.has_perm("deputies.add_dutyrecord")
    )


def may_record_for(user, deputy: Deputy) -> bool:
    """The office for every deputy; a station's keeper for the deputies of their stations
    (by the relations' names: this app knows no station)."""
    if is_duty_office(user):
        return True
    return bool(
        user.is_authenticated
        and user.is_active
        and user.kept_stations.filter(deputies=deputy.pk).exists()
    )


def _date(value, errors: list, *, deputy: Deputy | None = None) -> datetime.date | None:
    """A date given as a date or ISO text, not in the future, within the deputy's term."""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value.strip())
        except ValueError:
            value = None
    if not isinstance(value, datetime.date):
        errors.append(ValidationError(_("Give the date."), code="date_required"))
        return None
    if value > timezone.localdate():
        errors.append(
            ValidationError(
                _("The date %(date)s is in the future.") % {"date": value}, code="date_in_future"
            )
        )
    if deputy is not None:
        term = Term.objects.filter(number=deputy.term).first()
        if term is not None and (
            value < term.starts_on or (term.ends_on is not None and value > term.ends_on)
        ):
            errors.append(
                ValidationError(
                    _("%(date)s is outside %(name)s's term (%(start)s to %(end)s).")
                    % {
                        "date": value,
                        "name": deputy.name,
                        "start": term.starts_on,
                        "end": term.ends_on or "…",
                    },
                    code="outside_term",
                )
            )
    return value


def _points(value, errors: list) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        points = Decimal(str(value))
    except (InvalidOperation, ValueError):
        errors.append(ValidationError(_("Give the points as a number."), code="bad_points"))
        return None
    if points < 0:
        errors.append(ValidationError(_("Points cannot be negative."), code="negative_points"))
    return points


@transaction.atomic
def duty_record(
    *,
    deputy: Deputy,
    by,
    kind: str,
    happened_on: datetime.date,
    points=None,
    notes: str = "",
    source: str = "",
) -> DutyRecord:
    """Enter a deputy's duty by hand (meetings, training, inspections...): the office for
    any deputy, a station's keeper for the deputies of their stations. ``points`` empty:
    the year's rule for the kind. ``source``: an optional reference (a meeting's name);
    one record per deputy, kind and reference."""
    if not may_record_for(by, deputy):
        raise PermissionDenied(
            _("Only the committee office, or a keeper of a station %(name)s uses, may do this.")
            % {"name": deputy.name}
        )
    errors: list = []
    if kind not in Kind.values:
        errors.append(ValidationError(_("Choose the kind of duty."), code="bad_kind"))
    elif kind in AUTOMATIC_KINDS:
        errors.append(
            ValidationError(
                _("Suggestions are counted by themselves once accepted; they are not entered."),
                code="automatic_kind",
            )
        )
    happened_on = _date(happened_on, errors, deputy=deputy)
    points = _points(points, errors)
    source = (source or "").strip()[:100]
    if (
        source
        and DutyRecord.objects.filter(
            deputy=deputy, kind=kind, source=source, reverses__isnull=True
        ).exists()
    ):
        errors.append(
            ValidationError(
                _("%(name)s already has this record (%(source)s).")
                % {"name": deputy.name, "source": source},
                code="already_recorded",
            )
        )
    _raise_if(errors)
    return DutyRecord.objects.create(
        deputy=deputy,
        kind=kind,
        happened_on=happened_on,
        points=points,
        source=source,
        notes=(notes or "").strip(),
        recorded_by=by,
    )


@transaction.atomic
def duty_reverse(*, record: DutyRecord, by, reason: str) -> DutyRecord:
    """Take a record's points back (an entry made in error), keeping both records."""
    if not is_duty_office(by):
        raise PermissionDenied(_("Only the committee office may do this."))
    errors: list = []
    if not (reason or "").strip():
        errors.append(ValidationError(_("Give the reason."), code="reason_required"))
    if record.sign != 1 or DutyRecord.objects.filter(reverses=record).exists():
        errors.append(
            ValidationError(_("This record was reversed already."), code="already_reversed")
        )
    _raise_if(errors)
    return _reversal(record, by=by, reason=reason)


def _reversal(record: DutyRecord, *, by, reason: str) -> DutyRecord:
    return DutyRecord.objects.create(
        deputy_id=record.deputy_id,
        kind=record.kind,
        happened_on=record.happened_on,
        points=record.points,
        sign=-1,
        source=record.source,
        reverses=record,
        notes=(reason or "").strip(),
        recorded_by=by,
    )


@transaction.atomic
def duty_auto_record(
    *,
    source: str,
    kind: str,
    happened_on: datetime.date,
    deputy_ids: Iterable[int],
    by=None,
) -> list[DutyRecord]:
    """The records a source makes by itself (the ``duty_done`` signal's receiver): one per
    deputy, kind and source, ever. A deputy who has it already, or had it and saw it
    reversed (the source was undone), gets none. Returns the records made now."""
    if not source or kind not in Kind.values:
        raise ValueError(f"A duty source and a known kind are needed ({source!r}, {kind!r}).")
    ids = set(deputy_ids)
    had = set(
        DutyRecord.objects.filter(
            source=source, kind=kind, deputy_id__in=ids, reverses__isnull=True
        ).values_list("deputy_id", flat=True)
    )
    rows = [
        DutyRecord(
            deputy_id=pk,
            kind=kind,
            happened_on=happened_on,
            source=source,
            recorded_by=by,
        )
        for pk in sorted(ids - had)
    ]
    # A concurrent sender's rows make ours conflict and be skipped (the unique condition).
    DutyRecord.objects.bulk_create(rows, ignore_conflicts=True)
    return rows


@transaction.atomic
def duty_auto_reverse(*, source: str, by=None, reason: str = "") -> list[DutyRecord]:
    """Reverse every record of ``source`` not reversed yet (the ``duty_undone`` signal's
    receiver); twice is once. Returns the reversals made now."""
    # Locked, then told apart from the reversed ones (a lock cannot reach the nullable
    # side of the join a "not reversed" filter makes).
    records = list(
        DutyRecord.objects.select_for_update().filter(source=source, sign=1).order_by("pk")
    )
    reversed_ids = set(
        DutyRecord.objects.filter(reverses__in=records).values_list("reverses_id", flat=True)
    )
    pending = [record for record in records if record.pk not in reversed_ids]
    return [_reversal(record, by=by, reason=reason) for record in pending]


@transaction.atomic
def group_activity_record(
    *,
    group: DeputyGroup,
    by,
    kind: str,
    happened_on: datetime.date,
    present: Iterable[Deputy],
    notes: str = "",
) -> GroupActivity:
    """Record a group's activity (a 代表小组's meeting, an industry group's research): a
    duty record for each member present."""
    if not is_duty_office(by):
        raise PermissionDenied(_("Only the committee office may do this."))
    errors: list = []
    if kind not in Kind.values or kind in AUTOMATIC_KINDS:
        errors.append(ValidationError(_("Choose the kind of duty."), code="bad_kind"))
    happened_on = _date(happened_on, errors)
    present = list(dict.fromkeys(present))
    if not present:
        errors.append(ValidationError(_("Say which members were present."), code="nobody"))
    members = set(group.members.values_list("pk", flat=True))
    strangers = [deputy.name for deputy in present if deputy.pk not in members]
    if strangers:
        errors.append(
            ValidationError(
                _("%(names)s are not members of %(group)s.")
                % {"names": "、".join(strangers), "group": group.name},
                code="not_a_member",
            )
        )
    _raise_if(errors)
    activity = GroupActivity.objects.create(
        group=group,
        kind=kind,
        happened_on=happened_on,
        notes=(notes or "").strip(),
        recorded_by=by,
    )
    activity.present.set(present)
    duty_done.send(
        sender=GroupActivity,
        source=f"group:{activity.pk}",
        kind=kind,
        happened_on=happened_on,
        deputy_ids=[deputy.pk for deputy in present],
        by=by,
    )
    return activity
