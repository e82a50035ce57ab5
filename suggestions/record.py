"""The handling record (纪实表) of one suggestion: everything the printed A4 page shows,
for the office (the admin) and the lead unit (the task pages) alike. A merged group's
record (并案) has a deputy's box for each of its lead deputies."""

from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from deputies.models import Deputy

from .models import (
    Communication,
    CoOpinion,
    ExtensionRequest,
    ReassignmentRequest,
    Reply,
    SignOff,
    Suggestion,
)


def _person(user) -> str:
    if user is None:
        return ""
    deputy = getattr(user, "deputy", None)
    if deputy is not None:
        return deputy.name
    return user.get_full_name() or user.get_username()


@dataclass
class SignOffBox:
    level: str
    label: str
    signoff: SignOff | None
    signer: str


@dataclass
class ReplyEntry:
    reply: Reply
    replaced: bool
    commitments: list  # (commitment, outcome label or "")
    signoffs: list[SignOffBox]


def _signer(signoff: SignOff) -> str:
    return _person(signoff.signer) or (signoff.deputy.name if signoff.deputy else "")


def _signoff_boxes(
    signoffs: list[SignOff], *, with_empty: bool, group: list | None = None
) -> list[SignOffBox]:
    """The round's boxes, level by level. ``group``: the (id, name) of each lead deputy of
    a merged group (并案), each with a box of their own, signed or left for a pen."""
    by_level = {s.level: s for s in signoffs}
    boxes = []
    for level, label in SignOff.Level.choices:
        if level == SignOff.Level.DEPUTY and group and len(group) > 1:
            by_deputy = {s.deputy_id: s for s in signoffs if s.level == level}
            for deputy_id, name in group:
                signoff = by_deputy.get(deputy_id)
                if signoff is not None or with_empty:
                    boxes.append(
                        SignOffBox(level, f"{label}（{name}）", signoff, name if signoff else "")
                    )
            continue
        signoff = by_level.get(level)
        if signoff is not None or with_empty:
            boxes.append(SignOffBox(level, label, signoff, _signer(signoff) if signoff else ""))
    return boxes


def handling_record(suggestion: Suggestion) -> dict:
    """Everything the printed handling record shows, read in a fixed number of queries."""
    suggestion = (
        Suggestion.objects.select_related("lead_deputy")
        .prefetch_related("co_deputies")
        .get(pk=suggestion.pk)
    )
    mine = {"assignment__suggestion": suggestion}
    assignments = list(
        suggestion.assignments.select_related("unit", "handler").order_by("assigned_on", "pk")
    )
    replies = list(
        suggestion.replies.select_related("assignment__unit", "submitted_by")
        .prefetch_related("commitments")
        .order_by("round")
    )
    signoffs = defaultdict(list)
    for signoff in suggestion.signoffs.select_related(
        "signer__deputy", "deputy", "verified_by"
    ).order_by("round", "signed_at", "pk"):
        signoffs[signoff.round].append(signoff)
    names = dict(
        Deputy.objects.filter(pk__in=suggestion.group_lead_deputy_ids()).values_list("pk", "name")
    )
    group = [(pk, names.get(pk, "")) for pk in suggestion.group_lead_deputy_ids()]
    revisits = list(
        suggestion.revisits.select_related("reply", "recorded_by")
        .prefetch_related("outcomes__commitment")
        .order_by("recorded_at", "pk")
    )
    outcome_of = {
        outcome.commitment_id: outcome.get_outcome_display()
        for revisit in revisits
        for outcome in revisit.outcomes.all()
    }
    entries = [
        ReplyEntry(
            reply=reply,
            replaced=reply.round < suggestion.round,
            commitments=[(c, outcome_of.get(c.pk, "")) for c in reply.commitments.all()],
            signoffs=_signoff_boxes(signoffs[reply.round], with_empty=False, group=group),
        )
        for reply in replies
    ]
    return {
        "suggestion": suggestion,
        "co_deputies": "、".join(d.name for d in suggestion.co_deputies.all()),
        "assignments": assignments,
        "reassignment_requests": list(
            ReassignmentRequest.objects.filter(**mine)
            .select_related("assignment__unit")
            .order_by("requested_at", "pk")
        ),
        "extension_requests": list(
            ExtensionRequest.objects.filter(**mine)
            .select_related("assignment__unit")
            .order_by("requested_at", "pk")
        ),
        "redos": list(suggestion.redos.select_related("unit").order_by("round")),
        "communications": list(
            Communication.objects.filter(**mine)
            .select_related("assignment__unit")
            .order_by("round", "happened_on", "pk")
        ),
        "co_opinions": list(
            CoOpinion.objects.filter(**mine)
            .select_related("assignment__unit")
            .order_by("submitted_at", "pk")
        ),
        "replies": entries,
        # The boxes to sign for the current round: filled or left empty for a pen.
        "current_signoffs": _signoff_boxes(
            signoffs[suggestion.round], with_empty=True, group=group
        ),
        # The suggestions merged into this one (并案), whose deputies it answers too.
        "merged": list(
            suggestion.merged_suggestions.filter(state=Suggestion.State.MERGED)
            .select_related("lead_deputy")
            .order_by("pk")
        ),
        "revisits": revisits,
        "printed_on": timezone.localdate(),
        "committee_name": settings.NPC["COMMITTEE_NAME"],
    }
