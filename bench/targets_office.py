"""The targets of the office's year in ``make bench``: issue 15's assessment and
dashboards, issue 16's liaison stations, issue 17's duty ranking (``bench.targets.evaluate``
calls them)."""

from bench.verdicts import FAILED, Row, _get, page_detail, verdict

# Issue 15: the units' assessment and the dashboard.
ASSESSMENT_SECONDS = 2  # unit_assessment of a year, live, at a million suggestions
ASSESSMENT_QUERIES = 10  # whatever the number of units
CLOSED_PAGE_MS = 100  # a closed year's reports:assessment, p50
DASHBOARD_QUERIES = 12
DASHBOARD_P50_MS = 300
DASHBOARDS = ("dashboard (staff)", "dashboard (leader)")


def _assessment(figures: dict, size: int) -> list[Row]:
    """unit_assessment live and closed, the closing, the closed page and the dashboards."""
    found = _get(figures, size, "assessment") or {}
    live = found.get("live_median_ms")
    detail = ""
    if found:
        detail = (
            f"{found['year']}: {found['units']} units, {found['assignments']:,} assignments;"
            f" max {found['live_max_ms']:,.0f} ms of {found['runs']}"
        )
    rows = [
        Row(
            "unit_assessment live",
            size,
            None if live is None else live / 1000,
            "s",
            detail,
            f"≤ {ASSESSMENT_SECONDS} s (median)",
            verdict(None if live is None else live / 1000, at_most=ASSESSMENT_SECONDS),
        ),
        Row(
            "unit_assessment SQL queries",
            size,
            found.get("live_queries"),
            "per call",
            "",
            f"≤ {ASSESSMENT_QUERIES}",
            verdict(found.get("live_queries"), at_most=ASSESSMENT_QUERIES),
        ),
    ]
    if found and "current_median_ms" in found:
        rows.append(
            Row(
                "unit_assessment live, this year",
                size,
                found["current_median_ms"] / 1000,
                "s",
                f"{found['current_year']}: {found['current_assignments']:,} assignments",
                f"≤ {ASSESSMENT_SECONDS} s (median)",
                verdict(found["current_median_ms"] / 1000, at_most=ASSESSMENT_SECONDS),
            )
        )
    if found:
        cases = ", ".join(f"{k} {n:,}" for k, n in sorted(found["deduction_cases"].items()))
        rows.append(
            Row(
                "assessment close",
                size,
                found["close_seconds"],
                "s",
                f"{found['distinct_scores']} distinct scores; cases: {cases}",
            )
        )
        rows.append(
            Row(
                "unit_assessment closed year",
                size,
                found["closed_median_ms"],
                "ms",
                f"{found['closed_rows']} frozen rows, {found['closed_queries']} queries,"
                f" max {found['closed_max_ms']:.1f} ms",
            )
        )
    reports = found and _get(figures, size, "reports") or {}
    pages = reports.get("pages") or {}
    queries = reports.get("queries") or {}
    ceiling = (pages.get("ceiling") or {}).get("requests_per_second")
    for page in ("assessment (closed year)", *DASHBOARDS):
        page_found = pages.get(page) or {}
        p50 = page_found.get("latency_p50_ms")
        detail = page_detail(page_found, ceiling)
        bound = CLOSED_PAGE_MS if page.startswith("assessment") else DASHBOARD_P50_MS
        rows.append(
            Row(
                f"{page} p50", size, p50, "ms", detail, f"≤ {bound} ms", verdict(p50, at_most=bound)
            )
        )
        count = (queries.get(page) or {}).get("count")
        row = Row(f"{page} SQL queries", size, count, "per request")
        if page in DASHBOARDS:
            row.target, row.verdict = (
                f"≤ {DASHBOARD_QUERIES}",
                verdict(count, at_most=DASHBOARD_QUERIES),
            )
        elif count is None:
            row.verdict = FAILED
        rows.append(row)
    return rows


# Issue 16: the liaison stations. The keeper's pages: at most 8 queries whatever the
# number of rows (the same count at every size), p50 within the dashboard's bound under
# the bench's load, throughput reported against the ceiling; the opinion reminder rule
# within the sweep's 2 s.
STATION_PAGES = ("stations:detail", "stations:opinions", "stations:opinions?station")
STATION_PAGE_QUERIES = 8
STATION_PAGE_P50_MS = 300
STATION_RULE_SECONDS = 2


