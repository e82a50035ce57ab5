"""Every write of the suggestion loop. The admin, the pages, the tasks and the import call these.

Each function takes keyword arguments and the acting user as ``by``, runs in one
transaction, and raises ``PermissionDenied`` for a user who may not act,
``TransitionNotAllowed`` for a wrong state, and ``ValidationError`` naming each failed
condition otherwise. Nothing is sent from inside a transaction: the
``suggestion_transitioned`` signal goes out on commit.
"""

import datetime
import uuid
from collections.abc import Iterable, Mapping, Sequence

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import TransitionNotAllowed

from deputies.models import Deputy

from . import channels, deadlines, permissions, reminders
from .models import (
    Assignment,
    Commitment,
    Communication,
    CoOpinion,
    ExtensionRequest,
    HandlingUnit,
    Notification,
    NumberSequence,
    ReassignmentRequest,
    Redo,
    Reminder,
    Reply,
    Revisit,
    RevisitOutcome,
    SignOff,
    Suggestion,
)
from .signals import suggestion_transitioned

ACTIONS = {
    "approve": gettext_lazy("approve"),
    "return_for_revision": gettext_lazy("return for revision"),
    "reject": gettext_lazy("reject"),
    "withdraw": gettext_lazy("withdraw"),
    "assign": gettext_lazy("assign"),
    "reassign": gettext_lazy("reassign"),
    "extend": gettext_lazy("extend the deadline of"),
    "reply": gettext_lazy("reply to"),
    "sign": gettext_lazy("sign off"),
    "order_redo": gettext_lazy("order a redo of"),
    "revisit": gettext_lazy("revisit"),
}


# Helpers shared by the services.


def _today() -> datetime.date:
    return timezone.localdate()


def _lock(suggestion: Suggestion) -> Suggestion:
    """Re-read the suggestion under a row lock, so concurrent transitions queue up."""
    fresh = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
    # Not refresh_from_db(): django-fsm-2's version lifts the state field's protection on
    # the field object shared by every thread, so a concurrent save could be refused.
    for field in Suggestion._meta.concrete_fields:
        suggestion.__dict__[field.attname] = fresh.__dict__[field.attname]
    suggestion._state.fields_cache = {}
    suggestion.__dict__.pop("_prefetched_objects_cache", None)
    suggestion._update_initial_state()
    return suggestion


def _not_allowed(suggestion: Suggestion, name: str) -> TransitionNotAllowed:
    return TransitionNotAllowed(
        _("Cannot %(action)s a suggestion that is “%(state)s”.")
        % {"action": ACTIONS[name], "state": suggestion.get_state_display()},
        object=suggestion,
    )


def _guard(suggestion: Suggestion, name: str, by) -> None:
    """Raise unless ``by`` may make transition ``name`` from the current state."""
    meta = getattr(suggestion, name)._django_fsm
    if not meta.has_transition(suggestion.state):
        raise _not_allowed(suggestion, name)
    if not meta.has_transition_perm(suggestion, suggestion.state, by):
        raise PermissionDenied(
            _("You may not %(action)s this suggestion.") % {"action": ACTIONS[name]}
        )


def _fire(suggestion: Suggestion, name: str, by, description: str = "", **kwargs) -> None:
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


def _raise_if(errors: list[ValidationError]) -> None:
    if errors:
        raise ValidationError(errors)


def _require_text(value: str, code: str, message: str) -> list[ValidationError]:
    return [] if (value or "").strip() else [ValidationError(message, code=code)]


def _require_reason(reason: str) -> None:
    _raise_if(_require_text(reason, "reason_required", _("A reason is required.")))


def _require_staff(by) -> None:
    if not permissions.is_committee_staff(by):
        raise PermissionDenied(_("Only the committee office may do this."))


def _require_member(by, assignment: Assignment) -> None:
    if not permissions.is_unit_member(by, assignment.unit):
        raise PermissionDenied(
            _("Only members of %(unit)s may do this.") % {"unit": assignment.unit}
        )


