"""The year's handling report: its figures are the assessment's, the page and the .docx
say the same sentences, and only the committee office reads it."""

import datetime
import html
import io
from urllib.parse import quote

import docx
import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from reports.report_document import numeral
from reports.report_text import handling_report_document
from reports.selectors import handling_report, unit_assessment
from suggestions import services
from suggestions.models import Redo
from tests import flows, keys

SPRING = datetime.date(2025, 3, 3)
SUMMER = datetime.date(2025, 8, 1)  # the deadlines of March's assignments have passed


def _url(year: int, docx_: bool = False) -> str:
    return reverse(
        "reports:handling_report_docx" if docx_ else "reports:handling_report", args=[year]
    )


@pytest.fixture
def year_2025(cast):
    """Six suggestions raised in March 2025: one not accepted, one withdrawn, and four
    assigned (class A replied on time, class B replied and signed, one never replied, one
    replied on time then ordered to redo as nonconforming); the unreplied one is a key
    suggestion visited once."""
    with flows.on(SPRING):
        rejected = flows.proposed(cast, title="关于不予立案的建议")
        services.suggestion_reject(suggestion=rejected, by=cast.staff, reason="不属于本级职权。")
        withdrawn = flows.reviewed(cast, title="关于撤回的建议")
        services.suggestion_withdraw(suggestion=withdrawn, by=cast.staff, reason="代表撤回。")
        flows.handled(cast, "A", title="关于增设公交站台的建议")
        flows.signed(cast, "B", title="关于改造老旧小区的建议")
        late = flows.assigned(cast, title="关于治理河道污染的建议")
        redone = flows.handled(cast, "C", title="关于规范停车收费的建议")
        services.suggestion_order_redo(
            suggestion=redone, by=cast.staff, reason="答复不规范。", grounds="nonconforming"
        )
        key = keys.designated(cast, late, year=2025)
    with flows.on(SPRING + datetime.timedelta(days=14)):
        keys.visit(key, cast.staff)
    return cast


def _english(client, user):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_handling_report_counts_the_year_when_built_with_flows(year_2025):
    """Received, not accepted, withdrawn, assigned, by class and the on-time rate are the
    flows' suggestions, and every rate is the sum of the assessment's rows."""
    with flows.on(SUMMER):
        report = handling_report(year=2025)
        rows = unit_assessment(year=2025)
    assert (report.received, report.not_accepted, report.withdrawn, report.merged) == (6, 1, 1, 0)
    assert (report.assigned, report.replied, report.signed, report.in_handling) == (4, 2, 1, 2)
    assert report.units == 2  # the lead unit and the co-handling unit
    assert [(c.code, tuple(c.share)) for c in report.by_class] == [
        ("A", (1, 2)),
        ("B", (1, 2)),
        ("C", (0, 2)),
        ("D", (0, 2)),
    ]
    # Three replied on time (the redone one's first reply counts), one past its deadline.
    assert tuple(report.on_time) == (3, 4)
    assert tuple(report.on_time) == (
        sum(r.on_time.numerator for r in rows),
        sum(r.on_time.denominator for r in rows),
    )
    assert report.late_by_unit == [("市交通运输局", 1)]
    assert [(g.code, g.count) for g in report.redos] == [(Redo.Grounds.NONCONFORMING, 1)]
    assert report.ranking == rows
    # The replies by class are the assessment's current replies.
    assert sum(c.share.numerator for c in report.by_class) == report.resolved.denominator == 2
    assert [(k.title, k.visits) for k in report.key_suggestions] == [("关于治理河道污染的建议", 1)]


def test_handling_report_page_shows_the_figures_in_its_sentences(client, year_2025):
    """The page says the year's figures in sentences, lists the key suggestion and ranks
    the units, with a print button and a link to the .docx."""
    _english(client, year_2025.staff)
    with flows.on(SUMMER):
        page = client.get(_url(2025)).content.decode()
    assert "In 2025 the office received 6 suggestions from deputies." in page
    assert "from deputies. After review: not accepted, 1; withdrawn by their deputies, 1;" in page
    assert "4 suggestions were assigned in the year, to 2 handling units" in page
    assert "class A (solved or mostly solved) 1, 50.0%; class B" in page
    assert "an on-time reply rate of 75.0% (3/4)" in page
    assert "1 lead assignment was not replied to by its deadline (市交通运输局 1)" in page
    assert "1 redo was ordered (Reply does not conform to the requirements 1)" in page
    assert (
        "“关于治理河道污染的建议”: led by" in page and "now being handled; inspections: 1." in page
    )
    assert "data-print" in page and _url(2025, docx_=True) in page
    assert 'href="/static/css/report.css"' in page
    # The lead unit lost 2 points each for the late reply, the redo and the unsigned reply;
    # the co-handling unit 1 for the late opinion on the unreplied suggestion.
    ranking = page.split('id="ranking"')[1]
    assert "<td>1</td><td>市公安局交通警察支队</td><td>0</td><td>99</td><td>—</td><td>—</td>" in (
        ranking
    )
    assert "<td>2</td><td>市交通运输局</td><td>4</td><td>94</td><td>3/4（75.0%）</td>" in ranking