def _stations(figures: dict, sizes: list[int], size: int) -> list[Row]:
    """The opinion reminder rule and the keeper's pages at ``size``."""
    found = _get(figures, size, "stations") or {}
    median = found.get("median_ms")
    detail = ""
    if found:
        detail = (
            f"{found['found']:,} found of {found['waiting']:,} waiting in {found['opinions']:,}"
            f" opinions, {found['stations']:,} stations; {found['queries']} queries;"
            f" told, again {found['again_ms']:.0f} ms, {found['again_found']} found"
        )
    rows = [
        Row(
            "opinion reminder rule",
            size,
            None if median is None else median / 1000,
            "s",
            detail,
            f"≤ {STATION_RULE_SECONDS} s (median)",
            verdict(None if median is None else median / 1000, at_most=STATION_RULE_SECONDS),
        )
    ]
    if found:
        rows.append(
            Row(
                "opinion reminder rule, once told",
                size,
                found["again_found"],
                "found",
                f"in {found['again_ms']:.0f} ms",
                "0",
                verdict(found["again_found"], equals=0),
            )
        )
    pages = _get(figures, size, "station_pages", "pages") or {}
    queries = _get(figures, size, "station_pages", "queries") or {}
    ceiling = (pages.get("ceiling") or {}).get("requests_per_second")
    smallest = min(sizes)
    for page in STATION_PAGES:
        page_found = pages.get(page) or {}
        p50 = page_found.get("latency_p50_ms")
        detail = page_detail(page_found, ceiling)
        if found and (page == "stations:detail" or page.endswith("?station")):
            mine = f"keeper's station: {found['keeper_opinions']:,} opinions"
            detail = f"{detail}; {mine}" if detail else mine
        rows.append(
            Row(
                f"{page} p50",
                size,
                p50,
                "ms",
                detail,
                f"≤ {STATION_PAGE_P50_MS} ms",
                verdict(p50, at_most=STATION_PAGE_P50_MS),
            )
        )
        count = (queries.get(page) or {}).get("count")
        rows.append(
            Row(
                f"{page} SQL queries",
                size,
                count,
                "per request",
                "",
                f"≤ {STATION_PAGE_QUERIES}",
                verdict(count, at_most=STATION_PAGE_QUERIES),
            )
        )
        if size != smallest:
            small = _get(figures, smallest, "station_pages", "queries", page, "count")
            rows.append(
                Row(
                    f"{page} SQL queries vs {smallest:,}",
                    size,
                    count,
                    "per request",
                    f"{small} at {smallest:,}" if small is not None else "",
                    "the same (constant in rows)",
                    verdict(count, equals=small) if small is not None else FAILED,
                )
            )
    return rows


# Issue 17: the year's ranking at 100,000 deputies and 5,000,000 duty records, and the
# deputy's duty page.
RANKING_SECONDS = 2
RANKING_QUERIES = 6
DUTY_PAGE_QUERIES = 6


def _duty(figures: dict, size: int) -> list[Row]:
    """The ranking (time, queries), a deputy's year, the shortfalls, and /my/duty/ (its
    queries, p50 and throughput against the ceiling); measured once a run."""
    found = _get(figures, size, "duty") or {}
    ranking = found.get("ranking") or {}
    median = ranking.get("median_ms")
    seconds = None if median is None else median / 1000
    detail = ""
    if found:
        detail = (
            f"{found['year']}: {found['deputies']:,} deputies, {found['year_records']:,} of"
            f" {found['records']:,} records; max {ranking['max_ms']:,.0f} ms of {found['runs']},"
            f" {ranking['sql_share']:.0%} in SQL"
        )
    rows = [
        Row(
            "duty ranking",
            size,
            seconds,
            "s",
            detail,
            f"≤ {RANKING_SECONDS} s (median)",
            verdict(seconds, at_most=RANKING_SECONDS),
        ),
        Row(
            "duty ranking SQL queries",
            size,
            ranking.get("queries"),
            "per call",
            "",
            f"≤ {RANKING_QUERIES}",
            verdict(ranking.get("queries"), at_most=RANKING_QUERIES),
        ),
    ]
    mine = found.get("duty_year") or {}
    if mine:
        rows.append(
            Row(
                "duty_year of a deputy",
                size,
                mine["median_ms"],
                "ms",
                f"{mine['year']}: {mine['records']} records, {mine['queries']} queries",
            )
        )
    short = found.get("shortfalls") or {}
    if short:
        rows.append(
            Row(
                "duty shortfalls",
                size,
                short["median_ms"] / 1000,
                "s",
                f"{short['deputies_short']:,} deputies short, {short['queries']} queries",
            )
        )
    pages = _get(figures, size, "duty_pages", "pages") or {}
    queries = _get(figures, size, "duty_pages", "queries") or {}
    page = pages.get("duty:mine") or {}
    ceiling = (pages.get("ceiling") or {}).get("requests_per_second")
    detail = page_detail(page, ceiling)
    p50 = page.get("latency_p50_ms")
    rows.append(
        Row("duty:mine p50", size, p50, "ms", detail, verdict=verdict(p50) if p50 is None else "")
    )
    count = (queries.get("duty:mine") or {}).get("count")
    rows.append(
        Row(
            "duty:mine SQL queries",
            size,
            count,
            "per request",
            "",
            f"≤ {DUTY_PAGE_QUERIES}",
            verdict(count, at_most=DUTY_PAGE_QUERIES),
        )
    )
    return rows
