"""Assignment (交办), and the units' requests: reassignment and extension."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm_log.models import StateLog

from .. import deadlines, permissions
from ..models import (
    Assignment,
    ExtensionRequest,
    HandlingUnit,
    ReassignmentRequest,
    Suggestion,
    UnitMembership,
)
from . import base


def _new_assignment(
    suggestion: Suggestion, unit: HandlingUnit, role: str, today: datetime.date
) -> Assignment:
    if role == Assignment.Role.LEAD:
        due_on, basis = deadlines.reply_due(today, complex=suggestion.complex)
    else:
        due_on, basis = deadlines.co_opinion_due(today)
    return Assignment.objects.create(
        suggestion=suggestion,
        unit=unit,
        role=role,
        assigned_on=today,
        due_on=due_on,
        original_due_on=due_on,
        due_basis=basis,
    )


def _check_units(
    suggestion: Suggestion,
    lead_unit: HandlingUnit | None,
    co_units: Iterable[HandlingUnit],
    errors: list[ValidationError] | None = None,
) -> list[HandlingUnit]:
    """Raise every problem with the units chosen, with ``errors`` found before."""
    co_units = list(co_units)
    errors = list(errors or [])
    chosen = ([lead_unit] if lead_unit else []) + co_units
    if len({u.pk for u in chosen}) != len(chosen):
        errors.append(ValidationError(_("A unit is named twice."), code="duplicate_unit"))
    inactive = [str(u) for u in chosen if not u.is_active]
    if inactive:
        errors.append(
            ValidationError(
                _("These units are inactive: %(units)s.") % {"units": "、".join(inactive)},
                code="inactive_unit",
            )
        )
    already = set(
        suggestion.open_assignments().filter(unit__in=chosen).values_list("unit__name", flat=True)
    )
    if already:
        errors.append(
            ValidationError(
                _("These units already handle this suggestion: %(units)s.")
                % {"units": "、".join(sorted(already))},
                code="unit_already_assigned",
            )
        )
    base.raise_if(errors)
    return co_units


def _approved_on(suggestion: Suggestion) -> datetime.date | None:
    """The day the suggestion was approved, from its transition record."""
    moment = (
        StateLog.objects.for_(suggestion)
        .filter(transition="approve")
        .order_by("-timestamp")
        .values_list("timestamp", flat=True)
        .first()
    )
    return timezone.localdate(moment) if moment else None


def _assigned_on_errors(suggestion: Suggestion, assigned_on: datetime.date) -> list:
    """The 交办会's date: not in the future, not before the suggestion was approved."""
    if assigned_on > base.today():
        return [
            ValidationError(
                _("The assignment date cannot be in the future."), code="assigned_on_future"
            )
        ]
    approved_on = _approved_on(suggestion)
    if approved_on is not None and assigned_on < approved_on:
        return [
            ValidationError(
                _("The assignment date cannot be before the approval (%(date)s).")
                % {"date": approved_on},
                code="assigned_before_approval",
            )
        ]
    return []


@transaction.atomic
def suggestion_assign(
    *,
    suggestion: Suggestion,
    by,
    lead_unit: HandlingUnit,
    co_units: Iterable[HandlingUnit] = (),
    complex: bool = False,
    assigned_on: datetime.date | None = None,
) -> list[Assignment]:
    """Give a reviewed suggestion to exactly one lead unit and any co-handling units.

    ``assigned_on`` is the 交办会's date when the batch is entered later (default today):
    the deadlines count from it, as the law counts them from the meeting.
    """
    base.lock(suggestion)
    base.guard(suggestion, "assign", by)
    if lead_unit is None:
        raise ValidationError(_("Exactly one lead unit is required."), code="lead_unit_required")
    assigned_on = assigned_on or base.today()
    co_units = _check_units(
        suggestion, lead_unit, co_units, errors=_assigned_on_errors(suggestion, assigned_on)
    )
    base.fire(suggestion, "assign", by, complex=bool(complex))
    assignments = [_new_assignment(suggestion, lead_unit, Assignment.Role.LEAD, assigned_on)]
    assignments += [
        _new_assignment(suggestion, u, Assignment.Role.CO, assigned_on) for u in co_units
    ]
    return assignments


@transaction.atomic
def reassignment_request(*, assignment: Assignment, by, reason: str) -> ReassignmentRequest:
    """A unit asks to be relieved of an assignment, within the window after assignment."""
    base.lock_assignment(assignment)
    base.require_member(by, assignment)
    base.require_state(
        assignment.suggestion, Suggestion.State.ASSIGNED, action=_("ask for reassignment")
    )
    base.require_open(assignment)
    base.require_reason(reason)
    window = deadlines.reassignment_window(assignment.assigned_on)
    if base.today() > window.end:
        raise ValidationError(
            _("The reassignment window closed on %(end)s (%(how)s).")
            % {"end": window.end, "how": window.explanation()},
            code="window_closed",
        )
    if assignment.reassignment_requests.filter(
        decision=ReassignmentRequest.Decision.PENDING
    ).exists():
        raise ValidationError(
            _("A reassignment request for this assignment is already waiting."),
            code="request_pending",
        )
    return ReassignmentRequest.objects.create(assignment=assignment, reason=reason, requested_by=by)


