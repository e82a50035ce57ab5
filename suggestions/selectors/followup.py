"""After the reply: when the revisit is due, and the office's "decide: redo or accept" list."""

import datetime

from django.db.models import DateField, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from ..models import Commitment, RedoWaiver, SignOff, Suggestion


def revisit_on():
    """A suggestion's revisit date, as an expression on its rows: the current reply's last
    commitment date or, for a reply with none, the day the leader signed (the paper's
    date for a paper signature). The sweep, the ledger filter and the staff's page read it."""
    current = Q(reply__suggestion=OuterRef("pk"), reply__round=OuterRef("round"))
    last_due = Commitment.objects.filter(current).order_by("-due_on").values("due_on")[:1]
    signed_on = SignOff.objects.filter(
        suggestion=OuterRef("pk"), round=OuterRef("round"), level=SignOff.Level.LEADER
    ).values("signed_on")[:1]
    return Coalesce(Subquery(last_due), Subquery(signed_on), output_field=DateField())


def revisit_due_on(suggestion: Suggestion) -> datetime.date | None:
    """The day the revisit is due (``revisit_on``); None before the record is signed."""
    return (
        Suggestion.objects.filter(pk=suggestion.pk)
        .annotate(due=revisit_on())
        .values_list("due", flat=True)
        .first()
    )


def revisits_due(qs: QuerySet[Suggestion] | None = None) -> QuerySet[Suggestion]:
    """Signed suggestions whose revisit is due today or earlier."""
    qs = Suggestion.objects.all() if qs is None else qs
    return (
        qs.filter(state=Suggestion.State.SIGNED)
        .annotate(revisit_on=revisit_on())
        .filter(revisit_on__lte=timezone.localdate())
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
