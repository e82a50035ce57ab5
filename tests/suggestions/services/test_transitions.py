"""The lifecycle's transitions, each made through its service.

For every transition: the allowed path and its effects, a wrong source state, a wrong
role, and the transition record written.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django_fsm import TransitionNotAllowed

from suggestions import services
from suggestions.models import (
    Assignment,
    ExtensionRequest,
    ReassignmentRequest,
    Redo,
    RevisitOutcome,
    SignOff,
    Suggestion,
)
from tests import factories, flows
from tests.flows import Cast

D = datetime.date
NOTE = "政治、法律、政策审查均已通过。"
REASON = "建议内容不属于本级人大职权范围。"
REQUEST_REASON = "该事项由市公安局交通警察支队主管，请求改派。"
EXTENSION_REASON = "涉及多部门协调，需延期办理。"
REDO_REASON = "代表对办理结果不满意，答复未回应核心诉求。"
REVISIT_NOTES = "现场查看，信号灯已安装，承诺事项已落实。"


# The transitions, each as: how to set up a suggestion it may start from, and how to make it.


def _proposed(cast: Cast) -> Suggestion:
    return flows.proposed(cast)


def _reviewed(cast: Cast) -> Suggestion:
    return flows.reviewed(cast)


def _assigned(cast: Cast) -> Suggestion:
    return flows.assigned(cast)


def _with_reassignment_request(cast: Cast) -> Suggestion:
    suggestion = flows.assigned(cast)
    services.reassignment_request(
        assignment=flows.lead(suggestion), by=cast.clerk, reason=REQUEST_REASON
    )
    return suggestion


def _with_extension_request(cast: Cast) -> Suggestion:
    suggestion = flows.assigned(cast)
    lead = flows.lead(suggestion)
    services.extension_request(
        assignment=lead,
        by=cast.clerk,
        reason=EXTENSION_REASON,
        until=lead.assigned_on + relativedelta(months=5),
    )
    return suggestion


def _ready_to_reply(cast: Cast) -> Suggestion:
    suggestion = flows.assigned(cast)
    flows.prepare_reply(cast, suggestion)
    return suggestion


def _handled(cast: Cast) -> Suggestion:
    return flows.handled(cast)


def _signed(cast: Cast) -> Suggestion:
    return flows.signed(cast)


def _revisited(cast: Cast) -> Suggestion:
    return flows.revisited(cast)


def _not_accepted(cast: Cast) -> Suggestion:
    suggestion = flows.proposed(cast)
    services.suggestion_reject(suggestion=suggestion, by=cast.staff, reason=REASON)
    return suggestion


def _handled_with_reassignment_request(cast: Cast) -> Suggestion:
    suggestion = _with_reassignment_request(cast)
    flows.prepare_reply(cast, suggestion)
    flows.reply(cast, suggestion)
    return suggestion


def _handled_with_extension_request(cast: Cast) -> Suggestion:
    suggestion = _with_extension_request(cast)
    flows.prepare_reply(cast, suggestion)
    flows.reply(cast, suggestion)
    return suggestion


def _pending(model, suggestion: Suggestion):
    return model.objects.get(assignment__suggestion=suggestion, decision=model.Decision.PENDING)


def _reply_as(cast: Cast, suggestion: Suggestion, by):
    return services.reply_submit(
        assignment=flows.lead(suggestion),
        by=by,
        classification="B",
        text="经研究，已列入年度计划。",
        document=factories.document(),
        commitments=[("年底前完成信号灯安装", timezone.localdate() + datetime.timedelta(days=60))],
    )


def _revisit_as(cast: Cast, suggestion: Suggestion, by):
    return services.revisit_record(
        suggestion=suggestion,
        by=by,
        outcomes={c: "kept" for c in suggestion.current_reply().commitments.all()},
        notes=REVISIT_NOTES,
        early_reason="承诺事项已提前完成。",
    )


@dataclass
class Step:
    arrange: Callable[[Cast], Suggestion]
    act: Callable[[Cast, Suggestion, object], object]
    actor: str
    source: str
    target: str
    description: str | None


STEPS = {
    "approve": Step(
        _proposed,
        lambda cast, s, by: services.suggestion_approve(suggestion=s, by=by, note=NOTE),
        "staff",
        "proposed",
        "reviewed",
        NOTE,
    ),
    "return_for_revision": Step(
        _proposed,
        lambda cast, s, by: services.suggestion_return_for_revision(
            suggestion=s, by=by, reason=REASON
        ),
        "staff",
        "proposed",
        "proposed",
        REASON,
    ),
    "reject": Step(
        _proposed,
        lambda cast, s, by: services.suggestion_reject(suggestion=s, by=by, reason=REASON),
        "staff",
        "proposed",
        "not_accepted",
        REASON,
    ),
    "withdraw": Step(
        _reviewed,
        lambda cast, s, by: services.suggestion_withdraw(suggestion=s, by=by, reason=REASON),
        "staff",
        "reviewed",
        "withdrawn",
        REASON,
    ),
    "assign": Step(
        _reviewed,
        lambda cast, s, by: services.suggestion_assign(
            suggestion=s, by=by, lead_unit=cast.lead_unit, co_units=[cast.co_unit]
        ),
        "staff",
        "reviewed",
        "assigned",
        None,
    ),
    "reassign": Step(
        _with_reassignment_request,
        lambda cast, s, by: services.reassignment_decide(
            request=_pending(ReassignmentRequest, s),
            by=by,
            approve=True,
            lead_unit=cast.other_unit,
        ),
        "staff",
        "assigned",
        "assigned",
        REQUEST_REASON,
    ),
    "extend": Step(
        _with_extension_request,
        lambda cast, s, by: services.extension_decide(
            request=_pending(ExtensionRequest, s), by=by, approve=True
        ),
        "staff",
        "assigned",
        "assigned",
        EXTENSION_REASON,
    ),
    "reply": Step(_ready_to_reply, _reply_as, "clerk", "assigned", "handled", None),
    "sign": Step(
        flows.awaiting_leader,
        lambda cast, s, by: services.signoff_record(
            suggestion=s, by=by, level=SignOff.Level.LEADER
        ),
        "leader",
        "handled",
        "signed",
        None,
    ),
    "order_redo": Step(
        _signed,
        lambda cast, s, by: services.suggestion_order_redo(suggestion=s, by=by, reason=REDO_REASON),
        "staff",
        "signed",
        "assigned",
        REDO_REASON,
    ),
    "revisit": Step(_signed, _revisit_as, "staff", "signed", "revisited", REVISIT_NOTES),
}


def _state(suggestion: Suggestion) -> str:
    return Suggestion.objects.values_list("state", flat=True).get(pk=suggestion.pk)


# Every transition: the allowed path moves the state and writes its record.


@pytest.mark.parametrize("name", list(STEPS))
def test_transition_moves_the_state_and_writes_its_record_when_allowed(cast, name):
    """Each transition, made by its role, reaches its target and records who, from, to and why."""
    step = STEPS[name]
    suggestion = step.arrange(cast)
    assert _state(suggestion) == step.source
    actor = flows.person(cast, step.actor)
    before = flows.transitions_of(suggestion).count()

    step.act(cast, suggestion, actor)

    assert _state(suggestion) == step.target
    records = flows.transitions_of(suggestion)
    assert records.count() == before + 1
    record = records.last()
    assert (record.by, record.transition) == (actor, name)
    assert (record.source_state, record.state) == (step.source, step.target)
    assert record.description == step.description


@pytest.mark.parametrize(
    ("name", "arrange"),
    [
        ("approve", _reviewed),  # already approved
        ("approve", _not_accepted),  # rejection is terminal
        ("return_for_revision", _reviewed),  # only a proposed suggestion goes back
        ("reject", _assigned),  # too late to reject once assigned
        ("withdraw", _assigned),  # withdrawal ends at review
        ("assign", _proposed),  # not reviewed yet
        ("assign", _assigned),  # assigned twice
        ("reassign", _handled_with_reassignment_request),  # the lead unit already replied
        ("extend", _handled_with_extension_request),  # the lead unit already replied
        ("reply", _handled),  # a second reply in the same round
        ("sign", _assigned),  # no reply to sign yet
        ("sign", _signed),  # already signed
        ("order_redo", _assigned),  # nothing replied to redo
        ("order_redo", _revisited),  # closed
        ("revisit", _handled),  # not signed off yet
    ],
)
def test_transition_refused_when_state_is_wrong(cast, name, arrange):
    """A transition from a state it does not leave raises TransitionNotAllowed; nothing changes."""
    step = STEPS[name]
    suggestion = arrange(cast)
    before = flows.snapshot(suggestion)

    with pytest.raises(TransitionNotAllowed):
        step.act(cast, suggestion, flows.person(cast, step.actor))

    assert flows.snapshot(suggestion) == before


@pytest.mark.parametrize(
    ("name", "role"),
    [
        ("approve", "clerk"),  # a unit clerk does not review
        ("approve", "leader"),  # nor does a government leader
        ("approve", "deputy"),  # the deputy cannot approve their own suggestion
        ("approve", "plain_staff"),  # staff outside the office and the reviewers
        ("return_for_revision", "clerk"),
        ("return_for_revision", "deputy"),
        ("reject", "clerk"),
        ("reject", "plain_staff"),
        ("withdraw", "reviewer"),  # reviewers review; the office records withdrawals
        ("withdraw", "deputy"),  # the deputy asks, the office withdraws
        ("assign", "reviewer"),  # a reviewer may not assign
        ("assign", "clerk"),
        ("reassign", "reviewer"),
        ("reassign", "clerk"),  # the unit that asked cannot grant its own request
        ("extend", "reviewer"),
        ("extend", "clerk"),  # the unit that asked cannot grant its own request
        ("reply", "co_clerk"),  # a co-handling unit does not reply
        ("reply", "other_clerk"),  # another unit
        ("reply", "leader"),  # the leader signs, the unit replies
        ("reply", "staff"),  # the office does not reply for the unit
        ("reply", "deputy"),
        ("sign", "other_leader"),  # the leader of another unit
        ("sign", "head"),  # the unit head signs at their own level only
        ("sign", "clerk"),
        ("sign", "staff"),
        ("order_redo", "reviewer"),
        ("order_redo", "clerk"),
        ("order_redo", "leader"),
        ("revisit", "reviewer"),
        ("revisit", "clerk"),
        ("revisit", "deputy"),
    ],
)
def test_transition_refused_when_role_is_wrong(cast, name, role):
    """A user whose role may not make a transition gets PermissionDenied, and nothing changes."""
    step = STEPS[name]
    suggestion = step.arrange(cast)
    before = flows.snapshot(suggestion)

    with pytest.raises(PermissionDenied):
        step.act(cast, suggestion, flows.person(cast, role))

    assert flows.snapshot(suggestion) == before


@pytest.mark.parametrize("name", ["approve", "return_for_revision", "reject"])
def test_review_transition_allowed_for_reviewer(cast, name):
    """A reviewer may approve, return and reject a proposed suggestion."""
    step = STEPS[name]
    suggestion = step.arrange(cast)
    reviewer = flows.person(cast, "reviewer")

    step.act(cast, suggestion, reviewer)

    assert _state(suggestion) == step.target
    assert flows.transitions_of(suggestion).last().by == reviewer


def test_approve_refused_when_reviewer_is_inactive(cast):
    """A deactivated reviewer can no longer approve."""
    suggestion = flows.proposed(cast)
    reviewer = flows.person(cast, "reviewer")
    reviewer.is_active = False
    reviewer.save()
    before = flows.snapshot(suggestion)

    with pytest.raises(PermissionDenied):
        services.suggestion_approve(suggestion=suggestion, by=reviewer)

    assert flows.snapshot(suggestion) == before


def _communicate(cast, suggestion, by):
    services.communication_record(
        assignment=flows.lead(suggestion),
        by=by,
        stage="during",
        method="phone",
        happened_on=timezone.localdate(),
        notes="电话沟通办理进展。",
    )


def _co_opinion(cast, suggestion, by):
    services.co_opinion_submit(assignment=flows.co(suggestion), by=by, text="建议增设标志标线。")


def _ask_reassignment(cast, suggestion, by):
    services.reassignment_request(assignment=flows.lead(suggestion), by=by, reason=REQUEST_REASON)


def _ask_extension(cast, suggestion, by):
    lead = flows.lead(suggestion)
    services.extension_request(
        assignment=lead, by=by, reason=EXTENSION_REASON, until=lead.due_on + relativedelta(months=1)
    )


@pytest.mark.parametrize(
    ("act", "role"),
    [
        (_communicate, "other_clerk"),  # another unit's clerk cannot communicate
        (_communicate, "co_clerk"),  # a co-handler records contacts on its own assignment only
        (_communicate, "deputy"),
        (_co_opinion, "clerk"),  # the lead unit does not send the co-unit's opinion
        (_co_opinion, "other_clerk"),
        (_ask_reassignment, "other_clerk"),  # only the assigned unit asks to be relieved
        (_ask_reassignment, "co_clerk"),
        (_ask_extension, "other_clerk"),
        (_ask_extension, "staff"),  # the office decides requests, the unit makes them
    ],
)
def test_unit_action_refused_when_user_is_not_of_the_unit(cast, act, role):
    """Only members of the assigned unit act on its assignment; others get PermissionDenied."""
    suggestion = flows.assigned(cast)
    before = flows.snapshot(suggestion)

    with pytest.raises(PermissionDenied):
        act(cast, suggestion, flows.person(cast, role))

    assert flows.snapshot(suggestion) == before


# The effects of each transition.


def test_approve_numbers_per_term_and_session_when_unnumbered(cast):
    """Approval numbers an unnumbered suggestion with the next number of its term and session."""
    first = flows.proposed(cast, term=16, session=3)
    other_session = flows.proposed(cast, term=16, session=4)
    second = flows.proposed(cast, term=16, session=3)
    other_term = flows.proposed(cast, term=17, session=3)

    for suggestion in (first, other_session, second, other_term):
        services.suggestion_approve(suggestion=suggestion, by=cast.staff)

    numbers = [
        Suggestion.objects.get(pk=s.pk).number for s in (first, second, other_session, other_term)
    ]
    assert numbers == ["1", "2", "1", "1"]


def test_approve_keeps_the_number_when_it_has_one(cast):
    """A number typed in at entry is kept, and the next given number skips it."""
    typed = flows.proposed(cast, number="1")
    unnumbered = flows.proposed(cast)

    services.suggestion_approve(suggestion=typed, by=cast.staff)
    services.suggestion_approve(suggestion=unnumbered, by=cast.staff)

    assert Suggestion.objects.get(pk=typed.pk).number == "1"
    assert Suggestion.objects.get(pk=unnumbered.pk).number == "2"


def test_return_for_revision_keeps_the_suggestion_proposed_and_unnumbered(cast):
    """A returned suggestion stays proposed, unnumbered, with the reason on its record."""
    suggestion = flows.proposed(cast)

    services.suggestion_return_for_revision(suggestion=suggestion, by=cast.staff, reason=REASON)

    fresh = Suggestion.objects.get(pk=suggestion.pk)
    assert (fresh.state, fresh.number) == ("proposed", "")
    assert flows.transitions_of(suggestion).last().description == REASON


@pytest.mark.parametrize("arrange", [_proposed, _reviewed])  # before and after review
def test_withdraw_ends_the_suggestion(cast, arrange):
    """A withdrawn suggestion is terminal and stays out of every rate."""
    suggestion = arrange(cast)

    services.suggestion_withdraw(suggestion=suggestion, by=cast.staff, reason=REASON)

    fresh = Suggestion.objects.get(pk=suggestion.pk)
    assert fresh.state == "withdrawn"
    assert fresh.counts_in_rates is False


def test_assign_counts_the_deadlines_from_the_meetings_date(cast):
    """A batch entered a week after the 交办会 gets the deadlines the law counts from the
    meeting, not from the day it was typed in."""
    with flows.on(D(2026, 3, 2)):
        suggestion = flows.reviewed(cast)
    with flows.on(D(2026, 3, 10)):
        services.suggestion_assign(
            suggestion=suggestion,
            by=cast.staff,
            lead_unit=cast.lead_unit,
            co_units=[cast.co_unit],
            assigned_on=D(2026, 3, 3),
        )
    by_unit = {a.unit: a for a in Suggestion.objects.get(pk=suggestion.pk).assignments.all()}
    lead, co = by_unit[cast.lead_unit], by_unit[cast.co_unit]
    assert (lead.assigned_on, lead.due_on, lead.due_basis["from"]) == (
        D(2026, 3, 3),
        D(2026, 6, 3),
        "2026-03-03",
    )
    assert (co.assigned_on, co.due_on) == (D(2026, 3, 3), D(2026, 4, 3))


@pytest.mark.parametrize(
    ("assigned_on", "code"),
    [
        (D(2026, 3, 11), "assigned_on_future"),  # tomorrow: no meeting has happened yet
        (D(2026, 3, 1), "assigned_before_approval"),  # before the suggestion was approved
    ],
)
def test_assign_refuses_a_meeting_date_in_the_future_or_before_approval(cast, assigned_on, code):
    """The 交办会's date is refused when it is in the future or before the approval; nothing
    is assigned."""
    with flows.on(D(2026, 3, 2)):
        suggestion = flows.reviewed(cast)
    with flows.on(D(2026, 3, 10)):
        before = flows.snapshot(suggestion)
        with pytest.raises(ValidationError) as excinfo:
            services.suggestion_assign(
                suggestion=suggestion,
                by=cast.staff,
                lead_unit=cast.lead_unit,
                assigned_on=assigned_on,
            )
    assert {e.code for e in excinfo.value.error_list} == {code}
    assert flows.snapshot(suggestion) == before


@pytest.mark.parametrize(
    ("complex_", "lead_due"),
    [
        (False, D(2026, 6, 10)),  # statutory: 3 months after assignment
        (True, D(2026, 9, 10)),  # complex: 6 months after assignment
    ],
)
def test_assign_opens_one_assignment_per_unit_with_its_deadline(cast, complex_, lead_due):
    """Assignment opens a lead and a co assignment, the lead due 3 (or 6) months later."""
    with flows.on(D(2026, 3, 10)):
        suggestion = flows.reviewed(cast)
        created = services.suggestion_assign(
            suggestion=suggestion,
            by=cast.staff,
            lead_unit=cast.lead_unit,
            co_units=[cast.co_unit],
            complex=complex_,
        )

    fresh = Suggestion.objects.get(pk=suggestion.pk)
    assert (fresh.state, fresh.round, fresh.complex) == ("assigned", 1, complex_)
    by_unit = {a.unit: a for a in fresh.assignments.all()}
    assert set(by_unit) == {cast.lead_unit, cast.co_unit}
    assert sorted(a.pk for a in created) == sorted(a.pk for a in by_unit.values())
    lead, co = by_unit[cast.lead_unit], by_unit[cast.co_unit]
    assert (lead.role, lead.assigned_on, lead.due_on, lead.original_due_on) == (
        Assignment.Role.LEAD,
        D(2026, 3, 10),
        lead_due,
        lead_due,
    )
    # A co-handling unit owes its opinion within one month of assignment.
    assert (co.role, co.assigned_on, co.due_on) == (
        Assignment.Role.CO,
        D(2026, 3, 10),
        D(2026, 4, 10),
    )


def test_reassign_closes_the_old_assignment_and_opens_a_new_one(cast):
    """An approved reassignment closes the lead's assignment and gives a new unit a new deadline."""
    with flows.on(D(2026, 3, 10)):
        suggestion = flows.assigned(cast)
    old = flows.lead(suggestion)
    with flows.on(D(2026, 3, 12)):
        request = services.reassignment_request(
            assignment=old, by=cast.clerk, reason=REQUEST_REASON
        )
    with flows.on(D(2026, 3, 13)):
        created = services.reassignment_decide(
            request=request, by=cast.staff, approve=True, lead_unit=cast.other_unit
        )

    old.refresh_from_db()
    assert (old.closed_on, old.close_reason) == (D(2026, 3, 13), Assignment.CloseReason.REASSIGNED)
    assert old.due_on == D(2026, 6, 10)  # the old unit's record stays as it was
    new = flows.lead(suggestion)
    assert created == [new]
    assert (new.unit, new.assigned_on, new.due_on, new.original_due_on) == (
        cast.other_unit,
        D(2026, 3, 13),
        D(2026, 6, 13),
        D(2026, 6, 13),
    )
    request.refresh_from_db()
    assert (request.decision, request.decided_by) == ("approved", cast.staff)
    assert _state(suggestion) == "assigned"


