"""The deputies' duty record (DESIGN "Deputy duty"): records by hand with their refusals,
records made by themselves from their sources exactly once (a signal sent twice, a source
undone), the year's points, ranks and contact rules."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from deputies import selectors, services
from deputies.models import DeputyGroup, DutyRecord, DutyRule, Term
from deputies.signals import duty_done, duty_undone
from npc_tracker.records import AppendOnlyError
from stations import services as station_services
from suggestions import services as suggestion_services
from tests import factories, flows

pytestmark = pytest.mark.django_db

Kind = DutyRecord.Kind
TODAY = datetime.date(2026, 11, 20)


def _codes(error: ValidationError) -> set[str]:
    return {e.code for e in error.error_list}


def _records(deputy, **kwargs):
    return list(DutyRecord.objects.filter(deputy=deputy, **kwargs).order_by("pk"))


# By hand


def test_the_office_records_a_meeting_worth_the_years_rule(cast):
    DutyRule.objects.create(year=2026, kind=Kind.MEETING, points=Decimal("2.5"))
    with flows.on(TODAY):
        record = services.duty_record(
            deputy=cast.deputy, by=cast.staff, kind=Kind.MEETING, happened_on=TODAY
        )
        year = selectors.duty_year(deputy=cast.deputy, year=2026, today=TODAY)
    assert record.recorded_by == cast.staff and record.points is None
    assert year.total == Decimal("2.5")
    assert year.by_kind == [(Kind.MEETING.label, 1, Decimal("2.5"))]


def test_a_rule_set_later_applies_to_the_years_records(cast):
    with flows.on(TODAY):
        services.duty_record(deputy=cast.deputy, by=cast.staff, kind="training", happened_on=TODAY)
    assert selectors.duty_year(deputy=cast.deputy, year=2026, today=TODAY).total == Decimal(1)
    DutyRule.objects.create(year=2026, kind=Kind.TRAINING, points=Decimal(4))
    assert selectors.duty_year(deputy=cast.deputy, year=2026, today=TODAY).total == Decimal(4)


def test_a_keeper_records_for_their_stations_deputies_only(cast):
    keeper = factories.UserFactory(username="keeper")
    station = factories.LiaisonStationFactory()
    station.keepers.add(keeper)
    station.deputies.add(cast.deputy)
    with flows.on(TODAY):
        services.duty_record(deputy=cast.deputy, by=keeper, kind="contact", happened_on=TODAY)
        with pytest.raises(PermissionDenied):
            services.duty_record(
                deputy=cast.other_deputy, by=keeper, kind="contact", happened_on=TODAY
            )
        with pytest.raises(PermissionDenied):
            services.duty_record(
                deputy=cast.deputy, by=cast.clerk, kind="contact", happened_on=TODAY
            )
    assert len(_records(cast.deputy)) == 1
    assert _records(cast.other_deputy) == []


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"happened_on": TODAY + datetime.timedelta(days=1)}, "date_in_future"),
        ({"happened_on": datetime.date(2021, 12, 31)}, "outside_term"),
        ({"points": "-1"}, "negative_points"),
        ({"points": "many"}, "bad_points"),
        ({"kind": "suggestion_lead"}, "automatic_kind"),
        ({"kind": "dancing"}, "bad_kind"),
        ({"happened_on": ""}, "date_required"),
    ],
)
def test_bad_manual_records_are_refused_with_the_reason(cast, kwargs, code):
    Term.objects.create(number=16, starts_on=datetime.date(2022, 1, 1))
    arguments = {"kind": "meeting", "happened_on": TODAY, **kwargs}
    with flows.on(TODAY), pytest.raises(ValidationError) as refused:
        services.duty_record(deputy=cast.deputy, by=cast.staff, **arguments)
    assert code in _codes(refused.value)
    assert _records(cast.deputy) == []


def test_the_same_source_entered_twice_is_refused(cast):
    with flows.on(TODAY):
        services.duty_record(
            deputy=cast.deputy,
            by=cast.staff,
            kind="meeting",
            happened_on=TODAY,
            source="第十六届人大第三次会议",
        )
        with pytest.raises(ValidationError) as refused:
            services.duty_record(
                deputy=cast.deputy,
                by=cast.staff,
                kind="meeting",
                happened_on=TODAY,
                source="第十六届人大第三次会议",
            )
    assert _codes(refused.value) == {"already_recorded"}
    assert len(_records(cast.deputy)) == 1


def test_a_rule_with_negative_points_is_refused():
    rule = DutyRule(year=2026, kind="meeting", points=Decimal(-1))
    with pytest.raises(ValidationError, match="积分不能为负数"):
        rule.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        rule.save()


def test_records_are_append_only_and_a_reversal_keeps_both(cast):
    with flows.on(TODAY):
        record = services.duty_record(
            deputy=cast.deputy, by=cast.staff, kind="meeting", happened_on=TODAY
        )
    with pytest.raises(AppendOnlyError):
        record.delete()
    with pytest.raises(ValidationError) as refused:
        services.duty_reverse(record=record, by=cast.staff, reason="")
    assert _codes(refused.value) == {"reason_required"}
    services.duty_reverse(record=record, by=cast.staff, reason="录入错误")
    with pytest.raises(ValidationError) as again:
        services.duty_reverse(record=record, by=cast.staff, reason="录入错误")
    assert _codes(again.value) == {"already_reversed"}
    assert [r.sign for r in _records(cast.deputy)] == [1, -1]
    assert selectors.duty_year(deputy=cast.deputy, year=2026, today=TODAY).total == 0


# By themselves, exactly once


def test_a_signal_sent_twice_makes_one_record(cast):
    for _ in range(2):
        duty_done.send(
            sender=None,
            source="activity:1",
            kind="reception",
            happened_on=TODAY,
            deputy_ids=[cast.deputy.pk, cast.co_deputy.pk],
        )
    assert len(_records(cast.deputy)) == 1
    assert len(_records(cast.co_deputy)) == 1


def test_an_undone_source_is_reversed_once_and_never_made_again(cast):
    arguments = {
        "source": "activity:1",
        "kind": "reception",
        "happened_on": TODAY,
        "deputy_ids": [cast.deputy.pk],
    }
    duty_done.send(sender=None, **arguments)
    duty_undone.send(sender=None, source="activity:1", reason="更正")
    duty_undone.send(sender=None, source="activity:1", reason="更正")
    duty_done.send(sender=None, **arguments)
    assert [(r.sign, r.source) for r in _records(cast.deputy)] == [
        (1, "activity:1"),
        (-1, "activity:1"),
    ]


def test_an_accepted_suggestion_counts_for_its_lead_and_co_signers(cast):
    with flows.on(TODAY):
        suggestion = flows.proposed(cast)
        assert _records(cast.deputy) == []  # proposed is not yet accepted
        services_approve = suggestion_services.suggestion_approve
        services_approve(suggestion=suggestion, by=cast.staff)
    lead = _records(cast.deputy)
    co = _records(cast.co_deputy)
    assert [(r.kind, r.source) for r in lead] == [
        ("suggestion_lead", f"suggestion:{suggestion.pk}")
    ]
    assert [(r.kind, r.source) for r in co] == [("suggestion_co", f"suggestion:{suggestion.pk}")]
    assert lead[0].happened_on == suggestion.raised_on


def test_a_withdrawn_suggestion_no_longer_counts(cast):
    with flows.on(TODAY):
        suggestion = flows.reviewed(cast)
        suggestion_services.suggestion_withdraw(suggestion=suggestion, by=cast.staff, reason="撤回")
        year = selectors.duty_year(deputy=cast.deputy, year=2026, today=TODAY)
    assert [r.sign for r in _records(cast.deputy)] == [1, -1]
    assert [r.sign for r in _records(cast.co_deputy)] == [1, -1]
    assert year.total == 0
    assert next(c for c in year.checks if c.code == "suggestion").met is False


def test_a_refused_transition_leaves_no_duty(cast):
    """The duty is written in the service's transaction: a refusal after it leaves none."""
    with flows.on(TODAY):
        suggestion = flows.proposed(cast)
        with pytest.raises(PermissionDenied):
            suggestion_services.suggestion_approve(suggestion=suggestion, by=cast.clerk)
    assert _records(cast.deputy) == []


