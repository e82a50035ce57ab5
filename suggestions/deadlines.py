"""Deadline rules: each computes a date and records how, so the pages can show it.

The periods come from ``settings.NPC`` (the Deputies Law's defaults: 3 months, 6 for a
complex suggestion, 1-month redo, 1-month co-handler opinion, a 7-working-day
reassignment window).
"""

import datetime

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.utils.translation import gettext as _

from .workdays import WorkdayCount, add_working_days


def rule(name: str):
    return settings.NPC[name]


def _months(start: datetime.date, months: int, rule_name: str) -> tuple[datetime.date, dict]:
    return start + relativedelta(months=months), {
        "rule": rule_name,
        "from": start.isoformat(),
        "months": months,
    }


def reply_due(assigned_on: datetime.date, *, complex: bool) -> tuple[datetime.date, dict]:
    """The statutory reply deadline of a lead unit."""
    if complex:
        return _months(assigned_on, rule("COMPLEX_DEADLINE_MONTHS"), "complex")
    return _months(assigned_on, rule("DEADLINE_MONTHS"), "statutory")


def co_opinion_due(assigned_on: datetime.date) -> tuple[datetime.date, dict]:
    """When a co-handling unit owes the lead unit its opinion."""
    return _months(assigned_on, rule("CO_OPINION_MONTHS"), "co_opinion")


def redo_due(ordered_on: datetime.date) -> tuple[datetime.date, dict]:
    """The deadline of a redo: a number of working days when set, else months."""
    working_days = rule("REDO_WORKING_DAYS")
    if working_days:
        count = add_working_days(ordered_on, working_days)
        return count.end, {
            "rule": "redo",
            "from": ordered_on.isoformat(),
            "working_days": working_days,
            "explanation": count.explanation(),
        }
    return _months(ordered_on, rule("REDO_MONTHS"), "redo")


def extension_limit(assigned_on: datetime.date) -> datetime.date:
    """The latest date an extension may move a deadline to."""
    return assigned_on + relativedelta(months=rule("MAX_EXTENSION_MONTHS"))


def reassignment_window(assigned_on: datetime.date) -> WorkdayCount:
    """The last day a unit may ask for reassignment, counted in working days."""
    return add_working_days(assigned_on, rule("REASSIGNMENT_WINDOW_WORKING_DAYS"))


def window_of(assignment) -> WorkdayCount:
    """``reassignment_window`` of an assignment, counted once per instance: the task page
    shows it and offers the request by it (each count reads the calendar's overrides)."""
    if "_npc_window" not in assignment.__dict__:
        assignment.__dict__["_npc_window"] = reassignment_window(assignment.assigned_on)
    return assignment.__dict__["_npc_window"]


def describe(basis: dict) -> str:
    """How a deadline was computed, in the user's language."""
    kind = basis.get("rule")
    labels = {
        "statutory": _("statutory deadline"),
        "complex": _("deadline for a complex suggestion"),
        "co_opinion": _("co-handler's opinion due"),
        "redo": _("redo deadline"),
        "extension": _("extended deadline"),
    }
    label = labels.get(kind, kind or "")
    if "explanation" in basis:
        return f"{label}：{basis['explanation']}"
    if "months" in basis:
        return _("%(label)s: %(months)s months from %(start)s") % {
            "label": label,
            "months": basis["months"],
            "start": basis["from"],
        }
    if kind == "extension":
        return _("%(label)s: approved on %(start)s, was %(previous)s") % {
            "label": label,
            "start": basis["from"],
            "previous": basis["previous"],
        }
    return label
