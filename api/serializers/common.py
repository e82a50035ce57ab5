"""The pieces every role's answers share: references to a unit, a deputy, a user; enum
fields documented with their values (labels: ``/api/v1/enums/``); the actions open now."""

from django.db import models
from rest_framework import serializers

from ..actions import ActionOut

__all__ = ["ActionOut", "DeputyRef", "EventOut", "Ref", "UnitRef", "UserRef", "enum", "label"]


def enum(choices: type[models.TextChoices], **kwargs) -> serializers.ChoiceField:
    """A field whose values are the enum's (stable, listed in the schema)."""
    return serializers.ChoiceField(choices=choices.choices, **kwargs)


def label(source: str, **kwargs) -> serializers.CharField:
    """The enum value's label in the request's language (``get_<field>_display``)."""
    return serializers.CharField(source=source, read_only=True, **kwargs)


class Ref(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class UnitRef(Ref):
    short_name = serializers.CharField(allow_blank=True, required=False)


class DeputyRef(Ref):
    pass


class UserRef(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.SerializerMethodField()

    def get_name(self, user) -> str:
        return user.get_full_name() or user.get_username()


class EventOut(serializers.Serializer):
    """One step of a suggestion's timeline (``selectors.suggestion_timeline``'s ``Event``),
    as every role's page shows it."""

    at = serializers.DateTimeField()
    kind = serializers.CharField(help_text="created, transition, assignment, reply, signoff…")
    title = serializers.CharField()
    actor = serializers.CharField(allow_blank=True)
    detail = serializers.CharField(allow_blank=True)
    note = serializers.CharField(allow_blank=True)

    def to_representation(self, event):
        data = super().to_representation(event)
        for name in ("actor", "detail", "note"):
            data[name] = data[name] or ""  # a step with nobody named says ""
        return data
