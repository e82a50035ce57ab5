"""The forms of the paper handling record: the lead unit's upload, the office's check.

The upload asks, for each level not yet signed online, the date written beside the
signature (a level is on the paper when its date is given), the deputy's two ratings and
opinion, and the head who signed when the unit has several. The check lists every
signature the paper carries: accepting needs each one ticked as matching the scan.
"""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from deputies.models import Deputy

from . import documents, selectors
from .forms import ActionForm, AssignmentForm, DateInput
from .models import PaperSubmission, SignOff, UnitMembership


class PaperSubmitForm(AssignmentForm):
    scan = forms.FileField(
        label=_("Scan of the signed handling record"),
        validators=[documents.validate_scan],
        widget=forms.ClearableFileInput(attrs={"accept": documents.SCAN_ACCEPT}),
        help_text=_("PDF, JPEG or PNG, up to 20 MB."),
    )
    deputy_signed_on = forms.DateField(
        label=_("Date of the deputy's signature"), required=False, widget=DateInput
    )
    work_rating = forms.ChoiceField(
        label=_("The deputy's rating of the handling work"),
        choices=[("", "---------")] + SignOff.Rating.choices,
        required=False,
    )
    result_rating = forms.ChoiceField(
        label=_("The deputy's rating of the result"),
        choices=[("", "---------")] + SignOff.Rating.choices,
        required=False,
    )
    opinion = forms.CharField(
        label=_("The deputy's opinion, as written on the paper"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    unit_head_signed_on = forms.DateField(
        label=_("Date of the unit head's signature"), required=False, widget=DateInput
    )
    leader_signed_on = forms.DateField(
        label=_("Date of the leader's signature"), required=False, widget=DateInput
    )

    DEPUTY_FIELDS = ("deputy_signed_on", "work_rating", "result_rating", "opinion")

    def __init__(self, *args, obj, **kwargs):
        super().__init__(*args, obj=obj, **kwargs)
        suggestion = obj.suggestion
        records = selectors.records_of(suggestion)  # the page's, when it read them
        pairs = (
            records.signoff_pairs(suggestion.round)
            if records is not None
            else list(
                suggestion.signoffs.filter(round=suggestion.round).values_list("level", "deputy_id")
            )
        )
        signed = suggestion.levels_signed(pairs)
        # A merged group (并案): one block per lead deputy not yet signed online.
        self.paper_deputies = []
        group = suggestion.group_lead_deputy_ids()
        if len(group) > 1 and SignOff.Level.DEPUTY not in signed:
            signed_online = {d for level, d in pairs if level == SignOff.Level.DEPUTY}
            self._add_deputy_blocks([d for d in group if d not in signed_online])
        heads = list(
            UnitMembership.objects.filter(unit_id=obj.unit_id, is_head=True)
            .select_related("user")
            .order_by("user__username")
        )
        if len(heads) > 1:
            self.fields["unit_head_signer"] = forms.TypedChoiceField(
                label=_("The head who signed"),
                choices=[("", "---------")]
                + [(m.user_id, m.user.get_full_name() or m.user.username) for m in heads],
                coerce=int,
                required=False,
            )
            order = [name for name in self.fields if name != "unit_head_signer"]
            order.insert(order.index("unit_head_signed_on") + 1, "unit_head_signer")
            self.order_fields(order)
        # Levels already signed online are not asked again.
        for level in signed:
            names = self.DEPUTY_FIELDS if level == SignOff.Level.DEPUTY else (f"{level}_signed_on",)
            for name in names:
                self.fields.pop(name, None)

    def _add_deputy_blocks(self, deputy_ids: list[int]) -> None:
        """Each deputy's date, two ratings and opinion, in place of the one deputy's."""
        names = dict(Deputy.objects.filter(pk__in=deputy_ids).values_list("pk", "name"))
        blocks = {}
        for deputy_id in deputy_ids:
            name = {"name": names.get(deputy_id, "")}
            self.paper_deputies.append((deputy_id, names.get(deputy_id, "")))
            prefix = f"deputy_{deputy_id}"
            ratings = [("", "---------")] + SignOff.Rating.choices
            blocks[f"{prefix}_signed_on"] = forms.DateField(
                label=_("Date of %(name)s's signature") % name, required=False, widget=DateInput
            )
            blocks[f"{prefix}_work_rating"] = forms.ChoiceField(
                label=_("%(name)s's rating of the handling work") % name,
                choices=ratings,
                required=False,
            )
            blocks[f"{prefix}_result_rating"] = forms.ChoiceField(
                label=_("%(name)s's rating of the result") % name, choices=ratings, required=False
            )
            blocks[f"{prefix}_opinion"] = forms.CharField(
                label=_("%(name)s's opinion, as written on the paper") % name,
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        fields = {k: v for k, v in self.fields.items() if k not in self.DEPUTY_FIELDS}
        order = list(fields)
        at = order.index("scan") + 1 if "scan" in order else 0
        self.fields = {**fields, **blocks}
        self.order_fields(order[:at] + list(blocks) + order[at:])

    def _deputy_signatures(self, data) -> list[dict]:
        """The group's deputy signatures the paper carries (those with a date)."""
        entries = []
        for deputy_id, _name in self.paper_deputies:
            prefix = f"deputy_{deputy_id}"
            if data.get(f"{prefix}_signed_on"):
                entries.append(
                    {
                        "deputy": deputy_id,
                        "signed_on": data[f"{prefix}_signed_on"],
                        "work_rating": data.get(f"{prefix}_work_rating"),
                        "result_rating": data.get(f"{prefix}_result_rating"),
                        "opinion": data.get(f"{prefix}_opinion", ""),
                    }
                )
        return entries

    def clean(self):
        data = super().clean()
        if self.paper_deputies and self._deputy_signatures(data):
            return data
        if not any(data.get(f"{level}_signed_on") for level in SignOff.Level.values):
            raise forms.ValidationError(
                _("Give the date of at least one signature on the paper."), code="no_signatures"
            )
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        signatures = {}
        if self.paper_deputies:
            if entries := self._deputy_signatures(data):
                signatures["deputy"] = entries
        elif data.get("deputy_signed_on"):
            signatures["deputy"] = {
                "signed_on": data["deputy_signed_on"],
                "work_rating": data.get("work_rating"),
                "result_rating": data.get("result_rating"),
                "opinion": data.get("opinion", ""),
            }
        if data.get("unit_head_signed_on"):
            signatures["unit_head"] = {
                "signed_on": data["unit_head_signed_on"],
                "signer": data.get("unit_head_signer"),
            }
        if data.get("leader_signed_on"):
            signatures["leader"] = {"signed_on": data["leader_signed_on"]}
        return {"assignment": self.obj, "scan": data["scan"], "signatures": signatures}


def pending_submission(suggestion) -> PaperSubmission | None:
    return (
        PaperSubmission.objects.filter(
            assignment__suggestion=suggestion, decision=PaperSubmission.Decision.PENDING
        )
        .select_related("assignment__unit", "assignment__suggestion__lead_deputy", "submitted_by")
        .first()
    )


class PaperVerifyForm(ActionForm):
    """The office's check of the suggestion's paper record waiting for it, item by item."""

    accept = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Accept: the sign-offs are recorded")), ("0", _("Refuse"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason for refusal"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sent back to the unit with the paper record."),
    )

    def __init__(self, *args, obj, **kwargs):
        super().__init__(*args, obj=obj, **kwargs)
        self.submission = pending_submission(obj)
        for name, level, _entry in self._entries():
            self.fields[name] = forms.BooleanField(
                label=_("The %(level)s's signature, date and what is written match the scan")
                % {"level": SignOff.Level(level).label},
                required=False,
            )

    def _entries(self) -> list[tuple[str, str, dict]]:
        """Each signature the paper carries: its check box's name, its level, its entry. A
        merged group's deputies (并案) are a list: one check box each."""
        if self.submission is None:
            return []
        found = []
        for level in self.submission.levels:
            given = self.submission.signatures[level]
            if level == SignOff.Level.DEPUTY and isinstance(given, list):
                found += [(f"checked_deputy_{e.get('deputy')}", level, e) for e in given]
            else:
                found.append((f"checked_{level}", level, given))
        return found

    @property
    def item_names(self) -> list[str]:
        return [name for name, _level, _entry in self._entries()]

    def items(self) -> list[dict]:
        """What the paper says, signature by signature, beside its check box."""
        entries = self._entries()
        if not entries:
            return []
        users = get_user_model().objects.in_bulk(
            [e["signer"] for _n, _l, e in entries if e.get("signer")]
        )
        deputies = dict(
            Deputy.objects.filter(pk__in=[e.get("deputy") for _n, _l, e in entries]).values_list(
                "pk", "name"
            )
        )
        ratings = dict(SignOff.Rating.choices)
        suggestion = self.submission.assignment.suggestion
        rows = []
        for name, level, entry in entries:
            user = users.get(entry.get("signer"))
            if level == SignOff.Level.DEPUTY:
                signer = deputies.get(entry.get("deputy")) or suggestion.lead_deputy.name
            else:
                signer = (user.get_full_name() or user.get_username()) if user else "—"
            rows.append(
                {
                    "label": SignOff.Level(level).label,
                    "signer": signer,
                    "signed_on": entry["signed_on"],
                    "work_rating": ratings.get(entry.get("work_rating"), ""),
                    "result_rating": ratings.get(entry.get("result_rating"), ""),
                    "opinion": entry.get("opinion", ""),
                    "check": self[name],
                }
            )
        return rows

    def clean(self):
        data = super().clean()
        if self.submission is None:
            raise forms.ValidationError(
                _("No paper record of this suggestion is waiting for verification."),
                code="no_paper_pending",
            )
        if data.get("accept"):
            for name in self.item_names:
                if not data.get(name):
                    self.add_error(
                        name, _("Check this signature against the scan before accepting.")
                    )
        elif data.get("accept") is False and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Say why the paper record is refused."))
        return data

    def service_kwargs(self) -> dict:
        return {
            "submission": self.submission,
            "accept": self.cleaned_data["accept"],
            "reason": self.cleaned_data["reason"],
        }
