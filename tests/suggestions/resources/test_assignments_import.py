"""The 交办会's assignment list: reviewed suggestions assigned through the service, with the
meeting's date, all rows or none."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django_fsm_log.models import StateLog

import sheets
from suggestions import services
from suggestions.models import Assignment, Suggestion
from tests import factories, flows
from tests.spreadsheets import ASSIGNMENT_HEADERS, csv_bytes, db_state, grant, xlsx

D = datetime.date
APPROVED_ON = D(2026, 3, 2)
MEETING = D(2026, 3, 5)
TODAY = D(2026, 3, 12)


@pytest.fixture
def office(cast):
    """Two suggestions approved on 2 March (numbered 1 and 2); the list is imported on 12
    March for the 交办会 of 5 March."""
    with flows.on(APPROVED_ON):
        first, second = flows.reviewed(cast), flows.reviewed(cast, title="关于加强校园安全的建议")
    with flows.on(TODAY):
        yield cast, first, second


def row(number="1", **cells):
    """A good row, with some cells replaced (by header)."""
    values = {
        "建议编号": number,
        "主办单位": "市交通运输局",
        "协办单位": "市公安局交通警察支队",
        "复杂": "否",
        "交办日期": MEETING,
    }
    values.update(cells)
    return [values[h] for h in ASSIGNMENT_HEADERS]


def _import(by, rows, *, headers=ASSIGNMENT_HEADERS, **kwargs):
    data = xlsx([headers, *rows])
    return sheets.import_file(kind="assignments", file=data, by=by, name="交办清单.xlsx", **kwargs)


def state() -> dict:
    """Everything an assignment list may write, read afresh."""
    return {
        **db_state(),
        "assignments": list(Assignment.objects.order_by("pk").values()),
        "transitions": list(StateLog.objects.order_by("pk").values_list("pk", "transition")),
    }


def _refused(by, rows, at, column, code, **kwargs):
    """The file is refused with ``code`` at ``at`` and ``column``; nothing changed."""
    before = state()
    report = _import(by, rows, **kwargs)
    found = {(e.row, e.column, e.code) for e in report.errors}
    assert (at, column, code) in found, report.errors
    assert report.outcomes == []
    assert state() == before
    return report


def test_assignments_import_assigns_with_the_meetings_date(office):
    """Each row assigns its suggestion on the meeting's date: the lead unit's reply is due 3
    months later, the co-unit's opinion 1 month later, recorded as made by the importer."""
    cast, first, _second = office
    report = _import(cast.staff, [row("1")])
    assert report.errors == []
    assert (report.new, report.unchanged) == (1, 0)
    first.refresh_from_db()
    assert first.state == Suggestion.State.ASSIGNED
    assert first.complex is False
    lead, co = flows.lead(first), flows.co(first)
    assert (lead.unit, lead.assigned_on, lead.due_on) == (cast.lead_unit, MEETING, D(2026, 6, 5))
    assert lead.original_due_on == D(2026, 6, 5)
    assert (co.unit, co.assigned_on, co.due_on) == (cast.co_unit, MEETING, D(2026, 4, 5))
    assert flows.transitions_of(first).last().by == cast.staff


def test_assignments_import_gives_a_complex_suggestion_six_months(office):
    """复杂 是: the reply is due 6 months after the meeting, and the suggestion is complex."""
    cast, _first, second = office
    report = _import(cast.staff, [row("2", 复杂="是", 协办单位="")])
    assert report.errors == []
    second.refresh_from_db()
    assert second.complex is True
    assert flows.lead(second).due_on == D(2026, 9, 5)
    assert list(second.open_assignments().values_list("role", flat=True)) == ["lead"]


def test_assignments_import_reads_a_csv_with_english_headers(office):
    """A csv (UTF-8 with BOM) with the English headers, the date as text and the co-units
    separated by any of the usual marks."""
    cast, first, second = office
    data = csv_bytes(
        [
            ["number", "lead unit", "co-units", "complex", "assigned on"],
            ["1", "市交通运输局", "市公安局交通警察支队；市教育局", "no", "2026年3月5日"],
            ["2", "市教育局", "", "", "2026-03-05"],
        ],
        bom=True,
    )
    report = sheets.import_file(kind="assignments", file=data, by=cast.staff, name="list.csv")
    assert report.errors == []
    assert set(first.open_assignments().values_list("unit__name", flat=True)) == {
        "市交通运输局",
        "市公安局交通警察支队",
        "市教育局",
    }
    assert flows.lead(second).unit == cast.other_unit
    assert flows.lead(second).due_on == D(2026, 6, 5)


