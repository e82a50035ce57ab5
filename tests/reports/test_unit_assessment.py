"""The units' assessment of a year (DESIGN "Assessment"): each definition at its edges,
with the dates set by freezing time. The year is 2025; the lead unit's statutory deadline
for an assignment of 3 March is 3 June."""

import datetime
from decimal import Decimal

import pytest

from reports import services as report_services
from reports.models import AssessmentScheme
from reports.selectors import Rate, unit_assessment, unit_cases
from suggestions import services
from suggestions.models import Assignment, Revisit, SignOff
from tests import factories, flows

pytestmark = pytest.mark.django_db

ASSIGNED = datetime.date(2025, 3, 3)
DUE = datetime.date(2025, 6, 3)
LATER = datetime.date(2026, 1, 15)  # the day the figures are counted, unless a test says


def _assigned(cast, co=True, **kwargs):
    with flows.on(ASSIGNED):
        return flows.assigned(cast, co=co, **kwargs)


def _reply(cast, suggestion, day, classification="A"):
    with flows.on(day):
        flows.prepare_reply(cast, suggestion)
        return flows.reply(cast, suggestion, classification)


def _rows(as_of=LATER, year=2025):
    return {row.unit.name: row for row in unit_assessment(year=year, as_of=as_of)}


def _deduction(row, kind):
    return next(((k, c, p) for k, c, p in row.deductions if k == kind), None)


def test_on_time_counts_a_reply_on_the_day_of_the_deadline(cast):
    """A reply on the deadline's own day is on time."""
    suggestion = _assigned(cast, co=False)
    _reply(cast, suggestion, DUE)
    row = _rows()["市交通运输局"]
    assert row.on_time == Rate(1, 1)
    assert _deduction(row, "late_reply") is None


def test_on_time_misses_a_reply_a_day_late_and_deducts_it(cast):
    """A reply the day after the deadline is late: 0/1, and a late-reply deduction of 2."""
    suggestion = _assigned(cast, co=False)
    _reply(cast, suggestion, DUE + datetime.timedelta(days=1))
    row = _rows(as_of=DUE + datetime.timedelta(days=5))["市交通运输局"]  # signatures not due
    assert row.on_time == Rate(0, 1)
    assert _deduction(row, "late_reply") == ("late_reply", 1, Decimal(2))
    assert row.score == Decimal(98)
    assert unit_cases(year=2025, unit=cast.lead_unit, kind="late_reply") == [suggestion.pk]


def test_on_time_follows_an_extension_that_moved_the_deadline(cast):
    """After an approved extension, a reply past the statutory deadline but within the
    extended one is on time."""
    suggestion = _assigned(cast, co=False)
    with flows.on(datetime.date(2025, 4, 1)):
        request = services.extension_request(
            assignment=flows.lead(suggestion),
            by=cast.clerk,
            reason="涉及多部门协调。",
            until=datetime.date(2025, 8, 1),
        )
        services.extension_decide(request=request, by=cast.staff, approve=True)
    _reply(cast, suggestion, datetime.date(2025, 7, 20))
    assert _rows()["市交通运输局"].on_time == Rate(1, 1)


def test_on_time_is_decided_by_the_first_rounds_reply_after_a_redo(cast):
    """A redo's late second reply does not undo the first round's reply on time."""
    suggestion = _assigned(cast, co=False)
    _reply(cast, suggestion, DUE)
    with flows.on(datetime.date(2025, 6, 10)):
        services.suggestion_order_redo(
            suggestion=suggestion, by=cast.staff, reason="答复不规范。", grounds="nonconforming"
        )
    _reply(cast, suggestion, datetime.date(2025, 9, 30))  # past the one-month redo deadline
    row = _rows()["市交通运输局"]
    assert row.on_time == Rate(1, 1)
    assert row.redo_count == {"nonconforming": 1}
    assert _deduction(row, "nonconforming_reply") == ("nonconforming_reply", 1, Decimal(2))


def test_on_time_counts_an_unreplied_assignment_only_once_its_deadline_passed(cast):
    """Unreplied: out of the denominator up to the deadline's day, late the day after."""
    _assigned(cast, co=False)
    assert _rows(as_of=DUE)["市交通运输局"].on_time == Rate(0, 0)
    assert _rows(as_of=DUE + datetime.timedelta(days=1))["市交通运输局"].on_time == Rate(0, 1)


def test_rate_with_no_cases_reads_a_dash_never_a_percentage(cast):
    """A rate whose denominator is 0 is (0, 0), has no percentage and reads "—"."""
    _assigned(cast, co=False)
    row = _rows(as_of=ASSIGNED)["市交通运输局"]
    assert row.satisfied_result == Rate(0, 0)
    assert row.satisfied_result.percent is None
    assert str(row.satisfied_result) == "—"
    assert str(Rate(3, 4)) == "3/4（75.0%）"