def _require_state(suggestion: Suggestion, *states: str, action: str) -> None:
    if suggestion.state not in states:
        raise TransitionNotAllowed(
            _("Cannot %(action)s while the suggestion is “%(state)s”.")
            % {"action": action, "state": suggestion.get_state_display()},
            object=suggestion,
        )


def _require_open(assignment: Assignment) -> None:
    if not assignment.is_open:
        raise ValidationError(
            _("This assignment was closed on %(date)s.") % {"date": assignment.closed_on},
            code="assignment_closed",
        )


def _lock_assignment(assignment: Assignment) -> Assignment:
    """Lock the assignment's suggestion, then re-read the assignment."""
    _lock(assignment.suggestion)
    assignment.refresh_from_db()
    return assignment


def _lock_numbers(term: int, session: int) -> NumberSequence:
    """Lock a session's numbering, so creates and approvals that number it queue up."""
    sequence, _created = NumberSequence.objects.select_for_update().get_or_create(
        term=term, session=session
    )
    return sequence


def _next_number(term: int, session: int) -> str:
    sequence = _lock_numbers(term, session)
    taken = set(
        Suggestion.objects.filter(term=term, session=session)
        .exclude(number="")
        .values_list("number", flat=True)
    )
    number = sequence.last + 1
    while str(number) in taken:  # numbers typed in or imported by hand
        number += 1
    sequence.last = number
    sequence.save(update_fields=["last"])
    return str(number)


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
    suggestion: Suggestion, lead_unit: HandlingUnit | None, co_units: Iterable[HandlingUnit]
) -> list[HandlingUnit]:
    co_units = list(co_units)
    errors = []
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
    _raise_if(errors)
    return co_units


# Entering and reviewing suggestions.


@transaction.atomic
def suggestion_create(
    *,
    by,
    title: str,
    content: str,
    lead_deputy: Deputy,
    co_deputies: Iterable[Deputy] = (),
    category: str = "",
    raised_on: datetime.date | None = None,
    number: str = "",
    term: int | None = None,
    session: int | None = None,
    delegation: str = "",
) -> Suggestion:
    """Enter a deputy's suggestion as proposed."""
    _require_staff(by)
    term = term or deadlines.rule("CURRENT_TERM")
    session = session or deadlines.rule("CURRENT_SESSION")
    co_deputies = list(co_deputies)
    errors = _require_text(title, "title_required", _("A title is required."))
    errors += _require_text(content, "content_required", _("The content is required."))
    if lead_deputy in co_deputies:
        errors.append(
            ValidationError(
                _("The lead deputy cannot also be a co-signer."), code="lead_is_co_signer"
            )
        )
    number = (number or "").strip()
    if number:
        _lock_numbers(term, session)
    if number and Suggestion.objects.filter(term=term, session=session, number=number).exists():
        errors.append(
            ValidationError(
                _("Number %(number)s is already used in term %(term)s, session %(session)s.")
                % {"number": number, "term": term, "session": session},
                code="duplicate_number",
            )
        )
    _raise_if(errors)
    suggestion = Suggestion.objects.create(
        term=term,
        session=session,
        number=number,
        title=title.strip(),
        content=content,
        category=category,
        delegation=delegation or lead_deputy.delegation,
        lead_deputy=lead_deputy,
        raised_on=raised_on or _today(),
        created_by=by,
    )
    # One by one: the ledger lists co-signers in the order they were entered, and a
    # single add() inserts them in the order of a set.
    for deputy in co_deputies:
        suggestion.co_deputies.add(deputy)
    return suggestion


@transaction.atomic
def suggestion_approve(*, suggestion: Suggestion, by, note: str = "") -> Suggestion:
    """Record that the political, legal and policy checks passed, and number the suggestion."""
    _lock(suggestion)
    _guard(suggestion, "approve", by)
    if not suggestion.number:
        suggestion.number = _next_number(suggestion.term, suggestion.session)
    _fire(suggestion, "approve", by, note)
    return suggestion


