"""A user's in-app notifications, as ``tasks:notifications`` lists them."""

from rest_framework import serializers


class NotificationOut(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField(help_text="new_assignment, redo_ordered, reminder_…")
    text = serializers.CharField()
    created_at = serializers.DateTimeField()
    read_at = serializers.DateTimeField(allow_null=True)
    is_new = serializers.BooleanField(
        help_text="Unread and its matter still open (what the header counts)."
    )
    suggestion = serializers.IntegerField(allow_null=True, source="suggestion_id")
    assignment = serializers.IntegerField(allow_null=True, source="assignment_id")
    link = serializers.CharField(
        allow_blank=True, help_text="The site's page it leads to, for the reader's role."
    )


class NotificationFilter(serializers.Serializer):
    unread = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="true: only the unread ones; false: only those read.",
    )


class MarkedOut(serializers.Serializer):
    marked = serializers.IntegerField(help_text="How many were marked read.")