def test_reassign_replaces_a_co_unit_and_keeps_the_lead(cast):
    """Relieving a co-handler closes its assignment and opens one for the new co-unit."""
    with flows.on(D(2026, 3, 10)):
        suggestion = flows.assigned(cast)
        lead_before = flows.lead(suggestion)
        request = services.reassignment_request(
            assignment=flows.co(suggestion), by=cast.co_clerk, reason=REQUEST_REASON
        )
        services.reassignment_decide(
            request=request, by=cast.staff, approve=True, co_units=[cast.other_unit]
        )

    open_ = {a.unit: a.role for a in suggestion.open_assignments()}
    assert open_ == {cast.lead_unit: Assignment.Role.LEAD, cast.other_unit: Assignment.Role.CO}
    assert flows.lead(suggestion).pk == lead_before.pk
    closed = suggestion.assignments.get(unit=cast.co_unit)
    assert closed.close_reason == Assignment.CloseReason.REASSIGNED


def test_extend_moves_the_deadline_and_keeps_the_original(cast):
    """An approved extension moves due_on; original_due_on still shows the first deadline."""
    with flows.on(D(2026, 3, 10)):
        suggestion = flows.assigned(cast)
    lead = flows.lead(suggestion)
    with flows.on(D(2026, 4, 1)):
        request = services.extension_request(
            assignment=lead, by=cast.clerk, reason=EXTENSION_REASON, until=D(2026, 8, 10)
        )
    with flows.on(D(2026, 4, 2)):
        services.extension_decide(request=request, by=cast.staff, approve=True)

    lead.refresh_from_db()
    assert (lead.due_on, lead.original_due_on) == (D(2026, 8, 10), D(2026, 6, 10))
    assert lead.is_extended
    request.refresh_from_db()
    assert request.decision == "approved"


