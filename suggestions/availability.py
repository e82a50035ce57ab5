"""Who may take an action now: the action table's predicates (user, obj), built from the
role predicates of ``permissions`` and the object's state (``suggestions.actions``)."""

from collections.abc import Callable

from django.utils import timezone

from . import deadlines, permissions, selectors, services
from .models import (
    Assignment,
    ExtensionRequest,
    KeySuggestion,
    PaperSubmission,
    ReassignmentRequest,
    SignOff,
    Suggestion,
)
from .selectors.followup import is_awaiting_redo_decision
from .services.key import NOT_KEY

State = Suggestion.State


def _transition_open(name: str, *, pending: type | None = None) -> Callable:
    """The committee office's transition ``name``: allowed from the state for the user
    (the transition's own ``permission=``), and, for a decision, a request is waiting."""

    def available(user, suggestion: Suggestion) -> bool:
        meta = getattr(suggestion, name)._django_fsm
        if not (
            meta.has_transition(suggestion.state)
            and meta.has_transition_perm(suggestion, suggestion.state, user)
        ):
            return False
        if pending is None:
            return True
        return pending.objects.filter(
            assignment__suggestion=suggestion, decision=pending.Decision.PENDING
        ).exists()

    return available


def _relations(user, assignment: Assignment) -> frozenset[str]:
    """The user's relations to the assignment's unit, read once per page (cached on it)."""
    cache = assignment.__dict__.setdefault("_npc_relations", {})
    if user.pk not in cache:
        cache[user.pk] = permissions.units.relations(user, assignment.unit)
    return cache[user.pk]


def remember_relations(user, assignment: Assignment, relations: frozenset[str]) -> None:
    """Give the predicates the user's relations to the assignment's unit that the page read
    already (``TaskUnits.relations``: the same conditions), saving their query."""
    assignment.__dict__.setdefault("_npc_relations", {})[user.pk] = relations


def _pending(assignment: Assignment, name: str, model) -> bool:
    """A request of ``model`` waits on the assignment: from the page's records when it read
    them (``selectors.read_records``), else one query."""
    records = selectors.records_of(assignment.suggestion)
    if records is not None and records.pending is not None:
        return assignment.pk in records.pending[name]
    return model.objects.filter(assignment=assignment, decision=model.Decision.PENDING).exists()


def _signed_levels(suggestion: Suggestion) -> set[str]:
    """The levels signed this round, read once per page (cached on the suggestion, which a
    page reads afresh after any write)."""
    return frozenset(suggestion.levels_signed(_signoff_pairs(suggestion)))


def _signoff_pairs(suggestion: Suggestion) -> list[tuple[str, int | None]]:
    """The (level, deputy) pairs signed this round, read once per page (from its records
    when it read them)."""
    return selectors.current_signoff_pairs(suggestion)


def _member_on(*states: str, role: str | None = None) -> Callable:
    """A member of the unit, on its open assignment (of ``role``), in one of ``states``."""

    def available(user, assignment: Assignment) -> bool:
        return (
            assignment.is_open
            and assignment.suggestion.state in states
            and (role is None or assignment.role == role)
            and "member" in _relations(user, assignment)
        )

    return available


_communication = _member_on(State.ASSIGNED, State.HANDLED, State.SIGNED)
_co_opinion = _member_on(State.ASSIGNED, role=Assignment.Role.CO)
_reply = _member_on(State.ASSIGNED, role=Assignment.Role.LEAD)
_assigned_member = _member_on(State.ASSIGNED)


def _reassignment(user, assignment: Assignment) -> bool:
    """Within the window after assignment, with no request waiting."""
    if not _assigned_member(user, assignment):
        return False
    window = deadlines.window_of(assignment)
    return timezone.localdate() <= window.end and not _pending(
        assignment, "reassignment", ReassignmentRequest
    )


def _extension(user, assignment: Assignment) -> bool:
    """The lead unit, with no extension request waiting."""
    return _reply(user, assignment) and not _pending(assignment, "extension", ExtensionRequest)


