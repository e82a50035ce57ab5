"""Merging suggestions on one matter (并案): the merge and its undoing, and the group's
signatures on the main suggestion (DESIGN: the lifecycle's merge and unmerge)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone
from django_fsm import TransitionNotAllowed
from django_fsm_log.models import StateLog

from suggestions import selectors, services
from suggestions.models import Assignment, SignOff, Suggestion
from tests import factories, flows


def _codes(excinfo) -> set[str]:
    return {e.code for e in excinfo.value.error_list}


def _fresh(suggestion) -> Suggestion:
    return Suggestion.objects.get(pk=suggestion.pk)


def _by(cast, deputy, state="proposed", **kwargs) -> Suggestion:
    """A suggestion of ``deputy`` on the same matter as the cast's."""
    suggestion = services.suggestion_create(
        by=cast.staff,
        title=kwargs.pop("title", "关于学校门口增设红绿灯的建议"),
        content="上下学时段学校门口车多人多，建议增设红绿灯。",
        lead_deputy=deputy,
        **kwargs,
    )
    if state == "reviewed":
        services.suggestion_approve(suggestion=suggestion, by=cast.staff)
    return suggestion


def _group(cast, main_state="reviewed"):
    """The cast's suggestion as the main one, with another deputy's merged into it."""
    main = flows.reviewed(cast) if main_state == "reviewed" else flows.proposed(cast)
    other = _by(cast, cast.other_deputy)
    services.suggestion_merge(suggestions=[other], into=main, by=cast.staff, reason="同一事项")
    return main, other


def test_merge_puts_each_suggestion_in_merged_under_the_main_one(cast):
    """Merged, a suggestion is ``merged``, points at the main one, keeps the state it had,
    and its transition record carries the reason; the main one is unchanged."""
    main = flows.reviewed(cast)
    proposed = _by(cast, cast.other_deputy)
    reviewed = _by(cast, cast.co_deputy, state="reviewed")

    services.suggestion_merge(
        suggestions=[proposed, reviewed], into=main, by=cast.staff, reason="同一事项，并案办理"
    )

    for suggestion, before in ((proposed, "proposed"), (reviewed, "reviewed")):
        fresh = _fresh(suggestion)
        assert (fresh.state, fresh.merged_into_id, fresh.state_before_merge) == (
            "merged",
            main.pk,
            before,
        )
        log = StateLog.objects.for_(fresh).get(transition="merge")
        assert (log.by, log.description) == (cast.staff, "同一事项，并案办理")
        assert not fresh.counts_in_rates
    assert _fresh(main).state == "reviewed"
    assert _fresh(main).group_lead_deputy_ids() == [
        cast.deputy.pk,
        cast.other_deputy.pk,
        cast.co_deputy.pk,
    ]


def test_unmerge_gives_back_the_state_before_while_the_main_is_not_assigned(cast):
    main = flows.reviewed(cast)
    reviewed = _by(cast, cast.other_deputy, state="reviewed")
    services.suggestion_merge(suggestions=[reviewed], into=main, by=cast.staff, reason="同一事项")

    services.suggestion_unmerge(suggestion=reviewed, by=cast.staff, reason="并案有误")

    fresh = _fresh(reviewed)
    assert (fresh.state, fresh.merged_into_id, fresh.state_before_merge) == ("reviewed", None, "")
    assert StateLog.objects.for_(fresh).get(transition="unmerge").description == "并案有误"
    assert _fresh(main).group_lead_deputy_ids() == [cast.deputy.pk]


def test_unmerge_after_the_main_is_assigned_is_refused(cast):
    main, other = _group(cast)
    services.suggestion_assign(suggestion=main, by=cast.staff, lead_unit=cast.lead_unit)

    with pytest.raises(ValidationError) as excinfo:
        services.suggestion_unmerge(suggestion=other, by=cast.staff, reason="并案有误")

    assert _codes(excinfo) == {"main_assigned"}
    assert (_fresh(other).state, _fresh(other).merged_into_id) == ("merged", main.pk)


def test_unmerge_of_a_suggestion_not_merged_is_refused(cast):
    suggestion = flows.proposed(cast)
    with pytest.raises(TransitionNotAllowed):
        services.suggestion_unmerge(suggestion=suggestion, by=cast.staff, reason="并案有误")


