"""The targets of issue 7 (and issue 14's finder): each figure of ``make bench`` judged,
and the printed table; the office's year (the assessment, the stations) is judged in
``targets_office``, with the verdicts of ``verdicts``.

``evaluate`` turns the figures of every size into the table's rows, each with its target
and verdict (PASS, MISS, or FAILED when its step gave no figure); ``format_table`` prints
them. Part of the harness, ``bench/run.py``.
"""

from bench.harness import PARTS
from bench.targets_office import (
    DUTY_PAGE_QUERIES,
    RANKING_QUERIES,
    RANKING_SECONDS,
    STATION_PAGES,
    _assessment,
    _duty,
    _stations,
)
from bench.verdicts import FAILED, MISS, PASS, Row, _get, verdict

__all__ = [
    "DUTY_PAGE_QUERIES",
    "FAILED",
    "MISS",
    "PASS",
    "RANKING_QUERIES",
    "RANKING_SECONDS",
    "STATION_PAGES",
    "Row",
    "evaluate",
    "format_table",
    "verdict",
]

# Issue 14: the similar-suggestion finder's top-10 query, p95 on PostgreSQL, by size.
SIMILAR_P95_MS = ((10_000, 50), (1_000_000, 200))
# "Memory flat": what the finder's process may grow by over all its queries.
SIMILAR_GROWTH_MB = 10


def similar_p95_target(size: int) -> float:
    """The p95 bound of the finder at ``size``: that of the first size at least as large."""
    for limit, ms in SIMILAR_P95_MS:
        if size <= limit:
            return ms
    return SIMILAR_P95_MS[-1][1]


LIST_PAGES = ("tasks:list", "status:list")
# Issue 18: the same lists through the API, at most 6 queries, at least the page's req/s.
API_LISTS = {"api:tasks": "tasks:list", "api:my-suggestions": "status:list"}
API_QUERIES = 6
# Issue 19: the detail pages at a tenth of the ceiling, in at most 10 queries drawn anew;
# the lists in at most 6 (drawn anew: what a page costs after a write).
DETAIL_PAGES = ("tasks:detail", "status:detail")
PAGES = (
    "ceiling",
    "tasks:list",
    "status:list",
    *DETAIL_PAGES,
    *API_LISTS,
    "admin",
    "plain admin",
)


def evaluate(figures: dict[int, dict], sizes: list[int], parts=PARTS) -> list[Row]:
    """The table's rows: every figure of every size against the targets of issue 7, and
    the finder's against issue 14's; only the ``parts`` measured."""
    rows: list[Row] = []
    for size in sizes:
        if "pages" in parts:
            rows += _pages(figures, sizes, size)
        if "import" in parts:
            rows += _import(figures, size)
        if "sweep" in parts:
            rows += _sweep(figures, size)
        if "export" in parts:
            rows += _export(figures, size)
        if "similar" in parts:
            rows += _similar(figures, size)
        if "assessment" in parts:
            rows += _assessment(figures, size)
        if "stations" in parts:
            rows += _stations(figures, sizes, size)
        if "duty" in parts and "duty" in (figures.get(size) or {}):
            rows += _duty(figures, size)
    return rows


