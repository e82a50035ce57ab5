"""Everything recorded on a suggestion, read in one query (``read_records``) for the pages
that show it all: the task page, the deputy's page, the timeline (the admin's too).

A page used to read each kind of record with a query of its own, and some twice (the
sign-offs for the timeline, the signatures line, the action table and the paper form):
about twenty queries. ``read_records`` reads them in one UNION ALL
(``npc_tracker.together``) and keeps them on the suggestion (``records_of``), so that the
action table's predicates and the forms that need a record use the page's, without a
query; a caller that did not read them (a POST's check, a service) queries as before.
"""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Q
from django_fsm_log.models import StateLog

from npc_tracker.together import Part, prefetched, read_together

from ..models import (
    Assignment,
    Commitment,
    Communication,
    CoOpinion,
    ExtensionRequest,
    Inspection,
    InspectionFile,
    InterimCheck,
    KeySuggestion,
    PaperSubmission,
    ReassignmentRequest,
    Redo,
    RedoWaiver,
    Reminder,
    Reply,
    Revisit,
    RevisitOutcome,
    SignOff,
    Suggestion,
)

MERGED = Suggestion.State.MERGED
# The sign-offs of these states' current round are the signatures line's.
SIGNING = (Suggestion.State.HANDLED, Suggestion.State.SIGNED)
# The requests whose pending one closes an action on the task page, by name.
PENDING = {
    "reassignment": ReassignmentRequest,
    "extension": ExtensionRequest,
    "paper": PaperSubmission,
}


@dataclass
class SuggestionRecords:
    """A suggestion's records, each list in its model's order, with the objects the pages
    show of them (users, units, deputies) attached. The optional parts are None when not
    read."""

    # Transition records (``StateLog``, with ``by``), by time.
    logs: list
    # The suggestions merged into it (并案), by id, with their lead deputy and co-signers,
    # and their merge records (by time).
    merged: list
    merge_logs: list
    co_deputies: list
    # With their unit.
    assignments: list
    communications: list
    co_opinions: list
    # With their commitments (``reply.commitments.all``).
    replies: list
    signoffs: list
    redos: list
    # With their outcomes and each outcome's commitment (``revisit.outcomes.all``, by id).
    revisits: list
    interim_checks: list | None = None
    redo_waivers: list | None = None
    reminders: list | None = None
    # The key designation, its visits with their files and deputies (``key_read``: asked).
    key: KeySuggestion | None = None
    key_read: bool = False
    # The ids of the assignments with a pending request, by ``PENDING``'s names.
    pending: dict[str, set[int]] | None = None
    by_assignment: dict = field(default_factory=dict)

    def assignment(self, pk: int) -> Assignment | None:
        return self.by_assignment.get(pk)

    def lead_assignment(self) -> Assignment | None:
        """``Suggestion.lead_assignment``: the open lead assignment, first in order."""
        return next(
            (a for a in self.assignments if a.closed_on is None and a.role == Assignment.Role.LEAD),
            None,
        )

    def signoff_pairs(self, round_: int) -> list[tuple[str, int | None]]:
        """The (level, deputy) pairs signed in ``round_``."""
        return [(s.level, s.deputy_id) for s in self.signoffs if s.round == round_]


def records_of(suggestion: Suggestion) -> SuggestionRecords | None:
    """The records a page read on this suggestion instance already (``read_records``)."""
    return suggestion.__dict__.get("_npc_records")


def _sorted(rows, *keys) -> list:
    return sorted(rows, key=lambda row: tuple(getattr(row, k) for k in keys))


