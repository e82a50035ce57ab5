"""Keeps the finder's data in step with the suggestions' saves (receivers connected in
``apps.ready``; ``suggestions.similar_marks`` computes and writes).

A ``post_save`` receiver writes a suggestion's grams when it is created and whenever its
title or content changed: it knows from a ``post_init`` snapshot what was loaded, so a
save that changed neither (every transition) makes no query for them. When the grams or
the fields that decide the marks changed, the marks are recomputed on commit by the
``similarity_marks`` task (in-process without a worker).
"""

from django.db import transaction

from . import tasks
from .similar_marks import write_grams

# The fields whose change can change a suggestion's marks (besides its grams).
MARK_FIELDS = ("term", "session", "raised_on", "lead_deputy_id", "merged_into_id")
TEXT_FIELDS = ("title", "content")
_SNAPSHOT = "_npc_similar"


def _snapshot(instance) -> dict:
    # Only what was loaded: a deferred field is not read (that would be a query).
    loaded = instance.__dict__
    return {name: loaded.get(name) for name in TEXT_FIELDS + MARK_FIELDS}


def remember_loaded(sender, instance, **kwargs) -> None:
    """``post_init``: remember the text and the marks' fields as loaded, so a save can tell
    whether they changed without a query."""
    instance.__dict__[_SNAPSHOT] = _snapshot(instance)


def _changed(instance, update_fields) -> set[str]:
    """The fields of interest this save wrote with another value than was loaded; the
    snapshot takes the values written."""
    before = instance.__dict__.get(_SNAPSHOT)
    now = _snapshot(instance)
    names = set(TEXT_FIELDS + MARK_FIELDS)
    if update_fields is not None:
        saved = set(update_fields)
        names = {n for n in names if n in saved or n.removesuffix("_id") in saved}
    if before is None:
        instance.__dict__[_SNAPSHOT] = now
        return names
    changed = {name for name in names if before[name] != now[name]}
    before.update({name: now[name] for name in names})
    return changed


def suggestion_saved(sender, instance, created, update_fields=None, **kwargs) -> None:
    """``post_save``: write the grams of a new or reworded suggestion; recompute the marks on
    commit when the grams or the marks' fields changed."""
    previous_main = None
    if created:
        changed = set(TEXT_FIELDS + MARK_FIELDS)
        instance.__dict__[_SNAPSHOT] = _snapshot(instance)
    else:
        previous_main = (instance.__dict__.get(_SNAPSHOT) or {}).get("merged_into_id")
        changed = _changed(instance, update_fields)
    if not changed:
        return
    regrammed = False
    if changed & set(TEXT_FIELDS):
        regrammed = write_grams([(instance.pk, instance.title, instance.content)])
    if regrammed or changed & set(MARK_FIELDS):
        # An unmerge: the group it left is recomputed too (it may no longer be several).
        left = [previous_main] if "merged_into_id" in changed and previous_main else []
        schedule_marks([instance.pk, *left])


def schedule_marks(suggestion_ids: list[int]) -> None:
    """Recompute these suggestions' marks once the transaction commits (the worker's task;
    in-process when there is none)."""
    ids = list(suggestion_ids)
    transaction.on_commit(lambda: tasks.similarity_marks.delay(ids))