def test_handling_report_reads_none_when_a_rate_has_no_case(client, year_2025):
    """No sign-off rated and no commitment checked yet: those sentences say "none", and a
    unit with no lead assignment shows "—" in the ranking, never 0 %."""
    _english(client, year_2025.staff)
    with flows.on(SPRING):
        page = client.get(_url(2025)).content.decode()
    # In March no deadline has passed, but three replies came: the on-time rate stands.
    assert "an on-time reply rate of 100.0% (3/3)" in page
    assert "No reply is older than 30 days yet; three-level signature rate: none." in page
    assert "Third, commitments: none has been checked at a closing revisit yet." in page
    co_row = page.split("市公安局交通警察支队")[1].split("</tr>")[0]
    assert co_row.count("<td>—</td>") == 2


def test_handling_report_docx_says_what_the_page_says(client, year_2025):
    """The .docx has the page's title, headings and paragraphs, the ranking rows of
    unit_assessment, A4 pages, Chinese fonts and a Chinese file name."""
    _english(client, year_2025.staff)
    with flows.on(SUMMER):
        response = client.get(_url(2025, docx_=True))
        page = html.unescape(client.get(_url(2025)).content.decode())
        with translation.override("en"):
            document = handling_report_document(handling_report(year=2025))
        rows = unit_assessment(year=2025)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="handling-report-2025.docx"')
    assert f"filename*=UTF-8''{quote(document.filename)}" in disposition
    word = docx.Document(io.BytesIO(response.content))
    texts = [p.text for p in word.paragraphs]
    expected = [p.text for s in document.sections for p in s.paragraphs]
    assert "an on-time reply rate of 75.0% (3/4)" in " ".join(texts)
    for text in expected:
        assert text in texts
        assert text in page
    assert texts[0] == document.title
    assert [s.heading for s in document.sections] == [
        p.text for p in word.paragraphs if p.style.name == "Heading 1"
    ]
    table = word.tables[0]
    assert [c.text for c in table.rows[0].cells] == document.appendix.header
    assert [[c.text for c in row.cells] for row in table.rows[1:]] == [
        [
            str(u.rank),
            u.unit.name,
            str(u.lead_count),
            str(u.score),
            str(u.on_time),
            str(u.satisfied_result),
        ]
        for u in rows
    ]
    section = word.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    fonts = word.styles["Normal"].element.rPr.rFonts
    assert fonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == (
        "仿宋"
    )


def test_handling_report_says_so_when_the_year_has_no_suggestion(client, year_2025):
    """A year without suggestions renders, says there is nothing, and its .docx too."""
    _english(client, year_2025.staff)
    with flows.on(SUMMER):
        page = html.unescape(client.get(_url(2019)).content.decode())
        word = docx.Document(io.BytesIO(client.get(_url(2019, docx_=True)).content))
    assert "There is no suggestion from deputies for 2019: the report has no figures yet." in page
    assert "No unit had an assignment in 2019." in page
    assert "on-time reply rate: none" in page
    assert "Report on the handling of the deputies' suggestions of 2019" in page
    assert "No unit had an assignment in 2019." in [p.text for p in word.paragraphs]
    assert word.tables == []


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("leader", 403),  # a government leader: the assessment, not the office's report
        ("clerk", 403),  # a unit's clerk
        ("deputy", 403),  # a deputy
    ],
)
@pytest.mark.parametrize("docx_", [False, True])
def test_handling_report_is_refused_when_not_the_office(client, cast, role, status, docx_):
    """Only the committee office reads the report and its .docx."""
    client.force_login(flows.person(cast, role))
    assert client.get(_url(2025, docx_)).status_code == status


@pytest.mark.parametrize("docx_", [False, True])
def test_handling_report_sends_anonymous_users_to_login(client, db, docx_):
    """Anonymous visitors go to the login page."""
    response = client.get(_url(2025, docx_))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse(settings.LOGIN_URL))


def _queries(client, year: int) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(_url(year)).status_code == 200
    return len(context)