@transaction.atomic
def suggestion_return_for_revision(*, suggestion: Suggestion, by, reason: str) -> Suggestion:
    """Send a proposed suggestion back to its deputy with the reason."""
    _lock(suggestion)
    _guard(suggestion, "return_for_revision", by)
    _require_reason(reason)
    _fire(suggestion, "return_for_revision", by, reason)
    return suggestion


@transaction.atomic
def suggestion_reject(*, suggestion: Suggestion, by, reason: str) -> Suggestion:
    """Refuse a proposed suggestion (e.g. not a suggestion, turned into a letter)."""
    _lock(suggestion)
    _guard(suggestion, "reject", by)
    _require_reason(reason)
    _fire(suggestion, "reject", by, reason)
    return suggestion


@transaction.atomic
def suggestion_withdraw(*, suggestion: Suggestion, by, reason: str) -> Suggestion:
    """Withdraw a suggestion on its deputy's request."""
    _lock(suggestion)
    _guard(suggestion, "withdraw", by)
    _require_reason(reason)
    _fire(suggestion, "withdraw", by, reason)
    return suggestion


# Assignment, reassignment and extension.


@transaction.atomic
def suggestion_assign(
    *,
    suggestion: Suggestion,
    by,
    lead_unit: HandlingUnit,
    co_units: Iterable[HandlingUnit] = (),
    complex: bool = False,
) -> list[Assignment]:
    """Give a reviewed suggestion to exactly one lead unit and any co-handling units."""
    _lock(suggestion)
    _guard(suggestion, "assign", by)
    if lead_unit is None:
        raise ValidationError(_("Exactly one lead unit is required."), code="lead_unit_required")
    co_units = _check_units(suggestion, lead_unit, co_units)
    _fire(suggestion, "assign", by, complex=bool(complex))
    today = _today()
    assignments = [_new_assignment(suggestion, lead_unit, Assignment.Role.LEAD, today)]
    assignments += [_new_assignment(suggestion, u, Assignment.Role.CO, today) for u in co_units]
    return assignments


@transaction.atomic
def reassignment_request(*, assignment: Assignment, by, reason: str) -> ReassignmentRequest:
    """A unit asks to be relieved of an assignment, within the window after assignment."""
    _lock_assignment(assignment)
    _require_member(by, assignment)
    _require_state(
        assignment.suggestion, Suggestion.State.ASSIGNED, action=_("ask for reassignment")
    )
    _require_open(assignment)
    _require_reason(reason)
    window = deadlines.reassignment_window(assignment.assigned_on)
    if _today() > window.end:
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
    suggestion = _lock(request.assignment.suggestion)
    request.refresh_from_db()
    old = request.assignment
    if not approve:
        _require_staff(by)
        _decide(request, by, approve=False)
        return []
    _guard(suggestion, "reassign", by)
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
    today = _today()
    old.closed_on = today
    old.close_reason = Assignment.CloseReason.REASSIGNED
    old.save(update_fields=["closed_on", "close_reason"])
    co_units = _check_units(suggestion, lead_unit, co_units)
    _fire(suggestion, "reassign", by, request.reason)
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
    _lock_assignment(assignment)
    _require_member(by, assignment)
    _require_state(
        assignment.suggestion, Suggestion.State.ASSIGNED, action=_("ask for an extension")
    )
    _require_open(assignment)
    errors = _require_text(reason, "reason_required", _("A reason is required."))
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
    _raise_if(errors)
    return ExtensionRequest.objects.create(
        assignment=assignment, reason=reason, until=until, requested_by=by
    )