def _unit_signoff(level: str, relation: str) -> Callable:
    """The lead unit's head (``relation`` "head") or supervising leader ("leader"), on a
    replied suggestion whose record waits for their level's signature: the levels before
    it have signed this round (the form is offered in turn, not before)."""

    def available(user, assignment: Assignment) -> bool:
        suggestion = assignment.suggestion
        return (
            assignment.is_open
            and assignment.role == Assignment.Role.LEAD
            and suggestion.state == State.HANDLED
            and relation in _relations(user, assignment)
            and selectors.next_level(_signed_levels(suggestion)) == level
        )

    return available


def _deputy_signoff(user, suggestion: Suggestion) -> bool:
    """A lead deputy (of the suggestion or of one merged into it), on a replied
    suggestion, before signing this round, unless they work for the lead unit (they sign
    on the paper record)."""
    if suggestion.state != State.HANDLED:
        return False
    records = selectors.records_of(suggestion)
    deputy = permissions.signing_deputy(
        user, suggestion, merged=records.merged if records is not None else None
    )
    return (
        deputy is not None
        and (SignOff.Level.DEPUTY, deputy.pk) not in _signoff_pairs(suggestion)
        and not signs_on_paper(user, suggestion)
    )


def signs_on_paper(user, suggestion: Suggestion) -> bool:
    """The lead deputy works for the lead unit: a conflict of interest, signed on paper.
    Read once per page (cached on the suggestion; its lead unit from the page's records)."""
    cache = suggestion.__dict__.setdefault("_npc_on_paper", {})
    if user.pk not in cache:
        records = selectors.records_of(suggestion)
        lead = records.lead_assignment() if records is not None else suggestion.lead_assignment()
        cache[user.pk] = lead is not None and services.in_conflict(user, lead.unit)
    return cache[user.pk]


def _name_handler(user, assignment: Assignment) -> bool:
    """The unit head, on an open assignment."""
    return assignment.is_open and "head" in _relations(user, assignment)


def _paper_submit(user, assignment: Assignment) -> bool:
    """The lead unit, on a replied suggestion with signatures missing and no paper waiting."""
    return (
        _member_on(State.HANDLED, role=Assignment.Role.LEAD)(user, assignment)
        and len(_signed_levels(assignment.suggestion)) < len(SignOff.Level)
        and not _pending(assignment, "paper", PaperSubmission)
    )


def _paper_verify(user, suggestion: Suggestion) -> bool:
    return (
        permissions.is_committee_staff(user)
        and PaperSubmission.objects.filter(
            assignment__suggestion=suggestion, decision=PaperSubmission.Decision.PENDING
        ).exists()
    )


def _interim_check(user, suggestion: Suggestion) -> bool:
    return permissions.is_committee_staff(user) and suggestion.state in (
        State.ASSIGNED,
        State.HANDLED,
        State.SIGNED,
    )


def _redo_waive(user, suggestion: Suggestion) -> bool:
    return permissions.is_committee_staff(user) and is_awaiting_redo_decision(suggestion)


def _designate_key(user, suggestion: Suggestion) -> bool:
    """The office, on a suggestion in the loop not chosen yet."""
    return (
        permissions.is_committee_staff(user)
        and suggestion.state not in NOT_KEY
        and not KeySuggestion.objects.filter(suggestion=suggestion).exists()
    )


def _inspection(user, key: KeySuggestion) -> bool:
    """The office, or the leader leading the key suggestion."""
    return services.may_record_inspection(user, key)


def _merge_into(user, suggestion: Suggestion) -> bool:
    """The committee office, on a suggestion not yet assigned that no other is merged into
    (a main suggestion stays the main one: its merged ones are unmerged first)."""
    return (
        _transition_open("merge")(user, suggestion)
        and not suggestion.merged_suggestions.filter(state=State.MERGED).exists()
    )


def _unmerge(user, suggestion: Suggestion) -> bool:
    """The committee office, on a merged suggestion whose main one is not yet assigned."""
    return _transition_open("unmerge")(user, suggestion) and (
        suggestion.merged_into is not None
        and suggestion.merged_into.state in (State.PROPOSED, State.REVIEWED)
    )
