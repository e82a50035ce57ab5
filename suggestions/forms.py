"""The forms of the action table (``actions``): each collects one service's arguments.

A form is bound to what its action is taken on (``obj``: a suggestion on the admin's and
the status pages, an assignment on the task pages), and ``service_kwargs()`` turns its
data into the service's keywords, ``by`` aside. A form checks the shape of the input;
the service decides what is allowed. A form of an action that asks for confirmation
(``suggestions.confirmation``) also checks what a page can read before the confirmation
(the reply's conditions, a dissatisfied rating's reason), so that nobody confirms what the
service will surely refuse; the service still checks it all.
"""

from functools import cached_property

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from npc_tracker import fields

from . import documents, selectors
from .models import (
    Communication,
    ExtensionRequest,
    HandlingUnit,
    ReassignmentRequest,
    Redo,
    Reply,
    Revisit,
    RevisitOutcome,
    SignOff,
    Suggestion,
    UnitMembership,
)
from .selectors.followup import revisit_due_on

COMMITMENT_ROWS = 3


class DateInput(forms.DateInput):
    input_type = "date"


class ActionForm(forms.Form):
    """An action's arguments, bound to the suggestion the action is taken on.

    ``owner``: the id of the user filling it in, for a file kept between two steps.
    """

    def __init__(self, *args, obj, owner: int | None = None, **kwargs):
        self.obj = obj
        self.owner = owner
        super().__init__(*args, **kwargs)

    def values(self) -> dict:
        """The cleaned values, without the confirmation's token."""
        return {k: v for k, v in self.cleaned_data.items() if k != "confirmed"}

    def service_kwargs(self) -> dict:
        return {"suggestion": self.obj, **self.values()}

    def performed(self) -> None:
        """The service has recorded the action (a form keeping a file deletes it here)."""

    def error_codes(self) -> list[str]:
        """The codes of every error, field and form, for the page's refusal box."""
        return [e.code or "invalid" for errors in self.errors.as_data().values() for e in errors]

    def fields_with_errors(self) -> list:
        """The visible fields with an error, for the list at the top of the form."""
        return [field for field in self.visible_fields() if field.errors]


class AssignmentForm(ActionForm):
    """An action on an assignment (the task pages)."""

    def service_kwargs(self) -> dict:
        return {"assignment": self.obj, **self.values()}


# The committee office's transitions (the admin).


class NoteForm(ActionForm):
    note = forms.CharField(
        label=_("Review note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Approving records that the political, legal and policy checks passed."),
    )


class ReasonForm(ActionForm):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


def _active_units():
    return HandlingUnit.objects.filter(is_active=True).order_by("name")


