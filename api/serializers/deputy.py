"""What the deputies' endpoints answer: their suggestions as the status pages show them
(``/my/``), their duty year (``/my/duty/``) and the opinions forwarded to them
(``/my/opinions/``). The views build plain values from the pages' selectors; these
serializers document and shape them."""

import html

from django.utils.html import strip_tags
from rest_framework import serializers

from suggestions import wording
from suggestions.models import Assignment, Communication, Reply, SignOff, Suggestion
from suggestions.models.key import Inspection
from suggestions.models.revisit import RevisitOutcome

from .common import ActionOut, DeputyRef, EventOut, UnitRef, enum


def plain(text: str) -> str:
    """A page's sentence without its markup (the deadline in a ``<time>``)."""
    return html.unescape(strip_tags(str(text)))


def ref(obj) -> dict | None:
    return None if obj is None else {"id": obj.pk, "name": obj.name}


def unit_ref(unit) -> dict:
    return {"id": unit.pk, "name": unit.name, "short_name": unit.short_name}


# The suggestions (/my/ and /my/<id>/).


class StatusOut(serializers.Serializer):
    text = serializers.CharField(help_text="The page's sentence: where it stands, in words.")
    stage = serializers.IntegerField(help_text="The progress bar's current stage (0-5).")
    stage_label = serializers.CharField()
    stopped = serializers.BooleanField(help_text="Not accepted or withdrawn.")
    waiting_for_me = serializers.BooleanField(help_text="The reader's sign-off waits.")
    overdue = serializers.BooleanField()


class StageOut(serializers.Serializer):
    label = serializers.CharField()
    done = serializers.BooleanField()
    current = serializers.BooleanField()


class SignatureOut(serializers.Serializer):
    """One of the handling record's three signatures in the current round."""

    level = enum(SignOff.Level)
    text = serializers.CharField(help_text="As the page's line shows it (代表 ✔ 满意/满意).")
    signed = serializers.BooleanField()
    is_next = serializers.BooleanField()
    dissatisfied = serializers.BooleanField()


class MainOut(serializers.Serializer):
    """The suggestion a merged one (并案) was merged into: its handling answers it."""

    id = serializers.IntegerField()
    number = serializers.CharField(allow_blank=True)
    title = serializers.CharField()
    state = enum(Suggestion.State)
    state_label = serializers.CharField()


def status_data(status) -> dict:
    stages = status.stages
    return {
        "text": plain(status.sentence),
        "stage": status.stage,
        "stage_label": str(stages[status.stage]["label"]) if stages else "",
        "stopped": status.stopped,
        "waiting_for_me": status.waiting_for_me,
        "overdue": status.overdue,
    }


def signatures_data(steps) -> list[dict]:
    return [
        {
            "level": s.level,
            "text": s.text,
            "signed": s.signed,
            "is_next": s.is_next,
            "dissatisfied": s.dissatisfied,
        }
        for s in steps
    ]


ROLES = ["lead", "co", "merged"]


