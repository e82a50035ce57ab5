"""The conditions that must hold before a step: each refusal names its condition by code.

A refused step raises ``ValidationError`` (or ``PermissionDenied`` for the wrong person)
and changes nothing.
"""

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django_fsm import TransitionNotAllowed

from suggestions import services
from suggestions.models import SignOff
from tests import factories, flows

D = datetime.date
REASON = "建议内容不属于本级人大职权范围。"


EARLY = "承诺事项已提前完成。"


def _codes(excinfo) -> set[str]:
    """The codes of a ValidationError's errors; every error also carries a message."""
    errors = excinfo.value.error_list
    assert all(str(e.message).strip() for e in errors)
    return {e.code for e in errors}


def _reply(suggestion, by, **overrides):
    kwargs = {
        "classification": "B",
        "text": "经研究，已列入年度计划。",
        "document": factories.document(),
        "commitments": [
            ("年底前完成信号灯安装", timezone.localdate() + datetime.timedelta(days=90))
        ],
    }
    kwargs.update(overrides)
    return services.reply_submit(assignment=flows.lead(suggestion), by=by, **kwargs)


def _communicate(cast, suggestion):
    services.communication_record(
        assignment=flows.lead(suggestion),
        by=cast.clerk,
        stage="before",
        method="visit",
        happened_on=timezone.localdate(),
        notes="走访代表，了解建议背景。",
    )


# The reply.


def test_reply_refused_when_no_communication(cast):
    """No reply before at least one communication with the deputy is recorded."""
    suggestion = flows.assigned(cast, co=False)
    before = flows.snapshot(suggestion)

    with pytest.raises(ValidationError) as excinfo:
        _reply(suggestion, cast.clerk)

    assert _codes(excinfo) == {"no_communication"}
    assert flows.snapshot(suggestion) == before


def test_reply_refused_when_a_co_unit_has_not_sent_its_opinion(cast):
    """No reply before every co-handling unit has sent its opinion; the message names the unit."""
    suggestion = flows.assigned(cast)
    _communicate(cast, suggestion)
    before = flows.snapshot(suggestion)

    with pytest.raises(ValidationError) as excinfo:
        _reply(suggestion, cast.clerk)

    assert _codes(excinfo) == {"co_opinions_missing"}
    assert cast.co_unit.name in excinfo.value.messages[0]
    assert flows.snapshot(suggestion) == before


@pytest.mark.parametrize("document", [None, ""])  # no file at all, an empty upload field
def test_reply_refused_when_document_missing(cast, document):
    """No reply without the signed reply document attached."""
    suggestion = flows.assigned(cast)
    flows.prepare_reply(cast, suggestion)
    before = flows.snapshot(suggestion)

    with pytest.raises(ValidationError) as excinfo:
        _reply(suggestion, cast.clerk, document=document)

    assert _codes(excinfo) == {"document_required"}
    assert flows.snapshot(suggestion) == before


@pytest.mark.parametrize("classification", ["B", "C"])  # the two classes that promise something
def test_reply_refused_when_b_or_c_has_no_commitments(cast, classification):
    """A B or C reply must list its commitments with their dates."""
    suggestion = flows.assigned(cast)
    flows.prepare_reply(cast, suggestion)
    before = flows.snapshot(suggestion)

    with pytest.raises(ValidationError) as excinfo:
        _reply(suggestion, cast.clerk, classification=classification, commitments=[])

    assert _codes(excinfo) == {"commitments_required"}
    assert flows.snapshot(suggestion) == before


@pytest.mark.parametrize(
    "commitment",
    [
        ("年底前完成信号灯安装", None),  # no date
        ("年底前完成信号灯安装", "2026-12-31"),  # a text, not a date
        ("   ", D(2026, 12, 31)),  # a date, but nothing promised
        ("年底前完成信号灯安装", D(2026, 3, 1)),  # due before the reply
    ],
)
def test_reply_refused_when_a_commitment_is_not_dated(cast, commitment):
    """Every commitment needs a text and a due date that is not in the past."""
    with flows.on(D(2026, 3, 10)):
        suggestion = flows.assigned(cast)
        flows.prepare_reply(cast, suggestion)
        before = flows.snapshot(suggestion)

        with pytest.raises(ValidationError) as excinfo:
            _reply(suggestion, cast.clerk, commitments=[commitment])

    assert _codes(excinfo) == {"bad_commitment"}
    assert flows.snapshot(suggestion) == before


