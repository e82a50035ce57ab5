"""The finder in the office's admin: the panel "相似建议" on a suggestion's page, its merge
links, the marks 多年提 / 多位代表提 on the page and in the ledger, and the ledger's filters."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import gettext

from suggestions.admin.similar import RAISED_BEFORE, RAISED_BY_SEVERAL
from suggestions.models import SimilarityEntry, Suggestion
from tests import factories, flows
from tests.suggestions.similar_corpus import ORIGINALS, PARAPHRASES

CHANGELIST = reverse("admin:suggestions_suggestion_changelist")
ORIGINAL = {key: (title, content) for key, title, content in ORIGINALS}
PARAPHRASE = {key: (title, content) for key, title, content in PARAPHRASES}


def change_url(suggestion):
    return reverse("admin:suggestions_suggestion_change", args=[suggestion.pk])


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def _suggestion(text, **kwargs):
    title, content = text
    return factories.SuggestionFactory(title=title, content=content, **kwargs)


def _panel(page: str) -> str:
    return page.split('id="similar-suggestions"')[1].split("</table>")[0]


def _rows(page: str) -> list[str]:
    return re.findall(r'<tr class="npc-similar">(.*?)</tr>', _panel(page), re.S)


def test_change_page_lists_similar_suggestions_with_score_deputy_year_state(staff_client):
    """The panel lists the similar ones, best first, each with its score as a percentage,
    number, title linked to its page, lead deputy, year and state; not the page's own, and
    not an unrelated matter (below ``PANEL_SCORE``)."""
    here = _suggestion(ORIGINAL["elevator_old"], number="16001")
    same = _suggestion(
        PARAPHRASE["elevator_old"], number="15020", raised_on=datetime.date(2024, 3, 2), term=15
    )
    near = _suggestion(ORIGINAL["elevator_subsidy_west"], number="16002")
    unrelated = _suggestion(ORIGINAL["wild_boar"], number="16003")
    page = staff_client.get(change_url(here)).content.decode()
    rows = _rows(page)
    assert len(rows) >= 2
    first = rows[0]
    assert same.title in first and f'href="{change_url(same)}"' in first
    assert "15020" in first and same.lead_deputy.name in first and "2024" in first
    assert "已提出" in first or same.get_state_display() in first
    assert re.search(r'<td class="npc-score">\d{1,3}%</td>', first)
    assert near.title in "".join(rows[1:])
    assert f'href="{change_url(here)}"' not in _panel(page)
    assert unrelated.title not in _panel(page)


def test_change_page_says_when_nothing_is_similar(staff_client):
    """A suggestion on a matter no other raised: the panel says so."""
    here = _suggestion(ORIGINAL["wild_boar"])
    page = staff_client.get(change_url(here)).content.decode()
    assert gettext("No similar suggestion found.") in _panel(page)


def test_merge_link_for_a_same_session_suggestion_not_yet_assigned(staff_client, cast):
    """ "并案到此" links to this one's merge action with ?into=<the other's id> for a same-session
    suggestion both of which are proposed or reviewed; not for another session's, nor an
    assigned one."""
    here = _suggestion(ORIGINAL["school_lunch"], lead_deputy=cast.deputy)
    mergeable = _suggestion(PARAPHRASE["school_lunch"])
    other_session = _suggestion(ORIGINAL["school_canteen_safety"], session=2)
    assigned = flows.assigned(
        cast, title="关于改善中小学校午餐配餐质量的建议", content=ORIGINAL["school_lunch"][1]
    )
    page = staff_client.get(change_url(here)).content.decode()
    rows = {
        title: row
        for row in _rows(page)
        for title in (mergeable.title, other_session.title, assigned.title)
        if title in row
    }
    merge_page = reverse("admin:suggestions_suggestion_transition", args=[here.pk, "merge"])
    link = f"{merge_page}?into={mergeable.pk}"
    label = gettext("Merge into this one")  # 并案到此
    assert f'<a class="npc-merge-into" href="{link}">{label}</a>' in rows[mergeable.title]
    assert "npc-merge-into" not in rows[other_session.title]
    assert "npc-merge-into" not in rows[assigned.title]
    # The link opens the merge form with the other one proposed as the main suggestion.
    form = staff_client.get(link).content.decode()
    assert f'value="#{mergeable.pk}"' in form


def test_no_merge_link_on_an_assigned_suggestions_page(staff_client, cast):
    """An assigned suggestion is not merged: its page offers no merge."""
    here = flows.assigned(cast, title=ORIGINAL["bus_night"][0], content=ORIGINAL["bus_night"][1])
    _suggestion(PARAPHRASE["bus_night"])
    page = staff_client.get(change_url(here)).content.decode()
    assert _rows(page) and "npc-merge-into" not in _panel(page)


def _mark(suggestion, **marks):
    SimilarityEntry.objects.filter(pk=suggestion.pk).update(**marks)


def test_marks_on_the_change_page_and_in_the_ledger(staff_client):
    """多年提 and 多位代表提 show on the suggestion's page and under its ledger title."""
    both = _suggestion(ORIGINAL["heating"])
    before = _suggestion(ORIGINAL["wild_boar"])
    plain = _suggestion(ORIGINAL["vaccination"])
    _mark(both, raised_before=True, raised_by_several=True)
    _mark(before, raised_before=True)
    page = staff_client.get(change_url(both)).content.decode()
    marks = page.split('class="npc-similar-marks"')[1].split("</p>")[0]
    assert str(RAISED_BEFORE) in marks and str(RAISED_BY_SEVERAL) in marks
    assert 'class="npc-similar-marks"' not in staff_client.get(change_url(plain)).content.decode()
    ledger = staff_client.get(CHANGELIST).content.decode()
    row = {
        s: ledger.split(f'title="{s.title}"')[1].split("</td>")[0] for s in (both, before, plain)
    }
    before_mark = f'<span class="npc-mark">{RAISED_BEFORE}</span>'
    several_mark = f'<span class="npc-mark">{RAISED_BY_SEVERAL}</span>'
    assert before_mark + several_mark in row[both]
    assert before_mark in row[before] and several_mark not in row[before]
    assert "npc-mark" not in row[plain]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("raised_before=yes", {"before", "both"}),  # 多年提: yes
        ("raised_before=no", {"several", "plain", "no_entry"}),  # 多年提: no, or never checked
        ("raised_by_several=yes", {"several", "both"}),  # 多位代表提: yes
        ("raised_by_several=no", {"before", "plain", "no_entry"}),  # 多位代表提: no
        ("raised_before=yes&raised_by_several=yes", {"both"}),  # both filters
    ],
)
def test_ledger_filters_on_the_marks(staff_client, query, expected):
    """The ledger filters 多年提 and 多位代表提, yes or no, through the finder's marks."""
    made = {}
    for name, key in [
        ("before", "heating"),
        ("several", "wild_boar"),
        ("both", "bus_night"),
        ("plain", "vaccination"),
        ("no_entry", "ambulance"),
    ]:
        made[name] = _suggestion(ORIGINAL[key])
    _mark(made["before"], raised_before=True)
    _mark(made["several"], raised_by_several=True)
    _mark(made["both"], raised_before=True, raised_by_several=True)
    SimilarityEntry.objects.filter(pk=made["no_entry"].pk).delete()
    page = staff_client.get(f"{CHANGELIST}?{query}").content.decode()
    shown = {name for name, s in made.items() if f'title="{s.title}"' in page}
    assert shown == expected


