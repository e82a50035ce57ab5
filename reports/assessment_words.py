"""The assessment's words, shared by its page and its xlsx: what each rate is called, and
a rate or a number of points as both show it."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from suggestions.models import Redo

from .selectors.rows import RATES, Rate

RATE_LABELS = {
    "on_time": _("On-time reply rate"),
    "co_on_time": _("Co-handlers' opinions on time"),
    "satisfied_work": _("Satisfaction with the work"),
    "satisfied_result": _("Satisfaction with the result"),
    "resolved": _("Resolved or basically resolved"),
    "signed_complete": _("Three-level signature rate"),
    "kept": _("Commitments kept"),
}
assert tuple(RATE_LABELS) == RATES


def grounds_labels() -> dict[str, str]:
    return {code: str(label) for code, label in Redo.Grounds.choices}


def percent(rate: Rate) -> str:
    """ "75.0%", or "—" for a rate without cases (never 0 % or 100 %)."""
    return "—" if rate.percent is None else f"{rate.percent:.1f}%"


def points(value: Decimal) -> str:
    """A number of points as the office writes it: 2, 1.5 (no trailing .0)."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text