def test_handling_report_queries_do_not_grow_with_the_units(client, cast):
    """The page reads the same number of queries, at most 15, for one unit and three."""
    client.force_login(cast.staff)
    with flows.on(SPRING):
        key = keys.designated(cast, flows.handled(cast, co=False), year=2025)
        keys.visit(key, cast.staff, happened_on=SPRING)
        one = _queries(client, 2025)
        flows.signed(cast)  # the co-handling unit
        other = flows.reviewed(cast, title="关于教育的建议")
        services.suggestion_assign(
            suggestion=other, by=cast.staff, lead_unit=cast.other_unit, co_units=[]
        )
        keys.designated(cast, other, year=2025)
        three = _queries(client, 2025)
    assert len(unit_assessment(year=2025)) == 3
    assert one == three
    assert three <= 15


def test_handling_report_selector_reads_the_assessment_plus_two_queries(
    django_assert_num_queries, cast
):
    """The selector reads the assessment's nine queries, the suggestions and the key
    suggestions."""
    with flows.on(SPRING):
        flows.signed(cast)
        with django_assert_num_queries(11):
            handling_report(year=2025)


def test_numeral_writes_terms_as_the_office_does():
    """Terms and sessions read 十六 and 三 in Chinese, 16 and 3 in English."""
    with translation.override("zh-hans"):
        assert [numeral(n) for n in (3, 10, 16, 20, 21)] == ["三", "十", "十六", "二十", "二十一"]
    with translation.override("en"):
        assert numeral(16) == "16"


def test_handling_report_title_names_the_most_common_session(cast, settings):
    """The title names the congress term and session of most of the year's suggestions,
    and the committee is the setting's."""
    settings.NPC = {**settings.NPC, "COMMITTEE_NAME": "示范市人大常委会"}
    with flows.on(SPRING):
        flows.proposed(cast, term=16, session=3)
        flows.proposed(cast, term=16, session=3, title="关于另一事项的建议")
        flows.proposed(cast, term=16, session=2, title="关于第三事项的建议")
        report = handling_report(year=2025)
    assert (report.term, report.session) == (16, 3)
    with translation.override("en"):
        document = handling_report_document(report)
    assert document.committee == "示范市人大常委会"
    assert "session 3 of the 16 people's congress" in document.title


def test_handling_report_counts_the_revisit_findings(cast):
    """A commitment found not kept at a closing revisit, and an interim check, are counted
    and said among the problems."""
    with flows.on(SPRING):
        suggestion = flows.signed(cast, "B")
        services.interim_check_record(
            suggestion=suggestion, by=cast.staff, happened_on=SPRING, findings="正在招标。"
        )
        commitment = suggestion.current_reply().commitments.get()
        services.revisit_record(
            suggestion=suggestion,
            by=cast.staff,
            outcomes={commitment: "not_kept"},
            notes="未安装。",
            decision="close",
            early_reason="代表要求提前回访。",
        )
        report = handling_report(year=2025)
        with translation.override("en"):
            document = handling_report_document(report)
    assert (tuple(report.kept), report.partly_kept, report.not_kept) == ((0, 1), 0, 1)
    assert (report.closed, report.interim_checks) == (1, 1)
    problems = document.sections[2].paragraphs[2].text
    assert "1 commitments, 0 kept, 0 partly kept and 1 not kept" in problems
    assert "1 interim check was made during the handling." in problems


@pytest.mark.parametrize("docx_", [False, True])
def test_handling_report_is_not_found_when_the_year_is_out_of_range(client, staff, docx_):
    """A year no date can hold is a 404, not a server error."""
    client.force_login(staff)
    assert client.get(_url(99999, docx_)).status_code == 404


def test_handling_report_ranks_the_frozen_rows_when_the_year_is_closed(cast):
    """Once the year's assessment is closed, the report's ranking and rates are the frozen
    rows, unchanged by a later reply, and its note says so."""
    from reports.services import assessment_close

    with flows.on(SPRING):
        flows.handled(cast, "A", co=False)
        late = flows.assigned(cast, co=False, title="关于治理河道污染的建议")
    with flows.on(SUMMER):
        assessment_close(year=2025, by=cast.staff)
        flows.prepare_reply(cast, late)
        flows.reply(cast, late, "A")
    with flows.on(SUMMER + datetime.timedelta(days=1)):
        report = handling_report(year=2025)
        with translation.override("en"):
            document = handling_report_document(report)
    assert tuple(report.on_time) == (1, 2)  # as closed: the late one was then unreplied
    assert report.replies == 2  # the counts by state and class are today's
    assert (report.closed_on, report.as_of) == (SUMMER, SUMMER)
    assert "as closed with the figures of" in document.note
    assert document.appendix.rows[0][4] == "1/2（50.0%）"
