"""What the committee office's read-only endpoints answer (``api.views.staff``): the
ledger's rows (the admin changelist's columns, from ``suggestions_ledger``'s
annotations), one suggestion as the admin's page shows it, the assessment's rows and the
dashboard's figures. No deputy's phone anywhere: the ledger and its exports never carry
one."""

from rest_framework import serializers

from reports.selectors.dashboard import MEASURES
from reports.selectors.rows import CASE_KINDS, RATES
from suggestions.models import Assignment, Redo, Reply, SignOff, Suggestion

from .common import ActionOut, EventOut, Ref, enum, label


class LedgerDeputyOut(Ref):
    delegation = serializers.CharField(allow_blank=True)


class LedgerMainOut(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField(allow_blank=True)
    title = serializers.CharField()


class LedgerRow(serializers.Serializer):
    """A row of the admin's ledger (``SuggestionAdmin.list_display``)."""

    id = serializers.IntegerField()
    number = serializers.CharField(allow_blank=True)
    term = serializers.IntegerField()
    session = serializers.IntegerField()
    title = serializers.CharField()
    category = serializers.CharField(allow_blank=True)
    raised_on = serializers.DateField()
    state = enum(Suggestion.State)
    state_label = serializers.CharField()
    lead_deputy = LedgerDeputyOut()
    lead_unit = serializers.CharField(allow_null=True, help_text="The open lead assignment's unit.")
    due_on = serializers.DateField(allow_null=True, help_text="The lead unit's deadline.")
    original_due_on = serializers.DateField(allow_null=True)
    days_left = serializers.CharField(
        allow_null=True, help_text="While the reply is awaited: 剩 N 天, 今日到期, 逾期 N 天."
    )
    overdue = serializers.BooleanField(help_text="Assigned and past the lead unit's deadline.")
    reply_class = enum(Reply.Classification, allow_null=True, help_text="The current reply's.")
    reply_on_time = serializers.BooleanField(
        allow_null=True, help_text="Whether the current round's reply came on time."
    )
    work_rating = enum(SignOff.Rating, allow_null=True, help_text="The lead deputy's.")
    work_rating_label = serializers.CharField(allow_null=True)
    result_rating = enum(SignOff.Rating, allow_null=True)
    result_rating_label = serializers.CharField(allow_null=True)
    key = serializers.BooleanField(help_text="A key suggestion (重点督办).")
    raised_before = serializers.BooleanField(help_text="多年提: raised in earlier years.")
    raised_by_several = serializers.BooleanField(help_text="多位代表提.")
    merged_into = LedgerMainOut(
        allow_null=True, help_text="The main suggestion it was merged into."
    )
    merged_count = serializers.IntegerField(help_text="How many are merged into this one.")


class LedgerAssignmentOut(serializers.Serializer):
    id = serializers.IntegerField()
    unit = Ref()
    role = enum(Assignment.Role)
    role_label = serializers.CharField()
    assigned_on = serializers.DateField()
    due_on = serializers.DateField()
    original_due_on = serializers.DateField()
    closed_on = serializers.DateField(allow_null=True)
    close_reason = enum(Assignment.CloseReason, allow_null=True)


class LedgerEventOut(EventOut):
    ref = serializers.IntegerField(allow_null=True, help_text="Another suggestion it is about.")


class LedgerReplyOut(serializers.Serializer):
    id = serializers.IntegerField()
    round = serializers.IntegerField()
    unit = Ref(source="assignment.unit")
    classification = enum(Reply.Classification)
    classification_label = label("get_classification_display")
    text = serializers.CharField()
    due_on = serializers.DateField()
    on_time = serializers.BooleanField()
    submitted_by = serializers.CharField(source="submitted_by_name")
    submitted_at = serializers.DateTimeField()


class LedgerSignOffOut(serializers.Serializer):
    id = serializers.IntegerField()
    round = serializers.IntegerField()
    level = enum(SignOff.Level)
    level_label = serializers.CharField()
    signer = serializers.CharField(allow_null=True, help_text="Who signed (a user).")
    deputy = Ref(allow_null=True, help_text="The deputy who signed (deputy level).")
    signed_on = serializers.DateField()
    opinion = serializers.CharField(allow_blank=True)
    work_rating = enum(SignOff.Rating, allow_null=True)
    result_rating = enum(SignOff.Rating, allow_null=True)
    on_paper = serializers.BooleanField(help_text="Signed on a paper record the office verified.")


class LedgerDetail(LedgerRow):
    content = serializers.CharField()
    delegation = serializers.CharField(allow_blank=True)
    round = serializers.IntegerField()
    complex = serializers.BooleanField()
    created_at = serializers.DateTimeField()
    co_deputies = LedgerDeputyOut(many=True)
    assignments = LedgerAssignmentOut(many=True)
    timeline = LedgerEventOut(many=True)
    replies = LedgerReplyOut(many=True)
    signoffs = LedgerSignOffOut(many=True)
    redo_eligible = serializers.BooleanField(help_text="The office may order a redo.")
    awaiting_redo_decision = serializers.BooleanField(help_text="Decide: redo or accept.")
    revisit_due_on = serializers.DateField(allow_null=True)
    actions = ActionOut(many=True, help_text="The office's actions open now (POST to url).")


# The assessment.


class RateOut(serializers.Serializer):
    rate = serializers.ChoiceField(choices=list(RATES))
    label = serializers.CharField()
    numerator = serializers.IntegerField()
    denominator = serializers.IntegerField()
    percent = serializers.FloatField(allow_null=True, help_text="Null when nothing was counted.")


class RedoCount(serializers.Serializer):
    grounds = enum(Redo.Grounds)
    label = serializers.CharField()
    count = serializers.IntegerField()


class DeductionOut(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[*CASE_KINDS, "manual"])
    label = serializers.CharField()
    count = serializers.IntegerField()
    points = serializers.FloatField()


class ManualOut(serializers.Serializer):
    points = serializers.FloatField()
    reason = serializers.CharField()
    on = serializers.DateField()


class AssessmentRow(serializers.Serializer):
    unit = Ref()
    rank = serializers.IntegerField(help_text="Among all units.")
    lead_count = serializers.IntegerField()
    co_count = serializers.IntegerField()
    rates = RateOut(many=True)
    redos = RedoCount(many=True)
    redo_total = serializers.IntegerField()
    reassigned_count = serializers.IntegerField()
    dissatisfied_count = serializers.IntegerField()
    not_kept_count = serializers.IntegerField()
    deductions = DeductionOut(many=True)
    manual = ManualOut(many=True, help_text="The office's own deductions, with their reasons.")
    deducted = serializers.FloatField()
    score = serializers.FloatField()


class AverageOut(serializers.Serializer):
    rate = serializers.ChoiceField(choices=list(RATES))
    label = serializers.CharField()
    percent = serializers.FloatField(allow_null=True)


class AssessmentOut(serializers.Serializer):
    year = serializers.IntegerField()
    closed = serializers.BooleanField(help_text="Closed: the figures are frozen.")
    closed_at = serializers.DateTimeField(allow_null=True)
    closed_by = serializers.CharField(allow_null=True)
    rows = AssessmentRow(many=True, help_text="In rank order; a leader's units only.")
    averages = AverageOut(many=True, help_text="Each rate's mean over all units.")


# The dashboard.


class CountOut(serializers.Serializer):
    count = serializers.IntegerField()
    label = serializers.CharField()


class StateCount(CountOut):
    state = enum(Suggestion.State)


class RatingCount(CountOut):
    rating = enum(SignOff.Rating)


class Waiting(serializers.Serializer):
    deputy = serializers.IntegerField()
    unit_head = serializers.IntegerField()
    leader = serializers.IntegerField()


class UnitQueueOut(serializers.Serializer):
    unit = Ref()
    overdue = serializers.IntegerField()
    due_soon = serializers.IntegerField()
    waiting = Waiting(help_text="Lead replies waiting for each signature level.")


class Satisfaction(serializers.Serializer):
    work = RatingCount(many=True)
    result = RatingCount(many=True)


class TrendOut(serializers.Serializer):
    measure = serializers.ChoiceField(choices=list(MEASURES))
    label = serializers.CharField()
    this_year = serializers.ListField(child=serializers.IntegerField(), help_text="12 months.")
    previous_year = serializers.ListField(child=serializers.IntegerField())


class DashboardOut(serializers.Serializer):
    year = serializers.IntegerField()
    today = serializers.DateField()
    scope = serializers.ChoiceField(
        choices=["office", "leader"], help_text="The office's, or a leader's of their units."
    )
    total = serializers.IntegerField(help_text="Suggestions raised in the year.")
    overdue = serializers.IntegerField(help_text="Today, whatever the year.")
    due_soon = serializers.IntegerField(help_text="Due within 7 days, today.")
    states = StateCount(many=True, help_text="The year's suggestions by state.")
    units = UnitQueueOut(many=True, help_text="The units with open work, most overdue first.")
    waiting = Waiting(help_text="Handling records waiting for each signature level, today.")
    satisfaction = Satisfaction(help_text="The deputies' ratings signed in the year.")
    key_stages = StateCount(many=True, help_text="The year's key suggestions by state.")
    trends = TrendOut(many=True, help_text="Per month, the year against the one before.")
    redo_decision = serializers.IntegerField(
        allow_null=True, help_text="Decide: redo or accept (the office's only)."
    )
    revisits_due = serializers.IntegerField(allow_null=True, help_text="The office's only.")