def read_records(
    suggestions: list[Suggestion],
    *,
    office: bool = False,
    reminders: bool = False,
    key: bool = False,
    pending: bool = False,
) -> dict[int, SuggestionRecords]:
    """The records of ``suggestions`` (a suggestion and the main one it was merged into,
    say), in one query, by suggestion id; also kept on each instance (``records_of``),
    with its group's lead deputies and, when replied or signed, the current round's
    sign-offs (``current_signoffs``, the signatures line's). ``office``: the office's own
    records (interim checks, redo waivers); ``reminders``; ``key``: the key designation;
    ``pending``: the assignments' pending requests."""
    ids = [s.pk for s in suggestions]
    merged_ids = Suggestion.objects.filter(merged_into__in=ids, state=MERGED).values("pk")
    of_suggestion = Q(content_type__app_label="suggestions", content_type__model="suggestion")
    # The suggestions' own transitions, and the merges into them.
    logs = StateLog.objects.filter(
        of_suggestion,
        Q(object_id__in=ids) | Q(object_id__in=merged_ids, transition="merge"),
    )
    co_signers = Suggestion.co_deputies.through.objects.filter(
        Q(suggestion__in=ids) | Q(suggestion__in=merged_ids)
    )
    mine = {"suggestion__in": ids}
    theirs = {"assignment__suggestion__in": ids}
    parts = {
        "logs": Part(logs, ("by",)),
        "merged": Part(
            Suggestion.objects.filter(merged_into__in=ids, state=MERGED), ("lead_deputy",)
        ),
        "co_signers": Part(co_signers, ("deputy",)),
        "assignments": Part(Assignment.objects.filter(**mine), ("unit",)),
        "communications": Part(Communication.objects.filter(**theirs), ("recorded_by",)),
        "co_opinions": Part(CoOpinion.objects.filter(**theirs), ("submitted_by",)),
        "replies": Part(Reply.objects.filter(**mine), ("submitted_by",)),
        "commitments": Part(Commitment.objects.filter(reply__suggestion__in=ids)),
        "signoffs": Part(SignOff.objects.filter(**mine), ("signer", "deputy", "verified_by")),
        "redos": Part(Redo.objects.filter(**mine), ("ordered_by", "unit")),
        "revisits": Part(Revisit.objects.filter(**mine), ("recorded_by",)),
        "outcomes": Part(RevisitOutcome.objects.filter(revisit__suggestion__in=ids)),
    }
    creators = {
        s.created_by_id
        for s in suggestions
        if s.created_by_id is not None and not Suggestion.created_by.is_cached(s)
    }
    if creators:
        parts["creators"] = Part(get_user_model().objects.filter(pk__in=creators))
    if office:
        parts["interim_checks"] = Part(InterimCheck.objects.filter(**mine), ("recorded_by",))
        parts["redo_waivers"] = Part(RedoWaiver.objects.filter(**mine), ("decided_by",))
    if reminders:
        parts["reminders"] = Part(Reminder.objects.filter(**mine), ("recipient",))
    if key:
        visited = {"inspection__key_suggestion__suggestion__in": ids}
        parts["key"] = Part(KeySuggestion.objects.filter(**mine), ("leader",))
        parts["inspections"] = Part(Inspection.objects.filter(key_suggestion__suggestion__in=ids))
        parts["files"] = Part(InspectionFile.objects.filter(**visited))
        parts["visitors"] = Part(Inspection.deputies.through.objects.filter(**visited), ("deputy",))
    if pending:
        for name, model in PENDING.items():
            parts[name] = Part(model.objects.filter(**theirs, decision=model.Decision.PENDING))
    found = read_together(parts)
    return {
        s.pk: _records(s, found, suggestions, office, reminders, key, pending) for s in suggestions
    }


def _cache(instance, name: str, value) -> None:
    """Set a foreign key's object on ``instance`` (as ``select_related`` does)."""
    instance._meta.get_field(name).set_cached_value(instance, value)


