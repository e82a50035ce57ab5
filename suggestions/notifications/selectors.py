"""A user's in-app notifications."""

from django.db.models import QuerySet

from ..models import Notification


def notifications_of(*, user) -> QuerySet[Notification]:
    """The user's in-app notifications, newest first."""
    return Notification.objects.filter(recipient=user).select_related("suggestion")


def unread_notification_count(*, user) -> int:
    """How many of the user's notifications are unread (0 for an anonymous user)."""
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def unread_notifications(*, user, limit: int = 5) -> list[Notification]:
    """The user's newest unread notifications, for the top of a list page (one query)."""
    return list(
        Notification.objects.filter(recipient=user, read_at__isnull=True).order_by(
            "-created_at", "-pk"
        )[:limit]
    )