def _decide(request, by, approve: bool) -> None:
    if request.decision != request.Decision.PENDING:
        raise ValidationError(
            _("This request was already decided: %(decision)s.")
            % {"decision": request.get_decision_display()},
            code="already_decided",
        )
    request.decision = request.Decision.APPROVED if approve else request.Decision.REJECTED
    request.decided_by = by
    request.decided_at = timezone.now()
    request.save(update_fields=["decision", "decided_by", "decided_at"])


@transaction.atomic
def reassignment_decide(
    *,
    request: ReassignmentRequest,
    by,
    approve: bool,
    lead_unit: HandlingUnit | None = None,
    co_units: Iterable[HandlingUnit] = (),
) -> list[Assignment]:
    """Approve (closing the old assignment, opening new ones) or reject a reassignment request."""
    suggestion = base.lock(request.assignment.suggestion)
    request.refresh_from_db()
    old = request.assignment
    if not approve:
        base.require_staff(by)
        _decide(request, by, approve=False)
        return []
    base.guard(suggestion, "reassign", by)
    if old.role == Assignment.Role.LEAD and lead_unit is None:
        raise ValidationError(
            _("The lead unit asked to be relieved: name the new lead unit."),
            code="lead_unit_required",
        )
    if old.role == Assignment.Role.CO and lead_unit is not None:
        raise ValidationError(
            _("A co-handler is being relieved: the lead unit stays, so name no new lead unit."),
            code="lead_unit_unexpected",
        )
    _decide(request, by, approve=True)
    today = base.today()
    old.closed_on = today
    old.close_reason = Assignment.CloseReason.REASSIGNED
    old.save(update_fields=["closed_on", "close_reason"])
    co_units = _check_units(suggestion, lead_unit, co_units)
    base.fire(suggestion, "reassign", by, request.reason)
    created = []
    if lead_unit is not None:
        created.append(_new_assignment(suggestion, lead_unit, Assignment.Role.LEAD, today))
    created += [_new_assignment(suggestion, u, Assignment.Role.CO, today) for u in co_units]
    return created


@transaction.atomic
def extension_request(
    *, assignment: Assignment, by, reason: str, until: datetime.date
) -> ExtensionRequest:
    """A unit asks for a later deadline, at most the legal maximum after assignment."""
    base.lock_assignment(assignment)
    base.require_member(by, assignment)
    base.require_state(
        assignment.suggestion, Suggestion.State.ASSIGNED, action=_("ask for an extension")
    )
    base.require_open(assignment)
    errors = base.require_text(reason, "reason_required", _("A reason is required."))
    if assignment.role != Assignment.Role.LEAD:
        errors.append(
            ValidationError(_("Only the lead unit may ask for an extension."), code="not_lead_unit")
        )
    limit = deadlines.extension_limit(assignment.assigned_on)
    if not isinstance(until, datetime.date):
        errors.append(
            ValidationError(_("Give the new deadline you ask for."), code="until_required")
        )
    elif until <= assignment.due_on:
        errors.append(
            ValidationError(
                _("The new deadline must be after the current one (%(due)s).")
                % {"due": assignment.due_on},
                code="not_later",
            )
        )
    elif until > limit:
        errors.append(
            ValidationError(
                _("A deadline cannot be extended past %(limit)s.") % {"limit": limit},
                code="past_limit",
            )
        )
    if assignment.extension_requests.filter(decision=ExtensionRequest.Decision.PENDING).exists():
        errors.append(
            ValidationError(
                _("An extension request for this assignment is already waiting."),
                code="request_pending",
            )
        )
    base.raise_if(errors)
    return ExtensionRequest.objects.create(
        assignment=assignment, reason=reason, until=until, requested_by=by
    )


@transaction.atomic
def extension_decide(*, request: ExtensionRequest, by, approve: bool) -> Assignment:
    """Approve (moving the deadline, keeping the original) or reject an extension request."""
    suggestion = base.lock(request.assignment.suggestion)
    request.refresh_from_db()
    assignment = request.assignment
    if not approve:
        base.require_staff(by)
        _decide(request, by, approve=False)
        return assignment
    base.guard(suggestion, "extend", by)
    base.require_open(assignment)
    _decide(request, by, approve=True)
    assignment.due_basis = {
        "rule": "extension",
        "from": base.today().isoformat(),
        "previous": assignment.due_on.isoformat(),
    }
    assignment.due_on = request.until
    assignment.save(update_fields=["due_on", "due_basis"])
    base.fire(suggestion, "extend", by, request.reason)
    return assignment


@transaction.atomic
def assignment_name_handler(*, assignment: Assignment, by, handler) -> Assignment:
    """The unit head names the person responsible for the assignment (承办人)."""
    assignment = base.lock_assignment(assignment)
    if not permissions.is_unit_head(by, assignment.unit):
        raise PermissionDenied(
            _("Only the head of %(unit)s names the responsible person.") % {"unit": assignment.unit}
        )
    base.require_open(assignment)
    if (
        handler is None
        or not UnitMembership.objects.filter(
            unit=assignment.unit, user=handler, user__is_active=True
        ).exists()
    ):
        raise ValidationError(
            _("The responsible person must be a member of %(unit)s.") % {"unit": assignment.unit},
            code="handler_not_member",
        )
    assignment.handler = handler
    assignment.save(update_fields=["handler"])
    return assignment
