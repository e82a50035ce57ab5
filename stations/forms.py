"""The stations' forms of the action table: each collects one service's arguments (the
loop's ``ActionForm``: bound to the station or the opinion the action is taken on)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from deputies.models import Deputy, DutyRecord
from deputies.models.duty import AUTOMATIC_KINDS
from npc_tracker import fields
from suggestions import key_forms
from suggestions.forms import ActionForm, DateInput
from suggestions.models import HandlingUnit

from .models import Activity, LiaisonStation, Opinion


class FilesField(key_forms.FilesField):
    """Several photos or documents of an activity in one input, each checked alone."""

    too_many = _("Attach at most %(max)s files.")


class DeputyChoiceField(fields.ModelMultipleChoiceField):
    def label_from_instance(self, deputy):
        return deputy.name


def _station_deputies(station: LiaisonStation):
    return station.deputies.order_by("name")


class StationForm(ActionForm):
    """An action on a station (its keepers' pages)."""

    obj: LiaisonStation

    def service_kwargs(self) -> dict:
        return {"station": self.obj, **self.values()}

    def _date_field(self, name: str) -> None:
        self.fields[name].widget.format = "%Y-%m-%d"  # a date input shows only ISO


class OpinionRecordForm(StationForm):
    matter = forms.CharField(
        label=_("What was raised"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    raised_on = forms.DateField(label=_("Raised on"), widget=DateInput)
    name = forms.CharField(label=_("Constituent's name"), max_length=50, required=False)
    phone = forms.CharField(
        label=_("Constituent's phone"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
        help_text=_("Seen only by the station's keepers, the deputy it goes to and the office."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"raised_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self._date_field("raised_on")


class ReceptionDayForm(StationForm):
    day = forms.DateField(label=_("Day"), widget=DateInput)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, obj: LiaisonStation, **kwargs):
        super().__init__(*args, obj=obj, **kwargs)
        self._date_field("day")
        self.fields["deputies"] = DeputyChoiceField(
            label=_("Deputies on duty"),
            queryset=_station_deputies(obj),
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )
        self.order_fields(["day", "deputies", "notes"])


class ActivityForm(StationForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=Activity.Kind.choices)
    happened_on = forms.DateField(label=_("Date"), widget=DateInput)
    citizens = forms.IntegerField(label=_("Citizens"), min_value=0, initial=0)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    files = FilesField(
        label=_("Photos and files"),
        required=False,
        help_text=_("PDF, JPEG or PNG, up to 20 MB each."),
    )

    def __init__(self, *args, obj: LiaisonStation, **kwargs):
        kwargs.setdefault("initial", {"happened_on": timezone.localdate()})
        super().__init__(*args, obj=obj, **kwargs)
        self._date_field("happened_on")
        self.fields["deputies"] = DeputyChoiceField(
            label=_("Deputies present"),
            queryset=_station_deputies(obj),
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )
        self.fields["reception_day"] = forms.ModelChoiceField(
            label=_("Reception day it held"),
            queryset=obj.reception_days.filter(activities__isnull=True).order_by("-day"),
            required=False,
        )
        self.order_fields(
            ["kind", "happened_on", "reception_day", "deputies", "citizens", "notes", "files"]
        )


class DutyForm(StationForm):
    """A duty record a keeper enters for one of the station's deputies (meetings,
    training, inspections...); suggestions count by themselves and are not offered."""

    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[(k, label) for k, label in DutyRecord.Kind.choices if k not in AUTOMATIC_KINDS],
    )
    happened_on = forms.DateField(label=_("Date"), widget=DateInput)
    source = forms.CharField(
        label=_("Reference"),
        max_length=100,
        required=False,
        help_text=_("The meeting's or event's name: a deputy is recorded once for it."),
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, obj: LiaisonStation, **kwargs):
        kwargs.setdefault("initial", {"happened_on": timezone.localdate()})
        super().__init__(*args, obj=obj, **kwargs)
        self._date_field("happened_on")
        self.fields["deputy"] = forms.ModelChoiceField(
            label=_("Deputy"), queryset=_station_deputies(obj)
        )
        self.fields["deputy"].label_from_instance = lambda deputy: deputy.name
        self.order_fields(["deputy", "kind", "happened_on", "source", "notes"])

    def service_kwargs(self) -> dict:
        # ``duty_record`` is the deputies' service: it takes the deputy, not the station,
        # and checks itself that the keeper keeps a station of theirs.
        return self.values()


class OpinionForm(ActionForm):
    """An action on an opinion."""

    obj: Opinion

    def service_kwargs(self) -> dict:
        return {"opinion": self.obj, **self.values()}


class RouteForm(OpinionForm):
    to = forms.ChoiceField(
        label=_("Where it goes"),
        choices=[
            ("settled", _("Settled on the spot")),
            ("deputy", _("Forward to a deputy")),
            ("unit", _("Refer to a unit for an answer")),
        ],
        widget=forms.RadioSelect,
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("How it was settled, or what the deputy or the unit should know."),
    )

    def __init__(self, *args, obj: Opinion, **kwargs):
        super().__init__(*args, obj=obj, **kwargs)
        self.fields["deputy"] = forms.ModelChoiceField(
            label=_("Deputy"),
            queryset=Deputy.objects.filter(stations=obj.station_id).order_by("name"),
            required=False,
        )
        self.fields["deputy"].label_from_instance = lambda deputy: deputy.name
        self.fields["unit"] = forms.ModelChoiceField(
            label=_("Unit"),
            queryset=HandlingUnit.objects.filter(is_active=True).order_by("name"),
            required=False,
        )
        self.order_fields(["to", "deputy", "unit", "notes"])


class AnswerForm(OpinionForm):
    answer = forms.CharField(
        label=_("Answer"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("The station passes it on to the constituent."),
    )


class ToSuggestionForm(OpinionForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    content = forms.CharField(
        label=_("Content"), widget=forms.Textarea(attrs={"rows": 8}), max_length=20000
    )

    def __init__(self, *args, obj: Opinion, **kwargs):
        kwargs.setdefault("initial", {"title": obj.matter[:60], "content": obj.matter})
        super().__init__(*args, obj=obj, **kwargs)
