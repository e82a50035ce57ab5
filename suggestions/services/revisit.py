"""After the reply: a redo within a time limit (限时重办), and the revisit that closes (回头看)."""

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .. import deadlines
from ..models import Commitment, Redo, Revisit, RevisitOutcome, SignOff, Suggestion
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


@transaction.atomic
def revisit_record(
    *, suggestion: Suggestion, by, outcomes: Mapping[Commitment, str], notes: str
) -> Revisit:
    """Record what the revisit found for every commitment of the current reply, and close."""
    base.lock(suggestion)
    base.guard(suggestion, "revisit", by)
    reply = suggestion.current_reply()
    commitments = {c.pk: c for c in reply.commitments.all()}
    given = {c.pk: outcome for c, outcome in outcomes.items()}
    errors = base.require_text(notes, "notes_required", _("Notes of the revisit are required."))
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
    base.raise_if(errors)
    revisit = Revisit.objects.create(
        suggestion=suggestion, reply=reply, notes=notes, recorded_by=by
    )
    RevisitOutcome.objects.bulk_create(
        RevisitOutcome(revisit=revisit, commitment=commitments[pk], outcome=outcome)
        for pk, outcome in given.items()
    )
    base.fire(suggestion, "revisit", by, notes)
    return revisit