@pytest.fixture
def station(cast):
    station = factories.LiaisonStationFactory()
    station.deputies.add(cast.deputy, cast.co_deputy)
    return station


def test_an_activity_counts_for_each_deputy_present_and_a_correction_moves_it(cast, station):
    with flows.on(TODAY):
        first = station_services.station_activity_record(
            station=station,
            by=cast.staff,
            kind="reception",
            happened_on=TODAY,
            deputies=[cast.deputy, cast.co_deputy],
            citizens=12,
        )
        corrected = station_services.station_activity_record(
            station=station,
            by=cast.staff,
            kind="report",
            happened_on=TODAY,
            deputies=[cast.deputy],
            citizens=12,
            corrects=first,
        )
        with pytest.raises(ValidationError) as twice:
            station_services.station_activity_record(
                station=station, by=cast.staff, kind="report", happened_on=TODAY, corrects=first
            )
    assert _codes(twice.value) == {"already_corrected"}
    assert [(r.kind, r.sign, r.source) for r in _records(cast.deputy)] == [
        ("reception", 1, f"activity:{first.pk}"),
        ("reception", -1, f"activity:{first.pk}"),
        ("report", 1, f"activity:{corrected.pk}"),
    ]
    assert [r.sign for r in _records(cast.co_deputy)] == [1, -1]


