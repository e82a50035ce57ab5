"""Merging suggestions on one matter (并案) and undoing it.

Before assignment, staff merge suggestions into a main one: each merged suggestion goes
to ``merged`` (its state before is kept for an unmerge), and the main suggestion's
handling answers all of them; every lead deputy of the group signs on the main one. An
unmerge gives a merged suggestion back its state while the main one is not yet assigned.
"""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Suggestion
from . import base

S = Suggestion.State
MERGEABLE = (S.PROPOSED, S.REVIEWED)


def _lock_all(suggestions: list[Suggestion]) -> None:
    """Lock every suggestion of the merge, in one order, so two merges cannot deadlock."""
    for suggestion in sorted(suggestions, key=lambda s: s.pk):
        base.lock(suggestion)


def _merge_errors(suggestion: Suggestion, into: Suggestion) -> list[ValidationError]:
    name = {"suggestion": suggestion, "main": into}
    if suggestion.pk == into.pk:
        return [
            ValidationError(
                _("%(suggestion)s cannot be merged into itself.") % name, code="merge_into_self"
            )
        ]
    if suggestion.state == S.MERGED:
        return [
            ValidationError(
                _("%(suggestion)s is already merged into another suggestion.") % name,
                code="already_merged",
            )
        ]
    if suggestion.state not in MERGEABLE:
        return [
            ValidationError(
                _("%(suggestion)s is “%(state)s”: only a suggestion not yet assigned is merged.")
                % {**name, "state": suggestion.get_state_display()},
                code="not_mergeable",
            )
        ]
    if suggestion.term != into.term:
        return [
            ValidationError(
                _("%(suggestion)s is of another congress term than %(main)s.") % name,
                code="merge_across_terms",
            )
        ]
    if suggestion.merged_suggestions.filter(state=S.MERGED).exists():
        return [
            ValidationError(
                _(
                    "Suggestions are merged into %(suggestion)s: merge them into %(main)s "
                    "first, or undo their merge."
                )
                % name,
                code="has_merged",
            )
        ]
    return []


def _main_errors(into: Suggestion) -> list[ValidationError]:
    if into.state == S.MERGED:
        return [
            ValidationError(
                _("%(main)s is itself merged into another suggestion: merge into that one.")
                % {"main": into},
                code="main_merged",
            )
        ]
    if into.state not in MERGEABLE:
        return [
            ValidationError(
                _("%(main)s is “%(state)s”: suggestions are merged before assignment.")
                % {"main": into, "state": into.get_state_display()},
                code="main_not_mergeable",
            )
        ]
    return []


@transaction.atomic
def suggestion_merge(
    *, suggestions: Iterable[Suggestion], into: Suggestion, by, reason: str
) -> list[Suggestion]:
    """Merge ``suggestions`` into ``into``, the main suggestion handled for all of them."""
    base.require_staff(by)
    suggestions = list({s.pk: s for s in suggestions}.values())
    if not suggestions:
        raise ValidationError(_("Choose the suggestions to merge."), code="nothing_to_merge")
    _lock_all([*suggestions, into])
    errors = base.require_text(reason, "reason_required", _("A reason is required."))
    errors += _main_errors(into)
    for suggestion in suggestions:
        errors += _merge_errors(suggestion, into)
    base.raise_if(errors)
    for suggestion in suggestions:
        base.guard(suggestion, "merge", by)
        base.fire(suggestion, "merge", by, reason, into=into)
    into.__dict__.pop("_npc_group", None)
    return suggestions


@transaction.atomic
def suggestion_unmerge(*, suggestion: Suggestion, by, reason: str) -> Suggestion:
    """Undo a merge: the suggestion gets back the state it had, to be handled on its own."""
    base.require_staff(by)
    base.lock(suggestion)
    base.guard(suggestion, "unmerge", by)
    main = suggestion.merged_into
    base.lock(main)
    base.require_reason(reason)
    if main.state not in MERGEABLE:
        raise ValidationError(
            _("%(main)s is already “%(state)s”: a merge is undone only before assignment.")
            % {"main": main, "state": main.get_state_display()},
            code="main_assigned",
        )
    base.fire(suggestion, "unmerge", by, reason)
    main.__dict__.pop("_npc_group", None)
    return suggestion
