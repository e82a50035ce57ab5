"""The dashboard (/reports/): the committee office's overview for staff, a government
leader's of their units for a leader (the same address, and the leader's home). Every
figure is a link: for staff to the ledger (the admin's suggestion list) with its filters,
for a leader to their task list's tab or the task's page."""

import datetime

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from suggestions.models import SignOff, Suggestion
from suggestions.selectors.signoffs import SHORT as LEVEL_SHORT

from .. import charts
from ..access import reader_required
from ..selectors import dashboard as selectors

LEVEL_LABELS = dict(SignOff.Level.choices)
RATING_LABELS = dict(SignOff.Rating.choices)
STATE_LABELS = dict(Suggestion.State.choices)
# The task list's tab nearest to each state, for a leader's links (the list has no state
# filter: its tabs are by what the unit owes).
STATE_TABS = {
    Suggestion.State.ASSIGNED: "todo",
    Suggestion.State.HANDLED: "replied",
    Suggestion.State.SIGNED: "replied",
    Suggestion.State.REVISITED: "replied",
}


def year_of(request) -> int:
    """``?year=`` when it is a year a date can have, else this year."""
    this_year = timezone.localdate().year
    try:
        year = int(request.GET.get("year") or this_year)
    except ValueError:
        return this_year
    return year if datetime.MINYEAR < year < datetime.MAXYEAR else this_year


class Ledger:
    """Addresses of the staff's ledger (the admin's suggestion list) with its filters."""

    def __init__(self, year: int):
        self.base = reverse("admin:suggestions_suggestion_changelist")
        self.year = year

    def __call__(self, **filters) -> str:
        return f"{self.base}?{urlencode(filters)}" if filters else self.base

    def of_year(self, **filters) -> str:
        return self(raised_on__year=self.year, **filters)


class Tasks:
    """Addresses of a leader's task list, by tab."""

    def __init__(self):
        self.base = reverse("tasks:list")

    def __call__(self, tab: str, **filters) -> str:
        return f"{self.base}?{urlencode({'tab': tab, **filters})}"


def _whole_numbers(context: dict) -> dict:
    """Every chart of the page counts things: whole numbers on its value axis (no 0.2 of
    a suggestion)."""
    for value in context.values():
        for chart in value if isinstance(value, list) else [value]:
            if isinstance(chart, charts.Chart):
                for axis in ("xAxis", "yAxis"):
                    if chart.option.get(axis, {}).get("type") == "value":
                        chart.option[axis]["minInterval"] = 1
    return context


def _state_chart(board, link):
    states = [s for s, n in board.states.items() if n or s in STATE_TABS]
    return charts.bar(
        id="chart-states",
        title=_("Suggestions raised in %(year)s by state") % {"year": board.year},
        categories=[STATE_LABELS[s] for s in states],
        series=[(_("Suggestions"), [board.states[s] for s in states])],
        horizontal=True,
        links=[link(s) for s in states],
    )


def _waiting_chart(board, links):
    return charts.bar(
        id="chart-waiting",
        title=_("Handling records waiting for a signature, today"),
        categories=[LEVEL_LABELS[level] for level in selectors.LEVELS],
        series=[(_("Waiting"), [board.waiting[level] for level in selectors.LEVELS])],
        links=links,
    )


def _satisfaction_chart(board):
    return charts.bar(
        id="chart-satisfaction",
        title=_("Deputies' ratings signed in %(year)s") % {"year": board.year},
        categories=[RATING_LABELS[r] for r in selectors.RATINGS],
        series=[
            (_("Handling work"), [board.satisfaction["work"][r] for r in selectors.RATINGS]),
            (_("Result"), [board.satisfaction["result"][r] for r in selectors.RATINGS]),
        ],
    )


def _key_chart(board, link):
    states = list(board.key_stages)
    return charts.pie(
        id="chart-key",
        title=_("Key suggestions of %(year)s by stage") % {"year": board.year},
        items=[(STATE_LABELS[s], board.key_stages[s]) for s in states],
        links=[link(s) for s in states],
    )


TREND_TITLES = {
    "received": _("Received (raised) per month"),
    "assigned": _("Assigned to a lead unit per month"),
    "replied": _("Replies submitted per month"),
    "signed": _("Handling records signed by the leader per month"),
}


