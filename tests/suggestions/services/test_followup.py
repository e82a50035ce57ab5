"""After the reply: the revisit on time with its decision, redo grounds, the office's
"decide: redo or accept", interim checks (督查), and the 承办人."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django_fsm import TransitionNotAllowed

from suggestions import selectors, services
from suggestions.models import InterimCheck, Redo, Revisit, Suggestion
from tests import factories, flows

NOTES = "现场查看。"


def _codes(excinfo) -> set[str]:
    return {e.code for e in excinfo.value.error_list}


def _state(suggestion) -> str:
    return Suggestion.objects.get(pk=suggestion.pk).state


def _commitment(suggestion):
    return suggestion.current_reply().commitments.get()


def test_revisit_due_on_is_the_last_commitments_date(cast):
    suggestion = flows.signed(cast)
    assert selectors.revisit_due_on(suggestion) == _commitment(suggestion).due_on


def test_revisit_due_on_without_commitments_is_the_signature_day(cast):
    suggestion = flows.signed(cast, classification="A")
    assert selectors.revisit_due_on(suggestion) == timezone.localdate()


def test_revisit_before_it_is_due_needs_a_reason(cast):
    suggestion = flows.signed(cast)
    commitment = _commitment(suggestion)
    with pytest.raises(ValidationError) as excinfo:
        services.revisit_record(
            suggestion=suggestion, by=cast.staff, outcomes={commitment: "kept"}, notes=NOTES
        )
    assert _codes(excinfo) == {"early_reason_required"}
    assert str(commitment.due_on) in excinfo.value.messages[0]
    assert _state(suggestion) == "signed"

    revisit = services.revisit_record(
        suggestion=suggestion,
        by=cast.staff,
        outcomes={commitment: "kept"},
        notes=NOTES,
        early_reason="信号灯已提前安装。",
    )
    assert (revisit.early_reason, revisit.due_on) == ("信号灯已提前安装。", commitment.due_on)
    assert _state(suggestion) == "revisited"


def test_revisit_on_its_due_date_needs_no_reason(cast):
    suggestion = flows.signed(cast)
    commitment = _commitment(suggestion)
    with flows.on(commitment.due_on):
        revisit = services.revisit_record(
            suggestion=suggestion, by=cast.staff, outcomes={commitment: "kept"}, notes=NOTES
        )
    assert (revisit.early_reason, revisit.decision) == ("", Revisit.Decision.CLOSE)
    assert _state(suggestion) == "revisited"


@pytest.mark.parametrize("outcome", ["partly_kept", "not_kept"])
def test_a_commitment_not_fully_kept_needs_a_decision(cast, outcome):
    suggestion = flows.signed(cast)
    commitment = _commitment(suggestion)
    with flows.on(commitment.due_on), pytest.raises(ValidationError) as excinfo:
        services.revisit_record(
            suggestion=suggestion, by=cast.staff, outcomes={commitment: outcome}, notes=NOTES
        )
    assert _codes(excinfo) == {"decision_required"}
    assert not Revisit.objects.exists()


def test_decision_close_closes_with_the_commitment_not_kept(cast):
    suggestion = flows.signed(cast)
    commitment = _commitment(suggestion)
    with flows.on(commitment.due_on):
        revisit = services.revisit_record(
            suggestion=suggestion,
            by=cast.staff,
            outcomes={commitment: "not_kept"},
            notes=NOTES,
            decision="close",
        )
    assert revisit.decision == "close"
    assert _state(suggestion) == "revisited"


def test_decision_redo_sends_it_back_on_the_ground_commitment_not_kept(cast):
    suggestion = flows.signed(cast)
    commitment = _commitment(suggestion)
    with flows.on(commitment.due_on):
        revisit = services.revisit_record(
            suggestion=suggestion,
            by=cast.staff,
            outcomes={commitment: "partly_kept"},
            notes="仅完成一半路口。",
            decision="redo",
        )
    fresh = Suggestion.objects.get(pk=suggestion.pk)
    assert (fresh.state, fresh.round) == ("assigned", 2)
    assert revisit.decision == "redo"
    redo = Redo.objects.get(suggestion=suggestion)
    assert (redo.grounds, redo.reason) == (Redo.Grounds.COMMITMENT_NOT_KEPT, "仅完成一半路口。")
    assert flows.lead(fresh).due_on == redo.due_on


def test_redo_decision_with_every_commitment_kept_is_refused(cast):
    suggestion = flows.signed(cast)
    commitment = _commitment(suggestion)
    with flows.on(commitment.due_on), pytest.raises(ValidationError) as excinfo:
        services.revisit_record(
            suggestion=suggestion,
            by=cast.staff,
            outcomes={commitment: "kept"},
            notes=NOTES,
            decision="redo",
        )
    assert _codes(excinfo) == {"redo_without_unkept"}
    assert _state(suggestion) == "signed"


@pytest.mark.parametrize("grounds", [g for g in Redo.Grounds.values])
def test_each_redo_ground_is_recorded(cast, grounds):
    suggestion = flows.handled(cast)
    services.suggestion_order_redo(
        suggestion=suggestion, by=cast.staff, reason="答复不符合要求。", grounds=grounds
    )
    assert Redo.objects.get(suggestion=suggestion).grounds == grounds


def test_an_unknown_redo_ground_is_refused(cast):
    suggestion = flows.handled(cast)
    with pytest.raises(ValidationError) as excinfo:
        services.suggestion_order_redo(
            suggestion=suggestion, by=cast.staff, reason="答复。", grounds="late"
        )
    assert _codes(excinfo) == {"bad_grounds"}
    assert _state(suggestion) == "handled"


# "Decide: redo or accept".


def test_a_dissatisfied_deputy_puts_the_suggestion_on_the_decision_list(cast):
    satisfied = flows.signed(cast)
    suggestion = flows.handled(cast)
    flows.sign_before_leader(cast, suggestion, rating="dissatisfied")

    assert list(selectors.awaiting_redo_decision()) == [suggestion]
    assert satisfied not in selectors.awaiting_redo_decision()
    # The head and the leader may still sign.
    services.signoff_record(suggestion=suggestion, by=cast.leader, level="leader")
    assert list(selectors.awaiting_redo_decision()) == [suggestion]


def test_accepting_without_redo_takes_it_off_the_list(cast):
    suggestion = flows.handled(cast)
    flows.sign_before_leader(cast, suggestion, rating="dissatisfied")
    with pytest.raises(ValidationError) as excinfo:
        services.redo_waive(suggestion=suggestion, by=cast.staff, reason=" ")
    assert _codes(excinfo) == {"reason_required"}

    waiver = services.redo_waive(
        suggestion=suggestion, by=cast.staff, reason="已尽最大努力，代表诉求受政策限制。"
    )

    assert (waiver.round, waiver.decided_by) == (1, cast.staff)
    assert not selectors.awaiting_redo_decision().exists()
    with pytest.raises(ValidationError) as excinfo:
        services.redo_waive(suggestion=suggestion, by=cast.staff, reason="再次认可。")
    assert _codes(excinfo) == {"no_redo_decision_pending"}


def test_ordering_a_redo_takes_it_off_the_list_until_the_next_round(cast):
    suggestion = flows.handled(cast)
    flows.sign_before_leader(cast, suggestion, rating="dissatisfied")
    services.suggestion_order_redo(suggestion=suggestion, by=cast.staff, reason="代表不满意。")
    assert not selectors.awaiting_redo_decision().exists()
    assert Redo.objects.get(suggestion=suggestion).grounds == "dissatisfied"


def test_only_the_office_accepts_without_redo(cast):
    suggestion = flows.handled(cast)
    flows.sign_before_leader(cast, suggestion, rating="dissatisfied")
    with pytest.raises(PermissionDenied):
        services.redo_waive(suggestion=suggestion, by=cast.head, reason="认可。")
    assert selectors.awaiting_redo_decision().exists()


# Interim checks (督查).


def test_interim_check_is_recorded_without_moving_the_state(cast):
    suggestion = flows.assigned(cast)
    check = services.interim_check_record(
        suggestion=suggestion,
        by=cast.staff,
        happened_on=timezone.localdate(),
        findings="已完成选址，正在招标。",
    )
    assert (check.findings, check.recorded_by) == ("已完成选址，正在招标。", cast.staff)
    assert _state(suggestion) == "assigned"


@pytest.mark.parametrize(
    ("days", "findings", "code"),
    [(1, "进展顺利。", "date_future"), (-30, "进展顺利。", "date_before_assignment"),
     (0, " ", "findings_required")],
)  # fmt: skip
def test_interim_check_refused_with_its_reason(cast, days, findings, code):
    suggestion = flows.assigned(cast)
    with pytest.raises(ValidationError) as excinfo:
        services.interim_check_record(
            suggestion=suggestion,
            by=cast.staff,
            happened_on=timezone.localdate() + datetime.timedelta(days=days),
            findings=findings,
        )
    assert _codes(excinfo) == {code}
    assert not InterimCheck.objects.exists()


def test_interim_check_only_while_in_handling_and_only_by_the_office(cast):
    with pytest.raises(TransitionNotAllowed):
        services.interim_check_record(
            suggestion=flows.reviewed(cast),
            by=cast.staff,
            happened_on=timezone.localdate(),
            findings="无。",
        )
    with pytest.raises(PermissionDenied):
        services.interim_check_record(
            suggestion=flows.assigned(cast),
            by=cast.clerk,
            happened_on=timezone.localdate(),
            findings="无。",
        )


# The responsible person (承办人).


def test_the_head_names_a_member_as_the_responsible_person(cast):
    lead = flows.lead(flows.assigned(cast))
    services.assignment_name_handler(assignment=lead, by=cast.head, handler=cast.clerk)
    lead.refresh_from_db()
    assert lead.handler == cast.clerk


def test_only_the_head_names_the_responsible_person_and_only_a_member(cast):
    lead = flows.lead(flows.assigned(cast))
    for user in (cast.clerk, cast.leader, cast.staff):
        with pytest.raises(PermissionDenied):
            services.assignment_name_handler(assignment=lead, by=user, handler=cast.clerk)
    with pytest.raises(ValidationError) as excinfo:
        services.assignment_name_handler(assignment=lead, by=cast.head, handler=cast.co_clerk)
    assert _codes(excinfo) == {"handler_not_member"}
    other = factories.UserFactory(username="outsider")
    with pytest.raises(ValidationError):
        services.assignment_name_handler(assignment=lead, by=cast.head, handler=other)
    lead.refresh_from_db()
    assert lead.handler is None


def test_revisit_due_on_a_paper_signature_is_the_papers_date(cast):
    """A reply without commitments signed on paper: due the day the leader signed the paper,
    not the day the office verified it."""
    from django.core.files.base import ContentFile

    with flows.on(timezone.localdate() - datetime.timedelta(days=10)):
        suggestion = flows.handled(cast, classification="A")
    paper_day = timezone.localdate() - datetime.timedelta(days=5)
    signatures = {
        "deputy": {
            "signed_on": paper_day,
            "work_rating": "satisfied",
            "result_rating": "satisfied",
        },
        "unit_head": {"signed_on": paper_day},
        "leader": {"signed_on": paper_day},
    }
    submission = services.signoff_paper_submit(
        assignment=flows.lead(suggestion),
        by=cast.clerk,
        scan=ContentFile(b"%PDF-1.7\n%%EOF\n", name="record.pdf"),
        signatures=signatures,
    )
    services.signoff_paper_verify(submission=submission, by=cast.staff, accept=True)

    assert selectors.revisit_due_on(Suggestion.objects.get(pk=suggestion.pk)) == paper_day
    assert list(selectors.revisits_due()) == [suggestion]
