"""Forms of the handling units' and leaders' actions on the task page.

Each collects one service's arguments; ``service_kwargs`` turns them into its keywords.
The services decide what is allowed: a form only checks the shape of the input.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from . import documents
from .models import Communication, Reply

COMMITMENT_ROWS = 3


class DateInput(forms.DateInput):
    input_type = "date"


class CommunicationForm(forms.Form):
    stage = forms.ChoiceField(label=_("Stage"), choices=Communication.Stage.choices)
    method = forms.ChoiceField(label=_("Method"), choices=Communication.Method.choices)
    happened_on = forms.DateField(label=_("Date"), widget=DateInput)
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}))

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)


class CoOpinionForm(forms.Form):
    text = forms.CharField(label=_("Opinion"), widget=forms.Textarea(attrs={"rows": 4}))

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)


class ReplyForm(forms.Form):
    classification = forms.ChoiceField(
        label=_("Classification"), choices=Reply.Classification.choices
    )
    text = forms.CharField(label=_("Reply text"), widget=forms.Textarea(attrs={"rows": 6}))
    document = forms.FileField(
        label=_("Signed reply document"),
        validators=[documents.validate_document],
        widget=forms.ClearableFileInput(attrs={"accept": documents.ACCEPT}),
        help_text=_("PDF, OFD, Word, JPEG or PNG, up to 20 MB."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(1, COMMITMENT_ROWS + 1):
            self.fields[f"commitment_{i}"] = forms.CharField(
                label=_("Commitment %(n)s") % {"n": i}, required=False, max_length=500
            )
            self.fields[f"commitment_{i}_due"] = forms.DateField(
                label=_("Due on"), required=False, widget=DateInput
            )

    def commitment_rows(self):
        """The commitment fields in pairs, for the template."""
        return [
            (self[f"commitment_{i}"], self[f"commitment_{i}_due"])
            for i in range(1, COMMITMENT_ROWS + 1)
        ]

    def clean(self):
        data = super().clean()
        for i in range(1, COMMITMENT_ROWS + 1):
            text, due = data.get(f"commitment_{i}"), data.get(f"commitment_{i}_due")
            if bool((text or "").strip()) != bool(due):
                self.add_error(
                    f"commitment_{i}", _("Give each commitment both its text and its due date.")
                )
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        commitments = [
            (data[f"commitment_{i}"].strip(), data[f"commitment_{i}_due"])
            for i in range(1, COMMITMENT_ROWS + 1)
            if (data.get(f"commitment_{i}") or "").strip()
        ]
        return {
            "classification": data["classification"],
            "text": data["text"],
            "document": data["document"],
            "commitments": commitments,
        }


class ReassignmentForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)


class ExtensionForm(forms.Form):
    until = forms.DateField(label=_("New deadline"), widget=DateInput)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)


class SignOffForm(forms.Form):
    opinion = forms.CharField(
        label=_("Opinion"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)