def test_assessment_leaves_out_withdrawn_and_merged_suggestions(cast):
    """Assignments of a withdrawn, a not-accepted or a merged-away suggestion count nowhere."""
    for state in ("withdrawn", "merged", "not_accepted"):
        Assignment.objects.create(
            suggestion=factories.SuggestionFactory(state=state, lead_deputy=cast.deputy),
            unit=cast.other_unit,
            role=Assignment.Role.LEAD,
            assigned_on=ASSIGNED,
            due_on=DUE,
            original_due_on=DUE,
        )
    _assigned(cast, co=False)
    rows = _rows()
    assert "市教育局" not in rows
    assert rows["市交通运输局"].lead_count == 1


def test_merged_group_counts_once_for_its_main_suggestion(cast):
    """A merged group is handled once: one lead assignment, one row count."""
    with flows.on(ASSIGNED):
        main, _other = flows.merged(cast)
        services.suggestion_assign(suggestion=main, by=cast.staff, lead_unit=cast.lead_unit)
    assert _rows()["市交通运输局"].lead_count == 1


def test_reassigned_assignment_counts_only_in_reassigned_count(cast):
    """The unit that asked to be relieved counts the assignment only as reassigned; the
    new lead unit counts it as its own."""
    suggestion = _assigned(cast, co=False)
    with flows.on(datetime.date(2025, 3, 5)):
        request = services.reassignment_request(
            assignment=flows.lead(suggestion), by=cast.clerk, reason="不属于本单位职责。"
        )
        services.reassignment_decide(
            request=request, by=cast.staff, approve=True, lead_unit=cast.other_unit
        )
    rows = _rows()
    old, new = rows["市交通运输局"], rows["市教育局"]
    assert (old.lead_count, old.co_count, old.reassigned_count) == (0, 0, 1)
    assert old.on_time == Rate(0, 0)
    assert (new.lead_count, new.reassigned_count) == (1, 0)
    assert new.on_time == Rate(0, 1)  # its deadline (5 June) has passed unreplied


def test_co_on_time_counts_an_opinion_by_its_due_date_and_deducts_a_late_one(cast):
    """The co-unit's opinion is due a month after assignment: on the day is on time, a
    day later is late (1 point)."""
    on_time, late = _assigned(cast), _assigned(cast)
    with flows.on(datetime.date(2025, 4, 3)):
        services.co_opinion_submit(assignment=flows.co(on_time), by=cast.co_clerk, text="同意。")
    with flows.on(datetime.date(2025, 4, 4)):
        services.co_opinion_submit(assignment=flows.co(late), by=cast.co_clerk, text="同意。")
    row = _rows()["市公安局交通警察支队"]
    assert (row.co_count, row.co_on_time) == (2, Rate(1, 2))
    assert _deduction(row, "late_co_opinion") == ("late_co_opinion", 1, Decimal(1))
    assert unit_cases(year=2025, unit=cast.co_unit, kind="late_co_opinion") == [late.pk]


def test_satisfaction_counts_only_the_latest_round_of_each_deputy(cast):
    """A dissatisfied first round followed by a satisfied redo counts as satisfied once."""
    suggestion = _assigned(cast, co=False)
    _reply(cast, suggestion, datetime.date(2025, 5, 6), "B")
    with flows.on(datetime.date(2025, 5, 10)):
        flows.deputy_signs(cast, suggestion, result=SignOff.Rating.DISSATISFIED)
    assert _rows()["市交通运输局"].dissatisfied_count == 1
    with flows.on(datetime.date(2025, 5, 12)):
        services.suggestion_order_redo(
            suggestion=suggestion, by=cast.staff, reason="代表不满意。", grounds="dissatisfied"
        )
    _reply(cast, suggestion, datetime.date(2025, 6, 1), "A")
    with flows.on(datetime.date(2025, 6, 5)):
        flows.deputy_signs(cast, suggestion, work=SignOff.Rating.BASICALLY_SATISFIED)
    row = _rows()["市交通运输局"]
    assert row.satisfied_work == Rate(1, 1)
    assert row.satisfied_result == Rate(1, 1)
    assert row.dissatisfied_count == 0
    assert row.resolved == Rate(1, 1)  # the current reply (A), not the replaced B
    assert row.redo_count == {"dissatisfied": 1}


def test_signed_complete_counts_replies_older_than_30_days(cast):
    """Replies more than 30 days old need the three signatures; a younger one is not yet
    counted, an old one unsigned is deducted."""
    signed, unsigned = _assigned(cast, co=False), _assigned(cast, co=False)
    day = datetime.date(2025, 5, 1)
    _reply(cast, signed, day)
    _reply(cast, unsigned, day)
    with flows.on(day):
        flows.sign_all(cast, signed)
    assert _rows(as_of=day + datetime.timedelta(days=30))["市交通运输局"].signed_complete == (
        Rate(0, 0)
    )
    row = _rows(as_of=day + datetime.timedelta(days=31))["市交通运输局"]
    assert row.signed_complete == Rate(1, 2)
    assert _deduction(row, "missing_signatures") == ("missing_signatures", 1, Decimal(2))