def _pages(figures: dict, sizes: list[int], size: int) -> list[Row]:
    rows: list[Row] = []
    largest, smallest = max(sizes), min(sizes)
    ceiling = _get(figures, size, "pages", "ceiling", "requests_per_second")
    plain = _get(figures, size, "pages", "plain admin", "requests_per_second")
    for page in PAGES:
        found = _get(figures, size, "pages", page) or {}
        rps = found.get("requests_per_second")
        detail = ""
        if rps is not None:
            if found.get("latency_p50_ms") is None:
                detail = "no answer within the run"
            else:
                detail = (
                    f"p50 {found['latency_p50_ms']:.1f} ms, p99 {found['latency_p99_ms']:.1f} ms"
                )
            if found.get("timeouts"):
                detail += f", {found['timeouts']} timed out"
            if ceiling and page != "ceiling":
                detail = f"{rps / ceiling:.2f}× ceiling, " + detail
        row = Row(f"{page} req/s", size, rps, "req/s", detail)
        if page in LIST_PAGES:
            bound = 0.25 * ceiling if ceiling else None
            row.target = "≥ 0.25 × ceiling" + (f" ({bound:,.0f})" if bound else "")
            row.verdict = verdict(rps, at_least=bound) if bound else FAILED
        elif page in DETAIL_PAGES:
            bound = 0.10 * ceiling if ceiling else None
            row.target = "≥ 0.10 × ceiling" + (f" ({bound:,.0f})" if bound else "")
            row.verdict = verdict(rps, at_least=bound) if bound else FAILED
        elif page == "admin":
            bound = 3 * plain if plain else None
            row.target = "≥ 3 × plain admin" + (f" ({bound:,.0f})" if bound else "")
            row.verdict = verdict(rps, at_least=bound) if bound else FAILED
        elif page in API_LISTS:
            bound = _get(figures, size, "pages", API_LISTS[page], "requests_per_second")
            row.target = f"≥ {API_LISTS[page]}" + (f" ({bound:,.0f})" if bound else "")
            row.verdict = verdict(rps, at_least=bound) if bound else FAILED
        elif rps is None:
            row.verdict = FAILED
        rows.append(row)
        if page == "ceiling":
            continue
        queries = _get(figures, size, "queries", page, "count")
        drawn = _get(figures, size, "queries", page, "drawn")
        row = Row(f"{page} SQL queries", size, queries, "per request")
        if drawn is not None and drawn != queries:
            row.detail = f"{drawn} drawn anew (after a write)"
        if page in LIST_PAGES:
            row.target, row.verdict = "≤ 6 drawn anew", verdict(drawn, at_most=6)
        elif page in DETAIL_PAGES:
            row.target, row.verdict = "≤ 10 drawn anew", verdict(drawn, at_most=10)
        elif page == "admin":
            row.target, row.verdict = "≤ 10", verdict(queries, at_most=10)
        elif page in API_LISTS:
            row.target = f"≤ {API_QUERIES} drawn anew"
            row.verdict = verdict(drawn, at_most=API_QUERIES)
        elif queries is None:
            row.verdict = FAILED
        rows.append(row)
    full = _get(figures, size, "queries", "admin", "full_count")
    sql = _get(figures, size, "queries", "admin", "full_count_sql") or [""]
    row = Row("admin full-table count", size, full, "", sql[0][:80])
    if size == largest:
        row.target, row.verdict = "none", verdict(full, equals=False)
    rows.append(row)
    if size == largest and largest != smallest:
        for page in LIST_PAGES:
            small = _get(figures, smallest, "pages", page, "requests_per_second")
            big = _get(figures, size, "pages", page, "requests_per_second")
            ratio = big / small if big is not None and small else None
            # The same ratio measured against each size's own ceiling: on a shared
            # machine the load may change between the sizes.
            relative = _get(figures, size, "pages", page, "ratio_to_ceiling")
            relative_small = _get(figures, smallest, "pages", page, "ratio_to_ceiling")
            detail = ""
            if relative is not None and relative_small:
                detail = f"{relative / relative_small:.2f} × against each size's ceiling"
            rows.append(
                Row(
                    f"{page} req/s vs {smallest:,}",
                    size,
                    ratio,
                    "×",
                    detail,
                    "≥ 0.90 (within 10%)",
                    verdict(ratio, at_least=0.9),
                )
            )
    return rows


def _import(figures: dict, size: int) -> list[Row]:
    rows: list[Row] = []
    found = _get(figures, size, "import") or {}
    rows.append(
        Row(
            "import rows/s",
            size,
            found.get("rows_per_second"),
            "rows/s",
            f"{found['rows']:,} rows in {found['seconds']:.2f} s" if found else "",
            "≥ 3,000",
            verdict(found.get("rows_per_second"), at_least=3000),
        )
    )
    rows.append(
        Row(
            "import peak memory",
            size,
            found.get("peak_mb"),
            "MB",
            f"+{found['peak_above_baseline_mb']:.0f} MB over the baseline" if found else "",
            "≤ 300",
            verdict(found.get("peak_mb"), at_most=300),
        )
    )
    return rows


