"""The forms of the key suggestions' actions (``actions``): the designation, taken on a
suggestion in the admin, and an inspection visit, taken on a key suggestion (``Page.KEY``)
in the admin and by the leading leader on the task pages."""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from deputies.models import Deputy
from npc_tracker import fields

from . import documents
from .forms import ActionForm, DateInput
from .models import HandlingUnit, Inspection, KeySuggestion

MAX_FILES = 10


def government_leaders():
    """The active users who lead a handling unit: those who may lead a key suggestion."""
    return (
        get_user_model()
        .objects.filter(is_active=True, pk__in=HandlingUnit.objects.values("leader"))
        .order_by("first_name", "username")
    )


class LeaderChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return user.get_full_name() or user.get_username()


class DesignateForm(ActionForm):
    """The committee office chooses the suggestion for key supervision (重点督办)."""

    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=9999)
    leader = LeaderChoiceField(label=_("Leading government leader"), queryset=None)
    committee = forms.CharField(
        label=_("Supervising committee"),
        required=False,
        max_length=KeySuggestion._meta.get_field("committee").max_length,
        help_text=_(
            "The committee of the standing committee that follows it, e.g. 财政经济委员会."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year
        self.fields["leader"].queryset = government_leaders()
        # The deputies by search (a city has hundreds): the admin's autocomplete over the
        # deputies' admin, as a key suggestion's own form would offer it.
        self.fields["deputies"] = fields.ModelMultipleChoiceField(
            label=_("Invited deputies"),
            queryset=Deputy.objects.order_by("name"),
            required=False,
            widget=AutocompleteSelectMultiple(
                KeySuggestion._meta.get_field("invited_deputies"), admin.site
            ),
            help_text=_("The deputies invited to follow it and to take part in its visits."),
        )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class FilesField(forms.FileField):
    """Several files in one input (Django's documented pattern), each checked alone; at
    most ``max_files``, else ``too_many`` (a subclass words it for its own files)."""

    max_files = MAX_FILES
    too_many = _("Attach at most %(max)s files to a visit.")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": documents.SCAN_ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        uploads = data if isinstance(data, (list, tuple)) else [data]
        uploads = [upload for upload in uploads if upload]
        if len(uploads) > self.max_files:
            raise forms.ValidationError(
                self.too_many % {"max": self.max_files}, code="too_many_files"
            )
        single = super().clean
        return [single(upload, initial) for upload in uploads]


class InspectionForm(ActionForm):
    """An inspection visit (视察), supervision meeting or interim check on a key suggestion:
    who went, what was found and agreed, the invited deputies who took part, its files."""

    happened_on = forms.DateField(label=_("Date"), widget=DateInput)
    kind = forms.ChoiceField(label=_("Kind"), choices=Inspection.Kind.choices)
    participants = forms.CharField(
        label=_("Participants"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Who took part: the leader, the committee, the units, others."),
    )
    findings = forms.CharField(
        label=_("Findings of the visit"), widget=forms.Textarea(attrs={"rows": 4})
    )
    next_steps = forms.CharField(
        label=_("Agreed next steps"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    files = FilesField(
        label=_("Files"),
        required=False,
        validators=[documents.validate_scan],
        help_text=_("Photos and minutes: PDF, JPEG or PNG, up to 20 MB each."),
    )

    def __init__(self, *args, obj: KeySuggestion, **kwargs):
        super().__init__(*args, obj=obj, **kwargs)
        # A date input shows only an ISO value.
        self.fields["happened_on"].widget.format = "%Y-%m-%d"
        self.fields["deputies"] = fields.ModelMultipleChoiceField(
            label=_("Invited deputies who took part"),
            queryset=obj.invited_deputies.order_by("name"),
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )
        if not self.fields["deputies"].queryset.exists():
            del self.fields["deputies"]
        self.order_fields(
            ["happened_on", "kind", "participants", "deputies", "findings", "next_steps"]
        )

    def service_kwargs(self) -> dict:
        return {"key_suggestion": self.obj, "deputies": (), **self.values()}
