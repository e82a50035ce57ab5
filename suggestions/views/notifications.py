"""The in-app notifications: the header's unread count, the list, marking them read."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.views import View

from deputies.selectors import deputy_of

from .. import services
from ..notifications import selectors

PAGE_SIZE = 20


def notification_context(request) -> dict:
    """The header's unread count, counted only when a page shows it (a context processor)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "unread_notifications": SimpleLazyObject(
            lambda: selectors.unread_notification_count(user=user)
        )
    }


def notification_link(notification, user) -> str:
    """Where a notification leads its reader: the page of their role for that suggestion,
    or the link it carries (an opinion's page)."""
    if notification.link:
        return notification.link
    if notification.suggestion_id is None:
        return ""
    if user.is_staff:
        return reverse("admin:suggestions_suggestion_change", args=[notification.suggestion_id])
    if notification.assignment_id:
        return reverse("tasks:detail", args=[notification.assignment_id])
    if deputy_of(user) is not None:
        return reverse("status:detail", args=[notification.suggestion_id])
    return ""


class NotificationListView(LoginRequiredMixin, View):
    def get(self, request):
        rows = selectors.notifications_of(user=request.user)
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
        for notification in page:
            notification.link = notification_link(notification, request.user)
        return render(request, "tasks/notifications.html", {"page": page})

    def post(self, request):
        services.notifications_mark_read(by=request.user)
        return redirect("tasks:notifications")
