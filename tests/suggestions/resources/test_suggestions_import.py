"""The suggestions import: keyed by number within term and session, created as proposed."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django_fsm_log.models import StateLog

import sheets as imports
from deputies.models import Deputy
from suggestions import services
from suggestions.models import Category, Suggestion
from tests import factories, flows
from tests.spreadsheets import (
    IMPORT_PERMISSIONS,
    SUGGESTION_HEADERS,
    assert_refused,
    csv_bytes,
    db_state,
    grant,
    xlsx,
)

D = datetime.date


def row(number="1", **cells):
    """A good suggestion row, with some cells replaced (by header)."""
    values = {
        "建议编号": number,
        "标题": f"关于第{number}号路段增设信号灯的建议",
        "领衔代表": "王丽",
        "附议代表": "李强、陈静",
        "代表团": "",
        "类别": "城乡建设",
        "内容": "学校周边上下学时段车流量大，建议增设信号灯和减速带。",
        "提出日期": D(2026, 3, 5),
        "届次": "第十六届",
        "会次": "第三次会议",
    }
    values.update(cells)
    return [values[h] for h in SUGGESTION_HEADERS]


def _import(importer, rows, **kwargs):
    data = xlsx([SUGGESTION_HEADERS, *rows])
    return imports.import_file(
        kind="suggestions", file=data, by=importer, name="建议.xlsx", **kwargs
    )


def _refused(importer, rows, at, column, code):
    return assert_refused(lambda r: _import(importer, r), rows, at, column, code)


def test_suggestions_import_creates_proposed_suggestions(importer, roster):
    """Each row becomes a proposed suggestion with its lead deputy, co-signers and numbering."""
    report = _import(importer, [row("1"), row("2", 领衔代表="陈静", 附议代表="", 代表团="")])
    assert report.errors == []
    assert report.new == 2
    first = Suggestion.objects.get(number="1")
    assert first.state == Suggestion.State.PROPOSED
    assert (first.term, first.session, first.raised_on) == (16, 3, D(2026, 3, 5))
    assert first.lead_deputy == roster["王丽"]
    assert set(first.co_deputies.all()) == {roster["李强"], roster["陈静"]}
    assert first.created_by == importer
    assert first.category == "城乡建设"
    # No 代表团: the lead deputy's delegation.
    assert Suggestion.objects.get(number="2").delegation == "七里河区代表团"


def test_suggestions_import_writes_no_transition(importer, roster):
    """Imported suggestions start in proposed without any transition record."""
    _import(importer, [row("1")])
    assert StateLog.objects.count() == 0


@pytest.mark.parametrize(
    "co_signers",
    [
        "李强、陈静",  # the enumeration comma offices use
        "李强，陈静",  # a full-width comma
        "李强,陈静",  # a comma
        "李强；陈静",  # a full-width semicolon
        "李强;陈静",  # a semicolon
        "李强 陈静",  # a space
        "李强\u3000\u3000陈静",  # full-width spaces
        " 李强 、 陈静、",  # spaces around and a trailing separator
        "李强、陈静、李强",  # a name twice counts once
    ],
)
def test_suggestions_import_splits_co_signers_on_every_separator(importer, roster, co_signers):
    """Co-signers separated by 、 ， , ； ; or spaces are each found."""
    report = _import(importer, [row("1", 附议代表=co_signers)])
    assert report.errors == []
    assert set(Suggestion.objects.get().co_deputies.all()) == {roster["李强"], roster["陈静"]}


@pytest.mark.parametrize(
    ("raised_on", "expected"),
    [
        (D(2026, 3, 5), D(2026, 3, 5)),  # a spreadsheet date
        (datetime.datetime(2026, 3, 5, 9, 30), D(2026, 3, 5)),  # a date with a time
        ("2026-03-05", D(2026, 3, 5)),  # ISO text
        ("2026-3-5", D(2026, 3, 5)),  # without leading zeros
        ("2026/3/5", D(2026, 3, 5)),  # with slashes, as Excel's csv writes
        ("2026.3.5", D(2026, 3, 5)),  # with dots
        ("2026年3月5日", D(2026, 3, 5)),  # in Chinese
        ("２０２６年３月５日", D(2026, 3, 5)),  # with full-width digits
        ("20260305", D(2026, 3, 5)),  # eight digits
        (46086, D(2026, 3, 5)),  # Excel's serial day number in an unformatted cell
    ],
)
def test_suggestions_import_reads_dates_as_offices_write_them(
    importer, roster, raised_on, expected
):
    """提出日期 as a spreadsheet date or as text in the usual forms."""
    report = _import(importer, [row("1", 提出日期=raised_on)])
    assert report.errors == []
    assert Suggestion.objects.get().raised_on == expected


@pytest.mark.parametrize(
    ("term", "session"),
    [
        (16, 3),  # numbers
        ("16", "3"),  # numbers as text
        ("第十六届", "第三次"),  # words
        ("十六届", "三次会议"),  # words without 第
        ("第16届", "第3次会议"),  # digits inside the words
    ],
)
def test_suggestions_import_reads_term_and_session_as_numbers_or_words(
    importer, roster, term, session
):
    """届次 and 会次 as numbers (16, 3) or words (第十六届, 第三次)."""
    report = _import(importer, [row("1", 届次=term, 会次=session)])
    assert report.errors == []
    assert Suggestion.objects.values_list("term", "session").get() == (16, 3)


def test_suggestions_import_defaults_a_blank_date_to_today(importer, roster):
    """A blank 提出日期 is today, as entering a suggestion by hand does."""
    with flows.on(D(2026, 11, 27)):
        report = _import(importer, [row("1", 提出日期="")])
    assert report.errors == []
    assert Suggestion.objects.get().raised_on == D(2026, 11, 27)


def test_suggestions_import_twice_leaves_the_same_rows(importer, roster):
    """Re-importing the same file changes nothing: every row is unchanged, none added."""
    rows = [row("1"), row("2", 领衔代表="陈静", 附议代表="", 提出日期="")]
    _import(importer, rows)
    before = db_state()
    report = _import(importer, rows)
    assert report.errors == []
    assert (report.new, report.updated, report.unchanged) == (0, 0, 2)
    assert db_state() == before


def test_suggestions_import_leaves_a_reviewed_suggestion_unchanged(importer, roster):
    """A suggestion that moved on since its import is unchanged by the same row."""
    _import(importer, [row("1")])
    suggestion = Suggestion.objects.get()
    services.suggestion_approve(suggestion=suggestion, by=importer)
    before = db_state()
    report = _import(importer, [row("1")])
    assert report.unchanged == 1
    assert db_state() == before


def test_suggestions_import_resolves_a_namesake_by_the_delegation(importer, roster):
    """Two deputies of one name are told apart by the row's 代表团."""
    report = _import(importer, [row("1", 领衔代表="张伟", 代表团="七里河区代表团")])
    assert report.errors == []
    assert Suggestion.objects.get().lead_deputy == roster["张伟/七里河"]