def _trend_charts(board, received_link=None):
    months = [str(MONTHS[m]) for m in range(1, 13)]
    found = []
    for measure in selectors.MEASURES:
        counts = board.trends[measure]
        links = None
        if measure == "received" and received_link:
            links = [received_link(m) for m in range(1, 13)]
        found.append(
            charts.line(
                id=f"chart-trend-{measure}",
                title=str(TREND_TITLES[measure]),
                categories=months,
                series=[
                    (str(board.year), counts[board.year]),
                    (str(board.year - 1), counts[board.year - 1]),
                ],
                links=links,
            )
        )
    return found


def _unit_chart(board):
    units = board.units
    return charts.bar(
        id="chart-units",
        title=_("Overdue and due within %(days)s days by unit, today")
        % {"days": selectors.DUE_SOON_DAYS},
        categories=[u.unit_name for u in units],
        series=[
            (_("Overdue"), [u.overdue for u in units]),
            (_("Due within 7 days"), [u.due_soon for u in units]),
        ],
        horizontal=True,
    )


def _office(request, viewer, year):
    board = selectors.dashboard(year=year)
    ledger = Ledger(year)
    units = [
        {
            "queue": u,
            "overdue_url": ledger(unit=u.unit_id, deadline="overdue"),
            "due_soon_url": ledger(unit=u.unit_id, deadline="week"),
            "waiting_url": ledger(unit=u.unit_id, state__exact=Suggestion.State.HANDLED),
            "waiting": [u.waiting[level] for level in selectors.LEVELS],
        }
        for u in board.units
    ]
    handled = ledger(state__exact=Suggestion.State.HANDLED)
    context = {
        "year": year,
        "viewer": viewer,
        "board": board,
        "states_chart": _state_chart(board, lambda s: ledger.of_year(state__exact=s)),
        "unit_chart": _unit_chart(board),
        "units": units,
        "levels": [LEVEL_SHORT[level] for level in selectors.LEVELS],
        "waiting_chart": _waiting_chart(board, [handled] * len(selectors.LEVELS)),
        "satisfaction_chart": _satisfaction_chart(board),
        "key_chart": _key_chart(board, lambda s: ledger(key="yes", state__exact=s)),
        "trend_charts": _trend_charts(
            board, lambda m: ledger(raised_on__year=year, raised_on__month=m)
        ),
        "links": {
            "all": ledger.of_year(),
            "overdue": ledger(deadline="overdue"),
            "due_soon": ledger(deadline="week"),
            "redo_decision": ledger.of_year(followup="redo_decision"),
            "revisit_due": ledger.of_year(followup="revisit_due"),
            "key": ledger(key="yes"),
        },
    }
    return render(request, "reports/dashboard.html", _whole_numbers(context))


def _leader(request, viewer, year):
    board, items = selectors.leader_dashboard(
        user=request.user, unit_ids=viewer.unit_ids, year=year
    )
    tasks = Tasks()
    units = [
        {
            "queue": u,
            "overdue_url": tasks("overdue"),
            "due_soon_url": tasks("due_soon"),
            "waiting_url": tasks("sign") if u.waiting[SignOff.Level.LEADER] else tasks("todo"),
            "waiting": [u.waiting[level] for level in selectors.LEVELS],
        }
        for u in board.units
    ]
    sign = tasks("sign")
    context = {
        "year": year,
        "viewer": viewer,
        "board": board,
        "items": items,
        "states_chart": _state_chart(board, lambda s: tasks(STATE_TABS.get(s, "all"), year=year)),
        "unit_chart": _unit_chart(board),
        "units": units,
        "levels": [LEVEL_SHORT[level] for level in selectors.LEVELS],
        "waiting_chart": _waiting_chart(board, [tasks("todo"), tasks("todo"), sign]),
        "satisfaction_chart": _satisfaction_chart(board),
        "key_chart": _key_chart(board, lambda s: reverse("reports:key", args=[year])),
        "trend_charts": _trend_charts(board),
        "links": {
            "all": tasks("all", year=year),
            "overdue": tasks("overdue"),
            "due_soon": tasks("due_soon"),
            "sign": sign,
            "key": reverse("tasks:key_list"),
        },
    }
    return render(request, "reports/dashboard.html", _whole_numbers(context))


@reader_required()
def dashboard(request, viewer):
    """The office's dashboard for staff, a leader's of their units for a leader."""
    year = year_of(request)
    if viewer.is_staff:
        return _office(request, viewer, year)
    return _leader(request, viewer, year)