def test_reply_records_the_answer_and_its_commitments(cast):
    """A reply moves the suggestion to handled and keeps its class, document and commitments."""
    with flows.on(D(2026, 3, 10)):
        suggestion = _ready_to_reply(cast)
    with flows.on(D(2026, 5, 20)):
        reply = services.reply_submit(
            assignment=flows.lead(suggestion),
            by=cast.clerk,
            classification="C",
            text="受资金条件限制，暂时无法实施，已向代表说明。",
            document=factories.document(),
            commitments=[("纳入明年预算申报", D(2026, 12, 31)), ("先行施划斑马线", D(2026, 7, 1))],
        )

    assert _state(suggestion) == "handled"
    reply.refresh_from_db()
    assert (reply.round, reply.classification, reply.submitted_by) == (1, "C", cast.clerk)
    assert (reply.due_on, reply.on_time) == (D(2026, 6, 10), True)
    assert reply.document.name.startswith("replies/2026/05/")
    assert sorted(reply.commitments.values_list("text", "due_on")) == [
        ("先行施划斑马线", D(2026, 7, 1)),
        ("纳入明年预算申报", D(2026, 12, 31)),
    ]


@pytest.mark.parametrize(
    ("replied_on", "on_time"),
    [
        (D(2026, 6, 10), True),  # on the deadline day
        (D(2026, 6, 11), False),  # one day late
    ],
)
def test_reply_on_time_is_judged_against_the_deadline(cast, replied_on, on_time):
    """A reply is on time up to and including its deadline day."""
    with flows.on(D(2026, 3, 10)):
        suggestion = _ready_to_reply(cast)
    with flows.on(replied_on):
        reply = flows.reply(cast, suggestion)

    reply.refresh_from_db()
    assert (reply.due_on, reply.on_time) == (D(2026, 6, 10), on_time)