@pytest.mark.parametrize(
    ("case", "code"),
    [
        ("itself", "merge_into_self"),
        ("into_merged", "main_merged"),
        ("into_assigned", "main_not_mergeable"),
        ("assigned_one", "not_mergeable"),
        ("merged_one", "already_merged"),
        ("across_terms", "merge_across_terms"),
        ("main_of_a_group", "has_merged"),
        ("no_reason", "reason_required"),
    ],
)
def test_a_refused_merge_says_why_and_changes_nothing(cast, case, code):
    main = flows.reviewed(cast)
    other = _by(cast, cast.other_deputy)
    reason = "同一事项"
    suggestions, into = [other], main
    if case == "itself":
        suggestions = [main]
    elif case == "into_merged":
        third = _by(cast, cast.co_deputy)
        services.suggestion_merge(suggestions=[third], into=main, by=cast.staff, reason=reason)
        into = third
    elif case == "into_assigned":
        services.suggestion_assign(suggestion=main, by=cast.staff, lead_unit=cast.lead_unit)
    elif case == "assigned_one":
        services.suggestion_assign(suggestion=main, by=cast.staff, lead_unit=cast.lead_unit)
        suggestions, into = [main], other
    elif case == "merged_one":
        third = _by(cast, cast.co_deputy)
        services.suggestion_merge(suggestions=[other], into=third, by=cast.staff, reason=reason)
    elif case == "across_terms":
        other = _by(cast, cast.other_deputy, term=main.term - 1)
        suggestions = [other]
    elif case == "main_of_a_group":
        third = _by(cast, cast.co_deputy)
        services.suggestion_merge(suggestions=[third], into=other, by=cast.staff, reason=reason)
    elif case == "no_reason":
        reason = " "
    before = {s.pk: flows.snapshot(s) for s in (*suggestions, into)}
    merged_before = {s.pk: _fresh(s).merged_into_id for s in (*suggestions, into)}

    with pytest.raises(ValidationError) as excinfo:
        services.suggestion_merge(suggestions=suggestions, into=into, by=cast.staff, reason=reason)

    assert code in _codes(excinfo)
    assert {s.pk: flows.snapshot(s) for s in (*suggestions, into)} == before
    assert {s.pk: _fresh(s).merged_into_id for s in (*suggestions, into)} == merged_before


def test_only_the_committee_office_merges(cast):
    main = flows.reviewed(cast)
    other = _by(cast, cast.other_deputy)
    for user in (cast.clerk, cast.deputy.user, cast.leader):
        with pytest.raises(PermissionDenied):
            services.suggestion_merge(suggestions=[other], into=main, by=user, reason="同一事项")
    assert _fresh(other).state == "proposed"


def _handled_group(cast):
    main, other = _group(cast)
    services.suggestion_assign(suggestion=main, by=cast.staff, lead_unit=cast.lead_unit)
    flows.prepare_reply(cast, main)
    flows.reply(cast, main)
    return _fresh(main), other


def _sign_as(user, main, rating="satisfied"):
    return services.signoff_record(
        suggestion=main,
        by=user,
        level=SignOff.Level.DEPUTY,
        work_rating=rating,
        result_rating=rating,
    )


def test_every_lead_deputy_of_the_group_signs_and_the_head_after_all_of_them(cast):
    """Each lead deputy signs the main suggestion's record once; the head is refused until
    all have signed, and then the record is signed by the head and the leader."""
    main, other = _handled_group(cast)

    first = _sign_as(cast.other_deputy.user, main, "basically_satisfied")
    assert (first.deputy, first.signer) == (cast.other_deputy, cast.other_deputy.user)
    with pytest.raises(ValidationError) as excinfo:
        services.signoff_record(suggestion=main, by=cast.head, level=SignOff.Level.UNIT_HEAD)
    assert _codes(excinfo) == {"out_of_order"}
    with pytest.raises(ValidationError) as excinfo:
        _sign_as(cast.other_deputy.user, main)
    assert _codes(excinfo) == {"already_signed"}

    _sign_as(cast.deputy.user, main)
    services.signoff_record(suggestion=main, by=cast.head, level=SignOff.Level.UNIT_HEAD)
    services.signoff_record(suggestion=main, by=cast.leader, level=SignOff.Level.LEADER)

    assert _fresh(main).state == "signed"
    assert _fresh(other).state == "merged"
    deputies = main.signoffs.filter(level="deputy").values_list("deputy", flat=True)
    assert sorted(deputies) == sorted([cast.deputy.pk, cast.other_deputy.pk])


