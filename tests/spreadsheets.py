"""The import tests' helpers: files built in the tests (xlsx with openpyxl, csv as plain
bytes), the state to compare, and the import permissions."""

import csv
import io
import zipfile

import openpyxl
from django.contrib.auth.models import Permission

from deputies.models import Deputy
from suggestions.models import HandlingUnit, NumberSequence, Suggestion

IMPORT_PERMISSIONS = [
    "deputies.add_deputy",
    "suggestions.add_handlingunit",
    "suggestions.add_suggestion",
]


def grant(user, *perms: str) -> None:
    for perm in perms:
        app_label, codename = perm.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )


DEPUTY_HEADERS = ["姓名", "性别", "民族", "党派", "层级", "代表团/选区", "届次", "职务", "手机"]
UNIT_HEADERS = ["单位名称", "简称", "类型", "分管领导"]
SUGGESTION_HEADERS = [
    "建议编号",
    "标题",
    "领衔代表",
    "附议代表",
    "代表团",
    "类别",
    "内容",
    "提出日期",
    "届次",
    "会次",
]
ASSIGNMENT_HEADERS = ["建议编号", "主办单位", "协办单位", "复杂", "交办日期"]


def xlsx(rows, *, title: str | None = None) -> bytes:
    """A workbook whose first sheet holds ``rows`` (the header first)."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    if title:
        sheet.append([title])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_bytes(rows, *, encoding: str = "utf-8", bom: bool = False) -> bytes:
    text = io.StringIO(newline="")
    csv.writer(text).writerows(rows)
    data = text.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def rezip(data: bytes, replace: dict[str, bytes]) -> bytes:
    """The workbook ``data`` with some of its members' contents replaced or added."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            if info.filename not in replace:
                target.writestr(info, source.read(info), compress_type=zipfile.ZIP_DEFLATED)
        for name, content in replace.items():
            target.writestr(name, content, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def db_state() -> dict:
    """Every row an import may write, read afresh: equal before and after a refusal."""
    through = Suggestion.co_deputies.through
    return {
        "deputies": list(Deputy.objects.order_by("pk").values()),
        "units": list(HandlingUnit.objects.order_by("pk").values()),
        "suggestions": list(Suggestion.objects.order_by("pk").values()),
        "co_signers": list(through.objects.order_by("pk").values_list("suggestion", "deputy")),
        "number_sequences": list(NumberSequence.objects.values_list("term", "session", "last")),
    }


def codes(report) -> set[str]:
    return {e.code for e in report.errors}


def assert_refused(do_import, rows, row, column, code):
    """``do_import(rows)`` refuses the file with ``code`` at ``row`` and ``column``; nothing
    in the database changed."""
    before = db_state()
    report = do_import(rows)
    assert (row, column, code) in {(e.row, e.column, e.code) for e in report.errors}, report.errors
    assert report.outcomes == []
    assert db_state() == before
    return report
