"""What the deputies' endpoints answer about their duty year (``/my/duty/``) and the
opinions forwarded to them (``/my/opinions/``); their suggestions are ``deputy``'s."""

from rest_framework import serializers

from deputies.models.duty import Kind as DutyKind
from stations.models import Opinion
from suggestions.models import Suggestion

from .common import ActionOut, DeputyRef, enum
from .deputy import ref

# The duty year (/my/duty/).


class DutyRecordOut(serializers.Serializer):
    id = serializers.IntegerField()
    happened_on = serializers.DateField()
    kind = enum(DutyKind)
    kind_label = serializers.CharField()
    points = serializers.DecimalField(
        max_digits=9, decimal_places=1, coerce_to_string=False, help_text="Signed: a reversal <0."
    )
    reversal = serializers.BooleanField(help_text="Takes back an earlier record's points.")
    source = serializers.CharField(allow_blank=True)
    notes = serializers.CharField(allow_blank=True)


class DutyKindOut(serializers.Serializer):
    kind = enum(DutyKind)
    kind_label = serializers.CharField()
    count = serializers.IntegerField(help_text="Records less reversals.")
    points = serializers.DecimalField(max_digits=9, decimal_places=1, coerce_to_string=False)


class DutyCheckOut(serializers.Serializer):
    code = serializers.CharField(help_text="contact_q1…contact_q4, suggestion, report.")
    label = serializers.CharField()
    met = serializers.BooleanField()
    owed = serializers.CharField(allow_blank=True, help_text="What is still owed, when unmet.")


class DutyOut(serializers.Serializer):
    year = serializers.IntegerField()
    years = serializers.ListField(child=serializers.IntegerField(), help_text="Years to choose.")
    deputy = DeputyRef()
    delegation = serializers.CharField(allow_blank=True)
    total = serializers.DecimalField(max_digits=9, decimal_places=1, coerce_to_string=False)
    rank = serializers.IntegerField(allow_null=True)
    rank_in_delegation = serializers.IntegerField(allow_null=True)
    by_kind = DutyKindOut(many=True)
    checks = DutyCheckOut(many=True)
    records = DutyRecordOut(many=True)


def duty_data(duty, years) -> dict:
    kinds = {str(label): value for value, label in DutyKind.choices}
    return {
        "year": duty.year,
        "years": list(years),
        "deputy": ref(duty.deputy),
        "delegation": duty.deputy.delegation,
        "total": duty.total,
        "rank": duty.rank,
        "rank_in_delegation": duty.rank_in_delegation,
        "by_kind": [
            {"kind": kinds[str(label)], "kind_label": str(label), "count": count, "points": pts}
            for label, count, pts in duty.by_kind
        ],
        "checks": [
            {"code": c.code, "label": str(c.label), "met": c.met, "owed": str(c.owed)}
            for c in duty.checks
        ],
        "records": [
            {
                "id": r.pk,
                "happened_on": r.happened_on,
                "kind": r.kind,
                "kind_label": r.get_kind_display(),
                "points": r.worth,
                "reversal": r.sign < 0,
                "source": r.source,
                "notes": r.notes,
            }
            for r in duty.records
        ],
    }


# The opinions forwarded to the deputy (/my/opinions/).


class OpinionSuggestionOut(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField(allow_blank=True)
    title = serializers.CharField()
    state = enum(Suggestion.State)
    state_label = serializers.CharField()


class MyOpinionRowOut(serializers.Serializer):
    id = serializers.IntegerField()
    station = serializers.CharField()
    raised_on = serializers.DateField()
    matter = serializers.CharField()
    state = enum(Opinion.State)
    state_label = serializers.CharField()
    waits = serializers.BooleanField(help_text="Waits on the deputy (to make it a suggestion).")
    name = serializers.CharField(allow_blank=True, help_text="The constituent's, or masked.")
    phone = serializers.CharField(allow_blank=True, help_text="The constituent's, or masked.")
    forward_notes = serializers.CharField(allow_blank=True, help_text="The keeper's notes.")
    suggestion = OpinionSuggestionOut(allow_null=True, help_text="The suggestion made of it.")


class OpinionStepOut(serializers.Serializer):
    id = serializers.IntegerField()
    at = serializers.DateTimeField()
    to = enum(Opinion.State)
    to_label = serializers.CharField()
    deputy = DeputyRef(allow_null=True)
    unit = serializers.CharField(allow_null=True)
    by = serializers.CharField()
    notes = serializers.CharField(allow_blank=True)


class MyOpinionOut(MyOpinionRowOut):
    recorded_at = serializers.DateTimeField()
    steps = OpinionStepOut(many=True, help_text="Where it went, oldest first.")
    actions = ActionOut(many=True)


def _opinion_suggestion(opinion) -> dict | None:
    s = opinion.suggestion
    if s is None:
        return None
    return {
        "id": s.pk,
        "number": s.number,
        "title": s.title,
        "state": s.state,
        "state_label": s.get_state_display(),
    }


def opinion_row_data(opinion, name: str, phone: str, *, forward_notes=None) -> dict:
    waits = opinion.state == Opinion.State.FORWARDED
    return {
        "id": opinion.pk,
        "station": opinion.station.name,
        "raised_on": opinion.raised_on,
        "matter": opinion.matter,
        "state": opinion.state,
        "state_label": opinion.get_state_display(),
        "waits": waits,
        "name": name,
        "phone": phone,
        "forward_notes": forward_notes
        if forward_notes is not None
        else (getattr(opinion, "forward_notes", None) or ""),
        "suggestion": _opinion_suggestion(opinion),
    }


def _by(user) -> str:
    return user.get_full_name() or user.get_username()


def opinion_data(opinion, name: str, phone: str, *, steps: list, actions: list) -> dict:
    forwarded = [s for s in steps if s.to == Opinion.State.FORWARDED]
    data = opinion_row_data(
        opinion, name, phone, forward_notes=forwarded[-1].notes if forwarded else ""
    )
    data["recorded_at"] = opinion.recorded_at
    data["steps"] = [
        {
            "id": s.pk,
            "at": s.at,
            "to": s.to,
            "to_label": s.get_to_display(),
            "deputy": ref(s.deputy),
            "unit": s.unit.name if s.unit else None,
            "by": _by(s.by),
            "notes": s.notes,
        }
        for s in steps
    ]
    data["actions"] = actions
    return data