@pytest.mark.parametrize(
    ("moment", "on_time"),
    [
        # 23:30 in Beijing on the deadline day (15:30 UTC): still that day
        (datetime.datetime(2026, 6, 10, 23, 30, tzinfo=flows.BEIJING), True),
        # 00:30 in Beijing the day after (still 10 June in UTC): late
        (datetime.datetime(2026, 6, 11, 0, 30, tzinfo=flows.BEIJING), False),
    ],
)
def test_reply_on_time_is_judged_on_the_beijing_calendar(cast, moment, on_time):
    """The deadline day ends at midnight Beijing time, not UTC."""
    with flows.on(D(2026, 3, 10)):
        suggestion = _ready_to_reply(cast)
    with time_machine.travel(moment, tick=False):
        reply = flows.reply(cast, suggestion)

    reply.refresh_from_db()
    assert reply.on_time is on_time


def test_reply_stays_late_when_the_deadline_later_moves(cast):
    """A late reply stays late after a redo gives the unit a later deadline."""
    with flows.on(D(2026, 3, 10)):
        suggestion = _ready_to_reply(cast)
    with flows.on(D(2026, 6, 11)):
        late = flows.reply(cast, suggestion)
    with flows.on(D(2026, 6, 20)):
        services.suggestion_order_redo(suggestion=suggestion, by=cast.staff, reason=REDO_REASON)

    assert flows.lead(suggestion).due_on == D(2026, 7, 20)
    late.refresh_from_db()
    assert (late.due_on, late.on_time) == (D(2026, 6, 10), False)