@pytest.mark.parametrize("classification", ["A", "D"])  # solved; kept for reference
def test_reply_accepted_without_commitments_when_a_or_d(cast, classification):
    """An A or D reply needs no commitments."""
    suggestion = flows.assigned(cast)
    flows.prepare_reply(cast, suggestion)

    reply = _reply(suggestion, cast.clerk, classification=classification, commitments=[])

    assert reply.commitments.count() == 0
    assert suggestion.replies.get().classification == classification


def test_reply_refused_when_a_co_unit_replies_on_its_own_assignment(cast):
    """A co-handling unit sends an opinion; it cannot reply, even on its own assignment."""
    suggestion = flows.assigned(cast)
    flows.prepare_reply(cast, suggestion)
    before = flows.snapshot(suggestion)

    with pytest.raises(PermissionDenied):
        services.reply_submit(
            assignment=flows.co(suggestion),
            by=cast.co_clerk,
            classification="A",
            text="已解决。",
            document=factories.document(),
        )

    assert flows.snapshot(suggestion) == before


def test_reply_reports_every_failed_condition_at_once(cast):
    """A reply missing several things is refused with one error per failed condition."""
    suggestion = flows.assigned(cast)
    before = flows.snapshot(suggestion)

    with pytest.raises(ValidationError) as excinfo:
        _reply(suggestion, cast.clerk, text=" ", document=None, commitments=[])

    assert _codes(excinfo) == {
        "co_opinions_missing",
        "no_communication",
        "text_required",
        "document_required",
        "commitments_required",
    }
    assert flows.snapshot(suggestion) == before


# The three sign-offs.


def _sign(suggestion, by, level, **kwargs):
    if level == SignOff.Level.DEPUTY:
        kwargs.setdefault("work_rating", "satisfied")
        kwargs.setdefault("result_rating", "satisfied")
    return services.signoff_record(suggestion=suggestion, by=by, level=level, **kwargs)


def _signed_up_to(cast, suggestion, level):
    """Give the sign-offs that come before ``level``, in order."""
    signers = {"deputy": cast.deputy.user, "unit_head": cast.head, "leader": cast.leader}
    order = ["deputy", "unit_head", "leader"]
    for earlier in order[: order.index(level)]:
        _sign(suggestion, signers[earlier], earlier)


@pytest.mark.parametrize(
    ("signed", "role", "level"),
    [
        ([], "head", "unit_head"),  # the unit head before the deputy
        ([], "leader", "leader"),  # the leader first of all
        (["deputy"], "leader", "leader"),  # the leader before the unit head
    ],
)
def test_signoff_refused_when_out_of_order(cast, signed, role, level):
    """Sign-offs come in order: the deputy, then the unit head, then the leader."""
    suggestion = flows.handled(cast)
    signers = {"deputy": cast.deputy.user, "unit_head": cast.head}
    for earlier in signed:
        _sign(suggestion, signers[earlier], earlier)
    before = flows.snapshot(suggestion)

    with pytest.raises(ValidationError) as excinfo:
        _sign(suggestion, flows.person(cast, role), level)

    assert _codes(excinfo) == {"out_of_order"}
    assert flows.snapshot(suggestion) == before


@pytest.mark.parametrize(
    ("level", "role"),
    [
        ("deputy", "other_deputy"),  # a deputy who has nothing to do with it
        ("deputy", "co_deputy"),  # a co-signer sees the sign-off but does not sign
        ("deputy", "staff"),  # the office does not sign for the deputy
        ("deputy", "clerk"),
        ("unit_head", "other_head"),  # another unit's head
        ("unit_head", "co_head"),  # the co-handling unit's head
        ("unit_head", "clerk"),  # a clerk of the lead unit is not its head
        ("unit_head", "leader"),
        ("leader", "other_leader"),  # another unit's supervising leader
        ("leader", "head"),
        ("leader", "staff"),
    ],
)
def test_signoff_refused_when_signer_is_wrong(cast, level, role):
    """Only the lead deputy, the lead unit's head and its leader sign, each at their level."""
    suggestion = flows.handled(cast)
    _signed_up_to(cast, suggestion, level)
    before = flows.snapshot(suggestion)

    with pytest.raises(PermissionDenied):
        _sign(suggestion, flows.person(cast, role), level)

    assert flows.snapshot(suggestion) == before