@transaction.atomic
def extension_decide(*, request: ExtensionRequest, by, approve: bool) -> Assignment:
    """Approve (moving the deadline, keeping the original) or reject an extension request."""
    suggestion = _lock(request.assignment.suggestion)
    request.refresh_from_db()
    assignment = request.assignment
    if not approve:
        _require_staff(by)
        _decide(request, by, approve=False)
        return assignment
    _guard(suggestion, "extend", by)
    _require_open(assignment)
    _decide(request, by, approve=True)
    assignment.due_basis = {
        "rule": "extension",
        "from": _today().isoformat(),
        "previous": assignment.due_on.isoformat(),
    }
    assignment.due_on = request.until
    assignment.save(update_fields=["due_on", "due_basis"])
    _fire(suggestion, "extend", by, request.reason)
    return assignment


# Handling: communications, co-handlers' opinions, the reply.


@transaction.atomic
def communication_record(
    *,
    assignment: Assignment,
    by,
    stage: str,
    method: str,
    happened_on: datetime.date,
    notes: str,
) -> Communication:
    """Record a contact with the deputy, before, during or after handling."""
    _lock_assignment(assignment)
    _require_member(by, assignment)
    suggestion = assignment.suggestion
    _require_state(
        suggestion,
        Suggestion.State.ASSIGNED,
        Suggestion.State.HANDLED,
        Suggestion.State.SIGNED,
        action=_("record a communication"),
    )
    _require_open(assignment)
    errors = _require_text(notes, "notes_required", _("Notes of the communication are required."))
    if stage not in Communication.Stage.values:
        errors.append(ValidationError(_("Unknown stage."), code="bad_stage"))
    if method not in Communication.Method.values:
        errors.append(ValidationError(_("Unknown method."), code="bad_method"))
    if happened_on is None or happened_on > _today():
        errors.append(ValidationError(_("The date cannot be in the future."), code="future_date"))
    _raise_if(errors)
    return Communication.objects.create(
        assignment=assignment,
        round=suggestion.round,
        stage=stage,
        method=method,
        happened_on=happened_on,
        notes=notes,
        recorded_by=by,
    )


@transaction.atomic
def co_opinion_submit(*, assignment: Assignment, by, text: str) -> CoOpinion:
    """A co-handling unit sends the lead unit its opinion."""
    _lock_assignment(assignment)
    _require_member(by, assignment)
    _require_state(assignment.suggestion, Suggestion.State.ASSIGNED, action=_("send an opinion"))
    _require_open(assignment)
    errors = _require_text(text, "text_required", _("The opinion text is required."))
    if assignment.role != Assignment.Role.CO:
        errors.append(
            ValidationError(_("Only a co-handling unit sends an opinion."), code="not_co_unit")
        )
    _raise_if(errors)
    return CoOpinion.objects.create(assignment=assignment, text=text, submitted_by=by)


def _reply_errors(
    assignment: Assignment, classification: str, text: str, document, commitments: list
) -> list[ValidationError]:
    suggestion = assignment.suggestion
    errors = []
    if assignment.role != Assignment.Role.LEAD:
        errors.append(ValidationError(_("Only the lead unit replies."), code="not_lead_unit"))
    missing = [
        str(a.unit)
        for a in suggestion.open_assignments()
        .filter(role=Assignment.Role.CO)
        .exclude(co_opinions__isnull=False)
        .select_related("unit")
    ]
    if missing:
        errors.append(
            ValidationError(
                _("These co-handling units have not sent their opinion: %(units)s.")
                % {"units": "、".join(missing)},
                code="co_opinions_missing",
            )
        )
    if not assignment.communications.filter(round=suggestion.round).exists():
        errors.append(
            ValidationError(
                _("Record at least one communication with the deputy before replying."),
                code="no_communication",
            )
        )
    if classification not in Reply.Classification.values:
        errors.append(
            ValidationError(_("Choose a classification from A to D."), code="bad_classification")
        )
    errors += _require_text(text, "text_required", _("The reply text is required."))
    if not document:
        errors.append(
            ValidationError(_("Attach the signed reply document."), code="document_required")
        )
    if classification in (Reply.Classification.B, Reply.Classification.C) and not commitments:
        errors.append(
            ValidationError(
                _("A B or C reply must list its commitments with their dates."),
                code="commitments_required",
            )
        )
    for text_, due_on in commitments:
        if not (text_ or "").strip() or not isinstance(due_on, datetime.date):
            errors.append(
                ValidationError(
                    _("Every commitment needs a text and a due date."), code="bad_commitment"
                )
            )
        elif due_on < _today():
            errors.append(
                ValidationError(
                    _("A commitment's due date cannot be in the past: %(date)s.")
                    % {"date": due_on},
                    code="bad_commitment",
                )
            )
    return errors


