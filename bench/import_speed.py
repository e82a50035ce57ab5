"""Time the suggestions import: a 10,000-row workbook through ``imports.import_file``.

    .venv/bin/python bench/import_speed.py [--rows 10000] [--runs 3] [--style excel openpyxl]

``rows_of``, ``excel_workbook`` and ``openpyxl_workbook`` are also imported by ``make bench``
(``bench/run.py``), which builds its import workbook the same way.

Without ``DATABASE_URL`` it uses a fresh SQLite file in a temporary folder (never the
project's db.sqlite3). With ``DATABASE_URL`` (PostgreSQL) the database must exist and be
one of your own: the script migrates it and leaves the imported rows in it.

The time covers everything ``import_file`` does, from the bytes of the file to the
commit: the file guard, reading the workbook, the header mapping, the lookups, the
validation, the bulk inserts and the commit. Two kinds of workbook are timed: as Excel
and WPS write them (text in sharedStrings.xml) and as openpyxl writes them (inline text).
"""

import argparse
import atexit
import datetime
import io
import os
import shutil
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

HEADERS = [
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
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def setup() -> str:
    if not os.environ.get("DATABASE_URL"):
        folder = tempfile.mkdtemp(prefix="bench-import-")
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "npc_tracker.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.db import connection

    return f"{connection.vendor} {connection.settings_dict['NAME']}"


def rows_of(count: int, deputies: list[str], session: int, term: int = 16) -> list[list]:
    """Suggestions with a lead deputy, two co-signers and their own title and content.

    ``deputies`` are names of deputies of ``term`` (届次, written in words as offices do).
    """
    term_text = "第十六届" if term == 16 else f"第{term}届"
    rows = []
    for n in range(1, count + 1):
        co = "、".join(deputies[(n + k) % len(deputies)] for k in (1, 2))
        content = f"第{n}号路段早晚高峰拥堵严重，建议优化信号灯配时并增设公交专用道。" * 3
        rows.append(
            [
                str(n),
                f"关于改善第{n}号路段交通的建议",
                deputies[n % len(deputies)],
                co,
                "",
                "城乡建设",
                content,
                datetime.date(2026, 3, 5),
                term_text,
                session,
            ]
        )
    return rows


def openpyxl_workbook(rows: list[list]) -> bytes:
    """As openpyxl (and so tablib and django-import-export's export) writes: inline text."""
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def excel_workbook(rows: list[list]) -> bytes:
    """As Excel and WPS write: text in sharedStrings.xml, a dimension, a styled date."""
    import openpyxl

    base = openpyxl.Workbook()
    base.active["A1"] = datetime.date(2026, 3, 5)  # gives styles.xml a date format (style 1)
    out = io.BytesIO()
    base.save(out)
    strings: dict[str, int] = {}

    def cell(ref, value):
        if isinstance(value, datetime.date):
            serial = (value - datetime.date(1899, 12, 30)).days
            return f'<c r="{ref}" s="1"><v>{serial}</v></c>'
        if isinstance(value, int):
            return f'<c r="{ref}"><v>{value}</v></c>'
        if not value:
            return ""
        index = strings.setdefault(value, len(strings))
        return f'<c r="{ref}" t="s"><v>{index}</v></c>'

    body = []
    for number, row in enumerate([HEADERS, *rows], start=1):
        cells = "".join(cell(f"{chr(65 + i)}{number}", v) for i, v in enumerate(row))
        body.append(f'<row r="{number}">{cells}</row>')
    sheet = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="{MAIN}">'
        f'<dimension ref="A1:J{len(rows) + 1}"/><sheetData>{"".join(body)}</sheetData>'
        "</worksheet>"
    )
    sst = "".join(f"<si><t>{escape(text)}</t></si>" for text in strings)
    sst = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="{MAIN}">{sst}</sst>'
    source = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    result = io.BytesIO()
    with zipfile.ZipFile(result, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = sheet.encode()
            elif info.filename == "[Content_Types].xml":
                content = content.replace(
                    b"</Types>",
                    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.'
                    b'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
                )
            elif info.filename == "xl/_rels/workbook.xml.rels":
                content = content.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdSST" Type="http://schemas.openxmlformats.org/'
                    b'officeDocument/2006/relationships/sharedStrings" '
                    b'Target="sharedStrings.xml"/></Relationships>',
                )
            target.writestr(info.filename, content)
        target.writestr("xl/sharedStrings.xml", sst.encode())
    return result.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--style", nargs="+", choices=["excel", "openpyxl"], default=["excel", "openpyxl"]
    )
    args = parser.parse_args()
    database = setup()

    from django.contrib.auth.models import Group, User
    from django.db.models import Max

    import sheets as imports
    from deputies.models import Deputy
    from suggestions import permissions
    from suggestions.models import Suggestion

    user, _ = User.objects.get_or_create(
        username="bench", defaults={"is_staff": True, "is_superuser": True}
    )
    user.groups.add(Group.objects.get_or_create(name=permissions.COMMITTEE_OFFICE)[0])
    names = [f"代表{n:03d}" for n in range(300)]
    for name in names:
        Deputy.objects.get_or_create(
            name=name, delegation="城关区代表团", term=16, defaults={"level": "city"}
        )
    print(f"database: {database}")
    writers = {"excel": excel_workbook, "openpyxl": openpyxl_workbook}
    for style in args.style:
        for run in range(1, args.runs + 1):
            # A session no earlier run used, so every row is new.
            latest = Suggestion.objects.filter(term=16).aggregate(Max("session"))["session__max"]
            data = writers[style](rows_of(args.rows, names, (latest or 100) + 1))
            started = time.perf_counter()
            report = imports.import_file(kind="suggestions", file=data, by=user, name="b.xlsx")
            elapsed = time.perf_counter() - started
            assert report.ok and report.new == args.rows, report.errors[:5]
            # The same file again: every row unchanged, nothing written.
            again_started = time.perf_counter()
            again = imports.import_file(kind="suggestions", file=data, by=user, name="b.xlsx")
            again_elapsed = time.perf_counter() - again_started
            assert again.ok and again.unchanged == args.rows
            print(
                f"{style:8} run {run}: {args.rows} rows ({len(data) // 1024} KB) in {elapsed:.2f} s"
                f" = {args.rows / elapsed:,.0f} rows/s; the same file again (all unchanged)"
                f" in {again_elapsed:.2f} s"
            )


if __name__ == "__main__":
    main()