@pytest.mark.parametrize(
    ("level", "role"),
    [
        ("deputy", "deputy"),  # the deputy signs again, e.g. to change the rating
        ("unit_head", "head"),
    ],
)
def test_signoff_refused_when_level_already_signed(cast, level, role):
    """A level signs once per round; a second signature is refused."""
    suggestion = flows.handled(cast)
    _signed_up_to(cast, suggestion, level)
    _sign(suggestion, flows.person(cast, role), level)
    before = flows.snapshot(suggestion)

    with pytest.raises(ValidationError) as excinfo:
        _sign(suggestion, flows.person(cast, role), level, opinion="重新签署")

    assert _codes(excinfo) == {"already_signed"}
    assert flows.snapshot(suggestion) == before


@pytest.mark.parametrize(
    ("work", "result", "opinion"),
    [
        ("dissatisfied", "satisfied", ""),  # dissatisfied with the work, no reason
        ("satisfied", "dissatisfied", "   "),  # dissatisfied with the result, a blank reason
        ("dissatisfied", "dissatisfied", ""),  # both
    ],
)
def test_signoff_refused_when_dissatisfied_without_reason(cast, work, result, opinion):
    """A dissatisfied rating needs the deputy's reason."""
    suggestion = flows.handled(cast)
    before = flows.snapshot(suggestion)

    with pytest.raises(ValidationError) as excinfo:
        _sign(
            suggestion,
            cast.deputy.user,
            "deputy",
            work_rating=work,
            result_rating=result,
            opinion=opinion,
        )

    assert _codes(excinfo) == {"dissatisfied_reason_required"}
    assert flows.snapshot(suggestion) == before


def test_signoff_accepted_when_dissatisfied_with_reason(cast):
    """A dissatisfied rating with its reason is recorded as given."""
    suggestion = flows.handled(cast)

    signoff = _sign(
        suggestion,
        cast.deputy.user,
        "deputy",
        work_rating="basically_satisfied",
        result_rating="dissatisfied",
        opinion="信号灯仍未安装。",
    )

    assert signoff.is_dissatisfied
    assert signoff.opinion == "信号灯仍未安装。"


@pytest.mark.parametrize(
    ("work", "result"),
    [
        (None, None),  # no ratings
        ("satisfied", None),  # the result is not rated
        ("satisfied", "very_satisfied"),  # not one of the three ratings
    ],
)
def test_signoff_refused_when_deputy_does_not_rate_both(cast, work, result):
    """The deputy rates both the handling work and the result."""
    suggestion = flows.handled(cast)
    before = flows.snapshot(suggestion)

    with pytest.raises(ValidationError) as excinfo:
        _sign(suggestion, cast.deputy.user, "deputy", work_rating=work, result_rating=result)

    assert _codes(excinfo) == {"ratings_required"}
    assert flows.snapshot(suggestion) == before


def test_signoff_refused_when_unit_head_rates(cast):
    """Only the deputy gives ratings."""
    suggestion = flows.handled(cast)
    _signed_up_to(cast, suggestion, "unit_head")
    before = flows.snapshot(suggestion)

    with pytest.raises(ValidationError) as excinfo:
        _sign(suggestion, cast.head, "unit_head", work_rating="satisfied")

    assert _codes(excinfo) == {"ratings_not_allowed"}
    assert flows.snapshot(suggestion) == before


# The revisit.


def _signed_with_two_commitments(cast):
    suggestion = flows.assigned(cast)
    flows.prepare_reply(cast, suggestion)
    today = timezone.localdate()
    _reply(
        suggestion,
        cast.clerk,
        commitments=[
            ("安装信号灯", today + datetime.timedelta(days=30)),
            ("施划减速带", today + datetime.timedelta(days=60)),
        ],
    )
    flows.sign_all(cast, suggestion)
    return suggestion


def test_revisit_refused_until_every_commitment_has_an_outcome(cast):
    """No revisit while a commitment of the reply has no outcome; the message names it."""
    suggestion = _signed_with_two_commitments(cast)
    lights, bumps = suggestion.current_reply().commitments.order_by("due_on")
    before = flows.snapshot(suggestion)

    with pytest.raises(ValidationError) as excinfo:
        services.revisit_record(
            suggestion=suggestion,
            by=cast.staff,
            outcomes={lights: "kept"},
            notes="现场查看。",
            early_reason=EARLY,
        )

    assert _codes(excinfo) == {"commitments_unchecked"}
    assert "施划减速带" in excinfo.value.messages[0]
    assert flows.snapshot(suggestion) == before