def test_reply_stays_on_time_when_a_later_round_is_late(cast):
    """An on-time reply stays on time after its redo round is replied to late."""
    with flows.on(D(2026, 3, 10)):
        suggestion = _ready_to_reply(cast)
    with flows.on(D(2026, 6, 1)):
        first = flows.reply(cast, suggestion)
    with flows.on(D(2026, 6, 2)):
        services.suggestion_order_redo(suggestion=suggestion, by=cast.staff, reason=REDO_REASON)
    with flows.on(D(2026, 8, 1)):
        flows.prepare_reply(cast, suggestion)
        second = flows.reply(cast, suggestion)

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.round, first.due_on, first.on_time) == (1, D(2026, 6, 10), True)
    assert (second.round, second.due_on, second.on_time) == (2, D(2026, 7, 2), False)


def test_sign_happens_at_the_third_signature(cast):
    """The suggestion is signed only when the leader adds the third sign-off."""
    suggestion = flows.handled(cast)
    ratings = {"work_rating": "satisfied", "result_rating": "basically_satisfied"}
    signers = [
        (cast.deputy.user, SignOff.Level.DEPUTY, ratings),
        (cast.head, SignOff.Level.UNIT_HEAD, {}),
        (cast.leader, SignOff.Level.LEADER, {}),
    ]
    states = []
    for by, level, given in signers:
        services.signoff_record(suggestion=suggestion, by=by, level=level, **given)
        states.append(_state(suggestion))

    assert states == ["handled", "handled", "signed"]
    reply = suggestion.current_reply()
    assert list(suggestion.signoffs.values_list("level", "signer", "round", "reply")) == [
        ("deputy", cast.deputy.user.pk, 1, reply.pk),
        ("unit_head", cast.head.pk, 1, reply.pk),
        ("leader", cast.leader.pk, 1, reply.pk),
    ]
    deputy_signoff = suggestion.signoffs.get(level="deputy")
    assert (deputy_signoff.work_rating, deputy_signoff.result_rating) == (
        "satisfied",
        "basically_satisfied",
    )