def test_ledger_with_marks_and_their_filter_keeps_its_queries(cast, staff_client):
    """The marks come by a join: the list's queries do not grow with rows, with or without
    the filters, and stay at most 10."""
    flows.signed(cast)

    def queries(url):
        with CaptureQueriesContext(connection) as captured:
            assert staff_client.get(url).status_code == 200
        return len(captured)

    plain, filtered = queries(CHANGELIST), queries(f"{CHANGELIST}?raised_by_several=no")
    for _ in range(20):
        SimilarityEntry.objects.filter(
            pk=factories.SuggestionFactory(lead_deputy=cast.deputy).pk
        ).update(raised_before=True)
    assert Suggestion.objects.count() == 21
    assert queries(CHANGELIST) == plain <= 10
    assert queries(f"{CHANGELIST}?raised_by_several=no") == filtered <= 10


# The import's preview.


def _upload(client, rows):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.spreadsheets import SUGGESTION_HEADERS, xlsx

    return client.post(
        reverse("admin:suggestions_suggestion_import"),
        {"import_file": SimpleUploadedFile("建议.xlsx", xlsx([SUGGESTION_HEADERS, *rows]))},
    )


def _row(number, text, deputy="王丽"):
    title, content = text
    return [number, title, deputy, "", "", "", content, "2026-03-05", 16, 3]


@pytest.fixture
def importer_client(client, importer, roster):
    client.force_login(importer)
    return client


def _preview_rows(page: str) -> dict[str, str]:
    """The preview's rows by their row number."""
    body = page.split('class="import-preview"')[1].split("</table>")[0]
    rows = re.findall(r'<tr class="new">\s*<td>(\d+)</td>(.*?)</tr>', body, re.S)
    return dict(rows)


def test_import_preview_shows_each_rows_similar_existing_suggestions(importer_client):
    """Beside each new row, the existing suggestions most like it (at most 3, above the
    display threshold) with their score, number, deputy, year and state; none beside a row
    on a matter nobody raised."""
    old = _suggestion(
        ORIGINAL["rural_road_harden"], number="15007", term=15, raised_on=datetime.date(2024, 3, 1)
    )
    for key in ("rural_road_maintenance", "rural_bus", "village_lights", "homestead"):
        _suggestion(ORIGINAL[key])
    response = _upload(
        importer_client,
        [_row("1", PARAPHRASE["rural_road_harden"]), _row("2", ORIGINAL["wild_boar"])],
    )
    assert response.context["report"].ok
    rows = _preview_rows(response.content.decode())
    assert set(rows) == {"2", "3"}
    similar = re.findall(r"<li>(.*?)</li>", rows["2"], re.S)
    assert 1 <= len(similar) <= 3
    first = similar[0]
    assert re.match(r'<span class="npc-score">\d+%</span>', first)
    assert "15007" in first and old.title in first and old.lead_deputy.name in first
    assert "2024" in first and old.get_state_display() in first
    assert "<li>" not in rows["3"]
    assert Suggestion.objects.count() == 5  # a preview writes nothing


def test_import_preview_reads_the_entries_once_for_all_rows(importer_client):
    """The similar ones of 60 rows: the finder reads the grams once (SQLite) and the
    suggestions found once, not once per row."""
    for _key, title, content in ORIGINALS[:40]:
        _suggestion((title, content))
    rows = [
        _row(str(number), (title, content))
        for number, (_key, title, content) in enumerate(ORIGINALS[40:100], start=1)
    ]
    with CaptureQueriesContext(connection) as queries:
        response = _upload(importer_client, rows)
    assert response.context["report"].new == 60
    reads = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith("SELECT") and "similarityentry" in q["sql"]
    ]
    assert len(reads) <= (1 if connection.vendor == "sqlite" else 2 * 60)