def test_the_head_waits_in_the_queue_until_every_deputy_of_the_group_signed(cast):
    main, _other = _handled_group(cast)
    unit_ids = [cast.lead_unit.pk]

    def waiting():
        return list(
            Assignment.objects.filter(
                selectors.waiting_for_signature(head_unit_ids=unit_ids, leader_unit_ids=[])
            ).values_list("suggestion", flat=True)
        )

    _sign_as(cast.deputy.user, main)
    assert waiting() == []
    _sign_as(cast.other_deputy.user, main)
    assert waiting() == [main.pk]


def test_a_deputy_outside_the_group_cannot_sign(cast):
    main, _other = _handled_group(cast)
    with pytest.raises(PermissionDenied):
        _sign_as(cast.co_deputy.user, main)


def _scan():
    return ContentFile(b"%PDF-1.7\n% signed record\n%%EOF\n", name="record.pdf")


def _deputy_entry(deputy, rating="satisfied"):
    return {
        "deputy": deputy.pk,
        "signed_on": timezone.localdate(),
        "work_rating": rating,
        "result_rating": rating,
    }


def test_the_group_signs_on_one_paper_record(cast):
    """One paper carries both deputies' signatures, the head's and the leader's: verified,
    one sign-off per deputy is written and the record is signed."""
    main, _other = _handled_group(cast)
    submission = services.signoff_paper_submit(
        assignment=flows.lead(main),
        by=cast.clerk,
        scan=_scan(),
        signatures={
            "deputy": [_deputy_entry(cast.deputy), _deputy_entry(cast.other_deputy)],
            "unit_head": {"signed_on": timezone.localdate()},
            "leader": {"signed_on": timezone.localdate()},
        },
    )

    created = services.signoff_paper_verify(submission=submission, by=cast.staff, accept=True)

    assert [(s.level, s.deputy_id) for s in created] == [
        ("deputy", cast.deputy.pk),
        ("deputy", cast.other_deputy.pk),
        ("unit_head", None),
        ("leader", None),
    ]
    assert created[1].signer == cast.other_deputy.user
    assert _fresh(main).state == "signed"


def test_online_and_paper_mix_in_a_group(cast):
    """One deputy signs online, the other on paper with the head: the head's signature on
    paper is in order once the paper completes the deputies."""
    main, _other = _handled_group(cast)
    _sign_as(cast.deputy.user, main)
    submission = services.signoff_paper_submit(
        assignment=flows.lead(main),
        by=cast.clerk,
        scan=_scan(),
        signatures={
            "deputy": _deputy_entry(cast.other_deputy),
            "unit_head": {"signed_on": timezone.localdate()},
        },
    )
    services.signoff_paper_verify(submission=submission, by=cast.staff, accept=True)

    assert _fresh(main).levels_signed() == {"deputy", "unit_head"}


@pytest.mark.parametrize(
    ("entries", "code"),
    [
        ("unnamed", "deputy_required"),
        ("outsider", "deputy_not_in_group"),
        ("signed_online", "already_signed"),
        ("head_too_early", "out_of_order"),
    ],
)
def test_a_group_paper_record_is_refused_with_its_reason(cast, entries, code):
    main, _other = _handled_group(cast)
    _sign_as(cast.deputy.user, main)
    signatures = {
        "unnamed": {"deputy": {**_deputy_entry(cast.other_deputy), "deputy": None}},
        "outsider": {"deputy": _deputy_entry(factories.DeputyFactory())},
        "signed_online": {"deputy": _deputy_entry(cast.deputy)},
        "head_too_early": {"unit_head": {"signed_on": timezone.localdate()}},
    }[entries]

    with pytest.raises(ValidationError) as excinfo:
        services.signoff_paper_submit(
            assignment=flows.lead(main), by=cast.clerk, scan=_scan(), signatures=signatures
        )

    assert code in _codes(excinfo)
    assert not flows.lead(main).paper_submissions.exists()
