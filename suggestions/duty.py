"""What the loop tells the deputies' duty record (``deputies.signals``): a suggestion the
office accepted counts for its lead deputy and its co-signers; withdrawn, it no longer
does (the records are reversed, the history kept). Sent inside the service's transaction,
so the duty commits with the transition; once per suggestion however often it is sent."""

from deputies.models import DutyRecord
from deputies.signals import duty_done, duty_undone

from .models import Suggestion


def source_of(suggestion: Suggestion) -> str:
    return f"suggestion:{suggestion.pk}"


def accepted(suggestion: Suggestion, *, by) -> None:
    """The suggestion was accepted (approved): it counts for its deputies, dated the day
    it was raised."""
    source = source_of(suggestion)
    duty_done.send(
        sender=Suggestion,
        source=source,
        kind=DutyRecord.Kind.SUGGESTION_LEAD,
        happened_on=suggestion.raised_on,
        deputy_ids=[suggestion.lead_deputy_id],
        by=by,
    )
    co = list(suggestion.co_deputies.values_list("pk", flat=True))
    if co:
        duty_done.send(
            sender=Suggestion,
            source=source,
            kind=DutyRecord.Kind.SUGGESTION_CO,
            happened_on=suggestion.raised_on,
            deputy_ids=co,
            by=by,
        )


def withdrawn(suggestion: Suggestion, *, by, reason: str) -> None:
    duty_undone.send(sender=Suggestion, source=source_of(suggestion), by=by, reason=reason)
