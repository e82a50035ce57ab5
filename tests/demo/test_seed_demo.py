"""The demo data command: a believable city made through the services, made once."""

import datetime
import io

import pytest
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_fsm_log.models import StateLog

from deputies.models import Deputy
from stations.models import (
    Activity,
    ActivityFile,
    LiaisonStation,
    Opinion,
    OpinionStep,
    ReceptionDay,
    StationCheck,
)
from suggestions import actions, permissions
from suggestions.actions import Page
from suggestions.models import (
    Assignment,
    Commitment,
    Communication,
    CoOpinion,
    ExtensionRequest,
    HandlingUnit,
    Inspection,
    InspectionFile,
    InterimCheck,
    KeySuggestion,
    ReassignmentRequest,
    Redo,
    Reply,
    Revisit,
    RevisitOutcome,
    SignOff,
    Suggestion,
    UnitMembership,
)

ACCOUNTS = ["admin", "staff", "reviewer", "clerk", "head", "leader", "deputy", "keeper"]
COUNTED = [
    User,
    Group,
    Deputy,
    LiaisonStation,
    StationCheck,
    ReceptionDay,
    Activity,
    ActivityFile,
    Opinion,
    OpinionStep,
    HandlingUnit,
    UnitMembership,
    Suggestion,
    Assignment,
    Communication,
    CoOpinion,
    Reply,
    Commitment,
    SignOff,
    Redo,
    Revisit,
    RevisitOutcome,
    ReassignmentRequest,
    ExtensionRequest,
    StateLog,
]
APPROVED = ReassignmentRequest.Decision.APPROVED


def _seed(**options) -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


@pytest.mark.django_db
def test_seed_demo_builds_a_city_with_suggestions_in_every_state():
    """About 40 deputies, 12 units, 13 stations and 80 suggestions (and 8 of last year), in
    every state, with deadlines overdue, near and far, late and timely replies, and varied
    ratings."""
    _seed()
    today = timezone.localdate()
    soon = today + datetime.timedelta(days=15)
    open_leads = Assignment.objects.filter(
        role=Assignment.Role.LEAD,
        closed_on__isnull=True,
        suggestion__state=Suggestion.State.ASSIGNED,
    )
    results = list(
        SignOff.objects.filter(level=SignOff.Level.DEPUTY).values_list("result_rating", flat=True)
    )

    assert 35 <= Deputy.objects.count() <= 45
    assert HandlingUnit.objects.count() == 12
    assert LiaisonStation.objects.count() == 13  # 3, and 新兴区's 10 (test_seed_stations)
    assert Deputy.objects.filter(stations__isnull=False).exists()
    assert 75 <= Suggestion.objects.filter(session=3).count() <= 90  # 2 made of opinions
    assert Suggestion.objects.filter(session=2).count() == 8  # last year's, for the trends
    assert set(Suggestion.objects.values_list("state", flat=True)) == set(Suggestion.State.values)
    assert set(Suggestion.objects.values_list("term", "session")) == {(16, 2), (16, 3)}
    assert Redo.objects.exists()
    assert ExtensionRequest.objects.filter(decision=APPROVED).exists()
    assert ReassignmentRequest.objects.filter(decision=APPROVED).exists()
    assert StateLog.objects.filter(transition="return_for_revision").exists()
    assert open_leads.filter(due_on__lt=today).exists()
    assert open_leads.filter(due_on__gte=today, due_on__lte=soon).exists()
    assert open_leads.filter(due_on__gt=soon).exists()
    assert Reply.objects.filter(on_time=False).exists()
    assert Reply.objects.filter(on_time=True).exists()
    assert set(Reply.objects.values_list("classification", flat=True)) == {"A", "B", "C", "D"}
    assert results.count(SignOff.Rating.SATISFIED) > len(results) / 2
    assert SignOff.Rating.BASICALLY_SATISFIED in results
    assert SignOff.Rating.DISSATISFIED in results


