"""What every service shares: the lock, the guard, the transition, and the checks.

A service that changes the state runs ``lock`` (re-read the suggestion under a row lock),
``guard`` (the state has the transition and the user its permission), its own checks
(every failed condition collected into one ``ValidationError`` whose items carry a
``code``), then ``fire`` (the transition's conditions, the transition, the save, the
transition record, the signal on commit). Services call these through the module
(``base.lock(...)``), so one place holds each step.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import TransitionNotAllowed

from .. import permissions
from ..models import Assignment, Suggestion
from ..signals import signoffs_recorded, suggestion_transitioned


def today() -> datetime.date:
    return timezone.localdate()


def lock(suggestion: Suggestion) -> Suggestion:
    """Re-read the suggestion under a row lock, so concurrent transitions queue up."""
    fresh = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
    # Not refresh_from_db(): django-fsm-2's version lifts the state field's protection on
    # the field object shared by every thread, so a concurrent save could be refused.
    for field in Suggestion._meta.concrete_fields:
        suggestion.__dict__[field.attname] = fresh.__dict__[field.attname]
    suggestion._state.fields_cache = {}
    suggestion.__dict__.pop("_prefetched_objects_cache", None)
    suggestion.__dict__.pop("_npc_group", None)
    suggestion._update_initial_state()
    return suggestion


def verb(name: str) -> str:
    """How a refusal names transition ``name`` (its ``verb`` words on the model)."""
    return Suggestion.transition_words(name)["verb"]


def not_allowed(suggestion: Suggestion, name: str) -> TransitionNotAllowed:
    return TransitionNotAllowed(
        _("Cannot %(action)s a suggestion that is “%(state)s”.")
        % {"action": verb(name), "state": suggestion.get_state_display()},
        object=suggestion,
    )


def guard(suggestion: Suggestion, name: str, by) -> None:
    """Raise unless ``by`` may make transition ``name`` from the current state."""
    meta = getattr(suggestion, name)._django_fsm
    if not meta.has_transition(suggestion.state):
        raise not_allowed(suggestion, name)
    if not meta.has_transition_perm(suggestion, suggestion.state, by):
        raise PermissionDenied(
            _("You may not %(action)s this suggestion.") % {"action": verb(name)}
        )


def fire(suggestion: Suggestion, name: str, by, description: str = "", **kwargs) -> None:
    """Check the transition's conditions, make it, save, and announce it on commit."""
    method = getattr(suggestion, name)
    transition_ = method._django_fsm.get_transition(suggestion.state)
    failed = [
        ValidationError(cond.message, code=cond.__name__.lstrip("_"))
        for cond in transition_.conditions
        if not cond(suggestion)
    ]
    if failed:
        raise ValidationError(failed)
    method(by=by, description=description or None, **kwargs)
    suggestion.save()
    suggestion_id, by_id = suggestion.pk, by.pk
    transaction.on_commit(
        lambda: suggestion_transitioned.send(
            sender=Suggestion, suggestion_id=suggestion_id, transition=name, by_id=by_id
        )
    )


def announce_signoffs(suggestion: Suggestion, signoffs: list) -> None:
    """Send ``signoffs_recorded`` on commit (the next signer's notification hangs on it)."""
    suggestion_id, ids = suggestion.pk, [s.pk for s in signoffs]
    transaction.on_commit(
        lambda: signoffs_recorded.send(
            sender=Suggestion, suggestion_id=suggestion_id, signoff_ids=ids
        )
    )


def parse_date(value, code: str, message: str) -> datetime.date:
    """A date given as a date or ISO text; a ``ValidationError`` with ``code`` otherwise."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except (TypeError, ValueError):
        raise ValidationError(message, code=code) from None


def raise_if(errors: list[ValidationError]) -> None:
    if errors:
        raise ValidationError(errors)


def require_text(value: str, code: str, message: str) -> list[ValidationError]:
    return [] if (value or "").strip() else [ValidationError(message, code=code)]


def require_reason(reason: str) -> None:
    raise_if(require_text(reason, "reason_required", _("A reason is required.")))


def require_staff(by) -> None:
    if not permissions.is_committee_staff(by):
        raise PermissionDenied(_("Only the committee office may do this."))


def require_member(by, assignment: Assignment) -> None:
    if not permissions.is_unit_member(by, assignment.unit):
        raise PermissionDenied(
            _("Only members of %(unit)s may do this.") % {"unit": assignment.unit}
        )


def require_state(suggestion: Suggestion, *states: str, action: str) -> None:
    if suggestion.state not in states:
        raise TransitionNotAllowed(
            _("Cannot %(action)s while the suggestion is “%(state)s”.")
            % {"action": action, "state": suggestion.get_state_display()},
            object=suggestion,
        )


def require_open(assignment: Assignment) -> None:
    if not assignment.is_open:
        raise ValidationError(
            _("This assignment was closed on %(date)s.") % {"date": assignment.closed_on},
            code="assignment_closed",
        )


def lock_assignment(assignment: Assignment) -> Assignment:
    """Lock the assignment's suggestion, then re-read the assignment."""
    lock(assignment.suggestion)
    assignment.refresh_from_db()
    return assignment