def test_assignments_import_finds_a_unit_by_its_short_name(office):
    """主办单位 may be the unit's short name (简称)."""
    cast, first, _second = office
    cast.lead_unit.short_name = "交通局"
    cast.lead_unit.save()
    report = _import(cast.staff, [row("1", 主办单位="交通局", 协办单位="")])
    assert report.errors == []
    assert flows.lead(first).unit == cast.lead_unit


def test_assignments_import_reads_the_term_and_session_columns(office):
    """届次 and 会次, when given, say whose number it is; a number of another session is
    not found in this one."""
    cast, first, _second = office
    headers = [*ASSIGNMENT_HEADERS, "届次", "会次"]
    report = _import(cast.staff, [[*row("1"), "第十六届", "第二次会议"]], headers=headers)
    assert {e.code for e in report.errors} == {"unknown_suggestion"}
    report = _import(cast.staff, [[*row("1"), "第十六届", "第三次会议"]], headers=headers)
    assert report.errors == []
    assert flows.lead(first).unit == cast.lead_unit


@pytest.mark.parametrize(
    ("cells", "column", "code"),
    [
        # A number no suggestion of the session has.
        ({"建议编号": "99"}, "建议编号", "unknown_suggestion"),
        # A unit that does not exist.
        ({"主办单位": "市交通局"}, "主办单位", "unknown_unit"),
        ({"协办单位": "市公安局、市水务局"}, "协办单位", "unknown_unit"),
        # The lead unit named among the co-units too.
        ({"协办单位": "市交通运输局、市教育局"}, "协办单位", "lead_is_co_unit"),
        # The meeting's date in the future, or before the approval (the service's checks).
        ({"交办日期": "2026-03-13"}, "交办日期", "assigned_on_future"),
        ({"交办日期": "2026年3月1日"}, "交办日期", "assigned_before_approval"),
        # A date that is not one, or none.
        ({"交办日期": "三月五日"}, "交办日期", "bad_date"),
        ({"交办日期": ""}, "交办日期", "required"),
        # 复杂 neither 是 nor 否.
        ({"复杂": "可能"}, "复杂", "bad_choice"),
        # No lead unit.
        ({"主办单位": ""}, "主办单位", "required"),
    ],
)
def test_assignments_import_refuses_a_bad_row(office, cells, column, code):
    """A bad row (after a good one) refuses the file with its row, column and reason, and
    the good row is not assigned either."""
    cast, _first, _second = office
    _refused(cast.staff, [row("1"), row("2", **cells)], 3, column, code)


def test_assignments_import_refuses_a_suggestion_not_reviewed(office):
    """A proposed suggestion cannot be assigned: the service's refusal, on its row."""
    cast, _first, _second = office
    proposed = flows.proposed(cast, number="30")
    report = _refused(cast.staff, [row("1"), row("30")], 3, "建议编号", "not_allowed")
    assert proposed.get_state_display() in report.errors[0].message


def test_assignments_import_refuses_an_inactive_unit(office):
    """An inactive unit is given nothing new."""
    cast, _first, _second = office
    cast.other_unit.is_active = False
    cast.other_unit.save()
    _refused(cast.staff, [row("1", 协办单位="市教育局")], 2, "协办单位", "inactive_unit")


def test_assignments_import_refuses_a_number_twice_in_the_file(office):
    """The same suggestion twice in one list is a bad row, even with the same units."""
    cast, _first, _second = office
    report = _refused(cast.staff, [row("1"), row("2"), row("1")], 4, "建议编号", "duplicate_key")
    assert "2" in report.errors[0].message  # the row it was first seen in


