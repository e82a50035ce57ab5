"""Reads of the deputies' status pages (/my/): their suggestions, followed like a parcel.

Every read starts from ``suggestions_visible_to_deputy``, so another deputy's suggestion
is never in the queryset and its id is a 404. Whether the reader may sign is the action
table's (``suggestions.actions``).
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Exists, F, OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from deputies.selectors import deputy_of
from npc_tracker.together import prefetched

from ..models import Assignment, Reply, SignOff, Suggestion
from ..wording import deadline_words
from .key import is_key
from .records import read_records
from .scoping import suggestions_visible_to_deputy
from .timeline import suggestion_timeline

State = Suggestion.State

# The six stages of the progress bar, in order; a suggestion's state is one of them or a
# terminal state that stopped it (not accepted, withdrawn). Each stage is named by its
# state's own label, the one name every role reads (docs/architecture.md, "State names").
STAGES = [
    (state, state.label)
    for state in (
        State.PROPOSED,
        State.REVIEWED,
        State.ASSIGNED,
        State.HANDLED,
        State.SIGNED,
        State.REVISITED,
    )
]
STAGE_INDEX = {state: i for i, (state, _label) in enumerate(STAGES)}
SIGNED_STAGE = STAGE_INDEX[State.SIGNED]
# Where a stopped suggestion stopped: both end while the committee office handles them.
STOPPED_AT = {State.NOT_ACCEPTED: 1, State.WITHDRAWN: 1}
# A merged suggestion (并案) is not stopped: it follows the stage of its main suggestion;
# merged into one not yet known here, it stands where merges happen, before assignment.
MERGED_STAGE = STAGE_INDEX[State.REVIEWED]


def status_rows(*, user) -> QuerySet[Suggestion]:
    """The suggestions the deputy led or co-signed, newest first, annotated for one query.

    Annotated: ``lead_unit_name``, ``due_on`` and ``original_due_on`` of the open lead
    assignment; ``reply_class`` of the current round's reply; ``deputy_signed``, whether
    the lead deputy signed the current round; ``is_key``, whether it is a key suggestion
    (重点督办). (A page of rows gets its signatures from ``attach_current_signoffs``.)
    A merged suggestion's main one: ``main_number``, ``main_title`` and ``main_state``;
    ``is_co_signed``, the reader co-signed it (neither lead nor co-signer: a main
    suggestion the reader's was merged into).
    """
    lead = Assignment.objects.filter(
        suggestion=OuterRef("pk"), role=Assignment.Role.LEAD, closed_on__isnull=True
    )
    current = {"suggestion": OuterRef("pk"), "round": OuterRef("round")}
    return (
        suggestions_visible_to_deputy(user=user)
        .select_related("lead_deputy")
        .annotate(
            lead_unit_name=Subquery(lead.values("unit__name")[:1]),
            due_on=Subquery(lead.values("due_on")[:1]),
            original_due_on=Subquery(lead.values("original_due_on")[:1]),
            reply_class=Subquery(Reply.objects.filter(**current).values("classification")[:1]),
            deputy_signed=Exists(SignOff.objects.filter(**current, level=SignOff.Level.DEPUTY)),
            is_key=is_key(),
            is_co_signed=Exists(
                Suggestion.co_deputies.through.objects.filter(
                    suggestion=OuterRef("pk"), deputy=deputy_of(user)
                )
            ),
            main_number=F("merged_into__number"),
            main_title=F("merged_into__title"),
            main_state=F("merged_into__state"),
        )
        .order_by("-raised_on", "-pk")
    )


@dataclass
class Status:
    """What a deputy reads of a suggestion at a glance: a sentence and the progress bar."""

    sentence: str
    stage: int
    stopped: bool = False
    waiting_for_me: bool = False
    overdue: bool = False
    stages: list = field(default_factory=list)


def _day(value: datetime.date) -> str:
    """A date in a sentence, in an element that keeps it on one line on a phone."""
    return format_html(
        '<time datetime="{}">{}</time>', value.isoformat(), date_format(value, "DATE_FORMAT")
    )


def _with_html(sentence: str, values: dict) -> str:
    """A translated sentence with values that carry their own markup (the rest escaped)."""
    return mark_safe(escape(sentence) % {k: conditional_escape(v) for k, v in values.items()})


def status_of(row: Suggestion, *, deputy, today: datetime.date | None = None) -> Status:
    """The plain-words state and the stage of a row of ``status_rows`` (no query).

    ``deputy`` is the reader: the lead deputy is told that their sign-off waits.
    """
    today = today or timezone.localdate()
    state = row.state
    unit = getattr(row, "lead_unit_name", None) or ""
    due_on = getattr(row, "due_on", None)
    deputies = _deputy_signatures(row, deputy)
    waiting_for_me = False
    overdue = False
    if state == State.MERGED:
        main = getattr(row, "main_number", "") or getattr(row, "main_title", "")
        sentence = _("Merged (并案) into No. %(number)s: its handling answers this one") % {
            "number": main
        }
    elif state == State.PROPOSED:
        sentence = _("Proposed: the committee office is reviewing it")
    elif state == State.REVIEWED:
        sentence = _("Reviewed: waiting to be assigned to a handling unit")
    elif state == State.ASSIGNED and due_on is not None:
        overdue = due_on < today
        left = format_html('<span class="days-left">{}</span>', deadline_words(due_on, today))
        values = {"unit": unit, "date": _day(due_on), "left": left}
        if overdue:
            words = _("Assigned: %(unit)s is handling it; the reply was due on %(date)s (%(left)s)")
        elif row.round > 1:
            words = _("Redo: %(unit)s is handling it again, reply by %(date)s (%(left)s)")
        else:
            words = _("Assigned: %(unit)s is handling it, reply by %(date)s (%(left)s)")
        sentence = _with_html(words, values)
    elif state == State.ASSIGNED:
        sentence = _("Assigned")
    elif state == State.HANDLED:
        if deputies.all_signed:
            sentence = _("Replied by %(unit)s; rated, the unit head and leader sign next") % {
                "unit": unit
            }
        elif deputies.mine_waiting:
            waiting_for_me = True
            sentence = _("Replied by %(unit)s: your sign-off is waiting") % {"unit": unit}
        elif deputies.group_size > 1:
            sentence = _(
                "Replied by %(unit)s; %(signed)s of the %(count)s lead deputies have signed"
            ) % {"unit": unit, "signed": deputies.signed, "count": deputies.group_size}
        else:
            sentence = _("Replied by %(unit)s; waiting for the lead deputy's sign-off") % {
                "unit": unit
            }
    elif state == State.SIGNED:
        sentence = _("Handling record signed; a revisit will check the promises kept")
    elif state == State.REVISITED:
        sentence = _("Closed: the revisit has checked the promises")
    elif state == State.NOT_ACCEPTED:
        sentence = _("Not accepted")
    else:
        sentence = _("Withdrawn")
    if state == State.MERGED:
        # The stage of the main suggestion, which is handled for this one.
        state = getattr(row, "main_state", None) or State.REVIEWED
        deputies = _DeputySignatures()
    stopped = state in STOPPED_AT
    stage = STOPPED_AT[state] if stopped else STAGE_INDEX.get(state, MERGED_STAGE)
    # Once the lead deputies have signed the reply, the reply and the sign-off steps are
    # green (done) for the deputy, while the head's and the leader's signatures are to come.
    deputy_signed = state == State.HANDLED and deputies.all_signed
    stages = [
        {
            "label": label,
            "done": i < stage
            or (i == stage and state == State.REVISITED)
            or (deputy_signed and i in (stage, SIGNED_STAGE)),
            "current": i == stage,
        }
        for i, (_state, label) in enumerate(STAGES)
    ]
    return Status(sentence, stage, stopped, waiting_for_me, overdue, stages)


@dataclass
class _DeputySignatures:
    """The deputy level of a replied row's current round, as the reader sees it."""

    all_signed: bool = False
    mine_waiting: bool = False
    signed: int = 0
    group_size: int = 1


def _deputy_signatures(row: Suggestion, deputy) -> _DeputySignatures:
    """From the row's ``current_signoffs`` and group (``attach_current_signoffs``) when it
    has them; else from ``deputy_signed``, the lead deputy's sign-off (no query)."""
    if row.state != State.HANDLED:
        return _DeputySignatures()
    signoffs = getattr(row, "current_signoffs", None)
    group = row.__dict__.get("_npc_group")
    if signoffs is None or group is None:
        signed = bool(getattr(row, "deputy_signed", False))
        is_lead = deputy is not None and row.lead_deputy_id == deputy.pk
        return _DeputySignatures(signed, is_lead and not signed, int(signed))
    signers = {s.deputy_id for s in signoffs if s.level == SignOff.Level.DEPUTY} & set(group)
    return _DeputySignatures(
        all_signed=signers.issuperset(group),
        mine_waiting=deputy is not None and deputy.pk in group and deputy.pk not in signers,
        signed=len(signers),
        group_size=len(group),
    )


@dataclass
class StatusDetail:
    """What the status page shows of one suggestion. For a merged one (并案), ``handling``
    is its main suggestion, whose units, replies, contacts, sign-offs and revisits answer
    it; otherwise the suggestion itself. ``merged``: the suggestions merged into it."""

    suggestion: Suggestion
    status: Status
    is_lead: bool
    co_deputies: list
    assignments: list
    replies: list
    communications: list
    deputy_signoffs: list
    revisits: list
    timeline: list
    handling: Suggestion | None = None
    merged: list = field(default_factory=list)
    group_size: int = 1


def status_detail(*, suggestion: Suggestion, user) -> StatusDetail:
    """The status page's content for a suggestion the deputy may see: its row (a row of
    ``status_rows`` is used as it is; another suggestion is read as one), its main one's
    when merged, and their records in one query (``read_records``, kept for the page's
    sign-off form, signatures line and key designation)."""
    row = suggestion
    if "is_co_signed" not in suggestion.__dict__:
        row = status_rows(user=user).get(pk=suggestion.pk)
    deputy = deputy_of(user)
    # The reader may see the main suggestion too (``suggestions_visible_to_deputy``).
    handling = status_rows(user=user).get(pk=row.merged_into_id) if row.merged_into_id else row
    group = [row] if handling is row else [row, handling]
    found = read_records(group, key=getattr(handling, "is_key", True))
    mine, records = found[row.pk], found[handling.pk]
    assignments = sorted(records.assignments, key=lambda a: (a.assigned_on, a.pk))
    replies = records.replies  # with their unit and commitments
    for reply in replies:
        reply.replaced = reply.round < handling.round
    deputy_signoffs = [s for s in records.signoffs if s.level == SignOff.Level.DEPUTY]
    for visit in records.revisits:
        # The outcomes in their commitments' order (the timeline reads them by id).
        outcomes = visit.outcomes.all()
        prefetched(visit, "outcomes", sorted(outcomes, key=lambda o: (o.commitment.due_on, o.pk)))
    timeline = suggestion_timeline(row)
    if handling is not row:
        # This suggestion's own records (entered, merged), then the main one's handling.
        timeline = sorted(
            timeline + [e for e in suggestion_timeline(handling) if e.ref != row.pk],
            key=lambda e: e.at,
        )
    return StatusDetail(
        suggestion=row,
        status=status_of(row, deputy=deputy),
        is_lead=deputy is not None and row.lead_deputy_id == deputy.pk,
        co_deputies=sorted(mine.co_deputies, key=lambda d: (d.name, d.pk)),
        assignments=assignments,
        replies=replies,
        communications=records.communications,  # with their unit
        deputy_signoffs=deputy_signoffs,
        revisits=records.revisits,
        timeline=timeline,
        handling=handling,
        merged=mine.merged,  # with their lead deputies
        group_size=len(handling.group_lead_deputy_ids()),
    )
