"""Reads of key suggestions (重点督办): the leading leader's list and page, what deputies
see of them on /my/, and who may open an inspection visit's files.

Each list is one query for its rows (the visits counted and the last one dated by
subqueries), plus one per related list prefetched, whatever the number of rows.
"""

from dataclasses import dataclass

from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from deputies.models import Deputy
from deputies.selectors import deputy_of
from npc_tracker.figures import list_of, rows_of

from .. import permissions
from ..models import (
    Assignment,
    Inspection,
    InspectionFile,
    InterimCheck,
    KeySuggestion,
    Reply,
    Suggestion,
)
from .records import records_of


def _inspections(*, deputies: bool = False) -> Prefetch:
    """A key suggestion's visits, oldest first, with their files (and the deputies who
    took part)."""
    qs = Inspection.objects.order_by("happened_on", "pk").prefetch_related(
        Prefetch("files", queryset=InspectionFile.objects.order_by("pk"))
    )
    if deputies:
        qs = qs.prefetch_related(Prefetch("deputies", queryset=_deputies()))
    return Prefetch("inspections", queryset=qs)


def _deputies():
    return Deputy.objects.order_by("name").only("pk", "name", "delegation")


def with_visits(qs: QuerySet[KeySuggestion]) -> QuerySet[KeySuggestion]:
    """Annotate ``visits`` (how many inspection records) and ``last_visit`` (the latest
    one's date), and the open lead assignment's ``lead_unit_name`` and ``due_on``."""
    visits = Inspection.objects.filter(key_suggestion=OuterRef("pk")).order_by()
    lead = Assignment.objects.filter(
        suggestion=OuterRef("suggestion"), role=Assignment.Role.LEAD, closed_on__isnull=True
    )
    return qs.annotate(
        visits=Coalesce(
            Subquery(
                visits.values("key_suggestion").annotate(n=Count("pk")).values("n"),
                output_field=IntegerField(),
            ),
            0,
        ),
        last_visit=Subquery(visits.order_by("-happened_on").values("happened_on")[:1]),
        lead_unit_name=Subquery(lead.values("unit__name")[:1]),
        due_on=Subquery(lead.values("due_on")[:1]),
    )


def key_suggestions_led_by(*, user) -> QuerySet[KeySuggestion]:
    """The key suggestions ``user`` leads (领办), latest year first, each annotated by
    ``with_visits``; none for an inactive or anonymous user."""
    if not (user.is_authenticated and user.is_active):
        return KeySuggestion.objects.none()
    return with_visits(
        KeySuggestion.objects.filter(leader=user.pk).select_related(
            "suggestion", "suggestion__lead_deputy"
        )
    ).order_by("-year", "suggestion__number", "pk")


def is_key():
    """An annotation of suggestions: whether it is a key suggestion (no query per row)."""
    return Exists(KeySuggestion.objects.filter(suggestion=OuterRef("pk")))


@dataclass
class KeyDetail:
    """What the leading leader's page shows of a key suggestion."""

    key: KeySuggestion
    suggestion: Suggestion
    lead: Assignment | None
    reply: Reply | None
    inspections: list
    interim_checks: list


def key_detail(*, key: KeySuggestion) -> KeyDetail:
    """The key suggestion's page: the suggestion, its lead unit and deadline, its current
    reply, every inspection visit with its files and deputies, the interim checks."""
    suggestion = key.suggestion
    lead = (
        suggestion.assignments.filter(role=Assignment.Role.LEAD, closed_on__isnull=True)
        .select_related("unit")
        .first()
    )
    reply = (
        suggestion.replies.filter(round=suggestion.round)
        .select_related("assignment__unit")
        .prefetch_related("commitments")
        .first()
    )
    inspections = list(
        key.inspections.select_related("recorded_by")
        .prefetch_related(
            Prefetch("files", queryset=InspectionFile.objects.order_by("pk")),
            Prefetch("deputies", queryset=_deputies()),
        )
        .order_by("happened_on", "pk")
    )
    checks = list(
        InterimCheck.objects.filter(suggestion=suggestion)
        .select_related("recorded_by")
        .order_by("happened_on", "pk")
    )
    return KeyDetail(key, suggestion, lead, reply, inspections, checks)