def test_assignments_import_refuses_a_title_that_is_not_the_numbers(office):
    """With a 标题 column, a title other than the numbered suggestion's is a bad row."""
    cast, first, _second = office
    headers = [*ASSIGNMENT_HEADERS, "标题"]
    _refused(
        cast.staff,
        [[*row("1"), "关于加强校园安全的建议"]],
        2,
        "标题",
        "title_mismatch",
        headers=headers,
    )
    report = _import(cast.staff, [[*row("1"), first.title]], headers=headers)
    assert report.errors == []


def test_assignments_import_reports_every_bad_row(office):
    """Every bad row is reported, not only the first."""
    cast, _first, _second = office
    report = _import(cast.staff, [row("99"), row("1", 主办单位="无此单位"), row("2", 复杂="x")])
    assert [(e.row, e.code) for e in report.errors] == [
        (2, "unknown_suggestion"),
        (3, "unknown_unit"),
        (4, "bad_choice"),
    ]


def test_assignments_import_again_leaves_everything_unchanged(office):
    """Importing the same list again reports every row unchanged and writes nothing."""
    cast, _first, _second = office
    rows = [row("1"), row("2", 复杂="是", 协办单位="")]
    assert _import(cast.staff, rows).new == 2
    before = state()
    report = _import(cast.staff, rows)
    assert report.errors == []
    assert (report.new, report.unchanged) == (0, 2)
    assert state() == before


def test_assignments_import_again_after_handling_began_is_unchanged(office):
    """A suggestion replied to since the list was imported is still assigned as it says."""
    cast, first, _second = office
    _import(cast.staff, [row("1")])
    flows.prepare_reply(cast, first)
    flows.reply(cast, first)
    report = _import(cast.staff, [row("1")])
    assert report.errors == [] and report.unchanged == 1


@pytest.mark.parametrize(
    "cells",
    [
        {"主办单位": "市教育局"},  # another lead unit
        {"协办单位": ""},  # without the co-unit
        {"交办日期": "2026-03-06"},  # another meeting's date
        {"复杂": "是"},  # complex: another deadline
    ],
)
def test_assignments_import_refuses_a_suggestion_assigned_otherwise(office, cells):
    """A suggestion already assigned otherwise than its row says is a bad row: an import
    never changes an assignment."""
    cast, _first, _second = office
    _import(cast.staff, [row("1")])
    _refused(cast.staff, [row("1", **cells)], 2, "建议编号", "assigned_otherwise")


def test_assignments_import_refuses_a_suggestion_assigned_in_the_admin_today(office):
    """A suggestion assigned one by one (today) is not the meeting's: the row is refused."""
    cast, first, _second = office
    services.suggestion_assign(suggestion=first, by=cast.staff, lead_unit=cast.lead_unit)
    _refused(cast.staff, [row("1", 协办单位="")], 2, "建议编号", "assigned_otherwise")


def test_assignments_import_dry_run_changes_nothing(office):
    """A dry run reports what the list would assign and writes nothing."""
    cast, _first, _second = office
    before = state()
    report = _import(cast.staff, [row("1"), row("2")], dry_run=True)
    assert report.errors == []
    assert report.new == 2
    assert state() == before


def test_assignments_import_is_for_the_committee_office(office):
    """A reviewer holding the model's add permission still may not import the list: only
    those who may assign may."""
    cast, _first, _second = office
    reviewer = flows.person(cast, "reviewer")
    grant(reviewer, "suggestions.add_assignment")
    reviewer = type(reviewer).objects.get(pk=reviewer.pk)
    assert not sheets.can_import(reviewer, "assignments")
    before = state()
    with pytest.raises(PermissionDenied):
        _import(reviewer, [row("1")])
    assert state() == before


def test_assignments_import_needs_a_user(office):
    """The list is never imported without a user: the service records who assigned."""
    with pytest.raises(PermissionDenied):
        _import(None, [row("1")])
    assert Assignment.objects.count() == 0


def test_assignments_import_unit_of_another_name_is_not_guessed(office):
    """A name that is neither a unit's name nor its short name is not matched by part."""
    cast, _first, _second = office
    factories.HandlingUnitFactory(name="市交通运输局城区分局")
    report = _import(cast.staff, [row("1", 主办单位="交通运输局")])
    assert {e.code for e in report.errors} == {"unknown_unit"}