class MySuggestionRowOut(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField(allow_blank=True)
    title = serializers.CharField()
    raised_on = serializers.DateField()
    state = enum(Suggestion.State)
    state_label = serializers.CharField()
    round = serializers.IntegerField()
    role = serializers.ChoiceField(
        choices=ROLES,
        help_text="The reader led it, co-signed it, or theirs was merged into it (并案).",
    )
    lead_deputy = DeputyRef()
    is_key = serializers.BooleanField(help_text="Under key supervision (重点督办).")
    status = StatusOut()
    lead_unit = UnitRef(allow_null=True)
    co_units = UnitRef(many=True)
    due_on = serializers.DateField(allow_null=True, help_text="The lead unit's reply deadline.")
    original_due_on = serializers.DateField(allow_null=True)
    signatures = SignatureOut(many=True)
    main = MainOut(allow_null=True, help_text="The main suggestion, when merged into one.")


def role_of(row, deputy) -> str:
    if row.lead_deputy_id == deputy.pk:
        return "lead"
    return "co" if getattr(row, "is_co_signed", False) else "merged"


def main_data(row) -> dict | None:
    if not row.merged_into_id:
        return None
    state = row.main_state
    return {
        "id": row.merged_into_id,
        "number": row.main_number or "",
        "title": row.main_title,
        "state": state,
        "state_label": wording.choice_labels(Suggestion.State)[state],
    }


def row_data(row, *, status, deputy, units: list, steps) -> dict:
    """A row of ``status_rows`` with its status, its open assignments and its signatures,
    as ``MySuggestionRowOut`` documents it: plain values the list answers as they are."""
    lead = next((a for a in units if a.role == Assignment.Role.LEAD), None)
    return {
        "id": row.pk,
        "number": row.number,
        "title": row.title,
        "raised_on": row.raised_on,
        "state": row.state,
        "state_label": wording.choice_labels(Suggestion.State)[row.state],
        "round": row.round,
        "role": role_of(row, deputy),
        "lead_deputy": ref(row.lead_deputy),
        "is_key": bool(row.is_key),
        "status": status_data(status),
        "lead_unit": unit_ref(lead.unit) if lead else None,
        "co_units": [unit_ref(a.unit) for a in units if a.role == Assignment.Role.CO],
        "due_on": row.due_on,
        "original_due_on": row.original_due_on,
        "signatures": signatures_data(steps),
        "main": main_data(row),
    }


class AssignmentOut(serializers.Serializer):
    id = serializers.IntegerField()
    unit = UnitRef()
    role = enum(Assignment.Role)
    role_label = serializers.CharField()
    assigned_on = serializers.DateField()
    due_on = serializers.DateField()
    original_due_on = serializers.DateField()
    closed_on = serializers.DateField(allow_null=True)
    close_reason = enum(Assignment.CloseReason, allow_blank=True)
    close_reason_label = serializers.CharField(allow_blank=True)


class CommitmentOut(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()
    due_on = serializers.DateField()


class ReplyOut(serializers.Serializer):
    id = serializers.IntegerField()
    round = serializers.IntegerField()
    unit = UnitRef()
    classification = enum(Reply.Classification)
    classification_label = serializers.CharField()
    text = serializers.CharField()
    submitted_at = serializers.DateTimeField()
    on_time = serializers.BooleanField()
    replaced = serializers.BooleanField(help_text="Replaced by a redo's reply.")
    document = serializers.URLField(help_text="The signed reply document (api:reply-document).")
    commitments = CommitmentOut(many=True)


class RatingOut(serializers.Serializer):
    """A lead deputy's sign-off with its ratings."""

    round = serializers.IntegerField()
    deputy = DeputyRef(allow_null=True)
    signed_at = serializers.DateTimeField()
    work_rating = enum(SignOff.Rating, allow_blank=True)
    work_rating_label = serializers.CharField(allow_blank=True)
    result_rating = enum(SignOff.Rating, allow_blank=True)
    result_rating_label = serializers.CharField(allow_blank=True)
    opinion = serializers.CharField(allow_blank=True)
    dissatisfied = serializers.BooleanField()


class CommunicationOut(serializers.Serializer):
    id = serializers.IntegerField()
    unit = UnitRef()
    happened_on = serializers.DateField()
    stage = enum(Communication.Stage)
    stage_label = serializers.CharField()
    method = enum(Communication.Method)
    method_label = serializers.CharField()
    notes = serializers.CharField(allow_blank=True)


class OutcomeOut(serializers.Serializer):
    commitment = serializers.CharField()
    outcome = enum(RevisitOutcome.Outcome)
    outcome_label = serializers.CharField()


class RevisitOut(serializers.Serializer):
    id = serializers.IntegerField()
    recorded_at = serializers.DateTimeField()
    notes = serializers.CharField(allow_blank=True)
    outcomes = OutcomeOut(many=True)


class InspectionOut(serializers.Serializer):
    id = serializers.IntegerField()
    happened_on = serializers.DateField()
    kind = enum(Inspection.Kind)
    kind_label = serializers.CharField()
    participants = serializers.CharField()
    deputies = DeputyRef(many=True)
    findings = serializers.CharField()
    next_steps = serializers.CharField(allow_blank=True)


class KeyOut(serializers.Serializer):
    year = serializers.IntegerField()
    leader = serializers.CharField()
    committee = serializers.CharField(allow_blank=True)
    inspections = InspectionOut(many=True)


class MergedOut(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField(allow_blank=True)
    title = serializers.CharField()
    lead_deputy = DeputyRef()


class HandlingOut(MergedOut):
    """The main suggestion whose handling answers a merged one."""


class MySuggestionOut(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField(allow_blank=True)
    title = serializers.CharField()
    content = serializers.CharField()
    category = serializers.CharField(allow_blank=True)
    raised_on = serializers.DateField()
    state = enum(Suggestion.State)
    state_label = serializers.CharField()
    round = serializers.IntegerField()
    is_key = serializers.BooleanField()
    lead_deputy = DeputyRef()
    is_lead = serializers.BooleanField()
    co_deputies = DeputyRef(many=True)
    status = StatusOut()
    stages = StageOut(many=True)
    signatures = SignatureOut(many=True)
    handling = HandlingOut(
        allow_null=True,
        help_text="When merged (并案): the main suggestion, whose units, replies, contacts "
        "and sign-offs below answer this one.",
    )
    merged = MergedOut(many=True, help_text="The suggestions merged into this one.")
    group_size = serializers.IntegerField(help_text="How many lead deputies sign.")
    assignments = AssignmentOut(many=True)
    replies = ReplyOut(many=True)
    ratings = RatingOut(many=True, help_text="The lead deputies' sign-offs.")
    communications = CommunicationOut(many=True)
    revisits = RevisitOut(many=True)
    timeline = EventOut(many=True)
    key = KeyOut(allow_null=True)
    signs_on_paper = serializers.BooleanField(
        help_text="The reader works for the lead unit: signs on the paper record instead."
    )
    actions = ActionOut(many=True)


def _merged_ref(s) -> dict:
    return {"id": s.pk, "number": s.number, "title": s.title, "lead_deputy": ref(s.lead_deputy)}


def _label(choices, value) -> str:
    return str(dict(choices).get(value, "")) if value else ""


def detail_data(detail, *, document_url, key, signs_on_paper, actions, steps) -> dict:
    """The status page's content (``selectors.status_detail``) as values."""
    s = detail.suggestion
    handling = detail.handling
    return {
        "id": s.pk,
        "number": s.number,
        "title": s.title,
        "content": s.content,
        "category": s.category,
        "raised_on": s.raised_on,
        "state": s.state,
        "state_label": s.get_state_display(),
        "round": s.round,
        "is_key": bool(s.is_key),
        "lead_deputy": ref(s.lead_deputy),
        "is_lead": detail.is_lead,
        "co_deputies": [ref(d) for d in detail.co_deputies],
        "status": status_data(detail.status),
        "stages": [
            {"label": str(x["label"]), "done": bool(x["done"]), "current": x["current"]}
            for x in detail.status.stages
        ],
        "signatures": signatures_data(steps),
        "handling": _merged_ref(handling) if handling.pk != s.pk else None,
        "merged": [_merged_ref(m) for m in detail.merged],
        "group_size": detail.group_size,
        "assignments": [
            {
                "id": a.pk,
                "unit": unit_ref(a.unit),
                "role": a.role,
                "role_label": a.get_role_display(),
                "assigned_on": a.assigned_on,
                "due_on": a.due_on,
                "original_due_on": a.original_due_on,
                "closed_on": a.closed_on,
                "close_reason": a.close_reason or "",
                "close_reason_label": _label(Assignment.CloseReason.choices, a.close_reason),
            }
            for a in detail.assignments
        ],
        "replies": [
            {
                "id": r.pk,
                "round": r.round,
                "unit": unit_ref(r.assignment.unit),
                "classification": r.classification,
                "classification_label": r.get_classification_display(),
                "text": r.text,
                "submitted_at": r.submitted_at,
                "on_time": r.on_time,
                "replaced": r.replaced,
                "document": document_url(r.pk),
                "commitments": [
                    {"id": c.pk, "text": c.text, "due_on": c.due_on} for c in r.commitments.all()
                ],
            }
            for r in detail.replies
        ],
        "ratings": [
            {
                "round": so.round,
                "deputy": ref(so.deputy),
                "signed_at": so.signed_at,
                "work_rating": so.work_rating,
                "work_rating_label": _label(SignOff.Rating.choices, so.work_rating),
                "result_rating": so.result_rating,
                "result_rating_label": _label(SignOff.Rating.choices, so.result_rating),
                "opinion": so.opinion,
                "dissatisfied": so.is_dissatisfied,
            }
            for so in detail.deputy_signoffs
        ],
        "communications": [
            {
                "id": c.pk,
                "unit": unit_ref(c.assignment.unit),
                "happened_on": c.happened_on,
                "stage": c.stage,
                "stage_label": c.get_stage_display(),
                "method": c.method,
                "method_label": c.get_method_display(),
                "notes": c.notes,
            }
            for c in detail.communications
        ],
        "revisits": [
            {
                "id": v.pk,
                "recorded_at": v.recorded_at,
                "notes": v.notes,
                "outcomes": [
                    {
                        "commitment": o.commitment.text,
                        "outcome": o.outcome,
                        "outcome_label": o.get_outcome_display(),
                    }
                    for o in v.outcomes.all()
                ],
            }
            for v in detail.revisits
        ],
        "timeline": detail.timeline,
        "key": key_data(key),
        "signs_on_paper": signs_on_paper,
        "actions": actions,
    }


def key_data(key) -> dict | None:
    if key is None:
        return None
    return {
        "year": key.year,
        "leader": key.leader.get_full_name() or key.leader.get_username(),
        "committee": key.committee,
        "inspections": [
            {
                "id": v.pk,
                "happened_on": v.happened_on,
                "kind": v.kind,
                "kind_label": v.get_kind_display(),
                "participants": v.participants,
                "deputies": [ref(d) for d in v.deputies.all()],
                "findings": v.findings,
                "next_steps": v.next_steps,
            }
            for v in key.inspections.all()
        ],
    }


class MySuggestionFilter(serializers.Serializer):
    """The list's filters (query parameters)."""

    state = enum(Suggestion.State, required=False, help_text="Only suggestions in this state.")
    year = serializers.IntegerField(
        required=False, min_value=1, max_value=9999, help_text="Raised in this year."
    )
    q = serializers.CharField(
        required=False, allow_blank=True, max_length=100, help_text="In the number or title."
    )
