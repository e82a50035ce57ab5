"""The handling units import: keyed by name, the leader named as the office writes it."""

import pytest
from django.core.exceptions import PermissionDenied

import sheets as imports
from suggestions.models import HandlingUnit
from tests import factories
from tests.spreadsheets import UNIT_HEADERS, assert_refused, db_state, xlsx


@pytest.fixture
def leaders(db):
    """Leaders by full name (given as first_name, as the seed does), by username, and two
    users who share a name."""
    return {
        "刘洋": factories.UserFactory(username="liuyang", first_name="刘洋"),
        "mayor_chen": factories.UserFactory(username="mayor_chen", first_name="陈", last_name="军"),
        "twin_a": factories.UserFactory(username="twin_a", first_name="王芳"),
        "twin_b": factories.UserFactory(username="twin_b", first_name="王芳"),
    }


ROWS = [
    UNIT_HEADERS,
    ["市交通运输局", "交通局", "政府部门", "刘洋"],
    ["市中级人民法院", "中院", "人民法院", "mayor_chen"],
    ["市人民检察院", "", "检察院", "军陈"],
    ["市自来水公司", "", "企事业单位", ""],
    ["市残疾人联合会", "残联", "其他", "陈 军"],
]


def _import(importer, rows, **kwargs):
    return imports.import_file(
        kind="units", file=xlsx(rows), by=importer, name="单位.xlsx", **kwargs
    )


def _refused(importer, rows, row, column, code):
    return assert_refused(lambda r: _import(importer, r), rows, row, column, code)


def test_units_import_creates_units_with_kinds_and_leaders(importer, leaders):
    """类型 maps to the unit kind; 分管领导 names a user by full name or username."""
    report = _import(importer, ROWS)
    assert report.errors == []
    assert report.new == 5
    units = {u.name: u for u in HandlingUnit.objects.select_related("leader")}
    assert units["市交通运输局"].kind == "government"
    assert units["市交通运输局"].short_name == "交通局"
    assert units["市交通运输局"].leader == leaders["刘洋"]
    assert units["市中级人民法院"].kind == "court"
    assert units["市中级人民法院"].leader == leaders["mayor_chen"]
    # 军陈: family name first, as Chinese is written; 陈 军: get_full_name()
    assert units["市人民检察院"].leader == leaders["mayor_chen"]
    assert units["市残疾人联合会"].leader == leaders["mayor_chen"]
    assert units["市自来水公司"].kind == "enterprise"
    assert units["市自来水公司"].leader is None
    assert units["市残疾人联合会"].kind == "other"


def test_units_import_twice_leaves_the_same_rows(importer, leaders):
    """Re-importing the same file changes nothing."""
    _import(importer, ROWS)
    before = db_state()
    report = _import(importer, ROWS)
    assert (report.new, report.updated, report.unchanged) == (0, 0, 5)
    assert db_state() == before


def test_units_import_updates_a_unit_found_by_name(importer, leaders):
    """A unit already there (by name) takes the file's short name, kind and leader."""
    unit = factories.HandlingUnitFactory(name="市交通运输局", short_name="", leader=None)
    report = _import(importer, ROWS[:2])
    assert (report.new, report.updated) == (0, 1)
    unit.refresh_from_db()
    assert (unit.short_name, unit.leader) == ("交通局", leaders["刘洋"])


@pytest.mark.parametrize(
    ("row", "column", "code"),
    [
        (
            ["市民政局", "", "政府部门", "不存在的人"],
            "分管领导",
            "unknown_leader",
        ),  # nobody of that name
        (
            ["市民政局", "", "政府部门", "王芳"],
            "分管领导",
            "ambiguous_leader",
        ),  # two users of that name
        (["市民政局", "", "事业编", ""], "类型", "bad_choice"),  # not one of the five kinds
        (["市民政局", "", "", ""], "类型", "required"),  # no kind
        (["", "民政局", "政府部门", ""], "单位名称", "required"),  # no name
        (["=A1", "", "政府部门", ""], "单位名称", "formula"),  # a formula cell
        (["市交通运输局", "", "政府部门", ""], "单位名称", "duplicate_key"),  # row 2's unit again
    ],
)
def test_units_import_refuses_a_bad_row(importer, leaders, row, column, code):
    """A bad row refuses the file with its row, column and reason; nothing is written."""
    _refused(importer, [ROWS[0], ROWS[1], row], 3, column, code)


def test_units_import_never_creates_an_unknown_leader(importer, leaders):
    """An unknown leader is a bad row, not a new user."""
    users = type(leaders["刘洋"]).objects.count()
    _import(importer, [ROWS[0], ["市民政局", "", "政府部门", "新领导"]])
    assert type(leaders["刘洋"]).objects.count() == users


def test_units_import_ignores_inactive_users_as_leaders(importer, leaders):
    """A deactivated account is not a leader a file can name."""
    leaders["刘洋"].is_active = False
    leaders["刘洋"].save()
    _refused(
        importer,
        [ROWS[0], ["市民政局", "", "政府部门", ""], ROWS[1]],
        3,
        "分管领导",
        "unknown_leader",
    )


def test_units_import_refused_without_the_permission(db):
    """A reviewer (staff, without the add-unit permission) may not import units."""
    user = factories.StaffFactory(username="reviewer", groups=["reviewers"])
    with pytest.raises(PermissionDenied):
        imports.import_file(kind="units", file=xlsx(ROWS), by=user, name="单位.xlsx")
    assert HandlingUnit.objects.count() == 0
