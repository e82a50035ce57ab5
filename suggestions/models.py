"""The suggestion loop: units, suggestions, assignments, replies, sign-offs, revisits.

Business rules that change state live in ``services.py``; the transitions below only
set fields on the suggestion. Records marked append-only are never edited or deleted:
a correction is a new record.
"""

import datetime
import os
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description

from . import permissions


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete an append-only record."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError(f"{self.model.__name__} records are append-only")

    def delete(self):
        raise AppendOnlyError(f"{self.model.__name__} records are append-only")


class AppendOnlyModel(models.Model):
    """A record that is written once: never edited, never deleted."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(f"{type(self).__name__} records are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{type(self).__name__} records are append-only")


class HandlingUnit(models.Model):
    """A department (or court, procuratorate, enterprise) that handles suggestions."""

    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("Government department")
        COURT = "court", _("People's court")
        PROCURATORATE = "procuratorate", _("People's procuratorate")
        ENTERPRISE = "enterprise", _("Enterprise or public institution")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=100, unique=True)
    short_name = models.CharField(_("short name"), max_length=30, blank=True)
    kind = models.CharField(_("kind"), max_length=15, choices=Kind.choices, default=Kind.GOVERNMENT)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("supervising government leader"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supervised_units",
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("handling unit")
        verbose_name_plural = _("handling units")
        ordering = ["name"]

    def __str__(self):
        return self.name


class UnitMembership(models.Model):
    """Makes a user a clerk (or, with ``is_head``, the head) of a handling unit."""

    unit = models.ForeignKey(
        HandlingUnit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="unit_memberships",
    )
    is_head = models.BooleanField(_("unit head"), default=False)

    class Meta:
        verbose_name = _("unit membership")
        verbose_name_plural = _("unit memberships")
        constraints = [
            models.UniqueConstraint(fields=["unit", "user"], name="membership_unique_unit_user"),
        ]

    def __str__(self):
        return f"{self.user} @ {self.unit}"


class Suggestion(ConcurrentTransitionMixin, models.Model):
    """A deputy's suggestion (建议、批评和意见), with its lead deputy and co-signers."""

    class State(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        REVIEWED = "reviewed", _("Reviewed")
        ASSIGNED = "assigned", _("Assigned")
        HANDLED = "handled", _("Replied")
        SIGNED = "signed", _("Signed off")
        REVISITED = "revisited", _("Revisited (closed)")
        NOT_ACCEPTED = "not_accepted", _("Not accepted")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    term = models.PositiveSmallIntegerField(_("term"))
    session = models.PositiveSmallIntegerField(_("session"))
    number = models.CharField(_("number"), max_length=30, blank=True)
    title = models.CharField(_("title"), max_length=200)
    content = models.TextField(_("content"))
    category = models.CharField(_("category"), max_length=50, blank=True)
    delegation = models.CharField(_("delegation"), max_length=50, blank=True)
    lead_deputy = models.ForeignKey(
        "deputies.Deputy",
        verbose_name=_("lead deputy"),
        on_delete=models.PROTECT,
        related_name="led_suggestions",
    )
    co_deputies = models.ManyToManyField(
        "deputies.Deputy",
        verbose_name=_("co-signing deputies"),
        blank=True,
        related_name="co_signed_suggestions",
    )
    raised_on = models.DateField(_("raised on"), default=timezone.localdate)
    state = FSMField(
        _("state"), max_length=20, choices=State.choices, default=State.PROPOSED, protected=True
    )
    # The handling round: 0 before assignment, 1 at assignment, +1 for every redo ordered.
    round = models.PositiveSmallIntegerField(_("handling round"), default=0, editable=False)
    complex = models.BooleanField(_("complex"), default=False, editable=False)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_suggestions",
        help_text=_("Suggestions on one matter handled together (并案)."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")
        ordering = ["-term", "-session", "-raised_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["term", "session", "number"],
                condition=~Q(number=""),
                name="suggestion_unique_number_per_session",
            ),
        ]
        indexes = [
            models.Index(fields=["state"], name="suggestion_state_idx"),
            # The reminder sweep reads the suggestions still in handling (a small part of
            # them all) by state, with their ids, rounds and lead deputies from the index.
            models.Index(
                fields=["state", "id", "round", "lead_deputy"],
                condition=Q(state__in=["assigned", "handled", "signed"]),
                name="suggestion_in_handling_idx",
            ),
            # The ledger's default order (the admin's first page without a sort) and the
            # term filter's choices; session and category for their filters' choices.
            models.Index(
                fields=["-term", "-session", "-raised_on", "-id"], name="suggestion_ledger_idx"
            ),
            models.Index(fields=["session"], name="suggestion_session_idx"),
            models.Index(fields=["category"], name="suggestion_category_idx"),
        ]

    def __str__(self):
        if self.number:
            return _("No. %(number)s %(title)s") % {"number": self.number, "title": self.title}
        return self.title

    def get_absolute_url(self):
        return reverse("admin:suggestions_suggestion_change", args=[self.pk])

    @property
    def counts_in_rates(self) -> bool:
        """Withdrawn, not accepted and merged-away suggestions stay out of every rate."""
        return self.merged_into_id is None and self.state not in (
            self.State.WITHDRAWN,
            self.State.NOT_ACCEPTED,
        )

    def open_assignments(self):
        return self.assignments.filter(closed_on__isnull=True)

    def lead_assignment(self):
        return self.open_assignments().filter(role=Assignment.Role.LEAD).first()

    def current_reply(self):
        return self.replies.filter(round=self.round).first()

    # Conditions: each has a ``message`` that the services raise when it fails.

    def _has_lead_reply(self) -> bool:
        return self.replies.filter(round=self.round).exists()

    _has_lead_reply.message = _("The lead unit has not replied in this round.")

    def _has_three_signoffs(self) -> bool:
        return self.signoffs.filter(round=self.round).count() == len(SignOff.Level)

    _has_three_signoffs.message = _(
        "The handling record needs the deputy's, the unit head's and the leader's sign-offs."
    )

    def _commitments_checked(self) -> bool:
        reply = self.current_reply()
        if reply is None:
            return False
        revisit = self.revisits.filter(reply=reply).first()
        if revisit is None:
            return False
        return not reply.commitments.exclude(revisit_outcomes__revisit=revisit).exists()

    _commitments_checked.message = _("Every commitment of the reply must be checked.")

    # Transitions: each only sets fields; services save, record and notify.

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=State.PROPOSED,
        target=State.REVIEWED,
        permission=permissions.can_review,
    )
    def approve(self, by=None, description=None):
        pass

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=State.PROPOSED,
        target=State.PROPOSED,
        permission=permissions.can_review,
    )
    def return_for_revision(self, by=None, description=None):
        pass

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=State.PROPOSED,
        target=State.NOT_ACCEPTED,
        permission=permissions.can_review,
    )
    def reject(self, by=None, description=None):
        pass

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=[State.PROPOSED, State.REVIEWED],
        target=State.WITHDRAWN,
        permission=permissions.can_manage,
    )
    def withdraw(self, by=None, description=None):
        pass

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=State.REVIEWED,
        target=State.ASSIGNED,
        permission=permissions.can_manage,
    )
    def assign(self, by=None, description=None, complex=False):
        self.round = 1
        self.complex = complex

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=State.ASSIGNED,
        target=State.ASSIGNED,
        permission=permissions.can_manage,
    )
    def reassign(self, by=None, description=None):
        pass

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=State.ASSIGNED,
        target=State.ASSIGNED,
        permission=permissions.can_manage,
    )
    def extend(self, by=None, description=None):
        # An extension is how a suggestion found complex during handling gets its time.
        self.complex = True

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=State.ASSIGNED,
        target=State.HANDLED,
        permission=permissions.can_reply,
        conditions=[_has_lead_reply],
    )
    def reply(self, by=None, description=None):
        pass

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=State.HANDLED,
        target=State.SIGNED,
        permission=permissions.can_sign_last,
        conditions=[_has_three_signoffs],
    )
    def sign(self, by=None, description=None):
        pass

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=[State.HANDLED, State.SIGNED],
        target=State.ASSIGNED,
        permission=permissions.can_manage,
    )
    def order_redo(self, by=None, description=None):
        self.round += 1

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=State.SIGNED,
        target=State.REVISITED,
        permission=permissions.can_manage,
        conditions=[_commitments_checked],
    )
    def revisit(self, by=None, description=None):
        pass