@pytest.mark.parametrize(
    "arrange",
    [
        _handled,  # the reply does not conform
        _signed,  # after the deputy's sign-off
    ],
)
def test_order_redo_opens_a_new_round_with_a_one_month_deadline(cast, arrange):
    """A redo reopens handling in a new round due a month later; the old reply stays."""
    with flows.on(D(2026, 3, 10)):
        suggestion = arrange(cast)
    old_reply = suggestion.current_reply()
    with flows.on(D(2026, 4, 15)):
        redo = services.suggestion_order_redo(
            suggestion=suggestion, by=cast.staff, reason=REDO_REASON
        )

    fresh = Suggestion.objects.get(pk=suggestion.pk)
    assert (fresh.state, fresh.round) == ("assigned", 2)
    lead = flows.lead(suggestion)
    assert (lead.due_on, lead.original_due_on) == (D(2026, 5, 15), D(2026, 6, 10))
    assert (redo.round, redo.unit, redo.due_on, redo.reason, redo.ordered_by) == (
        2,
        cast.lead_unit,
        D(2026, 5, 15),
        REDO_REASON,
        cast.staff,
    )
    assert redo.grounds == Redo.Grounds.NONCONFORMING
    old_reply.refresh_from_db()
    assert old_reply.round == 1
    assert fresh.current_reply() is None