def _sweep(figures: dict, size: int) -> list[Row]:
    rows: list[Row] = []
    sweeps = _get(figures, size, "sweep", "sweeps") or []
    first = sweeps[0] if sweeps else {}
    second = sweeps[1] if len(sweeps) > 1 else {}
    rows.append(
        Row(
            "reminder sweep seconds",
            size,
            first.get("seconds"),
            "s",
            f"{first['created']:,} reminders found" if first else "",
            "≤ 2",
            verdict(first.get("seconds"), at_most=2),
        )
    )
    rows.append(
        Row(
            "second sweep reminders",
            size,
            second.get("created"),
            "",
            f"in {second['seconds']:.2f} s" if second else "",
            "0",
            verdict(second.get("created"), equals=0),
        )
    )
    return rows


def _export(figures: dict, size: int) -> list[Row]:
    rows: list[Row] = []
    for fmt in ("csv", "xlsx"):
        found = _get(figures, size, f"export_{fmt}") or {}
        rows.append(
            Row(
                f"export {fmt} rows/s",
                size,
                found.get("rows_per_second"),
                "rows/s",
                f"{found['rows']:,} rows in {found['seconds']:.2f} s" if found else "",
                "≥ 5,000",
                verdict(found.get("rows_per_second"), at_least=5000),
            )
        )
        rows.append(
            Row(
                f"export {fmt} peak memory",
                size,
                found.get("peak_mb"),
                "MB",
                f"first byte after {found['first_byte_seconds']:.2f} s"
                if found.get("first_byte_seconds") is not None
                else "",
                "≤ 300",
                verdict(found.get("peak_mb"), at_most=300),
            )
        )
        rows.append(
            Row(
                f"export {fmt} streamed",
                size,
                found.get("streaming"),
                "",
                found.get("response_class", ""),
                "yes",
                verdict(found.get("streaming"), equals=True),
            )
        )
    return rows


def _similar(figures: dict, size: int) -> list[Row]:
    """The finder (issue 14): p95 of a top-10 query, its index, its memory."""
    found = _get(figures, size, "similar") or {}
    bound = similar_p95_target(size)
    detail = ""
    if found:
        detail = (
            f"p50 {found['p50_ms']:.1f} ms, max {found['max_ms']:.1f} ms, "
            f"{found['queries']} queries, {found['sql_share']:.0%} in SQL"
        )
    rows = [
        Row(
            "similar top-10 p95",
            size,
            found.get("p95_ms"),
            "ms",
            detail,
            f"≤ {bound} ms",
            verdict(found.get("p95_ms"), at_most=bound),
        )
    ]
    build = found.get("build_seconds")
    rows.append(
        Row(
            "similar index build",
            size,
            build,
            "s",
            f"{found['index_mb']:.1f} MB, {found['entries']:,} entries"
            if found.get("index_mb") is not None
            else "",
            verdict=verdict(build) if build is None else "",
        )
    )
    growth = None
    if found.get("peak_mb") is not None:
        growth = found["peak_mb"] - found["baseline_peak_mb"]
    rows.append(
        Row(
            "similar memory growth",
            size,
            growth,
            "MB",
            f"peak {found['peak_mb']:.0f} MB" if found else "",
            f"≤ {SIMILAR_GROWTH_MB} (flat)",
            verdict(growth, at_most=SIMILAR_GROWTH_MB),
        )
    )
    if found.get("merged_checked"):
        rows.append(
            Row(
                "similar: merged one's main in top 10",
                size,
                found["merged_main_in_top10"],
                f"of {found['merged_checked']}",
            )
        )
    return rows


def _figure(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.2f}"


def format_table(rows: list[Row]) -> str:
    """The rows as a fixed-width text table."""
    head = ("measure", "size", "figure", "target", "verdict", "detail")
    lines = [
        (
            r.measure,
            f"{r.size:,}",
            f"{_figure(r.value)} {r.unit}".strip(),
            r.target,
            r.verdict,
            r.detail,
        )
        for r in rows
    ]
    widths = [max(len(x[i]) for x in [head, *lines]) for i in range(len(head) - 1)]
    out = []
    for line in [head, *lines]:
        cells = [cell.ljust(width) for cell, width in zip(line, widths, strict=False)]
        out.append("  ".join([*cells, line[-1]]).rstrip())
        if line is head:
            out.append("  ".join("-" * w for w in widths) + "  " + "-" * 6)
    return "\n".join(out)
