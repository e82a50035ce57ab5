"""How a deadline reads, in one place: "逾期 N 天", "今日到期", "剩 N 天".

Every page that shows the days left (the task list and page, the admin's ledger, the
ledger export, the deputies' /my/ pages, the reminders) words them here, never as a
negative number. Templates use the ``days_left`` filter (``suggestion_words``); the task
list's Jinja2 rows receive ``deadline_words`` in their context.
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext, ngettext


def days_left_words(days: int) -> str:
    """The words for ``days`` left before a deadline, negative once it has passed."""
    if days < 0:
        return ngettext("%(days)s day overdue", "%(days)s days overdue", -days) % {"days": -days}
    if days == 0:
        return gettext("Due today")
    return ngettext("%(days)s day left", "%(days)s days left", days) % {"days": days}


def deadline_words(due_on: datetime.date, today: datetime.date | None = None) -> str:
    """The words for a deadline on ``due_on``, seen ``today`` (by default the local date)."""
    return days_left_words((due_on - (today or timezone.localdate())).days)
