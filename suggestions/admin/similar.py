"""The similar-suggestion finder in the office's admin: the panel "相似建议" on a suggestion's
page, the marks 多年提 / 多位代表提 on its page and in the ledger, and the ledger's filters
on them (through ``SimilarityEntry``: one join, no query per row).

A same-session suggestion that this one could be merged into gets a link "并案到此": this
suggestion's merge action with ``?into=<id>``, which the action's form takes as the main.
"""

from dataclasses import dataclass

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from .. import permissions, selectors, similarity
from ..models import SimilarityEntry, Suggestion

# How many similar suggestions the panel lists, and the import's preview beside a row.
PANEL_SIZE = 10
IMPORT_PREVIEW_SIZE = 3
# The marks' names, as an office says them: 多年提, 多位代表提.
RAISED_BEFORE = _("Raised in earlier years")
RAISED_BY_SEVERAL = _("Raised by several deputies")
S = Suggestion.State
MERGEABLE = (S.PROPOSED, S.REVIEWED)


@dataclass(frozen=True)
class SimilarRow:
    suggestion: Suggestion
    score: float
    merge_url: str

    @property
    def percent(self) -> int:
        return round(self.score * 100)


def marks_of(suggestion) -> list[str]:
    """The marks of a suggestion whose ``similarity`` was read with it (or none)."""
    try:
        entry = suggestion.similarity
    except SimilarityEntry.DoesNotExist:
        return []
    marks = []
    if entry.raised_before:
        marks.append(str(RAISED_BEFORE))
    if entry.raised_by_several:
        marks.append(str(RAISED_BY_SEVERAL))
    return marks


def marks_html(suggestion):
    return format_html_join(
        "", '<span class="npc-mark">{}</span>', ((mark,) for mark in marks_of(suggestion))
    )


def _may_merge_into(suggestion: Suggestion, other: Suggestion) -> bool:
    return (
        suggestion.state in MERGEABLE
        and other.state in MERGEABLE
        and other.merged_into_id is None
        and (other.term, other.session) == (suggestion.term, suggestion.session)
    )


def similar_rows(suggestion: Suggestion, user) -> list[SimilarRow]:
    """The panel's rows: the most similar suggestions scoring at least ``PANEL_SCORE``
    (related matters, not unrelated ones), with a merge link where one fits."""
    found = selectors.similar_suggestions(
        text=selectors.suggestion_text(suggestion),
        exclude=suggestion,
        limit=PANEL_SIZE,
        min_score=similarity.PANEL_SCORE,
    )
    page = reverse("admin:suggestions_suggestion_transition", args=[suggestion.pk, "merge"])
    # A main suggestion that others were merged into is not merged itself (the service
    # refuses it): no link then.
    may_merge = (
        permissions.is_committee_staff(user)
        and suggestion.state in MERGEABLE
        and not suggestion.merged_suggestions.filter(state=S.MERGED).exists()
    )
    return [
        SimilarRow(
            suggestion=other,
            score=score,
            merge_url=f"{page}?into={other.pk}"
            if may_merge and _may_merge_into(suggestion, other)
            else "",
        )
        for other, score in found
    ]


class YesNoMarkFilter(admin.SimpleListFilter):
    field = ""

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(**{f"similarity__{self.field}": True})
        if self.value() == "no":
            return queryset.exclude(**{f"similarity__{self.field}": True})
        return queryset


class RaisedBeforeFilter(YesNoMarkFilter):
    title = RAISED_BEFORE
    parameter_name = "raised_before"
    field = "raised_before"


class RaisedBySeveralFilter(YesNoMarkFilter):
    title = RAISED_BY_SEVERAL
    parameter_name = "raised_by_several"
    field = "raised_by_several"


class SimilarPanelMixin:
    """The suggestion's page shows its similar suggestions and its marks; the import's
    preview, beside each new row shown, the existing suggestions most like it."""

    import_preview_note_template = "admin/suggestions/suggestion/import_similar.html"
    import_preview_note_label = _("Similar suggestions")

    def import_preview_notes(self, outcomes: list) -> dict:
        new = [outcome for outcome in outcomes if outcome.status == "new"]
        found = selectors.similar_to_many(
            texts=[selectors.suggestion_text(outcome.instance) for outcome in new],
            limit=IMPORT_PREVIEW_SIZE,
            min_score=similarity.SHOW_SCORE,
        )
        return {
            outcome.row: [SimilarRow(s, score, "") for s, score in rows]
            for outcome, rows in zip(new, found, strict=True)
            if rows
        }

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        suggestion = self.get_object(request, object_id)
        if suggestion is not None:
            extra_context.update(
                similar_rows=similar_rows(suggestion, request.user),
                similar_marks=marks_of(suggestion),
            )
        return super().change_view(request, object_id, form_url, extra_context)
