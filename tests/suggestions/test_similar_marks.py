"""The finder's grams follow each suggestion's saves; its marks 多年提 and 多位代表提 follow on
commit (suggestions/similar_marks.py, the ``similarity_marks`` task, ``similarity_refresh``)."""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from suggestions import services, similarity
from suggestions.models import SimilarityEntry, Suggestion
from tests import factories, flows
from tests.suggestions.similar_corpus import ORIGINALS, PARAPHRASES

D = datetime.date
SPRING = D(2026, 3, 5)
ORIGINAL = {key: (title, content) for key, title, content in ORIGINALS}
PARAPHRASE = {key: (title, content) for key, title, content in PARAPHRASES}


def _entry(suggestion) -> SimilarityEntry:
    return SimilarityEntry.objects.get(pk=suggestion.pk)


def _marks(suggestion) -> tuple[bool, bool]:
    entry = _entry(suggestion)
    return entry.raised_before, entry.raised_by_several


def _create(staff, text, *, deputy=None, raised_on=SPRING, term=16, session=3):
    title, content = text
    return services.suggestion_create(
        by=staff,
        title=title,
        content=content,
        lead_deputy=deputy or factories.DeputyFactory(),
        raised_on=raised_on,
        term=term,
        session=session,
    )


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run what waits for the commit (the marks' task, in-process) as it would commit."""

    def run(action):
        with django_capture_on_commit_callbacks(execute=True):
            return action()

    return run


def test_new_suggestion_gets_its_grams(staff):
    """Entering a suggestion writes its grams, without waiting for the commit."""
    suggestion = _create(staff, ORIGINAL["elevator_old"])
    assert similarity.from_text(_entry(suggestion).grams) == similarity.grams(
        *ORIGINAL["elevator_old"]
    )
    assert {"电梯", "加装"} <= similarity.from_text(_entry(suggestion).grams)


def test_editing_the_title_updates_the_grams(staff):
    """A new title's pairs replace the old ones."""
    suggestion = _create(staff, ORIGINAL["elevator_old"])
    suggestion = Suggestion.objects.get(pk=suggestion.pk)
    suggestion.title = "关于整治清水河黑臭水体的建议"
    suggestion.save()
    grams = similarity.from_text(_entry(suggestion).grams)
    assert {"清水", "水河", "黑臭"} <= grams
    assert grams == similarity.grams(suggestion.title, suggestion.content)


def _grams_queries(action) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        action()
    return [q["sql"] for q in queries if "similarityentry" in q["sql"]]


def test_a_save_that_changes_no_text_makes_no_grams_query(staff):
    """A transition saves the whole suggestion: the grams are neither read nor written."""
    suggestion = Suggestion.objects.get(pk=_create(staff, ORIGINAL["elevator_old"]).pk)
    suggestion.category = "城乡建设"
    assert _grams_queries(suggestion.save) == []


def test_saving_a_changed_text_writes_the_grams_once(staff):
    """Saving a changed text writes the grams in one statement (an upsert)."""
    suggestion = Suggestion.objects.get(pk=_create(staff, ORIGINAL["elevator_old"]).pk)
    suggestion.content += "并统筹考虑无障碍通道建设。"
    assert len(_grams_queries(suggestion.save)) == 1
    assert "障碍" in similarity.from_text(_entry(suggestion).grams)


def test_two_deputies_one_matter_one_session_mark_both(staff, commit):
    """The same matter raised by two deputies in one session marks both 多位代表提."""
    first = commit(lambda: _create(staff, ORIGINAL["parking_old_community"]))
    assert _marks(first) == (False, False)
    second = commit(lambda: _create(staff, PARAPHRASE["parking_old_community"]))
    assert _marks(second) == (False, True)
    assert _marks(first) == (False, True)


def test_one_deputy_twice_in_one_session_is_not_several(staff, commit):
    """The same deputy raising the matter again is not 多位代表提."""
    deputy = factories.DeputyFactory()
    first = commit(lambda: _create(staff, ORIGINAL["river_black"], deputy=deputy))
    second = commit(lambda: _create(staff, PARAPHRASE["river_black"], deputy=deputy))
    assert _marks(first) == (False, False)
    assert _marks(second) == (False, False)


def test_different_matters_are_not_marked(staff, commit):
    """Suggestions on different matters by different deputies in one session stay unmarked."""
    made = [
        commit(lambda key=key: _create(staff, ORIGINAL[key]))
        for key in ("elevator_old", "river_black", "school_lunch", "wild_boar", "bus_night")
    ]
    assert [_marks(s) for s in made] == [(False, False)] * 5


def test_a_matter_raised_in_an_earlier_year_marks_the_later(staff, commit):
    """Raised in 2025 and again in 2026 (another session): the 2026 one is 多年提, not the
    2025 one; neither is 多位代表提 (not the same session)."""
    earlier = commit(
        lambda: _create(staff, ORIGINAL["elderly_canteen"], raised_on=D(2025, 3, 2), session=2)
    )
    later = commit(lambda: _create(staff, PARAPHRASE["elderly_canteen"]))
    assert _marks(later) == (True, False)
    assert _marks(earlier) == (False, False)


def test_an_earlier_year_entered_after_marks_the_later_one(staff, commit):
    """Both sides: the earlier year's suggestion entered second still marks the later."""
    later = commit(lambda: _create(staff, PARAPHRASE["wild_boar"]))
    earlier = commit(
        lambda: _create(staff, ORIGINAL["wild_boar"], raised_on=D(2024, 1, 9), term=15, session=5)
    )
    assert _marks(later) == (True, False)
    assert _marks(earlier) == (False, False)


def test_rewording_away_from_the_matter_drops_its_mark(staff, commit):
    """The marks of an edited suggestion are recomputed on commit."""
    first = commit(lambda: _create(staff, ORIGINAL["bus_night"]))
    second = commit(lambda: _create(staff, PARAPHRASE["bus_night"]))
    assert _marks(second) == (False, True)
    second = Suggestion.objects.get(pk=second.pk)
    second.title, second.content = ORIGINAL["wild_boar"]
    commit(second.save)
    assert _marks(second) == (False, False)
    assert _marks(first) == (False, True)  # a neighbour keeps it until the next refresh


def test_a_merged_group_with_several_deputies_is_several(staff, commit):
    """Two different matters merged (并案) by the office: both are 多位代表提."""
    main = commit(lambda: _create(staff, ORIGINAL["flood_drainage"]))
    other = commit(lambda: _create(staff, ORIGINAL["geo_hazard"]))
    assert _marks(main) == _marks(other) == (False, False)
    commit(
        lambda: services.suggestion_merge(
            suggestions=[other], into=main, by=staff, reason="同属防灾减灾"
        )
    )
    assert _marks(main) == (False, True)
    assert _marks(other) == (False, True)


def test_similarity_refresh_recomputes_grams_and_marks(staff, commit):
    """The command rewrites stale grams and every mark (and only a term's with --term)."""
    first = commit(lambda: _create(staff, ORIGINAL["school_lunch"]))
    second = commit(lambda: _create(staff, PARAPHRASE["school_lunch"]))
    alone = commit(lambda: _create(staff, ORIGINAL["heating"], term=15, session=1))
    SimilarityEntry.objects.update(grams="", raised_by_several=False)
    SimilarityEntry.objects.filter(pk=alone.pk).update(raised_before=True)
    call_command("similarity_refresh", "--term", "16", "--batch", "1", verbosity=0)
    assert _marks(first) == _marks(second) == (False, True)
    assert _entry(first).grams and _entry(first).checked_at is not None
    assert _entry(alone).grams == ""  # another term: untouched
    call_command("similarity_refresh", verbosity=0)
    assert _marks(alone) == (False, False)
    assert _entry(alone).grams == similarity.as_text(similarity.grams(*ORIGINAL["heating"]))


def test_the_task_recomputes_the_marks(staff):
    """The Celery task takes ids and recomputes their marks (outside a commit too)."""
    from suggestions import tasks

    first = _create(staff, ORIGINAL["ambulance"])
    second = _create(staff, PARAPHRASE["flood_drainage"])
    third = _create(staff, ORIGINAL["flood_drainage"])
    assert tasks.similarity_marks.delay([third.pk]).get() == 1
    assert _marks(third) == (False, True)
    assert _marks(second) == (False, True)
    assert _marks(first) == (False, False)


def test_an_import_writes_grams_and_marks_on_commit(importer, roster, commit):
    """Imported rows get their grams with them and their marks once the import commits."""
    import sheets
    from tests.spreadsheets import SUGGESTION_HEADERS, xlsx

    def row(number, deputy, text):
        values = {
            "建议编号": number,
            "标题": text[0],
            "领衔代表": deputy,
            "附议代表": "",
            "代表团": "",
            "类别": "城乡建设",
            "内容": text[1],
            "提出日期": D(2026, 3, 5),
            "届次": "第十六届",
            "会次": "第三次会议",
        }
        return [values[h] for h in SUGGESTION_HEADERS]

    data = xlsx(
        [
            SUGGESTION_HEADERS,
            row("1", "王丽", ORIGINAL["charging_piles"]),
            row("2", "李强", PARAPHRASE["charging_piles"]),
            row("3", "陈静", ORIGINAL["wild_boar"]),
        ]
    )
    report = commit(
        lambda: sheets.import_file(kind="suggestions", file=data, by=importer, name="a.xlsx")
    )
    assert report.errors == []
    by_number = {s.number: s for s in Suggestion.objects.all()}
    assert _entry(by_number["3"]).grams == similarity.as_text(
        similarity.grams(*ORIGINAL["wild_boar"])
    )
    assert _marks(by_number["1"]) == _marks(by_number["2"]) == (False, True)
    assert _marks(by_number["3"]) == (False, False)


def test_a_reviewed_suggestion_keeps_its_entry_through_transitions(cast, commit):
    """Transitions (whole saves) neither lose nor rewrite the grams."""
    suggestion = flows.reviewed(cast)
    grams = _entry(suggestion).grams
    assert grams
    assert _entry(suggestion).grams == grams


def test_a_save_of_other_fields_leaves_an_unsaved_title_for_the_next_save(staff):
    """A save naming other fields does not write the grams of a title it did not save; the
    next whole save does."""
    suggestion = Suggestion.objects.get(pk=_create(staff, ORIGINAL["elevator_old"]).pk)
    suggestion.title = "关于整治清水河黑臭水体的建议"
    assert _grams_queries(lambda: suggestion.save(update_fields=["category"])) == []
    assert "黑臭" not in similarity.from_text(_entry(suggestion).grams)
    assert len(_grams_queries(suggestion.save)) == 1
    assert "黑臭" in similarity.from_text(_entry(suggestion).grams)


def test_an_unmerge_recomputes_the_group_it_left(staff, commit):
    """Undoing the merge of two different matters takes 多位代表提 off both."""
    main = commit(lambda: _create(staff, ORIGINAL["flood_drainage"]))
    other = commit(lambda: _create(staff, ORIGINAL["geo_hazard"]))
    commit(
        lambda: services.suggestion_merge(suggestions=[other], into=main, by=staff, reason="并案")
    )
    assert _marks(main) == _marks(other) == (False, True)
    commit(
        lambda: services.suggestion_unmerge(
            suggestion=Suggestion.objects.get(pk=other.pk), by=staff, reason="不属同一事项"
        )
    )
    assert _marks(other) == (False, False)
    assert _marks(main) == (False, False)
