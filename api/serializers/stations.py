"""What the station keepers' endpoints answer (``api.views.stations``): the stations with
their counts, a station as its page shows it, its opinions and activities, an opinion
with where it went. A constituent's name and phone are set on each opinion by the view
(``shown_name``, ``shown_phone``: ``stations.selectors.Contact``), never read here."""

from rest_framework import serializers

from stations.models import Activity, LiaisonStation, Opinion, StationCheck
from suggestions.models import Suggestion

from .common import ActionOut, Ref, enum, label


class StationRow(serializers.Serializer):
    """A row of ``stations.views.keeper.station_rows`` (the list page's)."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = enum(LiaisonStation.Kind)
    kind_label = label("get_kind_display")
    level = enum(LiaisonStation.Level)
    level_label = label("get_level_display")
    parent = Ref(allow_null=True)
    opinions_waiting = serializers.IntegerField(
        source="waiting", help_text="Opinions not yet settled, answered or made suggestions."
    )
    activities_this_year = serializers.IntegerField(
        help_text="Activities of the year (a corrected one counted once)."
    )
    checks_met = serializers.IntegerField(
        source="met_this_year", help_text="The year's 八有 items met."
    )
    checks_total = serializers.SerializerMethodField(help_text="The 八有 items (8).")

    def get_checks_total(self, station) -> int:
        return len(StationCheck.Item.choices)


class SuggestionRef(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField(allow_blank=True)
    title = serializers.CharField()
    state = enum(Suggestion.State)
    state_label = label("get_state_display")


class OpinionRow(serializers.Serializer):
    id = serializers.IntegerField()
    station = Ref()
    matter = serializers.CharField()
    raised_on = serializers.DateField()
    name = serializers.CharField(
        source="shown_name", allow_blank=True, help_text="The constituent's name (or masked)."
    )
    phone = serializers.CharField(
        source="shown_phone", allow_blank=True, help_text="The constituent's phone (or masked)."
    )
    state = enum(Opinion.State)
    state_label = label("get_state_display")
    deputy = Ref(allow_null=True, help_text="The deputy it was forwarded to.")
    unit = Ref(allow_null=True, help_text="The unit it was referred to.")
    suggestion = SuggestionRef(allow_null=True, help_text="The suggestion made of it.")
    recorded_at = serializers.DateTimeField()
    moved_at = serializers.DateTimeField(help_text="When it last moved on.")


class FileOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    url = serializers.CharField(help_text="The file (``activity-file``).")


class ActivityRow(serializers.Serializer):
    id = serializers.IntegerField()
    kind = enum(Activity.Kind)
    kind_label = label("get_kind_display")
    happened_on = serializers.DateField()
    reception_day = serializers.IntegerField(
        source="reception_day_id", allow_null=True, help_text="The reception day it held."
    )
    deputies = Ref(many=True, source="present", help_text="The deputies present.")
    citizens = serializers.IntegerField()
    notes = serializers.CharField(allow_blank=True)
    files = FileOut(many=True, source="attached")
    corrects = serializers.IntegerField(
        source="corrects_id", allow_null=True, help_text="The record this one corrects."
    )
    corrected_by = serializers.SerializerMethodField(
        help_text="The later record that replaces this one (null while it stands)."
    )
    recorded_at = serializers.DateTimeField()

    def get_corrected_by(self, activity) -> int | None:
        try:
            return activity.corrected_by.pk
        except Activity.corrected_by.RelatedObjectDoesNotExist:
            return None


class CheckOut(serializers.Serializer):
    item = enum(StationCheck.Item)
    label = serializers.CharField()
    state = serializers.ChoiceField(choices=["unchecked", "met", "unmet"])
    checked_on = serializers.DateField(allow_null=True)
    has_evidence = serializers.BooleanField()
    notes = serializers.CharField(allow_blank=True)


class ReceptionDayOut(serializers.Serializer):
    id = serializers.IntegerField()
    day = serializers.DateField()
    on_duty = serializers.ListField(
        child=serializers.CharField(), help_text="The deputies on duty, by name."
    )
    held = serializers.BooleanField(help_text="An activity was recorded for it.")
    notes = serializers.CharField(allow_blank=True)


class StationCounts(serializers.Serializer):
    opinions_waiting = serializers.IntegerField()
    activities = serializers.IntegerField(help_text="Activities of the year asked.")
    checks_met = serializers.IntegerField(help_text="八有 items met in the year asked.")
    checks_total = serializers.IntegerField()


class StationDetail(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = enum(LiaisonStation.Kind)
    kind_label = serializers.CharField()
    level = enum(LiaisonStation.Level)
    level_label = serializers.CharField()
    parent = Ref(allow_null=True)
    address = serializers.CharField(allow_blank=True)
    contact = serializers.CharField(allow_blank=True)
    phone = serializers.CharField(allow_blank=True, help_text="The station's contact phone.")
    opening_hours = serializers.CharField(allow_blank=True)
    deputies = Ref(many=True)
    year = serializers.IntegerField(help_text="The year of the checklist and the counts.")
    checklist = CheckOut(many=True)
    counts = StationCounts()
    upcoming_days = ReceptionDayOut(many=True, help_text="The next reception days (5 at most).")
    past_days = ReceptionDayOut(many=True, help_text="The last reception days (5 at most).")
    latest_opinions = OpinionRow(many=True, help_text="The latest 20 (all: station-opinions).")
    latest_activities = ActivityRow(many=True, help_text="The latest 20 (all: station-activities).")
    actions = ActionOut(many=True)


class StepOut(serializers.Serializer):
    id = serializers.IntegerField()
    to = enum(Opinion.State)
    to_label = label("get_to_display")
    deputy = Ref(allow_null=True)
    unit = Ref(allow_null=True)
    notes = serializers.CharField(
        allow_blank=True, help_text="The keeper's notes, or the unit's answer (to: answered)."
    )
    by = serializers.SerializerMethodField()
    at = serializers.DateTimeField()

    def get_by(self, step) -> str:
        return step.by.get_full_name() or step.by.get_username()


class OpinionDetail(OpinionRow):
    steps = StepOut(many=True, source="steps_shown", help_text="Where it went, oldest first.")
    actions = ActionOut(
        many=True, source="actions_shown", help_text="The keepers' actions open now (route)."
    )
