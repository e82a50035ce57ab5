"""Template filters for the words pages share (``suggestions.wording``)."""

import datetime

from django import template

from .. import wording

register = template.Library()


@register.filter
def days_left(value) -> str:
    """A deadline's date, or a number of days left (negative: overdue), in words."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime.date):
        return wording.deadline_words(value)
    return wording.days_left_words(int(value))
