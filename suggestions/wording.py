"""How a deadline reads, in one place: "逾期 N 天", "今日到期", "剩 N 天".

Every page that shows the days left (the task list and page, the admin's ledger, the
ledger export, the deputies' /my/ pages, the reminders) words them here, never as a
negative number. Templates use the ``days_left`` filter (``suggestion_words``); the task
list's Jinja2 rows receive ``deadline_words`` in their context.
"""

import datetime

from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext

_DAYS: dict[tuple[str, int], str] = {}
_LABELS: dict[tuple[type, str], dict[str, str]] = {}


def days_left_words(days: int) -> str:
    """The words for ``days`` left before a deadline, negative once it has passed (worded
    once per language and number: a list words twenty)."""
    key = (translation.get_language(), days)
    words = _DAYS.get(key)
    if words is None:
        words = _DAYS[key] = _days_left_words(days)
    return words


def _days_left_words(days: int) -> str:
    if days < 0:
        return ngettext("%(days)s day overdue", "%(days)s days overdue", -days) % {"days": -days}
    if days == 0:
        return gettext("Due today")
    return ngettext("%(days)s day left", "%(days)s days left", days) % {"days": days}


def deadline_words(due_on: datetime.date, today: datetime.date | None = None) -> str:
    """The words for a deadline on ``due_on``, seen ``today`` (by default the local date)."""
    return days_left_words((due_on - (today or timezone.localdate())).days)


def choice_labels(choices: type[models.Choices]) -> dict[str, str]:
    """The labels of ``choices`` by value in the active language, translated once per
    language (``get_FOO_display`` translates on every call)."""
    key = (choices, translation.get_language())
    labels = _LABELS.get(key)
    if labels is None:
        labels = _LABELS[key] = {value: str(label) for value, label in choices.choices}
    return labels
