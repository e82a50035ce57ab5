"""Charts as data: each chart is an ECharts option built here (no JavaScript written per
page) and the same numbers as a table printed beside it (DESIGN: "the numbers are always
on the page beside the chart"). ``static/js/charts.js`` draws every ``[data-chart]`` on a
page from its option, which the template passes with ``json_script`` (no inline script:
the CSP allows none)."""

import dataclasses
from collections.abc import Sequence

from django.utils.translation import gettext_lazy as _

# A palette that prints legibly in grey too (dark, mid, light alternate).
PALETTE = ["#1f4e79", "#c0504d", "#9bbb59", "#8064a2", "#f79646", "#4bacc6", "#7f7f7f"]


@dataclasses.dataclass
class Chart:
    """One chart: its id on the page, its title, the ECharts option, and the table of its
    numbers (a header row and the rows) with an optional link per row."""

    id: str
    title: str
    option: dict
    header: list
    rows: list
    links: list | None = None  # one URL (or None) per row
    height: int = 320

    @property
    def option_id(self) -> str:
        return f"{self.id}-option"

    @property
    def table(self):
        links = self.links or [None] * len(self.rows)
        return list(zip(self.rows, links, strict=True))


def _base(title: str) -> dict:
    return {
        "color": PALETTE,
        "animation": False,  # printing and tests see the final picture at once
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "grid": {"left": 8, "right": 16, "top": 36, "bottom": 8, "containLabel": True},
        "legend": {"top": 0},
        "aria": {"enabled": True, "label": {"description": str(title)}},
    }


def bar(
    *,
    id: str,
    title: str,
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence]],
    horizontal: bool = False,
    stack: bool = False,
    unit: str = "",
    links: list | None = None,
    max_value: float | None = None,
) -> Chart:
    """Bars per category, one series per (name, values); the table has a row per
    category and a column per series."""
    option = _base(title)
    category_axis = {
        "type": "category",
        "data": [str(c) for c in categories],
        "axisLabel": {"interval": 0, "hideOverlap": False},
    }
    value_axis = {"type": "value", "axisLabel": {"formatter": "{value}" + unit}}
    if max_value is not None:
        value_axis["max"] = max_value
    if horizontal:
        category_axis["inverse"] = True
        option["xAxis"], option["yAxis"] = value_axis, category_axis
    else:
        category_axis["axisLabel"]["rotate"] = 30 if len(categories) > 6 else 0
        option["xAxis"], option["yAxis"] = category_axis, value_axis
    option["series"] = [
        {
            "name": str(name),
            "type": "bar",
            "data": list(values),
            **({"stack": "total"} if stack else {}),
            "label": {
                "show": not stack and len(series) == 1,
                "position": "right" if horizontal else "top",
            },
        }
        for name, values in series
    ]
    header = [""] + [str(name) for name, _values in series]
    rows = [
        [str(c)] + [_cell(values[i]) for _name, values in series] for i, c in enumerate(categories)
    ]
    height = max(320, 28 * len(categories) + 80) if horizontal else 340
    return Chart(id, str(title), option, header, rows, links, height)


def line(
    *,
    id: str,
    title: str,
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence]],
    links: list | None = None,
) -> Chart:
    """Lines over categories (months), one per (name, values); the table as ``bar``'s."""
    option = _base(title)
    option["xAxis"] = {"type": "category", "data": [str(c) for c in categories]}
    option["yAxis"] = {"type": "value"}
    option["series"] = [
        {"name": str(name), "type": "line", "data": list(values), "symbolSize": 6}
        for name, values in series
    ]
    header = [""] + [str(name) for name, _values in series]
    rows = [
        [str(c)] + [_cell(values[i]) for _name, values in series] for i, c in enumerate(categories)
    ]
    return Chart(id, str(title), option, header, rows, links)


def pie(*, id: str, title: str, items: Sequence[tuple[str, int]], links=None) -> Chart:
    option = _base(title)
    option["tooltip"] = {"trigger": "item", "formatter": "{b}: {c} ({d}%)"}
    option["series"] = [
        {
            "type": "pie",
            "radius": ["35%", "65%"],
            "data": [{"name": str(n), "value": v} for n, v in items],
            "label": {"formatter": "{b}\n{c}"},
        }
    ]
    total = sum(v for _n, v in items) or 0
    rows = [[str(n), v, f"{100 * v / total:.1f}%" if total else "—"] for n, v in items]
    return Chart(id, str(title), option, ["", str(_("Count")), "%"], rows, links)


def _cell(value):
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.1f}"
    return value
