"""The finder's derived data: the suggestions' grams and their marks (``similar_sync``
keeps them in step with the saves).

- Grams (``SimilarityEntry.grams``): ``write_grams`` for a suggestion saved or refreshed,
  ``insert_grams`` for an import's new rows.
- Marks (the ``similarity_marks`` task calls ``marks_refresh``):
  多年提 (``raised_before``): a suggestion on the same matter (score at least
  ``similarity.MARK_SCORE``) was raised in an earlier year; 多位代表提
  (``raised_by_several``): one on the same matter was raised by another lead deputy in the
  same term and session, or the suggestion is in a merged group (并案) with several lead
  deputies. Both sides are marked: the later one of two years, and both deputies'
  suggestions. A suggestion's own marks are recomputed, so it loses one that no longer
  holds; a neighbour only gains them (``manage.py similarity_refresh`` recomputes all).

Marks are derived data, not the suggestion's record: written here, outside the lifecycle
services, never audited.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, transaction
from django.utils import timezone

from . import similarity
from .models import SimilarityEntry, Suggestion
from .selectors import similar_to_many, suggestion_text

# How many of the most similar suggestions are read for the marks.
NEIGHBOURS = 50
# Suggestions compared in one pass (an import's rows are many).
BATCH = 500


def write_grams(rows: Iterable[tuple[int, str, str]]) -> bool:
    """Write the grams of (suggestion id, title, content) rows, one statement per row: an
    insert, or an update only where they changed. Whether any row was written."""
    table = connection.ops.quote_name(SimilarityEntry._meta.db_table)
    sql = (
        f"INSERT INTO {table} (suggestion_id, grams, raised_before, raised_by_several) "
        "VALUES (%s, %s, %s, %s) ON CONFLICT (suggestion_id) DO UPDATE SET grams = "
        f"excluded.grams WHERE {table}.grams <> excluded.grams RETURNING suggestion_id"
    )
    written = False
    with connection.cursor() as cursor:
        for pk, title, content in rows:
            cursor.execute(
                sql, [pk, similarity.as_text(similarity.grams(title, content)), False, False]
            )
            written = cursor.fetchone() is not None or written
    return written


def insert_grams(rows: Iterable[tuple[int, str, str]]) -> None:
    """The grams of new suggestions (an import's rows), inserted in bulk."""
    SimilarityEntry.objects.bulk_create(
        [
            SimilarityEntry(
                suggestion_id=pk, grams=similarity.as_text(similarity.grams(title, content))
            )
            for pk, title, content in rows
        ],
        batch_size=1000,
    )


def _group_ids(suggestion: Suggestion) -> list[int] | None:
    """The ids of the merged group of ``suggestion`` when it has several lead deputies."""
    main = suggestion.main
    if len(set(main.group_lead_deputy_ids())) < 2:
        return None
    members = Suggestion.objects.filter(merged_into=main, state=Suggestion.State.MERGED)
    return [main.pk, *members.values_list("pk", flat=True)]


def nearby(suggestions: list[Suggestion]) -> dict[int, list[Suggestion]]:
    """Each suggestion's neighbours on the same matter (score at least ``MARK_SCORE``), the
    batch compared in one pass (``similar_to_many``)."""
    found = similar_to_many(
        texts=[suggestion_text(s) for s in suggestions],
        limit=NEIGHBOURS + 1,
        min_score=similarity.MARK_SCORE - 1e-9,
    )
    return {
        s.pk: [other for other, _score in rows if other.pk != s.pk][:NEIGHBOURS]
        for s, rows in zip(suggestions, found, strict=True)
    }


def marks_of(
    suggestion: Suggestion, near: list[Suggestion]
) -> tuple[bool, bool, set[int], set[int]]:
    """(多年提, 多位代表提) of ``suggestion`` among its neighbours ``near``, and the others the
    same comparison marks: those raised in a later year, those raised by another deputy in
    the same session (and its merged group's)."""
    year = suggestion.raised_on.year
    before = any(other.raised_on.year < year for other in near)
    later = {other.pk for other in near if other.raised_on.year > year}
    same_session = {
        other.pk
        for other in near
        if other.term == suggestion.term
        and other.session == suggestion.session
        and other.lead_deputy_id != suggestion.lead_deputy_id
    }
    group = _group_ids(suggestion)
    several_others = same_session | set(group or ()) - {suggestion.pk}
    return before, bool(same_session or group), later, several_others


def marks_refresh(*, suggestion_ids: Iterable[int]) -> int:
    """Recompute the marks of these suggestions and mark the others they meet; how many
    suggestions were checked."""
    checked = 0
    ids = sorted(set(suggestion_ids))
    for start in range(0, len(ids), BATCH):
        checked += _refresh(ids[start : start + BATCH])
    return checked


def _refresh(ids: list[int]) -> int:
    checked = 0
    suggestions = list(Suggestion.objects.filter(pk__in=ids).order_by("pk"))
    near = nearby(suggestions)
    for suggestion in suggestions:
        before, several, later, others = marks_of(suggestion, near[suggestion.pk])
        with transaction.atomic():
            updated = SimilarityEntry.objects.filter(pk=suggestion.pk).update(
                raised_before=before, raised_by_several=several, checked_at=timezone.now()
            )
            if not updated:
                write_grams([(suggestion.pk, suggestion.title, suggestion.content)])
                SimilarityEntry.objects.filter(pk=suggestion.pk).update(
                    raised_before=before, raised_by_several=several, checked_at=timezone.now()
                )
            if later:
                SimilarityEntry.objects.filter(pk__in=later).update(raised_before=True)
            if others:
                SimilarityEntry.objects.filter(pk__in=others).update(raised_by_several=True)
        checked += 1
    return checked


def refresh_all(*, term: int | None = None, batch: int = 500, log=None) -> tuple[int, int]:
    """Recompute the grams, then the marks, of every suggestion (or a term's), in batches:
    after an upgrade, or when the office wants them afresh. (grams rewritten, checked)."""
    rows = Suggestion.objects.order_by("pk")
    if term is not None:
        rows = rows.filter(term=term)
    regrammed = 0
    ids = list(rows.values_list("pk", flat=True))
    for start in range(0, len(ids), batch):
        chunk = rows.filter(pk__in=ids[start : start + batch]).values_list("pk", "title", "content")
        with transaction.atomic():
            for row in chunk:
                regrammed += write_grams([row])
        if log:
            log(start + len(ids[start : start + batch]), len(ids), "grams")
    before_ids, several_ids, checked = set(), set(), set()
    for start in range(0, len(ids), batch):
        suggestions = list(rows.filter(pk__in=ids[start : start + batch]))
        near = nearby(suggestions)
        for suggestion in suggestions:
            before, several, later, others = marks_of(suggestion, near[suggestion.pk])
            if before:
                before_ids.add(suggestion.pk)
            if several:
                several_ids.add(suggestion.pk)
            before_ids |= later
            several_ids |= others
            checked.add(suggestion.pk)
        if log:
            log(start + len(ids[start : start + batch]), len(ids), "marks")
    now = timezone.now()
    for start in range(0, len(ids), batch):
        chunk = ids[start : start + batch]
        with transaction.atomic():
            entries = SimilarityEntry.objects.filter(pk__in=chunk)
            entries.update(raised_before=False, raised_by_several=False, checked_at=now)
            entries.filter(pk__in=[pk for pk in chunk if pk in before_ids]).update(
                raised_before=True
            )
            entries.filter(pk__in=[pk for pk in chunk if pk in several_ids]).update(
                raised_by_several=True
            )
    # Others the scope's suggestions met (another term's) only gain a mark.
    outside = sorted((before_ids | several_ids) - checked)
    for start in range(0, len(outside), batch):
        chunk = outside[start : start + batch]
        SimilarityEntry.objects.filter(pk__in=[pk for pk in chunk if pk in before_ids]).update(
            raised_before=True
        )
        SimilarityEntry.objects.filter(pk__in=[pk for pk in chunk if pk in several_ids]).update(
            raised_by_several=True
        )
    return regrammed, len(checked)
