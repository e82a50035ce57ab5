"""The signed paper handling record: the lead unit's upload, the office's check, and the
sign-offs written from it (DESIGN "The handling record on paper")."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone
from django_fsm import TransitionNotAllowed

from suggestions import services
from suggestions.models import PaperSubmission, SignOff, Suggestion
from tests import factories, flows

TODAY = timezone.localdate


def _file(name, content):
    return ContentFile(content, name=name)


def _scan():
    return _file("record.pdf", b"%PDF-1.7\n% signed record\n%%EOF\n")


def _all_three(today=None):
    today = today or TODAY()
    return {
        "deputy": {
            "signed_on": today,
            "work_rating": "satisfied",
            "result_rating": "basically_satisfied",
            "opinion": "基本满意。",
        },
        "unit_head": {"signed_on": today},
        "leader": {"signed_on": today},
    }


def _no_account(cast, suggestion):
    deputy = suggestion.lead_deputy
    deputy.user = None
    deputy.save()
    return suggestion


def _codes(excinfo) -> set[str]:
    return {e.code for e in excinfo.value.error_list}


def test_paper_record_accepted_writes_the_three_sign_offs_and_signs(cast):
    """Accepted, the paper gives each level its sign-off with its signer, the paper's date,
    who typed it, who verified it and the scan; the third signature signs the record."""
    suggestion = _no_account(cast, flows.handled(cast))
    submission = services.signoff_paper_submit(
        assignment=flows.lead(suggestion), by=cast.clerk, scan=_scan(), signatures=_all_three()
    )
    assert submission.decision == PaperSubmission.Decision.PENDING
    assert Suggestion.objects.get(pk=suggestion.pk).state == "handled"

    created = services.signoff_paper_verify(submission=submission, by=cast.staff, accept=True)

    assert Suggestion.objects.get(pk=suggestion.pk).state == "signed"
    rows = {s.level: s for s in SignOff.objects.filter(suggestion=suggestion)}
    assert [s.level for s in created] == ["deputy", "unit_head", "leader"]
    deputy = rows["deputy"]
    assert (deputy.signer, deputy.deputy, deputy.work_rating, deputy.result_rating) == (
        None,
        suggestion.lead_deputy,
        "satisfied",
        "basically_satisfied",
    )
    assert rows["unit_head"].signer == cast.head
    assert rows["leader"].signer == cast.leader
    for signoff in rows.values():
        assert signoff.recorded_by == cast.clerk
        assert signoff.verified_by == cast.staff
        assert signoff.paper == submission
        assert signoff.scan.name == submission.scan.name
        assert signoff.signed_on == TODAY()
    submission.refresh_from_db()
    assert (submission.decision, submission.decided_by) == ("accepted", cast.staff)


def test_online_and_paper_mix_deputy_online_then_head_and_leader_on_paper(cast):
    """The deputy signs online; the paper carries the head and the leader."""
    suggestion = flows.handled(cast)
    services.signoff_record(
        suggestion=suggestion,
        by=cast.deputy.user,
        level="deputy",
        work_rating="satisfied",
        result_rating="satisfied",
    )
    signatures = {"unit_head": {"signed_on": TODAY()}, "leader": {"signed_on": TODAY()}}
    submission = services.signoff_paper_submit(
        assignment=flows.lead(suggestion), by=cast.clerk, scan=_scan(), signatures=signatures
    )
    services.signoff_paper_verify(submission=submission, by=cast.staff, accept=True)

    levels = dict(SignOff.objects.filter(suggestion=suggestion).values_list("level", "paper"))
    assert levels["deputy"] is None and levels["unit_head"] == levels["leader"] == submission.pk
    assert Suggestion.objects.get(pk=suggestion.pk).state == "signed"


def test_paper_with_the_deputy_only_leaves_the_head_to_sign_online(cast):
    suggestion = _no_account(cast, flows.handled(cast))
    signatures = {"deputy": _all_three()["deputy"]}
    submission = services.signoff_paper_submit(
        assignment=flows.lead(suggestion), by=cast.clerk, scan=_scan(), signatures=signatures
    )
    services.signoff_paper_verify(submission=submission, by=cast.staff, accept=True)
    services.signoff_record(suggestion=suggestion, by=cast.head, level="unit_head")

    assert SignOff.objects.filter(suggestion=suggestion).count() == 2
    assert Suggestion.objects.get(pk=suggestion.pk).state == "handled"


@pytest.mark.parametrize(
    ("signatures", "code"),
    [
        ({"unit_head": {"signed_on": "TODAY"}}, "out_of_order"),
        ({"deputy": {"signed_on": "TODAY"}}, "ratings_required"),
        ({"deputy": {"signed_on": "TOMORROW", "work_rating": "satisfied",
                     "result_rating": "satisfied"}}, "signed_on_future"),
        ({"deputy": {"work_rating": "satisfied", "result_rating": "satisfied"}},
         "signed_on_required"),
        ({"deputy": {"signed_on": "LAST_YEAR", "work_rating": "satisfied",
                     "result_rating": "satisfied"}}, "signed_on_out_of_order"),
        ({"clerk": {"signed_on": "TODAY"}}, "bad_level"),
        ({}, "no_signatures"),
    ],
)  # fmt: skip
def test_paper_refused_with_the_reason_and_nothing_written(cast, signatures, code):
    suggestion = _no_account(cast, flows.handled(cast))
    days = {
        "TODAY": TODAY(),
        "TOMORROW": TODAY() + datetime.timedelta(days=1),
        "LAST_YEAR": TODAY() - datetime.timedelta(days=365),
    }
    for entry in signatures.values():
        if "signed_on" in entry:
            entry["signed_on"] = days[entry["signed_on"]]

    with pytest.raises(ValidationError) as excinfo:
        services.signoff_paper_submit(
            assignment=flows.lead(suggestion), by=cast.clerk, scan=_scan(), signatures=signatures
        )

    assert code in _codes(excinfo)
    assert not PaperSubmission.objects.exists()


def test_paper_dates_must_follow_the_signing_order(cast):
    suggestion = _no_account(cast, flows.handled(cast))
    signatures = _all_three()
    signatures["deputy"]["signed_on"] = TODAY()
    signatures["unit_head"]["signed_on"] = TODAY() - datetime.timedelta(days=1)

    with pytest.raises(ValidationError) as excinfo:
        services.signoff_paper_submit(
            assignment=flows.lead(suggestion), by=cast.clerk, scan=_scan(), signatures=signatures
        )

    assert _codes(excinfo) == {"signed_on_out_of_order"}


def test_paper_scan_must_be_a_pdf_or_an_image(cast):
    suggestion = _no_account(cast, flows.handled(cast))
    with pytest.raises(ValidationError) as excinfo:
        services.signoff_paper_submit(
            assignment=flows.lead(suggestion),
            by=cast.clerk,
            scan=_file("record.pdf", b"MZ\x90\x00 not a pdf"),
            signatures=_all_three(),
        )
    assert "document_type" in _codes(excinfo)


@pytest.mark.parametrize("role", ["co_clerk", "other_clerk", "leader", "staff"])
def test_only_the_lead_units_members_submit_the_paper(cast, role):
    suggestion = _no_account(cast, flows.handled(cast))
    with pytest.raises(PermissionDenied):
        services.signoff_paper_submit(
            assignment=flows.lead(suggestion),
            by=flows.person(cast, role),
            scan=_scan(),
            signatures=_all_three(),
        )
    assert not PaperSubmission.objects.exists()


def test_paper_before_the_reply_is_refused(cast):
    suggestion = flows.assigned(cast)
    with pytest.raises(TransitionNotAllowed):
        services.signoff_paper_submit(
            assignment=flows.lead(suggestion), by=cast.clerk, scan=_scan(), signatures=_all_three()
        )


def test_one_paper_waits_at_a_time(cast):
    suggestion = _no_account(cast, flows.handled(cast))
    lead = flows.lead(suggestion)
    services.signoff_paper_submit(
        assignment=lead, by=cast.clerk, scan=_scan(), signatures=_all_three()
    )
    with pytest.raises(ValidationError) as excinfo:
        services.signoff_paper_submit(
            assignment=lead, by=cast.clerk, scan=_scan(), signatures=_all_three()
        )
    assert _codes(excinfo) == {"paper_pending"}


def test_several_heads_the_paper_names_the_one_who_signed(cast):
    suggestion = _no_account(cast, flows.handled(cast))
    second = factories.MembershipFactory(unit=cast.lead_unit, is_head=True).user
    lead = flows.lead(suggestion)
    with pytest.raises(ValidationError) as excinfo:
        services.signoff_paper_submit(
            assignment=lead, by=cast.clerk, scan=_scan(), signatures=_all_three()
        )
    assert _codes(excinfo) == {"head_signer_required"}

    signatures = _all_three()
    signatures["unit_head"]["signer"] = second.pk
    submission = services.signoff_paper_submit(
        assignment=lead, by=cast.clerk, scan=_scan(), signatures=signatures
    )
    services.signoff_paper_verify(submission=submission, by=cast.staff, accept=True)
    assert SignOff.objects.get(suggestion=suggestion, level="unit_head").signer == second


def test_refused_paper_keeps_its_reason_and_the_unit_uploads_again(cast):
    suggestion = _no_account(cast, flows.handled(cast))
    lead = flows.lead(suggestion)
    submission = services.signoff_paper_submit(
        assignment=lead, by=cast.clerk, scan=_scan(), signatures=_all_three()
    )
    with pytest.raises(ValidationError) as excinfo:
        services.signoff_paper_verify(submission=submission, by=cast.staff, accept=False)
    assert _codes(excinfo) == {"reason_required"}

    services.signoff_paper_verify(
        submission=submission, by=cast.staff, accept=False, reason="代表签字日期不清。"
    )

    submission.refresh_from_db()
    assert (submission.decision, submission.reason) == ("refused", "代表签字日期不清。")
    assert not SignOff.objects.filter(suggestion=suggestion).exists()
    again = services.signoff_paper_submit(
        assignment=lead, by=cast.clerk, scan=_scan(), signatures=_all_three()
    )
    assert again.decision == "pending"


def test_a_decided_paper_cannot_be_decided_again(cast):
    suggestion = _no_account(cast, flows.handled(cast))
    submission = services.signoff_paper_submit(
        assignment=flows.lead(suggestion), by=cast.clerk, scan=_scan(), signatures=_all_three()
    )
    services.signoff_paper_verify(submission=submission, by=cast.staff, accept=True)
    with pytest.raises(ValidationError) as excinfo:
        services.signoff_paper_verify(submission=submission, by=cast.staff, accept=True)
    assert _codes(excinfo) == {"paper_decided"}
    assert SignOff.objects.filter(suggestion=suggestion).count() == 3


def test_only_the_office_verifies(cast):
    suggestion = _no_account(cast, flows.handled(cast))
    submission = services.signoff_paper_submit(
        assignment=flows.lead(suggestion), by=cast.clerk, scan=_scan(), signatures=_all_three()
    )
    for user in (cast.clerk, cast.head, cast.leader):
        with pytest.raises(PermissionDenied):
            services.signoff_paper_verify(submission=submission, by=user, accept=True)
    assert PaperSubmission.objects.get().decision == "pending"


def test_a_signature_given_online_meanwhile_is_not_written_twice(cast):
    """The deputy signed online after the upload: the office's acceptance is refused."""
    suggestion = flows.handled(cast)
    submission = services.signoff_paper_submit(
        assignment=flows.lead(suggestion), by=cast.clerk, scan=_scan(), signatures=_all_three()
    )
    flows.sign_before_leader(cast, suggestion)

    with pytest.raises(ValidationError) as excinfo:
        services.signoff_paper_verify(submission=submission, by=cast.staff, accept=True)

    assert "already_signed" in _codes(excinfo)
    assert SignOff.objects.filter(suggestion=suggestion).count() == 2
    assert PaperSubmission.objects.get().decision == "pending"