def test_kept_counts_the_commitments_checked_at_the_closing_revisit(cast):
    """Kept / partly / not kept at a closing revisit: kept 1/3, one not kept deducted
    (0 points by default)."""
    suggestion = _assigned(cast, co=False)
    with flows.on(datetime.date(2025, 5, 1)):
        flows.prepare_reply(cast, suggestion)
        services.reply_submit(
            assignment=flows.lead(suggestion),
            by=cast.clerk,
            classification="B",
            text="列入计划。",
            document=factories.document(),
            commitments=[(f"承诺{i}", datetime.date(2025, 9, 1)) for i in range(3)],
        )
        flows.sign_all(cast, suggestion)
    with flows.on(datetime.date(2025, 9, 2)):
        commitments = list(suggestion.current_reply().commitments.order_by("pk"))
        services.revisit_record(
            suggestion=suggestion,
            by=cast.staff,
            outcomes=dict(zip(commitments, ["kept", "partly_kept", "not_kept"], strict=True)),
            notes="部分未落实。",
            decision=Revisit.Decision.CLOSE,
        )
    row = _rows()["市交通运输局"]
    assert row.kept == Rate(1, 3)
    assert _deduction(row, "commitment_not_kept") == ("commitment_not_kept", 1, Decimal(0))


def test_scheme_and_manual_deductions_set_the_points(cast):
    """The year's scheme sets each case's points; a manual deduction adds its own."""
    suggestion = _assigned(cast, co=False)
    _reply(cast, suggestion, DUE + datetime.timedelta(days=1))
    AssessmentScheme.objects.create(year=2025, late_reply=Decimal("3.5"))
    report_services.deduction_record(
        unit=cast.lead_unit, year=2025, by=cast.staff, kind="manual", points=5, reason="制度不健全"
    )
    row = _rows(as_of=DUE + datetime.timedelta(days=5))["市交通运输局"]
    assert _deduction(row, "late_reply") == ("late_reply", 1, Decimal("3.5"))
    assert _deduction(row, "manual") == ("manual", 1, Decimal(5))
    assert row.manual[0]["reason"] == "制度不健全"
    assert row.score == Decimal("91.5")


def test_rank_breaks_a_tie_in_score_by_on_time_rate_then_by_name(cast):
    """Equal scores: the better on-time rate first; equal again: the name in code-point
    order."""
    # 市交通运输局: on time 1/1; 市教育局: no case yet (0/0); 市公安局交通警察支队 co only.
    suggestion = _assigned(cast)
    with flows.on(ASSIGNED):
        flows.prepare_reply(cast, suggestion)  # the co-unit's opinion on the first day
    with flows.on(DUE):
        flows.reply(cast, suggestion, "A")
    with flows.on(ASSIGNED):
        other = flows.reviewed(cast)
        services.suggestion_assign(suggestion=other, by=cast.staff, lead_unit=cast.other_unit)
    rows = unit_assessment(year=2025, as_of=DUE)
    assert [r.score for r in rows] == [Decimal(100)] * 3
    assert [(r.rank, r.unit.name) for r in rows] == [
        (1, "市交通运输局"),
        (2, "市公安局交通警察支队"),  # no on-time case, and "公" < "教"
        (3, "市教育局"),
    ]


def test_frozen_year_is_unchanged_by_later_writes(cast):
    """Once closed, the year reads its frozen rows; the loop's later records change only
    the live figures, and reopening brings them back."""
    suggestion = _assigned(cast, co=False)
    with flows.on(LATER):
        report_services.assessment_close(year=2025, by=cast.staff)
        frozen = [row.to_json() for row in unit_assessment(year=2025)]
        assert frozen[0]["on_time"] == [0, 1]
        assert frozen[0]["cases"] == {"late_reply": [suggestion.pk]}
        flows.prepare_reply(cast, suggestion)
        flows.reply(cast, suggestion, "A")
        flows.sign_all(cast, suggestion)
        assert [row.to_json() for row in unit_assessment(year=2025)] == frozen
        assert unit_assessment(year=2025, live=True)[0].resolved == Rate(1, 1)
        report_services.assessment_reopen(year=2025, by=cast.staff, reason="补录答复。")
        assert unit_assessment(year=2025)[0].resolved == Rate(1, 1)


def test_assessment_reads_a_constant_number_of_queries(cast, django_assert_num_queries):
    """Eight queries for the year (one per kind of record, the deductions, the scheme and
    the units, and whether it is closed), whatever the number of units."""
    _assigned(cast)
    with django_assert_num_queries(9):
        assert len(unit_assessment(year=2025, as_of=LATER)) == 2
    for _ in range(3):
        unit = factories.HandlingUnitFactory()
        with flows.on(ASSIGNED):
            services.suggestion_assign(
                suggestion=flows.reviewed(cast), by=cast.staff, lead_unit=unit
            )
    with django_assert_num_queries(9):
        assert len(unit_assessment(year=2025, as_of=LATER)) == 5
