"""The ledger (台账): every suggestion with its handling columns, for the admin and exports."""

from django.db.models import Count, F, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from ..models import Assignment, Reply, SignOff, Suggestion


def suggestions_ledger() -> QuerySet[Suggestion]:
    """Suggestions with the ledger's columns annotated: one query, whatever the row count.

    Annotated: ``lead_unit_name``, ``due_on`` and ``original_due_on`` of the open lead
    assignment, ``reply_class`` and ``reply_on_time`` of the current round's reply, and
    the lead deputy's ``work_rating`` and ``result_rating`` for that round; the group
    (并案): ``main_number`` and ``main_title`` of the suggestion it was merged into, and
    ``merged_count``, how many are merged into it.
    """
    lead = Assignment.objects.filter(
        suggestion=OuterRef("pk"), role=Assignment.Role.LEAD, closed_on__isnull=True
    )
    current = {"suggestion": OuterRef("pk"), "round": OuterRef("round")}
    reply = Reply.objects.filter(**current)
    deputy_signoff = SignOff.objects.filter(**current, level=SignOff.Level.DEPUTY)
    merged = (
        Suggestion.objects.filter(merged_into=OuterRef("pk"), state=Suggestion.State.MERGED)
        .order_by()
        .values("merged_into")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Suggestion.objects.select_related("lead_deputy").annotate(
        lead_unit_name=Subquery(lead.values("unit__name")[:1]),
        due_on=Subquery(lead.values("due_on")[:1]),
        original_due_on=Subquery(lead.values("original_due_on")[:1]),
        reply_class=Subquery(reply.values("classification")[:1]),
        reply_on_time=Subquery(reply.values("on_time")[:1]),
        work_rating=Subquery(deputy_signoff.values("work_rating")[:1]),
        result_rating=Subquery(deputy_signoff.values("result_rating")[:1]),
        main_number=F("merged_into__number"),
        main_title=F("merged_into__title"),
        merged_count=Coalesce(Subquery(merged), 0),
    )


def is_redo_eligible(suggestion: Suggestion) -> bool:
    """A replied suggestion whose deputy (any lead deputy of a merged group) is
    dissatisfied: staff may order a redo for it."""
    if suggestion.state not in (Suggestion.State.HANDLED, Suggestion.State.SIGNED):
        return False
    signoffs = suggestion.signoffs.filter(round=suggestion.round, level=SignOff.Level.DEPUTY)
    return any(signoff.is_dissatisfied for signoff in signoffs)