@transaction.atomic
def reply_submit(
    *,
    assignment: Assignment,
    by,
    classification: str,
    text: str,
    document,
    commitments: Sequence[tuple[str, datetime.date]] = (),
) -> Reply:
    """The lead unit answers, with its signed document and, for B and C, its commitments."""
    _lock_assignment(assignment)
    suggestion = assignment.suggestion
    _guard(suggestion, "reply", by)
    _require_open(assignment)
    commitments = list(commitments)
    _raise_if(_reply_errors(assignment, classification, text, document, commitments))
    today = _today()
    reply = Reply.objects.create(
        suggestion=suggestion,
        assignment=assignment,
        round=suggestion.round,
        classification=classification,
        text=text,
        document=document,
        due_on=assignment.due_on,
        on_time=today <= assignment.due_on,
        submitted_by=by,
    )
    Commitment.objects.bulk_create(
        Commitment(reply=reply, text=t, due_on=d) for t, d in commitments
    )
    _fire(suggestion, "reply", by)
    return reply


# Sign-offs, redo and revisit.

SIGNING_ORDER = [SignOff.Level.DEPUTY, SignOff.Level.UNIT_HEAD, SignOff.Level.LEADER]


def _may_sign(by, suggestion: Suggestion, level: str, unit: HandlingUnit) -> bool:
    if level == SignOff.Level.DEPUTY:
        return permissions.is_lead_deputy(by, suggestion)
    if level == SignOff.Level.UNIT_HEAD:
        return permissions.is_unit_head(by, unit)
    return permissions.is_unit_leader(by, unit)


def _signoff_errors(
    suggestion: Suggestion, level: str, opinion: str, work_rating, result_rating
) -> list[ValidationError]:
    signed = set(suggestion.signoffs.filter(round=suggestion.round).values_list("level", flat=True))
    if level in signed:
        return [
            ValidationError(
                _("This reply already has the %(level)s's sign-off.")
                % {"level": SignOff.Level(level).label},
                code="already_signed",
            )
        ]
    errors = []
    for earlier in SIGNING_ORDER[: SIGNING_ORDER.index(level)]:
        if earlier not in signed:
            errors.append(
                ValidationError(
                    _("The %(level)s signs first.") % {"level": SignOff.Level(earlier).label},
                    code="out_of_order",
                )
            )
            break
    ratings = SignOff.Rating.values
    if level == SignOff.Level.DEPUTY:
        if work_rating not in ratings or result_rating not in ratings:
            errors.append(
                ValidationError(
                    _("Rate both the handling work and the result."), code="ratings_required"
                )
            )
        elif (
            SignOff.Rating.DISSATISFIED in (work_rating, result_rating)
            and not (opinion or "").strip()
        ):
            errors.append(
                ValidationError(
                    _("Say why you are dissatisfied."), code="dissatisfied_reason_required"
                )
            )
    elif work_rating or result_rating:
        errors.append(
            ValidationError(_("Only the deputy gives ratings."), code="ratings_not_allowed")
        )
    return errors


