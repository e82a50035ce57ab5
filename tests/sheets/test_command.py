"""``manage.py import_data``: the admin's import from the command line, all rows or none."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from deputies.models import Deputy
from suggestions.models import HandlingUnit, Suggestion
from tests import factories, flows
from tests.spreadsheets import (
    ASSIGNMENT_HEADERS,
    DEPUTY_HEADERS,
    SUGGESTION_HEADERS,
    UNIT_HEADERS,
    db_state,
    xlsx,
)

DEPUTIES = [
    DEPUTY_HEADERS,
    ["王丽", "女", "汉族", "中共", "市级", "城关区代表团", "第十六届", "教师", "13800000001"],
    ["李强", "男", "汉族", "", "市", "城关区代表团", 16, "", ""],
]


def _run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_data", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def _file(tmp_path, rows, name="data.xlsx"):
    path = tmp_path / name
    path.write_bytes(xlsx(rows))
    return str(path)


def test_import_data_imports_deputies(db, tmp_path):
    """The command imports a file and says how many rows were new."""
    out, _err = _run("deputies", _file(tmp_path, DEPUTIES))
    assert "2" in out
    assert sorted(Deputy.objects.values_list("name", flat=True)) == ["李强", "王丽"]


def test_import_data_imports_units_and_suggestions_in_turn(db, tmp_path):
    """Units, deputies and suggestions each import through the same command."""
    _run("units", _file(tmp_path, [UNIT_HEADERS, ["市交通运输局", "交通局", "政府部门", ""]]))
    _run("deputies", _file(tmp_path, DEPUTIES))
    suggestion = ["1", "关于增设信号灯的建议", "王丽", "李强", "", "", "内容", "2026-03-05", 16, 3]
    _run("suggestions", _file(tmp_path, [SUGGESTION_HEADERS, suggestion]))
    assert HandlingUnit.objects.get().short_name == "交通局"
    assert Suggestion.objects.get().state == Suggestion.State.PROPOSED


def test_import_data_twice_leaves_the_same_rows(db, tmp_path):
    """Running the command again on the same file changes nothing."""
    path = _file(tmp_path, DEPUTIES)
    _run("deputies", path)
    before = db_state()
    _run("deputies", path)
    assert db_state() == before


def test_import_data_dry_run_changes_nothing(db, tmp_path):
    """--dry-run checks the file and reports, changing nothing."""
    before = db_state()
    out, _err = _run("deputies", _file(tmp_path, DEPUTIES), "--dry-run")
    assert "2" in out
    assert db_state() == before


def test_import_data_prints_each_bad_row_and_exits_non_zero(db, tmp_path):
    """A bad file: every bad row on stderr with its row and column, exit status 1, no change."""
    bad = [
        DEPUTY_HEADERS,
        DEPUTIES[1],
        ["", "", "", "", "市", "城关区代表团", 16],
        ["赵六", "", "", "", "特级", "城关区代表团", "x"],
    ]
    before = db_state()
    err = io.StringIO()
    with pytest.raises(CommandError) as excinfo:
        call_command("import_data", "deputies", _file(tmp_path, bad), stderr=err)
    assert excinfo.value.returncode == 1
    lines = err.getvalue().strip().splitlines()
    assert len(lines) == 3
    assert all(("3" in line or "4" in line) for line in lines)
    assert "姓名" in lines[0] and "层级" in lines[1] and "届次" in lines[2]
    assert db_state() == before


def test_import_data_refuses_a_file_before_parsing(db, tmp_path):
    """A file of the wrong type is refused with its message."""
    path = tmp_path / "名册.xlsx"
    path.write_bytes(b"not a workbook")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_data", "deputies", str(path), stderr=err)
    assert err.getvalue().strip()
    assert Deputy.objects.count() == 0


def test_import_data_refuses_a_missing_file(db, tmp_path):
    """A path that does not exist is an error, not a traceback."""
    with pytest.raises(CommandError):
        _run("deputies", str(tmp_path / "nothing.xlsx"))


def test_import_data_by_a_user_checks_their_permission(db, tmp_path):
    """--by names the importing user, who needs the import permission."""
    factories.StaffFactory(username="plain_staff", groups=[])
    with pytest.raises(CommandError):
        _run("deputies", _file(tmp_path, DEPUTIES), "--by", "plain_staff")
    assert Deputy.objects.count() == 0


def test_import_data_records_the_user_of_imported_suggestions(db, tmp_path, staff):
    """Suggestions imported --by a committee member record who entered them."""
    _run("deputies", _file(tmp_path, DEPUTIES))
    suggestion = ["1", "关于增设信号灯的建议", "王丽", "", "", "", "内容", "", 16, 3]
    _run("suggestions", _file(tmp_path, [SUGGESTION_HEADERS, suggestion]), "--by", "staff")
    assert Suggestion.objects.get().created_by == staff


# The assignment list of a 交办会 (tests/suggestions/resources/test_assignments_import.py
# has its rules): the command runs it as a named user.


@pytest.fixture
def meeting(cast):
    """A suggestion approved on 2 March, numbered 1; the command runs on 12 March."""
    with flows.on(datetime.date(2026, 3, 2)):
        suggestion = flows.reviewed(cast)
    with flows.on(datetime.date(2026, 3, 12)):
        yield cast, suggestion


def _assignment_list(tmp_path, *rows):
    return _file(tmp_path, [ASSIGNMENT_HEADERS, *rows], name="交办清单.xlsx")


GOOD = ["1", "市交通运输局", "市公安局交通警察支队", "否", "2026-03-05"]


def test_import_data_assigns_a_list_by_a_user(meeting, tmp_path):
    """import_data assignments FILE --by USERNAME assigns each row and exits with status 0."""
    cast, suggestion = meeting
    out, _err = _run("assignments", _assignment_list(tmp_path, GOOD), "--by", "staff")
    assert "1" in out
    suggestion.refresh_from_db()
    assert suggestion.state == Suggestion.State.ASSIGNED
    assert flows.lead(suggestion).assigned_on == datetime.date(2026, 3, 5)


def test_import_data_assignments_dry_run_changes_nothing(meeting, tmp_path):
    """--dry-run reports the list and assigns nothing."""
    cast, suggestion = meeting
    out, _err = _run("assignments", _assignment_list(tmp_path, GOOD), "--dry-run", "--by", "staff")
    assert "1" in out
    suggestion.refresh_from_db()
    assert suggestion.state == Suggestion.State.REVIEWED


def test_import_data_assignments_bad_row_exits_non_zero(meeting, tmp_path):
    """A bad row: printed with its row and column, exit status 1, nothing assigned."""
    cast, suggestion = meeting
    bad = ["1", "市交通运输局", "", "否", "2026-03-20"]  # after the day it is imported
    err = io.StringIO()
    with pytest.raises(CommandError) as excinfo:
        call_command(
            "import_data",
            "assignments",
            _assignment_list(tmp_path, bad),
            "--by",
            "staff",
            stderr=err,
        )
    assert excinfo.value.returncode == 1
    assert "2" in err.getvalue() and "交办日期" in err.getvalue()
    suggestion.refresh_from_db()
    assert suggestion.state == Suggestion.State.REVIEWED


def test_import_data_assignments_without_a_user_is_refused(meeting, tmp_path):
    """Without --by the list is refused: the service records who assigned."""
    cast, suggestion = meeting
    with pytest.raises(CommandError, match="--by"):
        _run("assignments", _assignment_list(tmp_path, GOOD))
    suggestion.refresh_from_db()
    assert suggestion.state == Suggestion.State.REVIEWED
