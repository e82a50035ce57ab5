"""The signed-in user's in-app notifications (every role): the list, newest first, and
marking one or all of them read, as ``tasks:notifications`` does."""

from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

from suggestions import services
from suggestions.models import Notification
from suggestions.notifications import selectors
from suggestions.views.notifications import notification_link

from ..pagination import Cursor
from ..serializers.notifications import MarkedOut, NotificationFilter, NotificationOut

TAGS = ["notifications"]


class NotificationCursor(Cursor):
    ordering = ("-created_at", "-pk")  # Notification.Meta.ordering, the page's


def _shown(notification, user):
    notification.link = notification_link(notification, user)
    return notification


class NotificationList(generics.ListAPIView):
    serializer_class = NotificationOut
    pagination_class = NotificationCursor

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Notification.objects.none()
        filters = NotificationFilter(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        rows = selectors.notifications_of(user=self.request.user)
        unread = filters.validated_data.get("unread")
        if unread is not None:
            rows = rows.filter(read_at__isnull=unread)
        return rows

    @extend_schema(parameters=[NotificationFilter], tags=TAGS)
    def get(self, request, *args, **kwargs):
        """The user's notifications, newest first; ``unread=true`` for the unread ones."""
        return super().get(request, *args, **kwargs)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        data = NotificationOut([_shown(n, request.user) for n in page], many=True).data
        return self.get_paginated_response(data)


class NotificationReadView(APIView):
    @extend_schema(
        operation_id="notification_read", request=None, responses={200: NotificationOut}, tags=TAGS
    )
    def post(self, request, pk: int):
        """Mark one of the user's notifications read (another user's is a 404)."""
        mine = selectors.notifications_of(user=request.user)
        notification = get_object_or_404(mine, pk=pk)
        # No service marks one: the same write as ``notifications_mark_read``, for this one.
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=timezone.now()
        )
        notification = mine.get(pk=pk)
        return Response(NotificationOut(_shown(notification, request.user)).data)


class NotificationsReadView(APIView):
    @extend_schema(
        operation_id="notifications_read_all", request=None, responses={200: MarkedOut}, tags=TAGS
    )
    def post(self, request):
        """Mark every unread notification of the user read; says how many."""
        marked = services.notifications_mark_read(by=request.user)
        return Response(MarkedOut({"marked": marked}).data)


urlpatterns = [
    path("notifications/", NotificationList.as_view(), name="notifications"),
    path("notifications/read/", NotificationsReadView.as_view(), name="notifications-read"),
    path("notifications/<int:pk>/read/", NotificationReadView.as_view(), name="notification-read"),
]