def test_suggestions_import_finds_deputies_in_the_rows_term(importer, roster):
    """A name is looked up among the deputies of the row's term only."""
    report = _import(importer, [row("1", 届次=15, 附议代表="")])
    assert report.errors == []
    assert Suggestion.objects.get().lead_deputy == roster["王丽/15"]


@pytest.mark.parametrize(
    ("cells", "column", "code"),
    [
        ({"领衔代表": "无名氏"}, "领衔代表", "unknown_deputy"),  # nobody of that name
        ({"附议代表": "李强、无名氏"}, "附议代表", "unknown_deputy"),  # an unknown co-signer
        ({"领衔代表": "张伟"}, "领衔代表", "ambiguous_deputy"),  # two 张伟, no delegation
        ({"附议代表": "张伟"}, "附议代表", "ambiguous_deputy"),  # an ambiguous co-signer
        ({"届次": 17}, "领衔代表", "unknown_deputy"),  # 王丽 is no deputy of term 17
        ({"标题": ""}, "标题", "required"),  # a missing required cell
        ({"内容": "  "}, "内容", "required"),  # only spaces
        ({"领衔代表": ""}, "领衔代表", "required"),  # no lead deputy
        ({"建议编号": ""}, "建议编号", "required"),  # no number: the row has no key
        ({"提出日期": "2026-13-45"}, "提出日期", "bad_date"),  # no such date
        ({"提出日期": "三月五日"}, "提出日期", "bad_date"),  # no year
        ({"届次": "十六届人大x"}, "届次", "bad_number"),  # text in a number column
        ({"会次": "abc"}, "会次", "bad_number"),  # text in a number column
        ({"标题": '=HYPERLINK("http://evil","点击")'}, "标题", "formula"),  # a formula cell
        ({"内容": "=1+1"}, "内容", "formula"),  # a formula cell
        ({"附议代表": "王丽"}, "附议代表", "lead_is_co_signer"),  # the lead also co-signs
        ({"标题": "长" * 201}, "标题", "too_long"),  # longer than the column
    ],
)
def test_suggestions_import_refuses_a_bad_row(importer, roster, cells, column, code):
    """A bad row refuses the whole file with its row, column and reason; nothing changes."""
    _refused(importer, [row("1"), row("2", **cells)], 3, column, code)