@transaction.atomic
def signoff_record(
    *,
    suggestion: Suggestion,
    by,
    level: str,
    opinion: str = "",
    work_rating: str | None = None,
    result_rating: str | None = None,
) -> SignOff:
    """Sign the handling record: the lead deputy, then the unit head, then the leader."""
    _lock(suggestion)
    if level not in SignOff.Level.values:
        raise ValidationError(_("Unknown sign-off level."), code="bad_level")
    _require_state(suggestion, Suggestion.State.HANDLED, action=_("sign off"))
    reply = suggestion.current_reply()
    if not _may_sign(by, suggestion, level, reply.assignment.unit):
        raise PermissionDenied(
            _("You may not sign as the %(level)s of this suggestion.")
            % {"level": SignOff.Level(level).label}
        )
    _raise_if(_signoff_errors(suggestion, level, opinion, work_rating, result_rating))
    signoff = SignOff.objects.create(
        suggestion=suggestion,
        reply=reply,
        round=suggestion.round,
        level=level,
        signed_by=by,
        opinion=opinion or "",
        work_rating=work_rating or "",
        result_rating=result_rating or "",
    )
    if level == SignOff.Level.LEADER:
        _guard(suggestion, "sign", by)
        _fire(suggestion, "sign", by)
    return signoff


@transaction.atomic
def suggestion_order_redo(
    *, suggestion: Suggestion, by, reason: str, grounds: str | None = None
) -> Redo:
    """Order the lead unit to handle the suggestion again within the redo period."""
    _lock(suggestion)
    _guard(suggestion, "order_redo", by)
    _require_reason(reason)
    if grounds is None:
        deputy_signoff = suggestion.signoffs.filter(
            round=suggestion.round, level=SignOff.Level.DEPUTY
        ).first()
        dissatisfied = deputy_signoff is not None and deputy_signoff.is_dissatisfied
        grounds = Redo.Grounds.DISSATISFIED if dissatisfied else Redo.Grounds.NONCONFORMING
    if grounds not in Redo.Grounds.values:
        raise ValidationError(_("Unknown grounds for a redo."), code="bad_grounds")
    lead = suggestion.lead_assignment()
    today = _today()
    lead.due_on, lead.due_basis = deadlines.redo_due(today)
    lead.save(update_fields=["due_on", "due_basis"])
    _fire(suggestion, "order_redo", by, reason)
    return Redo.objects.create(
        suggestion=suggestion,
        unit=lead.unit,
        round=suggestion.round,
        grounds=grounds,
        reason=reason,
        due_on=lead.due_on,
        ordered_by=by,
    )


@transaction.atomic
def revisit_record(
    *, suggestion: Suggestion, by, outcomes: Mapping[Commitment, str], notes: str
) -> Revisit:
    """Record what the revisit found for every commitment of the current reply, and close."""
    _lock(suggestion)
    _guard(suggestion, "revisit", by)
    reply = suggestion.current_reply()
    commitments = {c.pk: c for c in reply.commitments.all()}
    given = {c.pk: outcome for c, outcome in outcomes.items()}
    errors = _require_text(notes, "notes_required", _("Notes of the revisit are required."))
    if set(given) - set(commitments):
        errors.append(
            ValidationError(
                _("An outcome was given for a commitment that is not in the current reply."),
                code="unknown_commitment",
            )
        )
    unchecked = [str(c) for pk, c in commitments.items() if pk not in given]
    if unchecked:
        errors.append(
            ValidationError(
                _("These commitments have no outcome: %(commitments)s.")
                % {"commitments": "；".join(unchecked)},
                code="commitments_unchecked",
            )
        )
    if any(outcome not in RevisitOutcome.Outcome.values for outcome in given.values()):
        errors.append(ValidationError(_("Unknown revisit outcome."), code="bad_outcome"))
    _raise_if(errors)
    revisit = Revisit.objects.create(
        suggestion=suggestion, reply=reply, notes=notes, recorded_by=by
    )
    RevisitOutcome.objects.bulk_create(
        RevisitOutcome(revisit=revisit, commitment=commitments[pk], outcome=outcome)
        for pk, outcome in given.items()
    )
    _fire(suggestion, "revisit", by, notes)
    return revisit


