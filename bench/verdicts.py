"""What every target of ``make bench`` shares: the verdicts, a row of the printed table,
and reading one figure out of a run's figures (``bench.targets`` and
``bench.targets_office`` judge with them)."""

from dataclasses import dataclass

PASS, MISS, FAILED = "PASS", "MISS", "FAILED"


def verdict(value, *, at_least=None, at_most=None, equals=None) -> str:
    """PASS or MISS against one bound; FAILED when there is no figure (its step failed)."""
    if value is None:
        return FAILED
    if at_least is not None and value < at_least:
        return MISS
    if at_most is not None and value > at_most:
        return MISS
    if equals is not None and value != equals:
        return MISS
    return PASS


@dataclass
class Row:
    """One line of the table: a measure at a size, its figure, its target and verdict."""

    measure: str
    size: int
    value: float | int | bool | None
    unit: str = ""
    detail: str = ""
    target: str = ""
    verdict: str = ""  # PASS, MISS, FAILED, or empty without a target


def _get(figures: dict, size: int, *path):
    found = figures.get(size) or {}
    for key in path:
        if not isinstance(found, dict) or key not in found:
            return None
        found = found[key]
    return found


def page_detail(found: dict, ceiling: float | None) -> str:
    """A page's throughput, its ratio to the ceiling and its p99, for a row's detail."""
    rps = found.get("requests_per_second")
    if rps is None:
        return ""
    detail = f"{rps:,.1f} req/s"
    if ceiling:
        detail += f", {rps / ceiling:.3f}× ceiling ({ceiling:,.0f})"
    if found.get("latency_p99_ms") is not None:
        detail += f", p99 {found['latency_p99_ms']:.0f} ms"
    return detail
