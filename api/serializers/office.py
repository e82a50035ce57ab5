"""What the committee office's actions answer: the suggestion's state once recorded (its
page is ``api:ledger-detail``'s)."""

from rest_framework import serializers

from suggestions.models import Suggestion

from .common import enum


class SuggestionSummaryOut(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField(allow_blank=True)
    state = enum(Suggestion.State)
    state_label = serializers.CharField(source="get_state_display")
