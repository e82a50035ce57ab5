"""Forms of the staff's transitions: each collects one service's arguments."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import (
    ExtensionRequest,
    HandlingUnit,
    ReassignmentRequest,
    Redo,
    RevisitOutcome,
    Suggestion,
)


class TransitionForm(forms.Form):
    """A transition's arguments; ``service_kwargs`` turns them into the service's keywords."""

    def __init__(self, *args, suggestion: Suggestion, **kwargs):
        self.suggestion = suggestion
        super().__init__(*args, **kwargs)

    def service_kwargs(self) -> dict:
        return {"suggestion": self.suggestion, **self.cleaned_data}


class NoteForm(TransitionForm):
    note = forms.CharField(
        label=_("Review note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Approving records that the political, legal and policy checks passed."),
    )


class ReasonForm(TransitionForm):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


def _active_units():
    return HandlingUnit.objects.filter(is_active=True).order_by("name")


class AssignForm(TransitionForm):
    lead_unit = forms.ModelChoiceField(label=_("Lead unit"), queryset=_active_units())
    co_units = forms.ModelMultipleChoiceField(
        label=_("Co-handling units"),
        queryset=_active_units(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    complex = forms.BooleanField(label=_("Complex (6-month deadline)"), required=False)


class RedoForm(TransitionForm):
    grounds = forms.ChoiceField(
        label=_("Grounds"),
        choices=[("", _("From the deputy's rating"))] + Redo.Grounds.choices,
        required=False,
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))

    def service_kwargs(self) -> dict:
        return {
            "reason": self.cleaned_data["reason"],
            "grounds": self.cleaned_data["grounds"] or None,
        }


class RevisitForm(TransitionForm):
    """One outcome field per commitment of the current reply, and the revisit's notes."""

    notes = forms.CharField(label=_("Revisit notes"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, suggestion: Suggestion, **kwargs):
        super().__init__(*args, suggestion=suggestion, **kwargs)
        reply = suggestion.current_reply()
        self.commitments = list(reply.commitments.all()) if reply else []
        for commitment in self.commitments:
            self.fields[f"commitment_{commitment.pk}"] = forms.ChoiceField(
                label=str(commitment),
                choices=[("", "---------")] + RevisitOutcome.Outcome.choices,
                required=False,
            )

    def service_kwargs(self) -> dict:
        outcomes = {
            c: self.cleaned_data[f"commitment_{c.pk}"]
            for c in self.commitments
            if self.cleaned_data.get(f"commitment_{c.pk}")
        }
        return {
            "suggestion": self.suggestion,
            "outcomes": outcomes,
            "notes": self.cleaned_data["notes"],
        }


class DecisionForm(TransitionForm):
    """Approve or reject one pending request of the suggestion."""

    request_model = None
    decision = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Approve the request")), ("0", _("Reject the request"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, suggestion: Suggestion, **kwargs):
        super().__init__(*args, suggestion=suggestion, **kwargs)
        self.fields["request"] = forms.ModelChoiceField(
            label=_("Request"),
            queryset=self.request_model.objects.filter(
                assignment__suggestion=suggestion,
                decision=self.request_model.Decision.PENDING,
            ).select_related("assignment__unit"),
            empty_label=None,
        )
        self.order_fields(["request", "decision"])

    def service_kwargs(self) -> dict:
        # The decision services take the request, which names its suggestion.
        return {"request": self.cleaned_data["request"], "approve": self.cleaned_data["decision"]}


class ReassignmentDecisionForm(DecisionForm):
    request_model = ReassignmentRequest
    lead_unit = forms.ModelChoiceField(
        label=_("New lead unit"),
        queryset=_active_units(),
        required=False,
        help_text=_("Only when the lead unit asked to be relieved."),
    )
    co_units = forms.ModelMultipleChoiceField(
        label=_("New co-handling units"),
        queryset=_active_units(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def service_kwargs(self) -> dict:
        return {
            **super().service_kwargs(),
            "lead_unit": self.cleaned_data["lead_unit"],
            "co_units": self.cleaned_data["co_units"],
        }


class ExtensionDecisionForm(DecisionForm):
    request_model = ExtensionRequest