# Reminders.


def send_due_reminders(*, now: datetime.datetime | None = None) -> int:
    """Insert every reminder due now that was not sent before, and send them after commit.

    Idempotent by data: a reminder's unique key means a second sweep, or a concurrent one,
    inserts nothing again. A sweep missed while the worker was down is made up by the next.
    Returns how many reminders this sweep created.
    """
    from . import tasks  # tasks import this module

    today = timezone.localdate(now)
    sweep = uuid.uuid4()
    with transaction.atomic():
        found = [due for due in reminders.due_reminders(today) if due.recipient_ids]
        existing = set(
            Reminder.objects.filter(target__in={due.target for due in found}).values_list(
                "target", "kind", "due_on", "days"
            )
        )
        rows = [
            Reminder(
                recipient_id=recipient_id,
                kind=due.kind,
                suggestion_id=due.suggestion_id,
                assignment_id=due.assignment_id,
                target=due.target,
                due_on=due.due_on,
                days=due.days,
                sweep=sweep,
            )
            for due in found
            if (due.target, due.kind, due.due_on, due.days) not in existing
            for recipient_id in sorted(due.recipient_ids)
        ]
        # A concurrent sweep's rows make ours conflict and be skipped: only the rows this
        # sweep really inserted carry its id.
        Reminder.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
        created = list(Reminder.objects.filter(sweep=sweep).values_list("pk", flat=True))
        transaction.on_commit(lambda: [tasks.deliver_reminder.delay(pk) for pk in created])
    return len(created)


def reminder_deliver(*, reminder_id: int) -> bool:
    """Send one reminder through every channel unless it went out already; True when sent now."""
    with transaction.atomic():
        reminder = (
            Reminder.objects.select_for_update(of=("self",))
            .select_related("recipient", "recipient__deputy", "suggestion", "assignment__unit")
            .filter(pk=reminder_id, sent_at__isnull=True)
            .first()
        )
        if reminder is None:
            return False
        # A channel's error propagates: the transaction rolls back, sent_at stays empty and
        # the task retries the same row; no second reminder is created.
        for channel in channels.channels():
            channel.deliver(reminder)
        reminder.sent_at = timezone.now()
        reminder.save(update_fields=["sent_at"])
        notify_reminder(reminder)
    return True


# In-app notifications.


def notify(
    *,
    recipients: Iterable,
    kind: str,
    text: str,
    suggestion: Suggestion | None = None,
    assignment: Assignment | None = None,
) -> list:
    """Create one in-app notification per recipient (users or their ids)."""

    ids = sorted({getattr(r, "pk", r) for r in recipients})
    return Notification.objects.bulk_create(
        Notification(
            recipient_id=pk,
            kind=kind,
            text=str(text)[:300],
            suggestion=suggestion,
            assignment=assignment,
        )
        for pk in ids
    )


def notify_reminder(reminder: Reminder) -> list:
    """The in-app copy of a reminder, worded like its e-mail's subject."""
    with translation.override(settings.LANGUAGE_CODE):
        context = {"reminder": reminder, "suggestion": reminder.suggestion}
        text = render_to_string("suggestions/email/reminder_subject.txt", context).strip()
    return notify(
        recipients=[reminder.recipient_id],
        kind=f"reminder_{reminder.kind}",
        text=text,
        suggestion=reminder.suggestion,
        assignment=reminder.assignment,
    )


def notifications_mark_read(*, by) -> int:
    """Mark every unread notification of the user as read; returns how many."""

    return Notification.objects.filter(recipient=by, read_at__isnull=True).update(
        read_at=timezone.now()
    )