@pytest.mark.django_db
def test_seed_demo_records_every_state_change():
    """Each transition the services made left a transition record with who made it."""
    _seed()
    logs = StateLog.objects.filter(content_type=ContentType.objects.get_for_model(Suggestion))
    suggestions = Suggestion.objects.all()

    for suggestion in suggestions.exclude(state=Suggestion.State.PROPOSED):
        last = logs.filter(object_id=suggestion.pk).order_by("-pk").first()
        assert last is not None, suggestion
        assert last.state == suggestion.state
    assert not logs.filter(by__isnull=True).exists()

    def made(transition: str) -> int:
        return logs.filter(transition=transition).count()

    assert made("approve") == suggestions.exclude(number="").count()
    assert made("assign") == suggestions.filter(assignments__isnull=False).distinct().count()
    assert made("reply") == Reply.objects.count()
    assert made("sign") == SignOff.objects.filter(level=SignOff.Level.LEADER).count()
    assert made("order_redo") == Redo.objects.count()
    assert made("revisit") == Revisit.objects.count()
    assert made("reassign") == ReassignmentRequest.objects.filter(decision=APPROVED).count()
    assert made("extend") == ExtensionRequest.objects.filter(decision=APPROVED).count()
    assert made("reject") == suggestions.filter(state=Suggestion.State.NOT_ACCEPTED).count()
    assert made("withdraw") == suggestions.filter(state=Suggestion.State.WITHDRAWN).count()


@pytest.mark.django_db
def test_seed_demo_changes_nothing_when_run_again():
    """A second run adds nothing, raises nothing and prints the same accounts."""
    first = _seed()
    counts = _counts()

    second = _seed()

    assert _counts() == counts
    assert "demo12345" in second
    # Only the first line differs: "created in ... s" against "already there".
    assert first.split("\n", 1)[1] == second.split("\n", 1)[1]


def _logs_in(username: str, password: str) -> bool:
    """Through the login page, as a person would (django-axes wants the request)."""
    client = Client()
    client.post(reverse("login"), {"username": username, "password": password})
    return "_auth_user_id" in client.session


@pytest.mark.django_db
def test_seed_demo_accounts_log_in_and_have_their_roles():
    """Each account logs in with --password and is the role printed for it; every deputy
    who has a reply to sign has an account."""
    _seed(password="another-demo-pw")
    users = {u.username: u for u in User.objects.filter(username__in=ACCOUNTS)}
    transport = HandlingUnit.objects.get(name="市交通运输局")
    deputy = Deputy.objects.get(user=users["deputy"])
    replied = Suggestion.objects.filter(replies__isnull=False)

    for username in [*ACCOUNTS, "clerk02", "head12", "leader05", "deputy02"]:
        assert _logs_in(username, "another-demo-pw"), username
    assert not _logs_in("staff", "demo12345")
    assert users["admin"].is_superuser
    assert permissions.is_committee_staff(users["staff"])
    assert permissions.is_reviewer(users["reviewer"])
    assert not permissions.is_committee_staff(users["reviewer"])
    assert permissions.is_unit_member(users["clerk"], transport)
    assert not permissions.is_unit_head(users["clerk"], transport)
    assert permissions.is_unit_head(users["head"], transport)
    assert permissions.is_unit_leader(users["leader"], transport)
    assert len(set(deputy.led_suggestions.values_list("state", flat=True))) >= 4
    assert Group.objects.get(name=permissions.COMMITTEE_OFFICE).permissions.filter(
        content_type__app_label="stations"
    )
    # Deputies without an account sign on paper: the office verified their sign-offs, or
    # their unit's upload waits for it, or their signature is still to be collected.
    on_paper = replied.filter(lead_deputy__user__isnull=True).distinct()
    assert on_paper.exists()
    assert SignOff.objects.filter(suggestion__in=on_paper, paper__isnull=False).exists()
    for suggestion in on_paper:
        for signoff in suggestion.signoffs.all():
            assert signoff.verified_by is not None and signoff.paper_id is not None


@pytest.mark.django_db
def test_seed_demo_refuses_when_its_accounts_belong_to_someone_else():
    """An existing ``staff`` account without the demo data is left alone: nothing is made."""
    User.objects.create_user(username="staff", password="real-secret-1", is_superuser=True)

    with pytest.raises(CommandError, match="staff"):
        _seed()

    assert User.objects.get(username="staff").check_password("real-secret-1")
    assert not Suggestion.objects.exists()
    assert not HandlingUnit.objects.exists()