def test_revisit_refused_when_an_outcome_is_for_an_earlier_reply(cast):
    """Outcomes are for the current reply's commitments, not those of a reply redone since."""
    suggestion = flows.signed(cast)
    old = suggestion.current_reply().commitments.get()
    services.suggestion_order_redo(suggestion=suggestion, by=cast.staff, reason=REASON)
    flows.prepare_reply(cast, suggestion)
    flows.reply(cast, suggestion)
    flows.sign_all(cast, suggestion)
    current = suggestion.current_reply().commitments.get()
    before = flows.snapshot(suggestion)

    with pytest.raises(ValidationError) as excinfo:
        services.revisit_record(
            suggestion=suggestion,
            by=cast.staff,
            outcomes={old: "kept", current: "kept"},
            notes="现场查看。",
            early_reason=EARLY,
        )

    assert _codes(excinfo) == {"unknown_commitment"}
    assert flows.snapshot(suggestion) == before


@pytest.mark.parametrize(
    ("outcome", "notes", "code"),
    [
        ("kept", "  ", "notes_required"),  # the revisit's notes are required
        ("mostly_kept", "现场查看。", "bad_outcome"),  # kept, partly kept or not kept only
    ],
)
def test_revisit_refused_when_record_is_incomplete(cast, outcome, notes, code):
    """A revisit needs its notes and a known outcome for each commitment."""
    suggestion = flows.signed(cast)
    commitment = suggestion.current_reply().commitments.get()
    before = flows.snapshot(suggestion)

    with pytest.raises(ValidationError) as excinfo:
        services.revisit_record(
            suggestion=suggestion,
            by=cast.staff,
            outcomes={commitment: outcome},
            notes=notes,
            early_reason=EARLY,
            decision="close",
        )

    assert _codes(excinfo) == {code}
    assert flows.snapshot(suggestion) == before


# Reassignment and extension requests.


def test_reassignment_request_refused_after_the_window(cast):
    """A unit may ask for reassignment within 7 working days of assignment, not after."""
    with flows.on(D(2026, 3, 9)):  # a Monday; the 7th working day after it is Wednesday 18th
        suggestion = flows.assigned(cast)
    before = flows.snapshot(suggestion)

    with flows.on(D(2026, 3, 19)), pytest.raises(ValidationError) as excinfo:
        services.reassignment_request(
            assignment=flows.lead(suggestion), by=cast.clerk, reason="不属于本单位职责。"
        )

    assert _codes(excinfo) == {"window_closed"}
    assert "2026-03-18" in excinfo.value.messages[0]
    assert flows.snapshot(suggestion) == before


def test_reassignment_request_accepted_on_the_last_day_of_the_window(cast):
    """A request on the window's last working day is accepted and waits for the office."""
    with flows.on(D(2026, 3, 9)):
        suggestion = flows.assigned(cast)

    with flows.on(D(2026, 3, 18)):
        request = services.reassignment_request(
            assignment=flows.lead(suggestion), by=cast.clerk, reason="不属于本单位职责。"
        )

    assert request.decision == "pending"
    assert request.requested_by == cast.clerk


def test_reassignment_request_refused_when_one_is_waiting(cast):
    """A unit has at most one reassignment request waiting per assignment."""
    suggestion = flows.assigned(cast)
    lead = flows.lead(suggestion)
    services.reassignment_request(assignment=lead, by=cast.clerk, reason="不属于本单位职责。")
    before = flows.snapshot(suggestion)

    with pytest.raises(ValidationError) as excinfo:
        services.reassignment_request(assignment=lead, by=cast.head, reason="再次申请。")

    assert _codes(excinfo) == {"request_pending"}
    assert flows.snapshot(suggestion) == before


@pytest.mark.parametrize(
    ("until", "code"),
    [
        (D(2026, 9, 11), "past_limit"),  # one day past 6 months after assignment
        (D(2027, 3, 10), "past_limit"),  # a year after
        (D(2026, 6, 10), "not_later"),  # the current deadline itself
        (D(2026, 5, 1), "not_later"),  # earlier than the current deadline
    ],
)
def test_extension_request_refused_when_outside_the_limits(cast, until, code):
    """An extension moves the deadline later, and never past 6 months after assignment."""
    with flows.on(D(2026, 3, 10)):
        suggestion = flows.assigned(cast)
    before = flows.snapshot(suggestion)

    with flows.on(D(2026, 5, 1)), pytest.raises(ValidationError) as excinfo:
        services.extension_request(
            assignment=flows.lead(suggestion), by=cast.clerk, reason="情况复杂。", until=until
        )

    assert _codes(excinfo) == {code}
    assert flows.snapshot(suggestion) == before


