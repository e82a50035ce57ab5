"""The enums of the API's fields, by a stable name: their values never change (a client
may store them); their labels are in the request's language (``/api/v1/enums/``)."""

from django.db import models
from rest_framework import serializers

from deputies.models.duty import Kind as DutyKind
from stations.models import Activity, LiaisonStation, Opinion
from suggestions.models import Assignment, Communication, Reply, SignOff, Suggestion
from suggestions.models.revisit import Redo

ENUMS: dict[str, type[models.TextChoices]] = {
    "suggestion_state": Suggestion.State,
    "assignment_role": Assignment.Role,
    "assignment_close_reason": Assignment.CloseReason,
    "communication_stage": Communication.Stage,
    "communication_method": Communication.Method,
    "reply_classification": Reply.Classification,
    "signoff_level": SignOff.Level,
    "rating": SignOff.Rating,
    "redo_grounds": Redo.Grounds,
    "duty_kind": DutyKind,
    "station_kind": LiaisonStation.Kind,
    "activity_kind": Activity.Kind,
    "opinion_state": Opinion.State,
}


def choices(enum: type[models.TextChoices]) -> list[dict]:
    return [{"value": value, "label": str(label)} for value, label in enum.choices]


class EnumValueOut(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()


class EnumOut(serializers.Serializer):
    name = serializers.ChoiceField(choices=list(ENUMS))
    values = EnumValueOut(many=True)