def test_a_group_activity_counts_for_each_member_present(cast):
    group = DeputyGroup.objects.create(name="城关代表小组")
    group.members.add(cast.deputy, cast.co_deputy)
    with flows.on(TODAY):
        services.group_activity_record(
            group=group, by=cast.staff, kind="research", happened_on=TODAY, present=[cast.deputy]
        )
        with pytest.raises(ValidationError) as refused:
            services.group_activity_record(
                group=group,
                by=cast.staff,
                kind="research",
                happened_on=TODAY,
                present=[cast.other_deputy],
            )
    assert _codes(refused.value) == {"not_a_member"}
    assert [r.kind for r in _records(cast.deputy)] == ["research"]
    assert _records(cast.co_deputy) == [] and _records(cast.other_deputy) == []


# The year: ranks and rules


def test_the_ranking_shares_ranks_on_ties_and_ranks_within_the_delegation(cast):
    cast.other_deputy.delegation = "城南区代表团"
    cast.other_deputy.save()
    with flows.on(TODAY):
        for deputy in (cast.deputy, cast.other_deputy):
            services.duty_record(deputy=deputy, by=cast.staff, kind="report", happened_on=TODAY)
        services.duty_record(deputy=cast.deputy, by=cast.staff, kind="contact", happened_on=TODAY)
    rows = {row.deputy_id: row for row in selectors.ranking(year=2026)}
    assert (rows[cast.deputy.pk].total, rows[cast.deputy.pk].rank) == (Decimal(6), 1)
    assert (rows[cast.other_deputy.pk].rank, rows[cast.other_deputy.pk].rank_in_delegation) == (
        2,
        1,
    )
    assert (rows[cast.co_deputy.pk].total, rows[cast.co_deputy.pk].rank) == (0, 3)
    assert rows[cast.co_deputy.pk].rank_in_delegation == 2
    year = selectors.duty_year(deputy=cast.other_deputy, year=2026, today=TODAY)
    assert (year.rank, year.rank_in_delegation) == (2, 1)
    zero = selectors.duty_year(deputy=cast.co_deputy, year=2026, today=TODAY)
    assert (zero.rank, zero.rank_in_delegation) == (3, 2)


def test_the_contact_rules_say_what_is_still_owed(cast):
    with flows.on(datetime.date(2026, 2, 10)):
        services.duty_record(
            deputy=cast.deputy, by=cast.staff, kind="contact", happened_on="2026-02-10"
        )
    year = selectors.duty_year(deputy=cast.deputy, year=2026, today=TODAY)
    checks = {check.code: check for check in year.checks}
    assert checks["contact_q1"].met and not checks["contact_q2"].met
    assert not checks["contact_q4"].met and "2026-12-31" in str(checks["contact_q4"].owed)
    assert not checks["report"].met and not checks["suggestion"].met
    short = selectors.shortfalls(year=2026, today=TODAY)
    assert short[cast.deputy.pk] == [
        "contact_q2",
        "contact_q3",
        "contact_q4",
        "suggestion",
        "report",
    ]
