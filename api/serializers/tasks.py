"""What the handling units' and the leaders' endpoints answer: the task list's rows and
tabs, a task's page (``selectors.task_detail``), the opinions referred to a unit. Each
field is one the same user's page shows, read from the same selector's objects."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from stations.models import Opinion
from suggestions import selectors, wording
from suggestions.models import Assignment, Communication, Inspection, Reply, SignOff, Suggestion

from .common import ActionOut, EventOut, UnitRef, enum


def user_name(user) -> str | None:
    if user is None:
        return None
    return user.get_full_name() or user.get_username()


def reply_document_url(reply_id: int) -> str:
    """The reply's signed document through the API (``api:reply-document``)."""
    return f"/api/v1/documents/replies/{reply_id}/"


class TaskStepOut(serializers.Serializer):
    """One signature of the handling record's line of three, as the pages draw it."""

    level = enum(SignOff.Level)
    text = serializers.CharField(help_text="The page's words: 代表 ✔ 满意/满意, 主要领导 …")
    signed = serializers.BooleanField()
    is_next = serializers.BooleanField()
    dissatisfied = serializers.BooleanField()


def signature_steps(suggestion) -> list[dict]:
    return [
        {
            "level": s.level,
            "text": s.text,
            "signed": s.signed,
            "is_next": s.is_next,
            "dissatisfied": s.dissatisfied,
        }
        for s in selectors.signoff_steps(suggestion)
    ]


# The task list.


