"""The committee office's forms for the duty record: a record entered by hand, the reason
a record is taken back, a group's activity, and the ranking's filters. The forms that write
call their service when cleaned, so the service's refusals are the form's errors (a form
alone can show them) and nothing is written when it refuses."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from npc_tracker import fields

from . import services
from .models import Deputy, DeputyGroup, DutyRecord
from .models.duty import AUTOMATIC_KINDS

Kind = DutyRecord.Kind

# What staff enter: suggestions count by themselves once accepted.
MANUAL_KINDS = [(value, label) for value, label in Kind.choices if value not in AUTOMATIC_KINDS]


def _refused(refusal: ValidationError) -> ValidationError:
    # The service's items carry codes; the form shows their messages as they are.
    return ValidationError(refusal.messages)


class DutyRecordForm(forms.ModelForm):
    """A record entered by hand, as ``services.duty_record`` records it (by whom, when;
    points empty: the year's rule), its refusals on the form."""

    user = None  # set by the admin for the request

    class Meta:
        model = DutyRecord
        fields = ["deputy", "kind", "happened_on", "points", "source", "notes"]
        labels = {"source": _("reference")}
        help_texts = {
            "points": _("Leave empty for the year's points of the kind."),
            "source": _(
                "Optional: what it was (a meeting's name, an inspection's file number). "
                "A deputy has one record of a kind per reference."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "kind" in self.fields:
            self.fields["kind"].choices = [("", "---------"), *MANUAL_KINDS]

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        # The service writes here, not in save_model: only a form can show its refusals.
        # The admin's view runs in a transaction, so nothing stays if the page fails later.
        try:
            self.instance = services.duty_record(
                deputy=data["deputy"],
                by=self.user,
                kind=data["kind"],
                happened_on=data["happened_on"],
                points=data.get("points"),
                source=data.get("source", ""),
                notes=data.get("notes", ""),
            )
        except ValidationError as refusal:
            raise _refused(refusal) from refusal
        return data

    def _post_clean(self):
        # The service validated and saved the record; the model's own checks would only
        # repeat its refusals (the negative points twice).
        pass


class ReverseForm(forms.Form):
    """Why the selected records are taken back."""

    reason = forms.CharField(
        label=_("reason"),
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=_("Kept with each reversal, e.g. “entered twice by mistake”."),
    )


class GroupActivityForm(forms.Form):
    """A group's activity: the kind, the date, the members present (the group's members as
    checkboxes) and notes; ``services.group_activity_record`` decides."""

    kind = forms.ChoiceField(label=_("kind"), choices=[("", "---------"), *MANUAL_KINDS])
    happened_on = forms.DateField(label=_("date"), widget=forms.DateInput(attrs={"type": "date"}))
    present = fields.ModelMultipleChoiceField(
        label=_("members present"),
        queryset=Deputy.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    notes = forms.CharField(
        label=_("notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, group: DeputyGroup, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.group, self.user, self.activity = group, user, None
        field = self.fields["present"]
        # Any deputy is accepted here and the service refuses a non-member with its
        # reason (a forged POST meets the service); the boxes are the members.
        field.queryset = Deputy.objects.all()
        field.widget.choices = [
            (deputy.pk, deputy.name) for deputy in group.members.order_by("name", "pk")
        ]
        # A date input shows only an ISO value; the localised one leaves it blank.
        self.fields["happened_on"].widget.format = "%Y-%m-%d"

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            self.activity = services.group_activity_record(
                group=self.group,
                by=self.user,
                kind=data["kind"],
                happened_on=data["happened_on"],
                present=data["present"],
                notes=data.get("notes", ""),
            )
        except ValidationError as refusal:
            raise _refused(refusal) from refusal
        return data


class RankingFilterForm(forms.Form):
    """The ranking's year and filters (a GET form); unknown values fall back to none."""

    year = forms.TypedChoiceField(label=_("year"), coerce=int)
    delegation = forms.ChoiceField(label=_("delegation"), required=False)
    level = forms.ChoiceField(
        label=_("level"), required=False, choices=[("", _("All")), *Deputy.Level.choices]
    )
    group = forms.TypedChoiceField(label=_("group"), required=False, coerce=int, empty_value=None)
    short = forms.BooleanField(label=_("Only who falls short"), required=False)

    def __init__(self, data, *, years, delegations, groups):
        super().__init__(data)
        self.fields["year"].choices = [(year, year) for year in years]
        self.fields["delegation"].choices = [("", _("All"))] + [(d, d) for d in delegations]
        self.fields["group"].choices = [("", _("All"))] + [(g.pk, g.name) for g in groups]
