"""The suggestion and its lifecycle (django-fsm-2 on ``Suggestion.state``).

The transitions below only set fields on the suggestion; the services in
``suggestions.services`` lock, check, save, record and notify. Each transition carries
its words (``custom``): the verb a refusal uses and what the timeline says once it
happened. The actions users take (their labels, forms and services) are the action
table's (``suggestions.actions``).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, ConcurrentTransitionMixin, FSMField, transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description

from .. import permissions
from .assignment import Assignment
from .signoff import SignOff


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
        MERGED = "merged", _("Merged")

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
    # The state a merged suggestion had before its merge, which an unmerge gives back.
    state_before_merge = models.CharField(
        _("state before the merge"), max_length=20, blank=True, editable=False
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
            # The assessment joins a year's records to their suggestion for its state and
            # round: read from the index alone (PostgreSQL; elsewhere a plain index on id).
            models.Index(
                fields=["id"], include=["state", "round"], name="suggestion_state_round_idx"
            ),
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
            self.State.MERGED,
        )

    @property
    def main(self) -> "Suggestion":
        """The suggestion whose handling answers this one: itself, or the one it was merged
        into."""
        return self.merged_into if self.merged_into_id else self

    def group_lead_deputy_ids(self) -> list[int]:
        """The lead deputies who sign for this (main) suggestion: its own, then those of the
        suggestions merged into it, each once, in the order they were merged. Read once per
        instance (the merge services forget it)."""
        if "_npc_group" in self.__dict__:
            return self.__dict__["_npc_group"]
        ids = [self.lead_deputy_id]
        for deputy_id in (
            Suggestion.objects.filter(merged_into=self, state=self.State.MERGED)
            .order_by("pk")
            .values_list("lead_deputy_id", flat=True)
        ):
            if deputy_id not in ids:
                ids.append(deputy_id)
        self.__dict__["_npc_group"] = ids
        return ids

    def levels_signed(self, signoffs=None) -> set[str]:
        """The levels signed in the current round. The deputy level counts once every lead
        deputy of the group has signed. ``signoffs``: (level, deputy id) pairs of the round,
        when the caller has them."""
        if signoffs is None:
            signoffs = self.signoffs.filter(round=self.round).values_list("level", "deputy_id")
        levels, deputies = set(), set()
        for level, deputy_id in signoffs:
            if level == SignOff.Level.DEPUTY:
                deputies.add(deputy_id)
            else:
                levels.add(level)
        if deputies and deputies.issuperset(self.group_lead_deputy_ids()):
            levels.add(SignOff.Level.DEPUTY)
        return levels

    def open_assignments(self):
        return self.assignments.filter(closed_on__isnull=True)

    def lead_assignment(self):
        return self.open_assignments().filter(role=Assignment.Role.LEAD).first()

    def current_reply(self):
        return self.replies.filter(round=self.round).first()

    @classmethod
    def transition_words(cls, name: str) -> dict:
        """Transition ``name``'s words: ``verb`` (for a refusal) and ``done`` (the timeline's)."""
        meta = getattr(cls, name)._django_fsm
        return next(iter(meta.transitions.values())).custom

    # Conditions: each has a ``message`` that the services raise when it fails.

    def _has_lead_reply(self) -> bool:
        return self.replies.filter(round=self.round).exists()

    _has_lead_reply.message = _("The lead unit has not replied in this round.")

    def _has_three_signoffs(self) -> bool:
        return len(self.levels_signed()) == len(SignOff.Level)

    _has_three_signoffs.message = _(
        "The handling record needs the deputies', the unit head's and the leader's sign-offs."
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
        custom={"verb": _("approve"), "done": _("Approved after review")},
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
        custom={"verb": _("return for revision"), "done": _("Returned for revision")},
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
        custom={"verb": _("reject"), "done": _("Not accepted")},
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
        custom={"verb": _("withdraw"), "done": _("Withdrawn")},
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
        custom={"verb": _("assign"), "done": _("Assigned")},
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
        custom={"verb": _("reassign"), "done": _("Reassigned")},
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
        custom={"verb": _("extend the deadline of"), "done": _("Deadline extended")},
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
        custom={"verb": _("reply to"), "done": _("Replied")},
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
        custom={"verb": _("sign off"), "done": _("Handling record signed")},
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
        custom={"verb": _("order a redo of"), "done": _("Redo ordered")},
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
        custom={"verb": _("revisit"), "done": _("Revisited and closed")},
    )
    def revisit(self, by=None, description=None):
        pass

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=[State.PROPOSED, State.REVIEWED],
        target=State.MERGED,
        permission=permissions.can_manage,
        custom={"verb": _("merge"), "done": _("Merged for handling (并案)")},
    )
    def merge(self, by=None, description=None, into=None):
        self.state_before_merge = self.state
        self.merged_into = into

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=State.MERGED,
        target=RETURN_VALUE(State.PROPOSED, State.REVIEWED),
        permission=permissions.can_manage,
        custom={"verb": _("unmerge"), "done": _("Merge undone")},
    )
    def unmerge(self, by=None, description=None):
        before = self.state_before_merge or self.State.PROPOSED
        self.merged_into = None
        self.state_before_merge = ""
        return before


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