class TaskSuggestionRef(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField(allow_blank=True)
    title = serializers.CharField()
    state = enum(Suggestion.State)
    state_label = serializers.CharField(source="get_state_display")
    round = serializers.IntegerField()
    lead_deputy = serializers.CharField(source="lead_deputy.name")


class TaskRowOut(serializers.Serializer):
    """A row of the task list (``selectors.task_rows``)."""

    id = serializers.IntegerField(help_text="The assignment's id.")
    role = enum(Assignment.Role)
    role_label = serializers.CharField(source="get_role_display")
    due_on = serializers.DateField()
    days_left = serializers.SerializerMethodField(
        help_text="Days until the deadline (negative: overdue) while the unit still owes "
        "its work; null otherwise."
    )
    days_left_label = serializers.SerializerMethodField()
    overdue = serializers.BooleanField(source="is_overdue")
    closed_on = serializers.DateField(allow_null=True)
    close_reason = serializers.SerializerMethodField()
    close_reason_label = serializers.SerializerMethodField()
    suggestion = TaskSuggestionRef()
    unit = UnitRef()
    handler = serializers.SerializerMethodField()
    signatures = serializers.SerializerMethodField()

    def get_days_left(self, row) -> int | None:
        if not row.is_pending:
            return None
        return (row.due_on - self.context["today"]).days

    def get_days_left_label(self, row) -> str | None:
        if not row.is_pending:
            return None
        return wording.deadline_words(row.due_on, self.context["today"])

    @extend_schema_field(enum(Assignment.CloseReason, allow_null=True))
    def get_close_reason(self, row):
        return row.close_reason or None

    def get_close_reason_label(self, row) -> str | None:
        return row.get_close_reason_display() if row.close_reason else None

    def get_handler(self, row) -> str | None:
        return user_name(row.handler)

    @extend_schema_field(TaskStepOut(many=True))
    def get_signatures(self, row):
        if row.closed_on is not None:
            return []  # the page shows the close reason instead
        return signature_steps(row.suggestion)


def task_row_data(row, *, today) -> dict:
    """``TaskRowOut(row, context={"today": today}).data`` built plainly: DRF's field by
    field work (a callable ``source`` inspected per row) was a third of the list's time."""
    suggestion, unit, pending, reason = row.suggestion, row.unit, row.is_pending, row.close_reason
    return {
        "id": row.pk,
        "role": row.role,
        "role_label": wording.choice_labels(Assignment.Role)[row.role],
        "due_on": row.due_on,
        "days_left": (row.due_on - today).days if pending else None,
        "days_left_label": wording.deadline_words(row.due_on, today) if pending else None,
        "overdue": bool(row.is_overdue),
        "closed_on": row.closed_on,
        "close_reason": reason or None,
        "close_reason_label": wording.choice_labels(Assignment.CloseReason)[reason]
        if reason
        else None,
        "suggestion": {
            "id": suggestion.pk,
            "number": suggestion.number,
            "title": suggestion.title,
            "state": suggestion.state,
            "state_label": wording.choice_labels(Suggestion.State)[suggestion.state],
            "round": suggestion.round,
            "lead_deputy": suggestion.lead_deputy.name,
        },
        "unit": {"id": unit.pk, "name": unit.name, "short_name": unit.short_name},
        "handler": user_name(row.handler),
        "signatures": [] if row.closed_on is not None else signature_steps(suggestion),
    }


class TabOut(serializers.Serializer):
    key = serializers.ChoiceField(choices=[selectors.SIGN_TAB, *selectors.TASK_TABS])
    label = serializers.CharField()
    count = serializers.IntegerField(
        allow_null=True, help_text="Only for the signature tab: what waits for the user."
    )


class TabsOut(serializers.Serializer):
    tabs = TabOut(many=True)
    default = serializers.CharField(help_text="The tab the page opens on.")
    waiting_for_signature = serializers.IntegerField()
    years = serializers.ListField(
        child=serializers.IntegerField(), help_text="The years of the `year` filter."
    )


# A task's page.


class DeputyContactOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    delegation = serializers.CharField()
    mobile = serializers.CharField(
        allow_null=True,
        allow_blank=True,
        help_text="Only for the members of a unit handling the suggestion now; null otherwise.",
    )


class TaskMergedOut(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField(allow_blank=True)
    title = serializers.CharField()
    lead_deputy = DeputyContactOut()
    co_deputies = serializers.ListField(child=serializers.CharField())


class TaskSuggestionOut(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField(allow_blank=True)
    title = serializers.CharField()
    state = enum(Suggestion.State)
    state_label = serializers.CharField()
    round = serializers.IntegerField()
    content = serializers.CharField()
    category = serializers.CharField(allow_blank=True)
    co_deputies = serializers.ListField(child=serializers.CharField())
    lead_deputy = DeputyContactOut()


class TaskAssignmentOut(serializers.Serializer):
    id = serializers.IntegerField()
    unit = UnitRef()
    role = enum(Assignment.Role)
    role_label = serializers.CharField()
    handler = serializers.CharField(allow_null=True)
    assigned_on = serializers.DateField()
    due_on = serializers.DateField()
    original_due_on = serializers.DateField()
    extended = serializers.BooleanField(help_text="The deadline was extended.")
    deadline_basis = serializers.CharField(allow_blank=True)
    days_left_label = serializers.CharField(allow_blank=True)
    overdue = serializers.BooleanField()
    reassignment_until = serializers.DateField(allow_null=True)
    reassignment_explanation = serializers.CharField(allow_null=True)
    closed_on = serializers.DateField(allow_null=True)
    close_reason = enum(Assignment.CloseReason, allow_null=True)


class CoOpinionOut(serializers.Serializer):
    text = serializers.CharField()
    submitted_at = serializers.DateTimeField()


class CoUnitOut(serializers.Serializer):
    assignment = serializers.IntegerField()
    unit = UnitRef()
    opinions = CoOpinionOut(many=True)


class TaskCommunicationOut(serializers.Serializer):
    id = serializers.IntegerField()
    unit = serializers.CharField()
    round = serializers.IntegerField()
    stage = enum(Communication.Stage)
    stage_label = serializers.CharField()
    method = enum(Communication.Method)
    method_label = serializers.CharField()
    happened_on = serializers.DateField()
    notes = serializers.CharField()
    recorded_by = serializers.CharField(allow_null=True)
    recorded_at = serializers.DateTimeField()


class TaskCommitmentOut(serializers.Serializer):
    text = serializers.CharField()
    due_on = serializers.DateField()


class TaskReplyOut(serializers.Serializer):
    id = serializers.IntegerField()
    round = serializers.IntegerField()
    classification = enum(Reply.Classification)
    classification_label = serializers.CharField()
    text = serializers.CharField()
    on_time = serializers.BooleanField()
    submitted_at = serializers.DateTimeField()
    document = serializers.CharField(help_text="The signed document (`api:reply-document`).")
    commitments = TaskCommitmentOut(many=True)


class SignOffOut(serializers.Serializer):
    round = serializers.IntegerField()
    level = enum(SignOff.Level)
    level_label = serializers.CharField()
    signer = serializers.CharField(allow_blank=True)
    work_rating = enum(SignOff.Rating, allow_blank=True)
    result_rating = enum(SignOff.Rating, allow_blank=True)
    opinion = serializers.CharField(allow_blank=True)
    signed_on = serializers.DateField()
    on_paper = serializers.BooleanField()


class ConditionOut(serializers.Serializer):
    met = serializers.BooleanField()
    code = serializers.CharField()
    text = serializers.CharField()


class TaskDetailOut(serializers.Serializer):
    """A task's page: the suggestion, the deputy's contact as the page shows it, the
    assignment's deadlines, the co-units' opinions, the records, and what the user may do
    now (``actions``: POST to each one's ``url``)."""

    suggestion = TaskSuggestionOut()
    assignment = TaskAssignmentOut()
    contact_shown = serializers.BooleanField()
    merged = TaskMergedOut(many=True)
    co_units = CoUnitOut(many=True)
    communications = TaskCommunicationOut(many=True)
    replies = TaskReplyOut(many=True)
    signoffs = SignOffOut(many=True)
    signatures = TaskStepOut(many=True)
    reply_conditions = ConditionOut(
        many=True, help_text="What the reply needs first, while the reply is open to the user."
    )
    timeline = EventOut(many=True)
    actions = ActionOut(many=True)


def _deputy(deputy, show: bool) -> dict:
    return {
        "id": deputy.pk,
        "name": deputy.name,
        "delegation": deputy.delegation,
        "mobile": deputy.mobile if show else None,
    }


def _until(items, closed_on, at):
    """The records up to the day a relieved unit was relieved (as the page keeps them)."""
    if closed_on is None:
        return list(items)
    return [i for i in items if timezone.localdate(at(i)) <= closed_on]


def task_detail_body(detail: selectors.TaskDetail, actions: list[dict]) -> dict:
    """The page's ``TaskDetail`` as ``TaskDetailOut``'s body."""
    a, s, show = detail.assignment, detail.suggestion, detail.show_contact
    communications = _until(
        Communication.objects.filter(assignment__suggestion=s)
        .select_related("assignment__unit", "recorded_by")
        .order_by("recorded_at", "pk"),
        a.closed_on,
        lambda c: c.recorded_at,
    )
    signoffs = _until(
        s.signoffs.select_related("signer", "deputy").order_by("signed_at", "pk"),
        a.closed_on,
        lambda o: o.signed_at,
    )
    # As the page: what a reply needs, said beside the reply's form while it is open.
    show_conditions = any(action["name"] == "reply" for action in actions)
    return {
        "suggestion": {
            "id": s.pk,
            "number": s.number,
            "title": s.title,
            "state": s.state,
            "state_label": s.get_state_display(),
            "round": s.round,
            "content": s.content,
            "category": s.category,
            "lead_deputy": _deputy(s.lead_deputy, show),
            "co_deputies": [d.name for d in s.co_deputies.all()],
        },
        "assignment": {
            "id": a.pk,
            "unit": a.unit,
            "role": a.role,
            "role_label": a.get_role_display(),
            "handler": user_name(a.handler),
            "assigned_on": a.assigned_on,
            "due_on": a.due_on,
            "original_due_on": a.original_due_on,
            "extended": a.due_on != a.original_due_on,
            "deadline_basis": detail.deadline_basis,
            "days_left_label": detail.days_left,
            "overdue": detail.overdue,
            "reassignment_until": detail.window.end if detail.window else None,
            "reassignment_explanation": detail.window.explanation if detail.window else None,
            "closed_on": a.closed_on,
            "close_reason": a.close_reason or None,
        },
        "contact_shown": show,
        "merged": [
            {
                "id": m.pk,
                "number": m.number,
                "title": m.title,
                "lead_deputy": _deputy(m.lead_deputy, show),
                "co_deputies": [d.name for d in m.co_deputies.all()],
            }
            for m in detail.merged
        ],
        "co_units": [
            {
                "assignment": co.pk,
                "unit": co.unit,
                "opinions": [
                    {"text": o.text, "submitted_at": o.submitted_at} for o in co.co_opinions.all()
                ],
            }
            for co in detail.co_assignments
        ],
        "communications": [
            {
                "id": c.pk,
                "unit": str(c.assignment.unit),
                "round": c.round,
                "stage": c.stage,
                "stage_label": c.get_stage_display(),
                "method": c.method,
                "method_label": c.get_method_display(),
                "happened_on": c.happened_on,
                "notes": c.notes,
                "recorded_by": user_name(c.recorded_by),
                "recorded_at": c.recorded_at,
            }
            for c in communications
        ],
        "replies": [
            {
                "id": r.pk,
                "round": r.round,
                "classification": r.classification,
                "classification_label": r.get_classification_display(),
                "text": r.text,
                "on_time": r.on_time,
                "submitted_at": r.submitted_at,
                "document": reply_document_url(r.pk),
                "commitments": [{"text": c.text, "due_on": c.due_on} for c in r.commitments.all()],
            }
            for r in detail.replies
        ],
        "signoffs": [
            {
                "round": o.round,
                "level": o.level,
                "level_label": o.get_level_display(),
                "signer": user_name(o.signer) or (o.deputy.name if o.deputy else ""),
                "work_rating": o.work_rating,
                "result_rating": o.result_rating,
                "opinion": o.opinion,
                "signed_on": o.signed_on,
                "on_paper": o.paper_id is not None,
            }
            for o in signoffs
        ],
        "signatures": signature_steps(s),
        "reply_conditions": [
            {"met": c.met, "code": c.code, "text": c.text}
            for c in (selectors.reply_conditions(assignment=a) if show_conditions else [])
        ],
        "timeline": detail.timeline,
        "actions": actions,
    }


# A key suggestion the user leads (领办).


class KeyVisitOut(serializers.Serializer):
    id = serializers.IntegerField()
    kind = enum(Inspection.Kind)
    kind_label = serializers.CharField(source="get_kind_display")
    happened_on = serializers.DateField()
    findings = serializers.CharField()


class TaskKeyOut(serializers.Serializer):
    """A key suggestion the user leads, with its visits, once a visit is recorded."""

    id = serializers.IntegerField()
    year = serializers.IntegerField()
    suggestion = TaskSuggestionRef()
    visits = KeyVisitOut(many=True, source="visits_shown")


# The opinions referred to a unit.


class TaskOpinionStepOut(serializers.Serializer):
    to = enum(Opinion.State)
    to_label = serializers.CharField(source="get_to_display")
    deputy = serializers.CharField(source="deputy.name", allow_null=True, default=None)
    unit = serializers.CharField(source="unit.name", allow_null=True, default=None)
    by = serializers.SerializerMethodField()
    notes = serializers.CharField(allow_blank=True)
    at = serializers.DateTimeField()

    def get_by(self, step) -> str | None:
        return user_name(step.by)


class OpinionRowOut(serializers.Serializer):
    """An opinion referred to the user's units, as /tasks/opinions/ lists it: the
    constituent's name and phone masked (a unit is not told who raised it)."""

    id = serializers.IntegerField()
    station = serializers.CharField(source="station.name")
    state = enum(Opinion.State)
    state_label = serializers.CharField(source="get_state_display")
    waiting = serializers.SerializerMethodField(help_text="It waits for the unit's answer.")
    matter = serializers.CharField()
    raised_on = serializers.DateField()
    unit = UnitRef(allow_null=True)
    name = serializers.SerializerMethodField(help_text="The constituent's name, masked for a unit.")
    phone = serializers.SerializerMethodField(help_text="The constituent's phone, masked.")
    refer_notes = serializers.CharField(allow_null=True)
    answer = serializers.CharField(allow_null=True)

    def get_waiting(self, opinion) -> bool:
        return opinion.state == Opinion.State.REFERRED

    def get_name(self, opinion) -> str:
        return self.context["contact"].shown(opinion)[0]

    def get_phone(self, opinion) -> str:
        return self.context["contact"].shown(opinion)[1]


class OpinionDetailOut(OpinionRowOut):
    recorded_at = serializers.DateTimeField()
    steps = TaskOpinionStepOut(many=True, source="steps_shown")
    actions = ActionOut(many=True, source="actions_open")