def test_order_redo_counts_the_deputy_dissatisfied(cast):
    """A redo after a dissatisfied deputy's sign-off is recorded on those grounds."""
    suggestion = flows.handled(cast)
    flows.sign_all(cast, suggestion, rating=SignOff.Rating.DISSATISFIED)

    redo = services.suggestion_order_redo(suggestion=suggestion, by=cast.staff, reason=REDO_REASON)

    assert redo.grounds == Redo.Grounds.DISSATISFIED


def test_order_redo_allows_a_new_reply_and_sign_off_in_the_new_round(cast):
    """After a redo the lead unit replies again; both replies are kept, each in its round."""
    suggestion = flows.signed(cast)
    first = suggestion.current_reply()
    services.suggestion_order_redo(suggestion=suggestion, by=cast.staff, reason=REDO_REASON)

    flows.prepare_reply(cast, suggestion)
    second = flows.reply(cast, suggestion, classification="A")
    flows.sign_all(cast, suggestion)

    assert _state(suggestion) == "signed"
    assert list(suggestion.replies.values_list("pk", "round", "classification")) == [
        (first.pk, 1, "B"),
        (second.pk, 2, "A"),
    ]
    assert suggestion.current_reply() == second
    assert suggestion.signoffs.filter(round=1).count() == 3
    assert suggestion.signoffs.filter(round=2, reply=second).count() == 3


def test_revisit_records_an_outcome_per_commitment_and_closes(cast):
    """A revisit stores what it found for each commitment and closes the suggestion."""
    suggestion = _ready_to_reply(cast)
    today = timezone.localdate()
    services.reply_submit(
        assignment=flows.lead(suggestion),
        by=cast.clerk,
        classification="B",
        text="已列入年度计划。",
        document=factories.document(),
        commitments=[
            ("安装信号灯", today + datetime.timedelta(days=30)),
            ("施划减速带", today + datetime.timedelta(days=60)),
        ],
    )
    flows.sign_all(cast, suggestion)
    lights, bumps = suggestion.current_reply().commitments.order_by("due_on")

    revisit = services.revisit_record(
        suggestion=suggestion,
        by=cast.staff,
        outcomes={lights: "kept", bumps: "not_kept"},
        notes=REVISIT_NOTES,
        decision="close",
        early_reason="承诺事项已提前完成。",
    )

    assert _state(suggestion) == "revisited"
    assert (revisit.reply, revisit.notes, revisit.recorded_by) == (
        suggestion.current_reply(),
        REVISIT_NOTES,
        cast.staff,
    )
    assert dict(
        RevisitOutcome.objects.filter(revisit=revisit).values_list("commitment", "outcome")
    ) == {lights.pk: "kept", bumps.pk: "not_kept"}


