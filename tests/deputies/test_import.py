"""The deputies import: values as offices write them, keyed by name, delegation and term."""

import pytest
from django.core.exceptions import PermissionDenied

import sheets as imports
from deputies.models import Deputy
from tests import factories
from tests.spreadsheets import DEPUTY_HEADERS, assert_refused, codes, db_state, xlsx

ROWS = [
    DEPUTY_HEADERS,
    [
        "王丽",
        "女",
        "汉族",
        "中国共产党",
        "市级",
        "城关区代表团",
        "第十六届",
        "市第一中学教师",
        "13800000001",
    ],
    ["李强", "男", "回族", "民盟", "全国", "城关区代表团", 16, "医生", 13800000002],
    ["张伟", "", "", "", "乡", "东岗镇选区", "十六", "", ""],
]


def _import(importer, rows, **kwargs):
    return imports.import_file(
        kind="deputies", file=xlsx(rows), by=importer, name="名册.xlsx", **kwargs
    )


def _refused(importer, rows, row, column, code):
    return assert_refused(lambda r: _import(importer, r), rows, row, column, code)


def test_deputies_import_creates_deputies_from_office_values(importer):
    """层级 with or without 级, 性别 男/女, 届次 as a number or in words become model values."""
    report = _import(importer, ROWS)
    assert report.errors == []
    assert report.new == 3
    assert sorted(
        Deputy.objects.values_list("name", "gender", "level", "delegation", "term", "mobile")
    ) == [
        ("张伟", "", "township", "东岗镇选区", 16, ""),
        ("李强", "M", "national", "城关区代表团", 16, "13800000002"),
        ("王丽", "F", "city", "城关区代表团", 16, "13800000001"),
    ]
    assert Deputy.objects.get(name="王丽").party == "中国共产党"


def test_deputies_import_twice_leaves_the_same_rows(importer):
    """Re-importing the same file changes nothing: every row is reported unchanged."""
    _import(importer, ROWS)
    before = db_state()
    report = _import(importer, ROWS)
    assert report.errors == []
    assert (report.new, report.updated, report.unchanged) == (0, 0, 3)
    assert db_state() == before


def test_deputies_import_updates_a_deputy_whose_details_changed(importer):
    """A deputy with the same name, delegation and term takes the file's new details."""
    _import(importer, ROWS)
    changed = [ROWS[0], ROWS[1][:8] + ["13900000009"]]
    report = _import(importer, changed)
    assert (report.new, report.updated) == (0, 1)
    assert Deputy.objects.get(name="王丽").mobile == "13900000009"
    assert Deputy.objects.count() == 3


def test_deputies_import_keeps_a_namesake_in_another_delegation_apart(importer):
    """The same name in another delegation (or term) is another deputy."""
    factories.DeputyFactory(name="王丽", delegation="七里河区代表团", term=16)
    report = _import(importer, ROWS[:2])
    assert report.new == 1
    assert Deputy.objects.filter(name="王丽").count() == 2


def test_deputies_import_dry_run_changes_nothing(importer):
    """A preview reports what would happen and writes nothing."""
    before = db_state()
    report = _import(importer, ROWS, dry_run=True)
    assert report.ok and report.new == 3
    assert db_state() == before


@pytest.mark.parametrize(
    ("cells", "column", "code"),
    [
        ({0: ""}, "姓名", "required"),  # no name
        ({4: ""}, "层级", "required"),  # no level
        ({4: "特级"}, "层级", "bad_choice"),  # a level that does not exist
        ({1: "未知"}, "性别", "bad_choice"),  # neither 男 nor 女
        ({6: "十六届x"}, "届次", "bad_number"),  # text in a number column
        ({6: 0}, "届次", "bad_number"),  # no term 0
        ({8: '=HYPERLINK("http://x")'}, "手机", "formula"),  # a formula cell
        ({8: "1" * 21}, "手机", "too_long"),  # longer than the column
    ],
)
def test_deputies_import_refuses_a_bad_cell(importer, cells, column, code):
    """A bad cell refuses the whole file, naming its row, column and reason."""
    bad = list(ROWS[2])
    for index, value in cells.items():
        bad[index] = value
    _refused(importer, [ROWS[0], ROWS[1], bad], 3, column, code)


def test_deputies_import_refuses_a_deputy_twice_in_the_file(importer):
    """The same name, delegation and term twice in one file is a bad row (the second)."""
    report = _refused(importer, [*ROWS, ROWS[1]], 5, "姓名", "duplicate_key")
    assert "2" in next(e.message for e in report.errors if e.code == "duplicate_key")


def test_deputies_import_reports_every_bad_row(importer):
    """All bad rows are listed, each with its number; the good rows are not imported."""
    bad = [
        ROWS[0],
        ROWS[1],
        ["", "", "", "", "市", "城关区代表团", 16],
        ROWS[3],
        ["赵六", "", "", "", "市", "", "x"],
    ]
    report = _import(importer, bad)
    assert [(e.row, e.code) for e in report.errors] == [
        (3, "required"),
        (5, "required"),
        (5, "bad_number"),
    ]
    assert Deputy.objects.count() == 0


def test_deputies_import_refused_without_the_permission(db):
    """A staff user without the add-deputy permission may not import deputies."""
    user = factories.StaffFactory(username="plain_staff", groups=[])
    before = db_state()
    with pytest.raises(PermissionDenied):
        imports.import_file(kind="deputies", file=xlsx(ROWS), by=user, name="名册.xlsx")
    assert db_state() == before


def test_deputies_import_codes_name_each_reason(importer):
    """The reasons carry stable codes (tests and tools use them) and a message."""
    report = _import(importer, [ROWS[0], ["王丽", "", "", "", "", "城关区代表团", 16]])
    assert codes(report) == {"required"}
    assert str(report.errors[0]).startswith(("Row 2", "第2行", "第 2 行"))