def test_a_paper_of_an_earlier_round_is_stale_after_a_redo(cast):
    suggestion = _no_account(cast, flows.handled(cast))
    submission = services.signoff_paper_submit(
        assignment=flows.lead(suggestion), by=cast.clerk, scan=_scan(), signatures=_all_three()
    )
    services.suggestion_order_redo(
        suggestion=suggestion, by=cast.staff, reason="答复不规范。", grounds="nonconforming"
    )
    with pytest.raises(TransitionNotAllowed):
        services.signoff_paper_verify(submission=submission, by=cast.staff, accept=True)


# Conflict of interest.


@pytest.mark.parametrize("relation", ["member", "head"])
def test_a_deputy_working_for_the_lead_unit_signs_on_paper_not_online(cast, relation):
    suggestion = flows.handled(cast)
    factories.MembershipFactory(
        unit=cast.lead_unit, user=cast.deputy.user, is_head=relation == "head"
    )
    with pytest.raises(PermissionDenied) as excinfo:
        services.signoff_record(
            suggestion=suggestion,
            by=cast.deputy.user,
            level="deputy",
            work_rating="satisfied",
            result_rating="satisfied",
        )
    assert "纸质" in str(excinfo.value) or "paper" in str(excinfo.value)
    assert not SignOff.objects.filter(suggestion=suggestion).exists()


def test_a_deputy_who_leads_the_unit_as_its_leader_signs_on_paper(cast):
    suggestion = flows.handled(cast)
    cast.lead_unit.leader = cast.deputy.user
    cast.lead_unit.save()
    with pytest.raises(PermissionDenied):
        services.signoff_record(
            suggestion=suggestion,
            by=cast.deputy.user,
            level="deputy",
            work_rating="satisfied",
            result_rating="satisfied",
        )


def test_a_deputy_working_for_a_co_unit_signs_online(cast):
    suggestion = flows.handled(cast)
    factories.MembershipFactory(unit=cast.co_unit, user=cast.deputy.user)
    signoff = services.signoff_record(
        suggestion=suggestion,
        by=cast.deputy.user,
        level="deputy",
        work_rating="satisfied",
        result_rating="satisfied",
    )
    assert (signoff.signer, signoff.recorded_by, signoff.deputy) == (
        cast.deputy.user,
        cast.deputy.user,
        cast.deputy,
    )