def test_revisit_closes_a_reply_without_commitments(cast):
    """An A reply has no commitments to check: the revisit closes it with its notes."""
    suggestion = flows.signed(cast, classification="A")

    services.revisit_record(suggestion=suggestion, by=cast.staff, outcomes={}, notes=REVISIT_NOTES)

    assert _state(suggestion) == "revisited"


# The state machine as a whole.

DESIGN_TRANSITIONS = {
    # (name, source, target), as the lifecycle table of DESIGN.md lists them.
    ("approve", "proposed", "reviewed"),
    ("return_for_revision", "proposed", "proposed"),
    ("reject", "proposed", "not_accepted"),
    ("withdraw", "proposed", "withdrawn"),
    ("withdraw", "reviewed", "withdrawn"),
    ("assign", "reviewed", "assigned"),
    ("reassign", "assigned", "assigned"),
    ("extend", "assigned", "assigned"),
    ("reply", "assigned", "handled"),
    ("sign", "handled", "signed"),
    ("order_redo", "handled", "assigned"),
    ("order_redo", "signed", "assigned"),
    ("revisit", "signed", "revisited"),
    ("merge", "proposed", "merged"),
    ("merge", "reviewed", "merged"),
    # An unmerge gives the suggestion back the state it had before its merge.
    ("unmerge", "merged", ("proposed", "reviewed")),
}


def _all_transitions():
    return list(Suggestion._meta.get_field("state").get_all_transitions(Suggestion))


def test_every_transition_names_a_permission():
    """No transition is left open to everyone: each one names a permission callable."""
    transitions = _all_transitions()
    assert transitions
    unguarded = sorted({t.name for t in transitions if not callable(t.permission)})
    assert unguarded == []


def test_transition_names_are_those_of_the_design():
    """The state machine has exactly the transitions the design names."""
    assert {t.name for t in _all_transitions()} == {name for name, _, _ in DESIGN_TRANSITIONS}


def test_transition_sources_and_targets_are_those_of_the_design():
    """Each transition goes from and to exactly the states the design gives it."""

    def target(transition):
        states = getattr(transition.target, "allowed_states", None)
        return tuple(states) if states else transition.target

    assert {(t.name, t.source, target(t)) for t in _all_transitions()} == DESIGN_TRANSITIONS


def test_state_refuses_direct_assignment(cast):
    """Setting suggestion.state directly raises AttributeError; only transitions change it."""
    suggestion = flows.proposed(cast)
    fetched = Suggestion.objects.get(pk=suggestion.pk)

    for instance in (suggestion, fetched):
        with pytest.raises(AttributeError):
            instance.state = Suggestion.State.SIGNED

    assert _state(suggestion) == "proposed"


@pytest.fixture
def superuser(db):
    return factories.UserFactory(username="admin", is_staff=True, is_superuser=True)


def test_admin_shows_state_read_only(cast, superuser):
    """The admin's suggestion form shows the state but offers no field to edit it."""
    suggestion = flows.proposed(cast)
    model_admin = admin.site._registry[Suggestion]
    request = RequestFactory().get("/")
    request.user = superuser

    assert "state" in model_admin.get_readonly_fields(request, suggestion)
    assert "state" not in model_admin.get_form(request, suggestion).base_fields


def test_admin_change_form_leaves_state_unchanged_when_posted(cast, superuser, client):
    """Posting state=signed to the admin change view saves the other fields, not the state."""
    suggestion = flows.proposed(cast)
    client.force_login(superuser)
    url = reverse("admin:suggestions_suggestion_change", args=[suggestion.pk])
    before = flows.transitions_of(suggestion).count()

    response = client.post(
        url,
        {
            "term": suggestion.term,
            "session": suggestion.session,
            "number": "",
            "title": "关于增设学校周边交通信号灯和减速带的建议",
            "content": suggestion.content,
            "category": "",
            "delegation": suggestion.delegation,
            "lead_deputy": suggestion.lead_deputy_id,
            "co_deputies": [cast.co_deputy.pk],
            "raised_on": suggestion.raised_on.isoformat(),
            "merged_into": "",
            "state": "signed",
            "round": "3",
            "assignments-TOTAL_FORMS": "0",
            "assignments-INITIAL_FORMS": "0",
            "assignments-MIN_NUM_FORMS": "0",
            "assignments-MAX_NUM_FORMS": "1000",
            "_save": "保存",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    fresh = Suggestion.objects.get(pk=suggestion.pk)
    assert fresh.title == "关于增设学校周边交通信号灯和减速带的建议"  # the form was saved
    assert (fresh.state, fresh.round) == ("proposed", 0)
    assert flows.transitions_of(suggestion).count() == before