class NumberSequence(models.Model):
    """The last serial number given per congress term and session."""

    term = models.PositiveSmallIntegerField()
    session = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["term", "session"], name="numbersequence_unique"),
        ]

    def __str__(self):
        return f"{self.term}-{self.session}: {self.last}"


class Assignment(models.Model):
    """One suggestion given to one unit (交办), with that unit's own deadline."""

    class Role(models.TextChoices):
        LEAD = "lead", _("Lead")
        CO = "co", _("Co-handler")

    class CloseReason(models.TextChoices):
        REASSIGNED = "reassigned", _("Reassigned")

    suggestion = models.ForeignKey(
        Suggestion,
        verbose_name=_("suggestion"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    unit = models.ForeignKey(
        HandlingUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="assignments"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    assigned_on = models.DateField(_("assigned on"))
    due_on = models.DateField(_("due on"))
    original_due_on = models.DateField(_("original due date"))
    # How ``due_on`` was computed, for the task page: {"rule": ..., "from": ..., ...}.
    due_basis = models.JSONField(_("deadline basis"), default=dict, editable=False)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    close_reason = models.CharField(
        _("close reason"), max_length=20, choices=CloseReason.choices, blank=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["suggestion"],
                condition=Q(role="lead", closed_on__isnull=True),
                name="assignment_one_open_lead",
            ),
            models.UniqueConstraint(
                fields=["suggestion", "unit"],
                condition=Q(closed_on__isnull=True),
                name="assignment_one_open_per_unit",
            ),
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("assigned_on")),
                name="assignment_due_after_assigned",
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "due_on"], name="assignment_unit_due_idx"),
            models.Index(
                fields=["due_on"],
                condition=Q(closed_on__isnull=True),
                name="assignment_open_due_idx",
            ),
        ]

    def __str__(self):
        return f"{self.suggestion} → {self.unit}（{self.get_role_display()}）"

    @property
    def is_open(self) -> bool:
        return self.closed_on is None

    @property
    def is_extended(self) -> bool:
        """Whether the current deadline is an approved extension (not a redo's deadline)."""
        return self.due_basis.get("rule") == "extension"

    def days_left(self, today: datetime.date | None = None) -> int:
        return (self.due_on - (today or timezone.localdate())).days