def _records(suggestion, found, suggestions, office, reminders, key, pending) -> SuggestionRecords:
    pk = suggestion.pk
    assignments = _sorted(
        (a for a in found["assignments"] if a.suggestion_id == pk), "due_on", "pk"
    )
    by_assignment = {a.pk: a for a in assignments}
    for a in assignments:
        _cache(a, "suggestion", suggestion)

    def handled_by(rows, *order):
        rows = _sorted((r for r in rows if r.assignment_id in by_assignment), *order)
        for r in rows:
            _cache(r, "assignment", by_assignment[r.assignment_id])
        return rows

    communications = handled_by(found["communications"], "happened_on", "pk")
    co_opinions = handled_by(found["co_opinions"], "submitted_at", "pk")
    for a in assignments:
        prefetched(a, "co_opinions", [o for o in co_opinions if o.assignment_id == a.pk])

    def own(rows, *order):
        rows = _sorted((r for r in rows if r.suggestion_id == pk), *order)
        for r in rows:
            _cache(r, "suggestion", suggestion)
        return rows

    replies = own(found["replies"], "round", "pk")
    by_reply = {r.pk: r for r in replies}
    commitments = _sorted(
        (c for c in found["commitments"] if c.reply_id in by_reply), "due_on", "pk"
    )
    by_commitment = {c.pk: c for c in commitments}
    for r in replies:
        _cache(r, "assignment", by_assignment.get(r.assignment_id))
        prefetched(r, "commitments", [c for c in commitments if c.reply_id == r.pk])
    signoffs = own(found["signoffs"], "round", "signed_at", "pk")
    revisits = own(found["revisits"], "recorded_at", "pk")
    outcomes = _sorted(found["outcomes"], "pk")
    for row in signoffs + revisits:
        if row.reply_id in by_reply:
            _cache(row, "reply", by_reply[row.reply_id])
    for visit in revisits:
        mine = [o for o in outcomes if o.revisit_id == visit.pk]
        for o in mine:
            if o.commitment_id in by_commitment:
                _cache(o, "commitment", by_commitment[o.commitment_id])
        prefetched(visit, "outcomes", mine)
    merged = _sorted((s for s in found["merged"] if s.merged_into_id == pk), "pk")
    group = {pk, *(s.pk for s in merged)}
    signers = {}
    for row in found["co_signers"]:
        if row.suggestion_id in group:
            signers.setdefault(row.suggestion_id, []).append(row.deputy)
    # ``suggestion.co_deputies.all()`` in the deputies' order (Meta: delegation, name).
    for s in [suggestion, *merged]:
        prefetched(s, "co_deputies", _sorted(signers.get(s.pk, []), "delegation", "name", "pk"))
    for creator in found.get("creators", []):
        if creator.pk == suggestion.created_by_id:
            _cache(suggestion, "created_by", creator)
    main = next((s for s in suggestions if s.pk == suggestion.merged_into_id), None)
    if main is not None and not Suggestion.merged_into.is_cached(suggestion):
        _cache(suggestion, "merged_into", main)
    merged_pks = {s.pk for s in merged}
    records = SuggestionRecords(
        logs=_sorted((g for g in found["logs"] if g.object_id == pk), "timestamp", "pk"),
        merged=merged,
        merge_logs=_sorted(
            (g for g in found["logs"] if g.object_id in merged_pks and g.transition == "merge"),
            "timestamp",
            "pk",
        ),
        co_deputies=list(suggestion.co_deputies.all()),
        assignments=assignments,
        communications=communications,
        co_opinions=co_opinions,
        replies=replies,
        signoffs=signoffs,
        redos=own(found["redos"], "round", "pk"),
        revisits=revisits,
        by_assignment=by_assignment,
    )
    if office:
        records.interim_checks = own(found["interim_checks"], "happened_on", "pk")
        records.redo_waivers = own(found["redo_waivers"], "round", "pk")
    if reminders:
        # Latest first (Meta: -created_at).
        records.reminders = sorted(
            own(found["reminders"], "pk"), key=lambda r: r.created_at, reverse=True
        )
    if key:
        records.key_read = True
        records.key = next((k for k in found["key"] if k.suggestion_id == pk), None)
        if records.key is not None:
            visits = _sorted(
                (v for v in found["inspections"] if v.key_suggestion_id == records.key.pk),
                "happened_on",
                "pk",
            )
            for visit in visits:
                prefetched(
                    visit,
                    "files",
                    _sorted((f for f in found["files"] if f.inspection_id == visit.pk), "pk"),
                )
                deputies = [
                    row.deputy for row in found["visitors"] if row.inspection_id == visit.pk
                ]
                prefetched(visit, "deputies", _sorted(deputies, "name", "pk"))
            prefetched(records.key, "inspections", visits)
    if pending:
        records.pending = {
            name: {r.assignment_id for r in found[name] if r.assignment_id in by_assignment}
            for name in PENDING
        }
    # What the model and the signatures line would otherwise query for.
    group_ids = [suggestion.lead_deputy_id]
    for s in merged:
        if s.lead_deputy_id not in group_ids:
            group_ids.append(s.lead_deputy_id)
    suggestion.__dict__["_npc_group"] = group_ids
    if suggestion.state in SIGNING:
        suggestion.current_signoffs = [s for s in signoffs if s.round == suggestion.round]
    suggestion.__dict__["_npc_records"] = records
    return records


def current_signoff_pairs(suggestion: Suggestion) -> list[tuple[str, int | None]]:
    """The (level, deputy) pairs signed in the suggestion's current round: from the page's
    records when it read them, else one query (kept on the instance)."""
    records = records_of(suggestion)
    if records is not None:
        return records.signoff_pairs(suggestion.round)
    cache = suggestion.__dict__.setdefault("_npc_signoff_pairs", {})
    if suggestion.round not in cache:
        cache[suggestion.round] = list(
            suggestion.signoffs.filter(round=suggestion.round).values_list("level", "deputy_id")
        )
    return cache[suggestion.round]