@pytest.mark.django_db
def test_seed_demo_has_five_key_suggestions_with_visits():
    """Five key suggestions of this year, each led by its lead unit's leader, followed by a
    committee and 1-3 invited deputies (the demo deputy among them once at least), with
    1-3 visits; one visit has a photo the leader and the invited deputy can open."""
    _seed()
    keys = list(
        KeySuggestion.objects.select_related("suggestion", "leader").prefetch_related(
            "invited_deputies", "inspections__files"
        )
    )
    deputy = Deputy.objects.get(user__username="deputy")

    assert len(keys) == 5
    for key in keys:
        assert key.year == timezone.localdate().year
        assert permissions.is_government_leader(key.leader)
        assert key.leader == key.suggestion.lead_assignment().unit.leader
        assert key.committee.endswith("委员会")
        assert 1 <= key.invited_deputies.count() <= 3
        assert 1 <= key.inspections.count() <= 3
        for visit in key.inspections.all():
            assert len(visit.findings) > 20
            assert key.chosen_on <= visit.happened_on <= timezone.localdate()
    assert any(deputy in key.invited_deputies.all() for key in keys)
    assert any(key.suggestion.lead_deputy == deputy for key in keys)
    assert User.objects.get(username="leader").led_key_suggestions.exists()
    assert InterimCheck.objects.filter(suggestion__key__isnull=False).exists()
    photo = InspectionFile.objects.get()
    assert photo.file.read().startswith(b"\x89PNG\r\n\x1a\n")
    key = photo.inspection.key_suggestion
    for username in (key.leader.username, "deputy"):
        client = Client()
        client.force_login(User.objects.get(username=username))
        response = client.get(reverse("tasks:inspection_file", args=[photo.pk]))
        assert response.status_code == 200, username
        assert b"".join(response.streaming_content).startswith(b"\x89PNG")

    _seed()
    assert KeySuggestion.objects.count() == 5
    assert Inspection.objects.count() == sum(len(k.inspections.all()) for k in keys)


@pytest.mark.django_db
def test_seed_demo_merges_two_groups_one_waiting_for_the_demo_deputy():
    """A replied group whose main one's deputy signed and the demo deputy still signs (on
    /my/), and a group not yet assigned, whose merge can still be undone."""
    _seed()
    deputy = User.objects.get(username="deputy")
    merged = Suggestion.objects.filter(state=Suggestion.State.MERGED).select_related("merged_into")
    assert merged.count() == 2
    replied = merged.get(merged_into__state=Suggestion.State.HANDLED)
    assert replied.lead_deputy.user == deputy
    main = replied.merged_into
    assert main.signoffs.filter(level=SignOff.Level.DEPUTY).count() == 1
    assert actions.get(Page.STATUS, "signoff").available(deputy, main)
    waiting = merged.exclude(pk=replied.pk).get()
    staff = User.objects.get(username="staff")
    assert actions.get(Page.ADMIN, "unmerge").available(staff, waiting)


@pytest.mark.django_db
def test_seed_demo_gives_units_different_scores_with_every_kind_of_deduction():
    """This year's assessment ranks four units or more with three scores or more, with a
    late reply, a reply not up to standard and a manual deduction among the deductions;
    the leader supervises two units or more with different scores; last year has figures
    too (the dashboard's trends), some replies on time."""
    from reports.selectors.assessment import unit_assessment

    _seed()
    rows = unit_assessment(year=timezone.localdate().year)
    kinds = {line.kind for row in rows for line in row.deductions}
    leader = User.objects.get(username="leader")
    theirs = [row for row in rows if row.unit.leader_id == leader.pk]

    assert len(rows) >= 4
    assert len({row.score for row in rows}) >= 3
    assert {"late_reply", "nonconforming_reply", "manual"} <= kinds
    assert len(theirs) >= 2 and len({row.score for row in theirs}) >= 2
    assert any(m["reason"].startswith("制度不健全") for row in rows for m in row.manual)
    last_year = unit_assessment(year=timezone.localdate().year - 1)
    assert len(last_year) >= 4 and any(row.on_time.numerator for row in last_year)
