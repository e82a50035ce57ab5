"""Celery tasks of the suggestions app: ids in, the body calls the function that decides.

The reminders' tasks are ``suggestions.notifications.tasks``.
"""

from celery import shared_task

from . import similar_marks


@shared_task(bind=True, acks_late=True)
def similarity_marks(self, suggestion_ids: list[int]) -> int:
    """Recompute the similar-suggestion marks (多年提, 多位代表提) of these suggestions."""
    return similar_marks.marks_refresh(suggestion_ids=suggestion_ids)