def test_extension_request_accepted_up_to_6_months_after_assignment(cast):
    """The latest deadline an extension may ask for is 6 months after assignment."""
    with flows.on(D(2026, 3, 10)):
        suggestion = flows.assigned(cast)

    with flows.on(D(2026, 5, 1)):
        request = services.extension_request(
            assignment=flows.lead(suggestion),
            by=cast.clerk,
            reason="情况复杂。",
            until=D(2026, 9, 10),
        )

    assert (request.until, request.decision) == (D(2026, 9, 10), "pending")


# Reasons, units and communications.


def _return(cast, s, reason):
    services.suggestion_return_for_revision(suggestion=s, by=cast.staff, reason=reason)


def _reject(cast, s, reason):
    services.suggestion_reject(suggestion=s, by=cast.staff, reason=reason)


def _withdraw(cast, s, reason):
    services.suggestion_withdraw(suggestion=s, by=cast.staff, reason=reason)


def _redo(cast, s, reason):
    services.suggestion_order_redo(suggestion=s, by=cast.staff, reason=reason)


def _ask_reassignment(cast, s, reason):
    services.reassignment_request(assignment=flows.lead(s), by=cast.clerk, reason=reason)


@pytest.mark.parametrize(
    ("act", "arrange"),
    [
        (_return, flows.proposed),  # the deputy must see why
        (_reject, flows.proposed),
        (_withdraw, flows.reviewed),
        (_redo, flows.handled),
        (_ask_reassignment, flows.assigned),
    ],
)
@pytest.mark.parametrize("reason", ["", "  \n"])  # empty, blank
def test_step_refused_when_reason_missing(cast, act, arrange, reason):
    """Returning, rejecting, withdrawing, a redo and a reassignment request each need a reason."""
    suggestion = arrange(cast)
    before = flows.snapshot(suggestion)

    with pytest.raises(ValidationError) as excinfo:
        act(cast, suggestion, reason)

    assert _codes(excinfo) == {"reason_required"}
    assert flows.snapshot(suggestion) == before


@pytest.mark.parametrize(
    ("lead", "co", "code"),
    [
        (None, ["co_unit"], "lead_unit_required"),  # exactly one lead unit
        ("lead_unit", ["lead_unit"], "duplicate_unit"),  # the lead named again as co-unit
        ("lead_unit", ["co_unit", "co_unit"], "duplicate_unit"),  # a co-unit named twice
        ("inactive", [], "inactive_unit"),  # a unit no longer active
    ],
)
def test_assign_refused_when_units_are_wrong(cast, lead, co, code):
    """Assignment needs exactly one lead unit and distinct, active units."""
    units = {
        "lead_unit": cast.lead_unit,
        "co_unit": cast.co_unit,
        "inactive": factories.HandlingUnitFactory(name="市已撤销局", is_active=False),
        None: None,
    }
    suggestion = flows.reviewed(cast)
    before = flows.snapshot(suggestion)

    with pytest.raises(ValidationError) as excinfo:
        services.suggestion_assign(
            suggestion=suggestion,
            by=cast.staff,
            lead_unit=units[lead],
            co_units=[units[c] for c in co],
        )

    assert _codes(excinfo) == {code}
    assert flows.snapshot(suggestion) == before


def test_communication_refused_when_dated_in_the_future(cast):
    """A communication is a contact that happened: its date cannot be in the future."""
    with flows.on(D(2026, 3, 10)):
        suggestion = flows.assigned(cast)
        before = flows.snapshot(suggestion)

        with pytest.raises(ValidationError) as excinfo:
            services.communication_record(
                assignment=flows.lead(suggestion),
                by=cast.clerk,
                stage="before",
                method="phone",
                happened_on=D(2026, 3, 11),
                notes="约定走访时间。",
            )

    assert _codes(excinfo) == {"future_date"}
    assert flows.snapshot(suggestion) == before


