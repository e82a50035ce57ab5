"""A user's in-app notifications.

A notification is *new* while it is unread and its matter is still open: once its
suggestion is closed (revisited), withdrawn or not accepted, nothing is left to do about
it, and it is no longer counted or shown as new (it stays in the list, unread).
"""

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet

from ..models import Notification, Suggestion

# The states in which a suggestion's matter is over.
CLOSED_STATES = [
    Suggestion.State.REVISITED,
    Suggestion.State.WITHDRAWN,
    Suggestion.State.NOT_ACCEPTED,
]
_NEW = Q(read_at__isnull=True) & ~Q(suggestion__state__in=CLOSED_STATES)


def notifications_of(*, user) -> QuerySet[Notification]:
    """The user's in-app notifications, newest first, each annotated ``is_new``."""
    return (
        Notification.objects.filter(recipient=user)
        .select_related("suggestion")
        .annotate(is_new=ExpressionWrapper(_NEW, output_field=BooleanField()))
    )


def new_notifications(*, user) -> QuerySet[Notification]:
    """The user's new notifications (what the header counts)."""
    return Notification.objects.filter(_NEW, recipient=user.pk)


def unread_notification_count(*, user) -> int:
    """How many of the user's notifications are new (0 for an anonymous user)."""
    if not user.is_authenticated:
        return 0
    return new_notifications(user=user).count()


def newest_new_notifications(*, user, limit: int = 5) -> QuerySet[Notification]:
    """The user's newest new notifications, newest first (``unread_notifications``
    unevaluated: a page reads them with its other figures)."""
    return Notification.objects.filter(_NEW, recipient=user.pk).order_by("-created_at", "-pk")[
        :limit
    ]


def unread_notifications(*, user, limit: int = 5) -> list[Notification]:
    """The user's newest new notifications, for the top of a list page (one query)."""
    return list(newest_new_notifications(user=user, limit=limit))
