"""After the reply: when the revisit is due, and the office's "decide: redo or accept" list."""

import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet

from ..models import Commitment, RedoWaiver, SignOff, Suggestion


def revisit_due_on(suggestion: Suggestion) -> datetime.date | None:
    """The day the revisit is due: the current reply's last commitment's date, or (a reply
    with none) the day the record was signed. None before the record is signed."""
    last = (
        Commitment.objects.filter(reply__suggestion=suggestion, reply__round=suggestion.round)
        .order_by("-due_on")
        .values_list("due_on", flat=True)
        .first()
    )
    if last is not None:
        return last
    return (
        suggestion.signoffs.filter(round=suggestion.round, level=SignOff.Level.LEADER)
        .values_list("signed_on", flat=True)
        .first()
    )


def _dissatisfied_now() -> Q:
    """The current round's deputy sign-off rates the work or the result dissatisfied."""
    dissatisfied = SignOff.objects.filter(
        suggestion=OuterRef("pk"), round=OuterRef("round"), level=SignOff.Level.DEPUTY
    ).filter(
        Q(work_rating=SignOff.Rating.DISSATISFIED) | Q(result_rating=SignOff.Rating.DISSATISFIED)
    )
    waived = RedoWaiver.objects.filter(suggestion=OuterRef("pk"), round=OuterRef("round"))
    return Q(Exists(dissatisfied)) & ~Q(Exists(waived))


def awaiting_redo_decision(qs: QuerySet[Suggestion] | None = None) -> QuerySet[Suggestion]:
    """Suggestions whose deputy is dissatisfied with this round and on which the office has
    decided nothing yet: order a redo, or accept the round without one."""
    qs = Suggestion.objects.all() if qs is None else qs
    return qs.filter(state__in=[Suggestion.State.HANDLED, Suggestion.State.SIGNED]).filter(
        _dissatisfied_now()
    )


def is_awaiting_redo_decision(suggestion: Suggestion) -> bool:
    return awaiting_redo_decision(Suggestion.objects.filter(pk=suggestion.pk)).exists()