def test_suggestions_import_never_creates_a_deputy(importer, roster):
    """An unknown deputy is a bad row, never a silent new deputy."""
    count = Deputy.objects.count()
    _import(importer, [row("1", 领衔代表="新代表")])
    assert Deputy.objects.count() == count


def test_suggestions_import_refuses_a_number_twice_in_the_file(importer, roster):
    """The same number (in one term and session) twice in a file: the second row is bad."""
    report = _refused(
        importer, [row("7"), row("8"), row("7", 标题="另一条建议")], 4, "建议编号", "duplicate_key"
    )
    assert "2" in next(e.message for e in report.errors if e.code == "duplicate_key")


def test_suggestions_import_accepts_a_number_again_in_another_session(importer, roster):
    """Numbers are unique per term and session: No. 1 of session 2 and of session 3 coexist."""
    report = _import(importer, [row("1"), row("1", 会次=2)])
    assert report.errors == []
    assert report.new == 2


def test_suggestions_import_refuses_a_number_that_exists_with_other_content(importer, roster):
    """A number already used by another suggestion is a bad row; the saved one is untouched."""
    factories.SuggestionFactory(number="1", title="关于另一件事的建议", lead_deputy=roster["王丽"])
    report = _refused(importer, [row("1")], 2, "建议编号", "number_taken")
    assert "1" in report.errors[0].message


def test_suggestions_import_reports_unchanged_a_number_with_the_same_content(importer, roster):
    """A suggestion entered by hand with the same content is unchanged, not an error."""
    existing = factories.SuggestionFactory(
        number="1",
        title="关于第1号路段增设信号灯的建议",
        content="学校周边上下学时段车流量大，建议增设信号灯和减速带。",
        category="城乡建设",
        delegation="城关区代表团",
        lead_deputy=roster["王丽"],
    )
    existing.co_deputies.set([roster["李强"], roster["陈静"]])
    before = db_state()
    report = _import(importer, [row("1")])
    assert report.errors == []
    assert report.unchanged == 1
    assert db_state() == before


@pytest.mark.parametrize(
    "cells",
    [
        {"附议代表": "李强"},  # a co-signer fewer
        {"领衔代表": "陈静", "附议代表": "李强"},  # another lead deputy
        {"提出日期": "2026-03-06"},  # another date
        {"类别": "教育"},  # another category
    ],
)
def test_suggestions_import_refuses_any_other_content_for_a_saved_number(importer, roster, cells):
    """Any difference from the saved suggestion counts as other content."""
    _import(importer, [row("1")])
    _refused(importer, [row("1", **cells)], 2, "建议编号", "number_taken")


def test_suggestions_import_is_all_or_nothing(importer, roster):
    """One bad row among good ones: nothing is imported and every bad row is reported."""
    rows = [row("1"), row("2", 领衔代表="无名氏"), row("3"), row("4", 提出日期="昨天", 届次="x")]
    report = _import(importer, rows)
    assert [(e.row, e.column, e.code) for e in report.errors] == [
        (3, "领衔代表", "unknown_deputy"),
        (5, "领衔代表", "no_term"),
        (5, "附议代表", "no_term"),
        (5, "提出日期", "bad_date"),
        (5, "届次", "bad_number"),
    ]
    assert Suggestion.objects.count() == 0