class AssignForm(ActionForm):
    lead_unit = forms.ModelChoiceField(label=_("Lead unit"), queryset=_active_units())
    co_units = fields.ModelMultipleChoiceField(
        label=_("Co-handling units"),
        queryset=_active_units(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    complex = forms.BooleanField(label=_("Complex (6-month deadline)"), required=False)
    assigned_on = forms.DateField(
        label=_("Assigned on"),
        required=False,
        widget=DateInput,
        help_text=_("The date of the assignment meeting (交办会); the deadlines count from it."),
    )


class RedoForm(ActionForm):
    # "Commitment not kept" comes from the revisit's decision, not from this form.
    grounds = forms.ChoiceField(
        label=_("Grounds"),
        choices=[("", _("From the deputy's rating"))]
        + [c for c in Redo.Grounds.choices if c[0] != Redo.Grounds.COMMITMENT_NOT_KEPT],
        required=False,
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))

    def service_kwargs(self) -> dict:
        return {
            "suggestion": self.obj,
            "reason": self.cleaned_data["reason"],
            "grounds": self.cleaned_data["grounds"] or None,
        }


class RevisitForm(ActionForm):
    """One outcome field per commitment of the current reply, and the revisit's notes."""

    notes = forms.CharField(label=_("Revisit notes"), widget=forms.Textarea(attrs={"rows": 4}))
    decision = forms.ChoiceField(
        label=_("When a commitment was not fully kept"),
        choices=[("", "---------")] + Revisit.Decision.choices,
        required=False,
        help_text=_(
            "Close (counted against the unit) or order a redo on the ground that a "
            "commitment was not kept."
        ),
    )
    early_reason = forms.CharField(
        label=_("Reason for revisiting before the due date"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, obj: Suggestion, **kwargs):
        super().__init__(*args, obj=obj, **kwargs)
        self.due_on = revisit_due_on(obj)
        if self.due_on is not None:
            self.fields["early_reason"].help_text = _(
                "The revisit is due on %(date)s; before then, say why it comes earlier."
            ) % {"date": self.due_on}
        reply = obj.current_reply()
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
            "suggestion": self.obj,
            "outcomes": outcomes,
            "notes": self.cleaned_data["notes"],
            "decision": self.cleaned_data["decision"] or None,
            "early_reason": self.cleaned_data["early_reason"],
        }


class InterimCheckForm(ActionForm):
    happened_on = forms.DateField(label=_("Date of the check"), widget=DateInput)
    findings = forms.CharField(label=_("Findings"), widget=forms.Textarea(attrs={"rows": 4}))


class DecisionForm(ActionForm):
    """Approve or reject one pending request of the suggestion."""

    request_model = None
    decision = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Approve the request")), ("0", _("Reject the request"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, obj: Suggestion, **kwargs):
        super().__init__(*args, obj=obj, **kwargs)
        self.fields["request"] = forms.ModelChoiceField(
            label=_("Request"),
            queryset=self.request_model.objects.filter(
                assignment__suggestion=obj,
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
    co_units = fields.ModelMultipleChoiceField(
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


# The handling units' and the leaders' actions (the task pages).


class CommunicationForm(AssignmentForm):
    stage = forms.ChoiceField(label=_("Stage"), choices=Communication.Stage.choices)
    method = forms.ChoiceField(label=_("Method"), choices=Communication.Method.choices)
    happened_on = forms.DateField(label=_("Date"), widget=DateInput)
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}))


class CoOpinionForm(AssignmentForm):
    text = forms.CharField(label=_("Opinion"), widget=forms.Textarea(attrs={"rows": 4}))


class ReplyForm(AssignmentForm):
    """The lead unit's reply. As a two-step form its document is kept on the server
    between the steps (``suggestions.confirmation``)."""

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

    @cached_property
    def conditions(self) -> list:
        """What the reply needs first (``selectors.reply_conditions``), for the page to say
        before the form is filled in."""
        return selectors.reply_conditions(assignment=self.obj)

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
        for condition in self.conditions:
            if not condition.met:
                self.add_error(None, ValidationError(condition.text, code=condition.code))
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        commitments = [
            (data[f"commitment_{i}"].strip(), data[f"commitment_{i}_due"])
            for i in range(1, COMMITMENT_ROWS + 1)
            if (data.get(f"commitment_{i}") or "").strip()
        ]
        return {
            "assignment": self.obj,
            "classification": data["classification"],
            "text": data["text"],
            "document": data["document"],
            "commitments": commitments,
        }


class ReassignmentForm(AssignmentForm):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class HandlerForm(AssignmentForm):
    """The unit head names the responsible person (承办人) among the unit's members."""

    def __init__(self, *args, obj, **kwargs):
        super().__init__(*args, obj=obj, **kwargs)
        members = UnitMembership.objects.filter(unit_id=obj.unit_id, user__is_active=True)
        self.fields["handler"] = forms.ModelChoiceField(
            label=_("Responsible person"),
            queryset=get_user_model()
            .objects.filter(pk__in=members.values("user_id"))
            .order_by("last_name", "first_name", "username"),
            initial=obj.handler_id,
        )
        self.fields["handler"].label_from_instance = lambda u: u.get_full_name() or u.username


class ExtensionForm(AssignmentForm):
    until = forms.DateField(label=_("New deadline"), widget=DateInput)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class SignOffForm(AssignmentForm):
    """A unit head's or a leader's signature on the lead unit's handling record."""

    level: str

    opinion = forms.CharField(
        label=_("Opinion"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def service_kwargs(self) -> dict:
        return {"suggestion": self.obj.suggestion, "level": self.level, **self.values()}


class UnitHeadSignOffForm(SignOffForm):
    level = SignOff.Level.UNIT_HEAD


class LeaderSignOffForm(SignOffForm):
    level = SignOff.Level.LEADER


# The deputy's one action (the status pages).


class DeputySignOffForm(ActionForm):
    """The lead deputy's sign-off: two ratings and an opinion (a reason when dissatisfied)."""

    work_rating = forms.ChoiceField(
        label=_("The handling work and the contact with you"),
        choices=SignOff.Rating.choices,
        widget=forms.RadioSelect,
    )
    result_rating = forms.ChoiceField(
        label=_("The result"),
        choices=SignOff.Rating.choices,
        widget=forms.RadioSelect,
    )
    opinion = forms.CharField(
        label=_("Your opinion"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required when you are dissatisfied: say why."),
    )

    def clean(self):
        data = super().clean()
        ratings = (data.get("work_rating"), data.get("result_rating"))
        if SignOff.Rating.DISSATISFIED in ratings and not (data.get("opinion") or "").strip():
            # The service's rule, checked before the confirmation (it checks it again).
            self.add_error(
                "opinion",
                ValidationError(
                    _("Say why you are dissatisfied."), code="dissatisfied_reason_required"
                ),
            )
        return data

    def service_kwargs(self) -> dict:
        return {**super().service_kwargs(), "level": SignOff.Level.DEPUTY}
