"""Handling: communications with the deputy, co-handlers' opinions, and the lead unit's reply."""

import datetime
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Assignment, Commitment, Communication, CoOpinion, Reply, Suggestion
from . import base


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
    base.lock_assignment(assignment)
    base.require_member(by, assignment)
    suggestion = assignment.suggestion
    base.require_state(
        suggestion,
        Suggestion.State.ASSIGNED,
        Suggestion.State.HANDLED,
        Suggestion.State.SIGNED,
        action=_("record a communication"),
    )
    base.require_open(assignment)
    errors = base.require_text(
        notes, "notes_required", _("Notes of the communication are required.")
    )
    if stage not in Communication.Stage.values:
        errors.append(ValidationError(_("Unknown stage."), code="bad_stage"))
    if method not in Communication.Method.values:
        errors.append(ValidationError(_("Unknown method."), code="bad_method"))
    if happened_on is None or happened_on > base.today():
        errors.append(ValidationError(_("The date cannot be in the future."), code="future_date"))
    elif happened_on < assignment.assigned_on:
        errors.append(
            ValidationError(
                _("The date cannot be before the assignment (%(date)s).")
                % {"date": assignment.assigned_on},
                code="before_assignment",
            )
        )
    base.raise_if(errors)
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
    base.lock_assignment(assignment)
    base.require_member(by, assignment)
    base.require_state(
        assignment.suggestion, Suggestion.State.ASSIGNED, action=_("send an opinion")
    )
    base.require_open(assignment)
    errors = base.require_text(text, "text_required", _("The opinion text is required."))
    if assignment.role != Assignment.Role.CO:
        errors.append(
            ValidationError(_("Only a co-handling unit sends an opinion."), code="not_co_unit")
        )
    base.raise_if(errors)
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
    errors += base.require_text(text, "text_required", _("The reply text is required."))
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
        elif due_on < base.today():
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
    base.lock_assignment(assignment)
    suggestion = assignment.suggestion
    base.guard(suggestion, "reply", by)
    base.require_open(assignment)
    commitments = list(commitments)
    base.raise_if(_reply_errors(assignment, classification, text, document, commitments))
    today = base.today()
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
    base.fire(suggestion, "reply", by)
    return reply