class UnitRequest(models.Model):
    """A unit's request that the staff approve or reject: its reason and its decision."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    reason = models.TextField(_("reason"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    decision = models.CharField(
        _("decision"), max_length=10, choices=Decision.choices, default=Decision.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-requested_at"]


class ReassignmentRequest(UnitRequest):
    """A unit's request to be relieved of an assignment, with its reason."""

    assignment = models.ForeignKey(
        Assignment,
        verbose_name=_("assignment"),
        on_delete=models.PROTECT,
        related_name="reassignment_requests",
    )

    class Meta(UnitRequest.Meta):
        verbose_name = _("reassignment request")
        verbose_name_plural = _("reassignment requests")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment"],
                condition=Q(decision="pending"),
                name="reassignment_one_pending",
            ),
        ]

    def __str__(self):
        return _("Reassignment request for %(assignment)s") % {"assignment": self.assignment}


class ExtensionRequest(UnitRequest):
    """A lead unit's request for a later deadline, for a suggestion found complex."""

    assignment = models.ForeignKey(
        Assignment,
        verbose_name=_("assignment"),
        on_delete=models.PROTECT,
        related_name="extension_requests",
    )
    until = models.DateField(_("requested deadline"))

    class Meta(UnitRequest.Meta):
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment"],
                condition=Q(decision="pending"),
                name="extension_one_pending",
            ),
        ]

    def __str__(self):
        return _("Extension request for %(assignment)s") % {"assignment": self.assignment}