def key_of(suggestion: Suggestion) -> KeySuggestion | None:
    """The suggestion's key designation with its leader, committee and visits (with their
    files and deputies), for its deputies' page; None when it is not a key suggestion
    (without a query for a row of ``status_rows``, which says so: ``is_key``, nor for a
    suggestion whose records the page read with ``key``: ``read_records``)."""
    if getattr(suggestion, "is_key", None) is False:
        return None
    records = records_of(suggestion)
    if records is not None and records.key_read:
        return records.key  # the page read it with the suggestion's records
    return (
        KeySuggestion.objects.filter(suggestion=suggestion)
        .select_related("leader")
        .prefetch_related(_inspections(deputies=True))
        .first()
    )


def follows_key_suggestions(deputy) -> Exists:
    """Whether ``deputy`` (a deputy, its id, or an expression naming one) is invited to
    follow a key suggestion: a page reads it with its figures and skips the list's
    queries when not."""
    return Exists(KeySuggestion.objects.filter(invited_deputies=deputy))


def _visits_listing_files_and_deputies():
    """A key suggestion's visits, oldest first, each with its files and its deputies read
    as lists in its own row (``_attach_lists``): one query for all, where prefetching them
    took three."""
    files = InspectionFile.objects.filter(inspection=OuterRef("pk")).order_by("pk")
    deputies = _deputies().filter(inspections=OuterRef("pk"))
    return Inspection.objects.order_by("happened_on", "pk").annotate(
        file_rows=list_of(files, "pk", "name"),
        deputy_rows=list_of(deputies, "pk", "name", "delegation"),
    )


def _prefetched(obj, name: str, objects: list) -> None:
    """Fill ``obj``'s related list ``name`` as ``prefetch_related`` would."""
    queryset = getattr(obj, name).all()
    queryset._result_cache = objects
    queryset._prefetch_done = True
    obj.__dict__.setdefault("_prefetched_objects_cache", {})[name] = queryset


def _attach_lists(visit: Inspection) -> None:
    files = [
        InspectionFile.from_db(None, ["id", "name"], [pk, name])
        for pk, name in rows_of(visit.file_rows)
    ]
    deputies = [
        Deputy.from_db(None, ["id", "name", "delegation"], [pk, name, delegation])
        for pk, name, delegation in rows_of(visit.deputy_rows)
    ]
    _prefetched(visit, "files", files)
    _prefetched(visit, "deputies", deputies)


def key_suggestions_followed_by(*, user) -> list[KeySuggestion]:
    """The key suggestions the deputy ``user`` is invited to follow, with their leader and
    every visit (files and the deputies who took part), latest year first: two queries."""
    deputy = deputy_of(user)
    if deputy is None:
        return []
    keys = list(
        KeySuggestion.objects.filter(invited_deputies=deputy)
        .select_related("suggestion", "leader")
        .prefetch_related(Prefetch("inspections", queryset=_visits_listing_files_and_deputies()))
        .order_by("-year", "suggestion__number", "pk")
    )
    for key in keys:
        for visit in key.inspections.all():
            _attach_lists(visit)
    return keys


def inspection_files_visible_to(*, user) -> QuerySet[InspectionFile]:
    """The visits' files ``user`` may open: the committee office all; otherwise those of
    the key suggestions the user leads, whose suggestion a unit they see handles now, that
    they led or co-signed as a deputy, or that they are invited to follow."""
    qs = InspectionFile.objects.select_related("inspection__key_suggestion__suggestion")
    if not (user.is_authenticated and user.is_active):
        return qs.none()
    if permissions.is_committee_staff(user):
        return qs
    key = "inspection__key_suggestion"
    handling = Assignment.objects.filter(
        suggestion=OuterRef(f"{key}__suggestion"),
        closed_on__isnull=True,
        unit__in=permissions.units.units(user, "sees"),
    )
    allowed = Q(**{f"{key}__leader": user.pk}) | Exists(handling)
    deputy = deputy_of(user)
    if deputy is not None:
        allowed |= (
            Q(**{f"{key}__suggestion__lead_deputy": deputy})
            | Q(**{f"{key}__suggestion__co_deputies": deputy})
            | Q(**{f"{key}__invited_deputies": deputy})
        )
    return qs.filter(allowed).distinct()