@pytest.mark.parametrize(
    "happened_on",
    [
        D(2026, 3, 9),  # the day before the assignment
        D(1, 1, 1),  # a date typed wrong (the probe's 0001-01-01)
    ],
)
def test_communication_refused_when_dated_before_the_assignment(cast, happened_on):
    """A contact about the assignment cannot precede it; the assignment day itself is fine."""
    with flows.on(D(2026, 3, 10)):
        suggestion = flows.assigned(cast)
        before = flows.snapshot(suggestion)

        with pytest.raises(ValidationError) as excinfo:
            services.communication_record(
                assignment=flows.lead(suggestion),
                by=cast.clerk,
                stage="before",
                method="phone",
                happened_on=happened_on,
                notes="电话联系代表。",
            )
        assert _codes(excinfo) == {"before_assignment"}
        assert flows.snapshot(suggestion) == before
        services.communication_record(
            assignment=flows.lead(suggestion),
            by=cast.clerk,
            stage="before",
            method="phone",
            happened_on=D(2026, 3, 10),
            notes="电话联系代表。",
        )


def test_co_opinion_refused_when_suggestion_is_handled(cast):
    """A co-handler's opinion comes before the reply, not after."""
    suggestion = flows.handled(cast)
    before = flows.snapshot(suggestion)

    with pytest.raises(TransitionNotAllowed):
        services.co_opinion_submit(
            assignment=flows.co(suggestion), by=cast.co_clerk, text="补充意见。"
        )

    assert flows.snapshot(suggestion) == before


# The language of refusals.

CJK = re.compile(r"[\u4e00-\u9fff]")
LATIN_WORD = re.compile(r"[A-Za-z]{3,}")


def _no_communication(cast):
    suggestion = flows.assigned(cast, co=False)
    with pytest.raises(ValidationError) as excinfo:
        _reply(suggestion, cast.clerk)
    return excinfo.value.messages[0]


def _no_reason(cast):
    suggestion = flows.proposed(cast)
    with pytest.raises(ValidationError) as excinfo:
        _reject(cast, suggestion, "")
    return excinfo.value.messages[0]


def _no_document(cast):
    suggestion = flows.assigned(cast)
    flows.prepare_reply(cast, suggestion)
    with pytest.raises(ValidationError) as excinfo:
        _reply(suggestion, cast.clerk, document=None)
    return excinfo.value.messages[0]


def _wrong_role(cast):
    suggestion = flows.proposed(cast)
    with pytest.raises(PermissionDenied) as excinfo:
        services.suggestion_approve(suggestion=suggestion, by=cast.clerk)
    return str(excinfo.value)


def _wrong_state(cast):
    suggestion = flows.assigned(cast)
    with pytest.raises(TransitionNotAllowed) as excinfo:
        services.suggestion_reject(suggestion=suggestion, by=cast.staff, reason=REASON)
    return str(excinfo.value)


def _out_of_order(cast):
    suggestion = flows.handled(cast)
    with pytest.raises(ValidationError) as excinfo:
        _sign(suggestion, cast.head, "unit_head")
    return excinfo.value.messages[0]


def _window_closed(cast):
    with flows.on(D(2026, 9, 29)):
        suggestion = flows.assigned(cast)
    with flows.on(D(2026, 10, 15)), pytest.raises(ValidationError) as excinfo:
        services.reassignment_request(
            assignment=flows.lead(suggestion), by=cast.clerk, reason="不属于本单位职责。"
        )
    return excinfo.value.messages[0]


@pytest.mark.parametrize(
    "refuse",
    [
        _no_communication,  # a failed condition
        _no_reason,
        _no_document,
        _out_of_order,
        _window_closed,  # with the explanation of the count
        _wrong_role,  # PermissionDenied
        _wrong_state,  # TransitionNotAllowed
    ],
)
def test_refusal_message_is_chinese(cast, refuse):
    """A refusal says what failed in Simplified Chinese, the default language."""
    message = refuse(cast)

    assert message.strip()
    assert CJK.search(message), message
    assert not LATIN_WORD.search(message), message


def test_extension_request_refused_without_a_date(cast):
    """An extension request without the new deadline is refused with its own message."""
    suggestion = flows.assigned(cast, co=False)
    with pytest.raises(ValidationError) as exc:
        services.extension_request(
            assignment=flows.lead(suggestion), by=cast.clerk, reason="情况复杂", until=None
        )
    assert [e.code for e in exc.value.error_list] == ["until_required"]
    assert not flows.lead(suggestion).extension_requests.exists()