class Communication(AppendOnlyModel):
    """A documented contact with the deputy, before, during or after handling. Append-only."""

    class Stage(models.TextChoices):
        BEFORE = "before", _("Before handling")
        DURING = "during", _("During handling")
        AFTER = "after", _("After handling")

    class Method(models.TextChoices):
        VISIT = "visit", _("Visit in person")
        MEETING = "meeting", _("Meeting or forum")
        PHONE = "phone", _("Telephone")
        SITE = "site", _("Site inspection")
        WRITTEN = "written", _("In writing")
        ONLINE = "online", _("Online")

    assignment = models.ForeignKey(
        Assignment,
        verbose_name=_("assignment"),
        on_delete=models.PROTECT,
        related_name="communications",
    )
    round = models.PositiveSmallIntegerField(_("handling round"))
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices)
    method = models.CharField(_("method"), max_length=10, choices=Method.choices)
    happened_on = models.DateField(_("date"))
    notes = models.TextField(_("notes"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("communication")
        verbose_name_plural = _("communications")
        ordering = ["happened_on", "pk"]

    def __str__(self):
        return f"{self.get_stage_display()} {self.get_method_display()} {self.happened_on}"


class CoOpinion(AppendOnlyModel):
    """A co-handling unit's opinion for the lead unit. Append-only."""

    assignment = models.ForeignKey(
        Assignment,
        verbose_name=_("assignment"),
        on_delete=models.PROTECT,
        related_name="co_opinions",
    )
    text = models.TextField(_("opinion"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)

    class Meta:
        verbose_name = _("co-handler's opinion")
        verbose_name_plural = _("co-handlers' opinions")
        ordering = ["submitted_at", "pk"]

    def __str__(self):
        return _("Opinion of %(unit)s") % {"unit": self.assignment.unit}


def reply_document_path(instance, filename):
    # A random name: the file is only reachable through a view that checks access.
    ext = os.path.splitext(filename)[1].lower()[:10]
    return f"replies/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}{ext}"


class Reply(AppendOnlyModel):
    """The lead unit's formal answer (答复) for one handling round. Append-only."""

    class Classification(models.TextChoices):
        A = "A", _("A: solved or mostly solved")
        B = "B", _("B: being solved or scheduled")
        C = "C", _("C: cannot be solved now, explained")
        D = "D", _("D: kept for reference")

    suggestion = models.ForeignKey(
        Suggestion, verbose_name=_("suggestion"), on_delete=models.PROTECT, related_name="replies"
    )
    assignment = models.ForeignKey(
        Assignment, verbose_name=_("assignment"), on_delete=models.PROTECT, related_name="replies"
    )
    round = models.PositiveSmallIntegerField(_("handling round"))
    classification = models.CharField(
        _("classification"), max_length=1, choices=Classification.choices
    )
    text = models.TextField(_("reply text"))
    document = models.FileField(_("signed reply document"), upload_to=reply_document_path)
    # Frozen when the reply is submitted, never recomputed.
    due_on = models.DateField(_("deadline at reply"))
    on_time = models.BooleanField(_("on time"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)

    class Meta:
        verbose_name = _("reply")
        verbose_name_plural = _("replies")
        ordering = ["round"]
        constraints = [
            models.UniqueConstraint(fields=["suggestion", "round"], name="reply_one_per_round"),
        ]

    def __str__(self):
        return _("Reply %(classification)s to %(suggestion)s (round %(round)s)") % {
            "classification": self.classification,
            "suggestion": self.suggestion,
            "round": self.round,
        }

    @property
    def needs_commitments(self) -> bool:
        return self.classification in (self.Classification.B, self.Classification.C)


class Commitment(AppendOnlyModel):
    """A promise made in a B or C reply, checked at the revisit. Append-only."""

    reply = models.ForeignKey(
        Reply, verbose_name=_("reply"), on_delete=models.PROTECT, related_name="commitments"
    )
    text = models.TextField(_("commitment"))
    due_on = models.DateField(_("due on"))

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["due_on", "pk"]

    def __str__(self):
        return f"{self.text[:30]}（{self.due_on}）"


class SignOff(AppendOnlyModel):
    """One of the three signatures on the handling record. Append-only."""

    class Level(models.TextChoices):
        DEPUTY = "deputy", _("Deputy")
        UNIT_HEAD = "unit_head", _("Unit head")
        LEADER = "leader", _("Government leader")

    class Rating(models.TextChoices):
        SATISFIED = "satisfied", _("Satisfied")
        BASICALLY_SATISFIED = "basically_satisfied", _("Basically satisfied")
        DISSATISFIED = "dissatisfied", _("Dissatisfied")

    suggestion = models.ForeignKey(
        Suggestion, verbose_name=_("suggestion"), on_delete=models.PROTECT, related_name="signoffs"
    )
    reply = models.ForeignKey(
        Reply, verbose_name=_("reply"), on_delete=models.PROTECT, related_name="signoffs"
    )
    round = models.PositiveSmallIntegerField(_("handling round"))
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    signed_at = models.DateTimeField(_("signed at"), default=timezone.now)
    opinion = models.TextField(_("opinion"), blank=True)
    work_rating = models.CharField(
        _("rating of the handling work"), max_length=20, choices=Rating.choices, blank=True
    )
    result_rating = models.CharField(
        _("rating of the result"), max_length=20, choices=Rating.choices, blank=True
    )

    class Meta:
        verbose_name = _("sign-off")
        verbose_name_plural = _("sign-offs")
        ordering = ["round", "signed_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["suggestion", "round", "level"], name="signoff_one_per_level_per_round"
            ),
            # The deputy rates both the work and the result; the others rate nothing.
            models.CheckConstraint(
                condition=(Q(level="deputy") & ~Q(work_rating="") & ~Q(result_rating=""))
                | (~Q(level="deputy") & Q(work_rating="") & Q(result_rating="")),
                name="signoff_ratings_only_for_deputy",
            ),
        ]

    def __str__(self):
        return f"{self.get_level_display()} {self.signed_by} {self.signed_at:%Y-%m-%d}"

    @property
    def is_dissatisfied(self) -> bool:
        return self.Rating.DISSATISFIED in (self.work_rating, self.result_rating)


class Redo(AppendOnlyModel):
    """Handling ordered again within a time limit (限时重办). Append-only."""

    class Grounds(models.TextChoices):
        DISSATISFIED = "dissatisfied", _("Deputy dissatisfied")
        NONCONFORMING = "nonconforming", _("Reply does not conform")

    suggestion = models.ForeignKey(
        Suggestion, verbose_name=_("suggestion"), on_delete=models.PROTECT, related_name="redos"
    )
    unit = models.ForeignKey(
        HandlingUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="redos"
    )
    round = models.PositiveSmallIntegerField(_("new handling round"))
    grounds = models.CharField(_("grounds"), max_length=15, choices=Grounds.choices)
    reason = models.TextField(_("reason"))
    due_on = models.DateField(_("redo deadline"))
    ordered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ordered by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    ordered_at = models.DateTimeField(_("ordered at"), default=timezone.now)

    class Meta:
        verbose_name = _("redo order")
        verbose_name_plural = _("redo orders")
        ordering = ["round"]
        constraints = [
            models.UniqueConstraint(fields=["suggestion", "round"], name="redo_one_per_round"),
        ]

    def __str__(self):
        return _("Redo of %(suggestion)s (round %(round)s)") % {
            "suggestion": self.suggestion,
            "round": self.round,
        }


class Revisit(AppendOnlyModel):
    """The follow-up that checks a reply's commitments were kept (回头看). Append-only."""

    suggestion = models.ForeignKey(
        Suggestion, verbose_name=_("suggestion"), on_delete=models.PROTECT, related_name="revisits"
    )
    reply = models.ForeignKey(
        Reply, verbose_name=_("reply"), on_delete=models.PROTECT, related_name="revisits"
    )
    notes = models.TextField(_("notes"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("revisit")
        verbose_name_plural = _("revisits")
        ordering = ["recorded_at"]
        constraints = [
            models.UniqueConstraint(fields=["reply"], name="revisit_one_per_reply"),
        ]

    def __str__(self):
        return _("Revisit of %(suggestion)s") % {"suggestion": self.suggestion}


class RevisitOutcome(AppendOnlyModel):
    """What the revisit found for one commitment. Append-only."""

    class Outcome(models.TextChoices):
        KEPT = "kept", _("Kept")
        PARTLY_KEPT = "partly_kept", _("Partly kept")
        NOT_KEPT = "not_kept", _("Not kept")

    revisit = models.ForeignKey(
        Revisit, verbose_name=_("revisit"), on_delete=models.PROTECT, related_name="outcomes"
    )
    commitment = models.ForeignKey(
        Commitment,
        verbose_name=_("commitment"),
        on_delete=models.PROTECT,
        related_name="revisit_outcomes",
    )
    outcome = models.CharField(_("outcome"), max_length=15, choices=Outcome.choices)

    class Meta:
        verbose_name = _("revisit outcome")
        verbose_name_plural = _("revisit outcomes")
        constraints = [
            models.UniqueConstraint(
                fields=["revisit", "commitment"], name="revisitoutcome_one_per_commitment"
            ),
        ]

    def __str__(self):
        return f"{self.commitment}: {self.get_outcome_display()}"


class WorkdayOverride(models.Model):
    """A day the official calendar treats differently: a holiday, or a make-up workday (调休).

    Staff add the State Council's arrangement for a year the ``holidays`` package does not
    know yet; an override always wins over the package.
    """

    date = models.DateField(_("date"), unique=True)
    is_workday = models.BooleanField(
        _("working day"), help_text=_("Ticked: a working day (e.g. a make-up Saturday).")
    )
    note = models.CharField(_("note"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date} {self.note}"


class Reminder(models.Model):
    """One reminder to one person. The unique key makes each reminder go out at most once.

    A sweep inserts the reminders it finds due; a second sweep, or two at once, finds the
    rows already there and inserts nothing. ``sent_at`` is set once the e-mail is out.
    """

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("Deadline approaching")
        DUE_TODAY = "due_today", _("Deadline today")
        OVERDUE = "overdue", _("Overdue")
        SIGNOFF_WAITING = "signoff_waiting", _("Sign-off waiting")
        REVISIT_DUE = "revisit_due", _("Revisit due")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    suggestion = models.ForeignKey(
        Suggestion, verbose_name=_("suggestion"), on_delete=models.CASCADE, related_name="reminders"
    )
    assignment = models.ForeignKey(
        Assignment,
        verbose_name=_("assignment"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminders",
    )
    # What the reminder is about: "assignment:12" or "suggestion:5", so the key has no NULL.
    target = models.CharField(_("target"), max_length=40)
    # The date the reminder is keyed on: the deadline, or the start of an overdue cycle.
    due_on = models.DateField(_("due date"))
    # Days before the deadline (negative: days overdue; for sign-offs: days waited).
    days = models.SmallIntegerField(_("days"), default=0)
    sweep = models.UUIDField(editable=False, db_index=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["target", "kind"], name="reminder_target_kind_idx"),
            # The revisit rule: which signed suggestions were reminded, and of which date.
            models.Index(
                fields=["suggestion", "due_on"],
                condition=Q(kind="revisit_due"),
                name="reminder_revisit_due_idx",
            ),
        ]
        constraints = [
            # ``days`` tells apart the 15-, 7-, 3- and 1-day reminders of one deadline.
            models.UniqueConstraint(
                fields=["recipient", "kind", "target", "due_on", "days"],
                name="reminder_unique_key",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.recipient} ({self.due_on})"


class KeySuggestion(models.Model):
    """A suggestion chosen for key supervision (重点督办) in a year, led by a government leader.

    The inspection visits and the progress board come with the key-suggestion issue.
    """

    suggestion = models.OneToOneField(
        Suggestion,
        verbose_name=_("suggestion"),
        on_delete=models.PROTECT,
        related_name="key",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("leading government leader"),
        on_delete=models.PROTECT,
        related_name="led_key_suggestions",
    )
    committee = models.CharField(_("supervising committee"), max_length=100, blank=True)
    chosen_on = models.DateField(_("chosen on"), default=timezone.localdate)

    class Meta:
        verbose_name = _("key suggestion")
        verbose_name_plural = _("key suggestions")
        ordering = ["-year", "suggestion"]

    def __str__(self):
        return f"{self.year} {self.suggestion}"


class Notification(models.Model):
    """One in-app notice to one user: a new assignment, a redo ordered, a reminder."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=30)
    text = models.CharField(_("text"), max_length=300)
    suggestion = models.ForeignKey(
        Suggestion,
        verbose_name=_("suggestion"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    assignment = models.ForeignKey(
        Assignment,
        verbose_name=_("assignment"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["recipient"],
                condition=Q(read_at__isnull=True),
                name="notification_unread_idx",
            ),
        ]

    def __str__(self):
        return f"{self.recipient}: {self.text[:40]}"