def test_suggestions_import_reads_a_gb18030_csv(importer, roster):
    """A csv saved by Excel on Chinese Windows (GB18030) imports the same suggestion."""
    data = csv_bytes([SUGGESTION_HEADERS, row("1", 提出日期="2026/3/5")], encoding="gb18030")
    report = imports.import_file(kind="suggestions", file=data, by=importer, name="建议.csv")
    assert report.errors == []
    assert Suggestion.objects.get().title == "关于第1号路段增设信号灯的建议"


def test_suggestions_import_reads_a_utf8_csv_with_bom(importer, roster):
    """A csv in UTF-8 with a BOM (Excel's "CSV UTF-8") imports, its first header intact."""
    data = csv_bytes([SUGGESTION_HEADERS, row("1", 提出日期="2026-03-05")], bom=True)
    report = imports.import_file(kind="suggestions", file=data, by=importer, name="建议.csv")
    assert report.errors == []
    assert Suggestion.objects.get().number == "1"


def test_suggestions_import_dry_run_changes_nothing(importer, roster):
    """The preview counts the new rows and writes nothing."""
    before = db_state()
    report = _import(importer, [row("1"), row("2")], dry_run=True)
    assert report.ok and report.new == 2
    assert db_state() == before


def test_suggestions_import_refused_without_the_permission(db, roster):
    """Staff outside the committee office may not import suggestions, even with the add
    permission given to them directly (entering a suggestion needs the office)."""
    plain = factories.StaffFactory(username="plain_staff", groups=[])
    granted = factories.StaffFactory(username="granted_staff", groups=[])
    grant(granted, *IMPORT_PERMISSIONS)
    for user in (plain, type(granted).objects.get(pk=granted.pk)):
        with pytest.raises(PermissionDenied):
            imports.import_file(
                kind="suggestions", file=xlsx([SUGGESTION_HEADERS, row("1")]), by=user
            )
    assert Suggestion.objects.count() == 0


def test_suggestions_import_leaves_an_audit_entry_per_suggestion_with_the_importer(
    importer, roster
):
    """Inserted in bulk, each suggestion still gets its 'created' audit entry."""
    from auditlog.models import LogEntry

    _import(importer, [row("1"), row("2")])
    entries = LogEntry.objects.filter(
        content_type__model="suggestion", action=LogEntry.Action.CREATE
    )
    assert sorted(int(e.object_pk) for e in entries) == sorted(
        Suggestion.objects.values_list("pk", flat=True)
    )
    entry = entries.get(object_pk=str(Suggestion.objects.get(number="1").pk))
    assert entry.actor == importer
    assert entry.changes_dict["title"][1] == "关于第1号路段增设信号灯的建议"
    assert entry.additional_data == {"source": "import"}


def test_a_refused_import_leaves_no_audit_entry(importer, roster):
    from auditlog.models import LogEntry

    before = LogEntry.objects.count()
    report = _import(importer, [row("1"), row("2", 领衔代表="不存在的人")])
    assert report.errors
    assert LogEntry.objects.count() == before


def test_suggestions_import_keeps_the_co_signers_in_the_files_order(importer, roster):
    """The ledger lists co-signers as the file wrote them, not by their ids."""
    from suggestions import exports

    report = _import(importer, [row("1", 附议代表="陈静、李强")])
    assert report.errors == []
    ledger = list(exports.ledger_rows(Suggestion.objects.all()))
    assert ledger[0][6] == "陈静、李强"


def test_suggestions_import_refuses_a_category_not_on_the_list(importer, roster):
    """类别 is a choice of the list staff keep: another value is a bad row, named."""
    _refused(importer, [row("1", 类别="城市建设")], 2, "类别", "bad_category")


def test_suggestions_import_takes_a_category_added_to_the_list(importer, roster):
    Category.objects.create(name="城市建设")
    _import(importer, [row("1", 类别="城市建设")])
    assert Suggestion.objects.get().category == "城市建设"
