"""The line of the handling record's three signatures, as every page draws it: the task
list's rows (Jinja2), the task page, the deputy's list and the suggestion's page.

Plain string building, like the deputy's progress bar: the lists draw one per row.
"""

from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .. import selectors

_WORDS: dict[str, tuple[dict, str]] = {}


def _words() -> tuple[dict, str]:
    """The states' titles and the list's name in the active language, translated once."""
    language = translation.get_language()
    if language not in _WORDS:
        titles = {"signed": _("signed"), "next": _("signs next"), "later": _("signs later")}
        _WORDS[language] = ({k: escape(v) for k, v in titles.items()}, escape(_("Signatures")))
    return _WORDS[language]


def signatures_html(suggestion, signoffs=None) -> SafeString:
    """``代表 ✔ 满意/基本满意 · 主要领导 ✔ · 分管领导 …`` for a replied or signed suggestion;
    empty otherwise. Reads ``current_signoffs`` (attached to a page's rows) when there."""
    steps = selectors.signoff_steps(suggestion, signoffs)
    if not steps:
        return mark_safe("")
    titles, name = _words()
    items = []
    for step in steps:
        state = "signed" if step.signed else "next" if step.is_next else "later"
        classes = f"{state} dissatisfied" if step.dissatisfied else state
        items.append(
            f'<li class="{classes}" data-level="{step.level}" data-state="{state}" '
            f'title="{titles[state]}">{escape(step.text)}</li>'
        )
    return mark_safe(f'<ol class="signatures" aria-label="{name}">{"".join(items)}</ol>')
