"""After the reply: a redo within a time limit (限时重办), the office's acceptance of a
dissatisfied round without a redo, interim checks (督查), and the revisit (回访) that closes
or, when a commitment was not fully kept, orders a redo instead."""

import datetime
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .. import deadlines
from ..models import (
    Commitment,
    InterimCheck,
    Redo,
    RedoWaiver,
    Revisit,
    RevisitOutcome,
    SignOff,
    Suggestion,
)
from ..selectors.followup import is_awaiting_redo_decision, revisit_due_on
from . import base


@transaction.atomic
def suggestion_order_redo(
    *, suggestion: Suggestion, by, reason: str, grounds: str | None = None
) -> Redo:
    """Order the lead unit to handle the suggestion again within the redo period."""
    base.lock(suggestion)
    base.guard(suggestion, "order_redo", by)
    base.require_reason(reason)
    if grounds is None:
        deputy_signoff = suggestion.signoffs.filter(
            round=suggestion.round, level=SignOff.Level.DEPUTY
        ).first()
        dissatisfied = deputy_signoff is not None and deputy_signoff.is_dissatisfied
        grounds = Redo.Grounds.DISSATISFIED if dissatisfied else Redo.Grounds.NONCONFORMING
    if grounds not in Redo.Grounds.values:
        raise ValidationError(_("Unknown grounds for a redo."), code="bad_grounds")
    lead = suggestion.lead_assignment()
    today = base.today()
    lead.due_on, lead.due_basis = deadlines.redo_due(today)
    lead.save(update_fields=["due_on", "due_basis"])
    base.fire(suggestion, "order_redo", by, reason)
    return Redo.objects.create(
        suggestion=suggestion,
        unit=lead.unit,
        round=suggestion.round,
        grounds=grounds,
        reason=reason,
        due_on=lead.due_on,
        ordered_by=by,
    )


def _outcome_errors(
    commitments: dict[int, Commitment], given: dict[int, str]
) -> list[ValidationError]:
    errors = []
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
    return errors


def _decision_errors(given: dict[int, str], decision: str | None) -> list[ValidationError]:
    fully_kept = all(outcome == RevisitOutcome.Outcome.KEPT for outcome in given.values())
    if decision not in (None, "", *Revisit.Decision.values):
        return [ValidationError(_("Unknown revisit decision."), code="bad_decision")]
    if not fully_kept and not decision:
        return [
            ValidationError(
                _(
                    "A commitment was not fully kept: decide whether to close the suggestion "
                    "(it counts against the unit) or to order a redo."
                ),
                code="decision_required",
            )
        ]
    if fully_kept and decision == Revisit.Decision.REDO:
        return [
            ValidationError(
                _("Every commitment was kept: there is nothing to redo."),
                code="redo_without_unkept",
            )
        ]
    return []


@transaction.atomic
def revisit_record(
    *,
    suggestion: Suggestion,
    by,
    outcomes: Mapping[Commitment, str],
    notes: str,
    decision: str | None = None,
    early_reason: str = "",
) -> Revisit:
    """Record what the revisit found for every commitment of the current reply.

    Due once every commitment's date has come (a reply with none: once signed); earlier
    only with ``early_reason``. When a commitment was not fully kept, ``decision`` says
    ``close`` (it closes, counted against the unit) or ``redo`` (the lead unit handles it
    again, on the ground "commitment not kept"); otherwise the revisit closes.
    """
    base.lock(suggestion)
    base.guard(suggestion, "revisit", by)
    reply = suggestion.current_reply()
    commitments = {c.pk: c for c in reply.commitments.all()}
    given = {c.pk: outcome for c, outcome in outcomes.items()}
    errors = base.require_text(notes, "notes_required", _("Notes of the revisit are required."))
    errors += _outcome_errors(commitments, given)
    errors += _decision_errors(given, decision)
    due_on = revisit_due_on(suggestion)
    early = due_on is not None and base.today() < due_on
    if early and not (early_reason or "").strip():
        errors.append(
            ValidationError(
                _(
                    "The revisit is due on %(date)s, when the last commitment falls due; "
                    "say why it comes earlier."
                )
                % {"date": due_on},
                code="early_reason_required",
            )
        )
    base.raise_if(errors)
    decision = decision or Revisit.Decision.CLOSE
    revisit = Revisit.objects.create(
        suggestion=suggestion,
        reply=reply,
        notes=notes,
        due_on=due_on,
        early_reason=(early_reason or "").strip() if early else "",
        decision=decision,
        recorded_by=by,
    )
    RevisitOutcome.objects.bulk_create(
        RevisitOutcome(revisit=revisit, commitment=commitments[pk], outcome=outcome)
        for pk, outcome in given.items()
    )
    if decision == Revisit.Decision.REDO:
        suggestion_order_redo(
            suggestion=suggestion,
            by=by,
            reason=notes,
            grounds=Redo.Grounds.COMMITMENT_NOT_KEPT,
        )
    else:
        base.fire(suggestion, "revisit", by, notes)
    return revisit


@transaction.atomic
def redo_waive(*, suggestion: Suggestion, by, reason: str) -> RedoWaiver:
    """Accept a round the deputy was dissatisfied with, without a redo (with a reason)."""
    base.require_staff(by)
    base.lock(suggestion)
    base.require_reason(reason)
    if not is_awaiting_redo_decision(suggestion):
        raise ValidationError(
            _("This suggestion is not waiting for a decision on a redo."),
            code="no_redo_decision_pending",
        )
    return RedoWaiver.objects.create(
        suggestion=suggestion, round=suggestion.round, reason=reason, decided_by=by
    )


@transaction.atomic
def interim_check_record(
    *, suggestion: Suggestion, by, happened_on: datetime.date, findings: str
) -> InterimCheck:
    """Record an interim check (督查) of the handling; nothing closes or moves."""
    base.require_staff(by)
    base.lock(suggestion)
    base.require_state(
        suggestion,
        Suggestion.State.ASSIGNED,
        Suggestion.State.HANDLED,
        Suggestion.State.SIGNED,
        action=_("check the handling of"),
    )
    errors = base.require_text(findings, "findings_required", _("Say what the check found."))
    first = suggestion.assignments.order_by("assigned_on").values_list("assigned_on", flat=True)
    assigned_on = first.first()
    if happened_on > base.today():
        errors.append(ValidationError(_("The check is dated in the future."), code="date_future"))
    elif assigned_on is not None and happened_on < assigned_on:
        errors.append(
            ValidationError(
                _("The check is dated before the assignment (%(date)s).") % {"date": assigned_on},
                code="date_before_assignment",
            )
        )
    base.raise_if(errors)
    return InterimCheck.objects.create(
        suggestion=suggestion, happened_on=happened_on, findings=findings, recorded_by=by
    )
