"""The benchmark harness (bench/run.py): what it reads from wrk, how it judges, its pages.

What needs PostgreSQL, gunicorn and wrk is exercised by ``make bench SMOKE=1``.
"""

import pytest
from django.contrib.auth.models import Permission

from bench import database, harness, pages, similar, targets
from tests import factories

# Captured from wrk 4.1.0 (Debian) against gunicorn serving bench.settings on loopback.
WRK_CEILING = """\
Running 1s test @ http://127.0.0.1:8765/bench/ceiling/
  1 threads and 4 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     5.58ms   10.87ms 108.83ms   92.96%
    Req/Sec     1.30k   279.83     1.51k    90.91%
  Latency Distribution
     50%    2.51ms
     75%    3.22ms
     90%   11.39ms
     99%   59.10ms
  1416 requests in 1.10s, 731.51KB read
Requests/sec:   1286.70
Transfer/sec:    664.71KB
"""

WRK_NOT_FOUND = """\
Running 1s test @ http://127.0.0.1:8765/nothing-here/
  1 threads and 4 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    14.58ms   29.77ms 194.23ms   91.34%
    Req/Sec   772.11    343.97     1.05k    77.78%
  Latency Distribution
     50%    3.90ms
     75%    8.78ms
     90%   32.95ms
     99%  143.58ms
  719 requests in 1.01s, 512.40KB read
  Non-2xx or 3xx responses: 719
Requests/sec:    713.66
Transfer/sec:    508.60KB
"""


def test_parse_wrk_reads_throughput_and_percentiles():
    """Requests/sec, the 50% and 99% lines (in ms) and the request count come out."""
    found = pages.parse_wrk(WRK_CEILING)

    assert found["requests_per_second"] == 1286.70
    assert found["latency_p50_ms"] == pytest.approx(2.51)
    assert found["latency_p99_ms"] == pytest.approx(59.10)
    assert found["requests"] == 1416
    assert found["non_2xx_3xx"] == 0
    assert found["socket_errors"] == 0


def test_parse_wrk_counts_error_answers():
    """A run answered with errors says how many, so it is not taken for a speed."""
    assert pages.parse_wrk(WRK_NOT_FOUND)["non_2xx_3xx"] == 719


def test_parse_wrk_counts_socket_errors_apart_from_timeouts():
    """Connect, read and write errors add up; timeouts (a slow page) are counted apart."""
    output = WRK_CEILING.replace(
        "Requests/sec", "  Socket errors: connect 0, read 2, write 1, timeout 4\nRequests/sec"
    )

    found = pages.parse_wrk(output)

    assert found["socket_errors"] == 3
    assert found["timeouts"] == 4


def test_parse_wrk_gives_no_latency_when_no_request_finished():
    """A page slower than the run gives 0 req/s and no latency, not a latency of zero."""
    output = (
        WRK_CEILING.replace("1416 requests in 1.10s", "0 requests in 8.10s")
        .replace("2.51ms", "0.00us")
        .replace("59.10ms", "0.00us")
        .replace("1286.70", "0.00")
    )

    found = pages.parse_wrk(output)

    assert found["requests_per_second"] == 0
    assert found["latency_p50_ms"] is None and found["latency_p99_ms"] is None


@pytest.mark.parametrize(
    "output",
    [
        "unable to connect to 127.0.0.1:8765 Connection refused\n",  # no server
        WRK_CEILING.split("  Latency Distribution")[0] + "Requests/sec: 10.0\n",  # no --latency
    ],
)
def test_parse_wrk_refuses_output_without_figures(output):
    """Output without the throughput or the latency distribution is an error, not a zero."""
    with pytest.raises(ValueError):
        pages.parse_wrk(output)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("812.00us", 0.000812),  # microseconds
        ("2.51ms", 0.00251),  # milliseconds
        ("1.10s", 1.10),  # seconds
        ("1.50m", 90.0),  # minutes
    ],
)
def test_parse_duration_reads_wrk_units(text, seconds):
    """Each unit wrk prints converts to seconds."""
    assert pages.parse_duration(text) == pytest.approx(seconds)


@pytest.mark.parametrize(
    ("value", "bounds", "expected"),
    [
        (3000, {"at_least": 3000}, targets.PASS),  # on the bound
        (2999, {"at_least": 3000}, targets.MISS),  # below
        (300, {"at_most": 300}, targets.PASS),  # on the bound
        (301, {"at_most": 300}, targets.MISS),  # above
        (0, {"equals": 0}, targets.PASS),  # the second sweep found nothing
        (3, {"equals": 0}, targets.MISS),  # the second sweep found reminders again
        (False, {"equals": False}, targets.PASS),  # no full-table count
        (True, {"equals": False}, targets.MISS),  # a full-table count
        (None, {"at_least": 1}, targets.FAILED),  # the step failed: no figure
    ],
)
def test_verdict_judges_a_figure_against_its_bound(value, bounds, expected):
    """PASS within the bound, MISS outside it, FAILED without a figure."""
    assert targets.verdict(value, **bounds) == expected


@pytest.mark.parametrize(
    ("sql", "full"),
    [
        ('SELECT COUNT(*) AS "__count" FROM "suggestions_suggestion"', True),  # Django's count
        (
            'SELECT COUNT(*) AS "__count" FROM "suggestions_suggestion"'
            ' WHERE "suggestions_suggestion"."state" = \'assigned\'',
            False,
        ),  # a filtered list's count
        (
            'SELECT COUNT(*) FROM (SELECT 1 FROM "suggestions_suggestion" LIMIT 1001) subquery',
            False,
        ),  # a capped count
        (
            "SELECT reltuples FROM pg_class WHERE relname = 'suggestions_suggestion'",
            False,
        ),  # the planner's estimate
        ('SELECT COUNT(*) AS "__count" FROM "deputies_deputy"', False),  # another table
    ],
)
def test_is_full_count_finds_unbounded_counts_of_the_table(sql, full):
    """Only a COUNT over the whole suggestions table is a full-table count."""
    assert pages.is_full_count(sql, "suggestions_suggestion") is full


def _page(rps, ratio=None):
    return {
        "requests_per_second": rps,
        "latency_p50_ms": 10.0,
        "latency_p99_ms": 30.0,
        "ratio_to_ceiling": ratio,
    }


def _figures(*, ceiling, tasks, status, admin, plain, admin_queries=9, full_count=False):
    return {
        "pages": {
            "ceiling": _page(ceiling),
            "tasks:list": _page(tasks, tasks / ceiling),
            "status:list": _page(status, status / ceiling),
            "tasks:detail": _page(100),
            "status:detail": _page(400),
            "admin": _page(admin),
            "plain admin": _page(plain),
        },
        "queries": {
            # Served from the page cache, and drawn anew (after a write).
            "tasks:list": {"count": 1, "drawn": 6},
            "status:list": {"count": 1, "drawn": 9},
            "tasks:detail": {"count": 1, "drawn": 20},
            "status:detail": {"count": 1, "drawn": 8},
            "admin": {"count": admin_queries, "full_count": full_count},
            "plain admin": {"count": 7},
        },
        "import": {
            "rows": 10000,
            "seconds": 2.5,
            "rows_per_second": 4000,
            "peak_mb": 310,
            "peak_above_baseline_mb": 200,
        },
        "sweep": {"sweeps": [{"seconds": 0.5, "created": 40}, {"seconds": 0.1, "created": 0}]},
        "export_csv": {
            "rows": 100000,
            "seconds": 10,
            "rows_per_second": 10000,
            "peak_mb": 120,
            "first_byte_seconds": 0.1,
            "streaming": True,
            "response_class": "StreamingHttpResponse",
        },
        # export_xlsx missing: its step failed
    }


def _verdicts(rows):
    return {(row.measure, row.size): row.verdict for row in rows}


def test_evaluate_judges_each_figure_against_issue_7():
    """Pages against the ceiling and the plain admin, queries, import, sweep and export."""
    figures = {
        10_000: _figures(ceiling=1000, tasks=300, status=200, admin=90, plain=30),
        1_000_000: _figures(
            ceiling=1000,
            tasks=280,
            status=150,
            admin=80,
            plain=30,
            admin_queries=11,
            full_count=True,
        ),
    }

    verdicts = _verdicts(targets.evaluate(figures, [10_000, 1_000_000]))

    assert verdicts["tasks:list req/s", 10_000] == targets.PASS  # 0.30 of the ceiling
    assert verdicts["status:list req/s", 10_000] == targets.MISS  # 0.20 of the ceiling
    assert verdicts["tasks:list SQL queries", 10_000] == targets.PASS  # 6 drawn anew
    assert verdicts["status:list SQL queries", 10_000] == targets.MISS  # 9 > 6 drawn anew
    # Issue 19: the detail pages at a tenth of the ceiling, ≤ 10 queries drawn anew.
    assert verdicts["tasks:detail req/s", 10_000] == targets.PASS  # 0.10 of the ceiling
    assert verdicts["tasks:detail SQL queries", 10_000] == targets.MISS  # 20 > 10
    assert verdicts["status:detail req/s", 10_000] == targets.PASS
    assert verdicts["status:detail SQL queries", 10_000] == targets.PASS
    assert verdicts["admin req/s", 10_000] == targets.PASS  # 3 × the plain admin
    assert verdicts["admin req/s", 1_000_000] == targets.MISS  # 2.7 × the plain admin
    assert verdicts["admin SQL queries", 1_000_000] == targets.MISS  # 11 > 10
    # The full-table count is judged at the largest size only.
    assert verdicts["admin full-table count", 10_000] == ""
    assert verdicts["admin full-table count", 1_000_000] == targets.MISS
    assert verdicts["tasks:list req/s vs 10,000", 1_000_000] == targets.PASS  # 0.93
    assert verdicts["status:list req/s vs 10,000", 1_000_000] == targets.MISS  # 0.75
    assert verdicts["import rows/s", 10_000] == targets.PASS
    assert verdicts["import peak memory", 10_000] == targets.MISS  # 310 MB
    assert verdicts["reminder sweep seconds", 10_000] == targets.PASS
    assert verdicts["second sweep reminders", 10_000] == targets.PASS
    assert verdicts["export csv streamed", 10_000] == targets.PASS
    assert verdicts["export xlsx rows/s", 10_000] == targets.FAILED


def test_evaluate_judges_the_api_lists_against_their_pages():
    """Issue 18: each API list at least as fast as its page, in at most 6 queries."""
    figures = _figures(ceiling=1000, tasks=300, status=200, admin=90, plain=30)
    figures["pages"]["api:tasks"] = _page(320, 0.32)
    figures["pages"]["api:my-suggestions"] = _page(150, 0.15)
    figures["queries"]["api:tasks"] = {"count": 2, "drawn": 4}
    figures["queries"]["api:my-suggestions"] = {"count": 2, "drawn": 7}

    verdicts = _verdicts(targets.evaluate({10_000: figures}, [10_000]))

    assert verdicts["api:tasks req/s", 10_000] == targets.PASS  # 320 ≥ the page's 300
    assert verdicts["api:my-suggestions req/s", 10_000] == targets.MISS  # 150 < 200
    assert verdicts["api:tasks SQL queries", 10_000] == targets.PASS
    assert verdicts["api:my-suggestions SQL queries", 10_000] == targets.MISS  # 7 > 6


def test_evaluate_fails_an_api_list_when_its_page_has_no_figure():
    figures = _figures(ceiling=1000, tasks=300, status=200, admin=90, plain=30)
    del figures["pages"]["status:list"]
    figures["pages"]["api:my-suggestions"] = _page(150, 0.15)

    verdicts = _verdicts(targets.evaluate({10_000: figures}, [10_000]))

    assert verdicts["api:my-suggestions req/s", 10_000] == targets.FAILED


def _similar(p95, *, peak=95.0, build=1.5):
    return {
        "queries": 200,
        "p50_ms": p95 / 3,
        "p95_ms": p95,
        "max_ms": p95 * 2,
        "sql_share": 0.6,
        "build_seconds": build,
        "index_mb": 2.0,
        "entries": 10_000,
        "baseline_peak_mb": 90.0,
        "peak_mb": peak,
        "merged_checked": 20,
        "merged_main_in_top10": 19,
    }


def test_evaluate_judges_the_finder_against_issue_14():
    """p95 of a top-10 query within 50 ms at 10,000 and 200 ms at a million; the process's
    memory flat over the queries; the index's build time and size reported."""
    figures = {
        10_000: {"similar": _similar(49.0, peak=99.0)},
        1_000_000: {"similar": _similar(201.0, peak=101.0, build=60.0)},
    }

    rows = targets.evaluate(figures, [10_000, 1_000_000], parts=("similar",))
    verdicts = _verdicts(rows)

    assert verdicts["similar top-10 p95", 10_000] == targets.PASS
    assert verdicts["similar top-10 p95", 1_000_000] == targets.MISS
    assert verdicts["similar memory growth", 10_000] == targets.PASS  # +9 MB
    assert verdicts["similar memory growth", 1_000_000] == targets.MISS  # +11 MB
    build = next(r for r in rows if r.measure == "similar index build" and r.size == 1_000_000)
    assert (build.value, build.detail) == (60.0, "2.0 MB, 10,000 entries")
    # Only the parts measured are judged: no page, import, sweep or export row.
    assert all(measure.startswith("similar") for measure, _size in verdicts)
    assert targets.similar_p95_target(600) == 50
    assert targets.similar_p95_target(430_000) == 200
    assert targets.similar_p95_target(2_000_000) == 200


def test_evaluate_fails_the_finder_when_its_step_failed():
    verdicts = _verdicts(targets.evaluate({600: {}}, [600], parts=("similar",)))

    assert verdicts["similar top-10 p95", 600] == targets.FAILED
    assert verdicts["similar index build", 600] == targets.FAILED


def test_percentile_is_the_nearest_rank():
    values = list(range(1, 201))  # 1 .. 200 ms

    assert similar.percentile(values, 0.5) == 100
    assert similar.percentile(values, 0.95) == 190
    assert similar.percentile([7.0], 0.95) == 7.0
    assert similar.percentile([], 0.5) is None


def test_paraphrase_keeps_the_clauses_in_another_order():
    assert (
        similar.paraphrase("甲地路面破损，雨季积水。建议修路。")
        == "建议修路；雨季积水；甲地路面破损。"
    )


def _assessment(live_ms, *, queries=8, closed_p50=60.0, dashboard_p50=250.0, dashboard_q=11):
    def page(p50, rps=20.0):
        return {"requests_per_second": rps, "latency_p50_ms": p50, "latency_p99_ms": p50 * 2}

    return {
        "assessment": {
            "year": 2025,
            "assignments": 150_000,
            "units": 201,
            "runs": 5,
            "live_median_ms": live_ms,
            "live_max_ms": live_ms * 1.2,
            "live_queries": queries,
            "deduction_cases": {"late_reply": 900, "manual": 30},
            "distinct_scores": 50,
            "close_seconds": 3.0,
            "closed_rows": 201,
            "closed_median_ms": 20.0,
            "closed_max_ms": 25.0,
            "closed_queries": 2,
        },
        "reports": {
            "pages": {
                "ceiling": page(1.0, 2000.0),
                "assessment (closed year)": page(closed_p50),
                "dashboard (staff)": page(dashboard_p50),
                "dashboard (leader)": page(dashboard_p50 / 2),
            },
            "queries": {
                "assessment (closed year)": {"count": 5},
                "dashboard (staff)": {"count": dashboard_q},
                "dashboard (leader)": {"count": 9},
            },
        },
    }


def test_evaluate_judges_the_assessment_against_issue_15():
    """unit_assessment live within 2 s and 10 queries; the closed year's page p50 within
    100 ms; the dashboard within 12 queries and a p50 of 300 ms, with its throughput
    against the ceiling reported."""
    figures = {
        10_000: _assessment(1_900.0),
        1_000_000: _assessment(2_100.0, queries=11, closed_p50=101.0, dashboard_q=13),
    }

    rows = targets.evaluate(figures, [10_000, 1_000_000], parts=("assessment",))
    verdicts = _verdicts(rows)

    assert verdicts["unit_assessment live", 10_000] == targets.PASS
    assert verdicts["unit_assessment live", 1_000_000] == targets.MISS
    assert verdicts["unit_assessment SQL queries", 1_000_000] == targets.MISS
    assert verdicts["assessment (closed year) p50", 10_000] == targets.PASS
    assert verdicts["assessment (closed year) p50", 1_000_000] == targets.MISS
    assert verdicts["dashboard (staff) SQL queries", 10_000] == targets.PASS
    assert verdicts["dashboard (staff) SQL queries", 1_000_000] == targets.MISS
    assert verdicts["dashboard (leader) p50", 1_000_000] == targets.PASS
    staff = next(r for r in rows if r.measure == "dashboard (staff) p50" and r.size == 10_000)
    assert staff.detail.startswith("20.0 req/s, 0.010× ceiling (2,000)")
    live = next(r for r in rows if r.measure == "unit_assessment live" and r.size == 10_000)
    assert live.detail.startswith("2025: 201 units, 150,000 assignments")
    assert all(not m.startswith(("tasks", "similar", "import")) for m, _size in verdicts)


def test_evaluate_fails_the_assessment_when_its_step_or_pages_failed():
    """No figure from the step: FAILED; pages not answered (the 501 stubs): FAILED."""
    figures = {600: {}, 1200: _assessment(100.0)}
    del figures[1200]["reports"]["pages"]["dashboard (staff)"]
    del figures[1200]["reports"]["queries"]["dashboard (staff)"]

    verdicts = _verdicts(targets.evaluate(figures, [600, 1200], parts=("assessment",)))

    assert verdicts["unit_assessment live", 600] == targets.FAILED
    assert verdicts["dashboard (leader) p50", 600] == targets.FAILED
    assert verdicts["dashboard (staff) p50", 1200] == targets.FAILED
    assert verdicts["dashboard (staff) SQL queries", 1200] == targets.FAILED
    assert verdicts["dashboard (leader) p50", 1200] == targets.PASS


def test_report_urls_name_the_closed_year_and_the_dashboards(bench_urls):
    """The closed year's page is checked for its year; the dashboard is loaded as the
    office and as a leader."""
    urls = pages.report_urls(2025)

    assert urls["assessment (closed year)"] == (pages.STAFF, "/reports/assessment/2025/", ("2025",))
    assert urls["dashboard (staff)"][:2] == (pages.STAFF, "/reports/")
    assert urls["dashboard (leader)"][:2] == (pages.LEADER, "/reports/")
    assert "assessment" in harness.PARTS


def test_evaluate_fails_page_targets_when_the_ceiling_is_missing():
    """Without the ceiling's figure no page can be judged against it: FAILED, not PASS."""
    figures = {600: _figures(ceiling=1000, tasks=300, status=300, admin=90, plain=30)}
    del figures[600]["pages"]["ceiling"]

    verdicts = _verdicts(targets.evaluate(figures, [600]))

    assert verdicts["tasks:list req/s", 600] == targets.FAILED
    assert verdicts["ceiling req/s", 600] == targets.FAILED


def test_format_table_lists_every_row():
    """The printed table has a line per measure and size, with the figure and the verdict."""
    rows = targets.evaluate(
        {600: _figures(ceiling=1000, tasks=300, status=300, admin=90, plain=30)}, [600]
    )

    table = targets.format_table(rows).splitlines()

    assert len(table) == 2 + len(rows)  # the head and its rule
    assert any(line.startswith("tasks:list req/s") and "PASS" in line for line in table)


def test_step_records_a_failure_and_the_run_goes_on():
    """A failing step is recorded with its error and gives None instead of raising."""
    bench = harness.Run(mode=harness.SMOKE, database_url="postgres://postgres@127.0.0.1/npc_bench")

    def broken():
        raise harness.StepFailed("seed_bench is missing")

    assert bench.step("seed", 300, broken) is None
    assert bench.step("ok", 300, lambda: 42) == 42
    assert [(s.name, s.ok, s.error) for s in bench.steps] == [
        ("seed", False, "seed_bench is missing"),
        ("ok", True, ""),
    ]


@pytest.mark.parametrize(
    "url",
    [
        "postgres://postgres@127.0.0.1:5432/test",  # CI's database
        "postgres://postgres@127.0.0.1:5432/test_npc",  # CI's test databases
        "postgres://postgres@127.0.0.1:5432/postgres",  # the server's own
        "sqlite:///bench.sqlite3",  # not PostgreSQL
    ],
)
def test_database_name_refuses_databases_the_bench_must_not_drop(url):
    """The harness drops its database: it refuses CI's, the server's, and non-PostgreSQL."""
    with pytest.raises(SystemExit):
        database.database_name(url)


def test_round_down_keeps_two_significant_digits():
    """A reduced size is a round number."""
    assert [database.round_down(n) for n in (437_912, 1_000_000, 99, 12_345)] == [
        430_000,
        1_000_000,
        99,
        12_000,
    ]


@pytest.fixture
def bench_urls(settings):
    settings.ROOT_URLCONF = "bench.urls"


def test_ceiling_view_answers_ok(client, bench_urls):
    """The ceiling page answers a short text to anyone, with nothing else to do."""
    response = client.get("/bench/ceiling/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert response.content == b"ok"


def test_plain_admin_lists_suggestions(client, bench_urls, db):
    """The default ModelAdmin lists the suggestions: the baseline the real admin must beat."""
    staff = factories.StaffFactory(username="bench-staff", groups=[])
    staff.user_permissions.add(
        Permission.objects.get(content_type__app_label="suggestions", codename="view_suggestion")
    )
    first = factories.SuggestionFactory(title="关于增设公交专用道的建议")
    second = factories.SuggestionFactory(title="关于改造老旧小区的建议")
    client.force_login(staff)

    response = client.get("/bench/plain-admin/suggestions/suggestion/")

    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="result_list"' in body
    assert first.title in body and second.title in body


def _stations(p50: float, queries: int = 6, rule_ms: float = 400.0) -> dict:
    pages = {
        "ceiling": {"requests_per_second": 2_000.0, "latency_p50_ms": 1.0, "latency_p99_ms": 3.0},
    }
    for page in targets.STATION_PAGES:
        pages[page] = {"requests_per_second": 40.0, "latency_p50_ms": p50, "latency_p99_ms": 90.0}
    return {
        "stations": {
            "stations": 10_000, "opinions": 1_000_000, "waiting": 150_000, "found": 5_000,
            "queries": 2, "median_ms": rule_ms, "max_ms": rule_ms, "runs": 5,
            "again_found": 0, "again_ms": 300.0, "keeper_station": 3, "keeper_opinions": 3_000,
        },
        "station_pages": {
            "pages": pages,
            "queries": {page: {"count": queries} for page in targets.STATION_PAGES},
        },
    }  # fmt: skip


def test_evaluate_judges_the_stations_against_issue_16():
    """The keeper's pages within 8 queries, the same at every size, p50 within 300 ms,
    their throughput against the ceiling reported; the reminder rule within 2 s and
    finding nothing once told."""
    figures = {10_000: _stations(50.0), 1_000_000: _stations(320.0, queries=9, rule_ms=2_500)}

    rows = targets.evaluate(figures, [10_000, 1_000_000], parts=("stations",))
    verdicts = _verdicts(rows)

    assert verdicts["opinion reminder rule", 10_000] == targets.PASS
    assert verdicts["opinion reminder rule", 1_000_000] == targets.MISS
    assert verdicts["opinion reminder rule, once told", 1_000_000] == targets.PASS
    assert verdicts["stations:detail p50", 10_000] == targets.PASS
    assert verdicts["stations:opinions p50", 1_000_000] == targets.MISS
    assert verdicts["stations:opinions?station SQL queries", 10_000] == targets.PASS
    assert verdicts["stations:opinions?station SQL queries", 1_000_000] == targets.MISS
    assert verdicts["stations:detail SQL queries vs 10,000", 1_000_000] == targets.MISS
    detail = next(r for r in rows if r.measure == "stations:detail p50" and r.size == 10_000)
    assert detail.detail.startswith("40.0 req/s, 0.020× ceiling (2,000)")
    assert "3,000 opinions" in detail.detail
    assert all(m.startswith(("stations", "opinion")) for m, _size in verdicts)


def test_evaluate_fails_the_stations_when_the_pages_answered_404():
    """The stubs answer 404: no figures, every page row FAILED; the rule still judged."""
    figures = {600: _stations(10.0)}
    figures[600]["station_pages"] = {"pages": {}, "queries": {}}

    verdicts = _verdicts(targets.evaluate(figures, [600], parts=("stations",)))

    assert verdicts["opinion reminder rule", 600] == targets.PASS
    assert verdicts["stations:detail p50", 600] == targets.FAILED
    assert verdicts["stations:opinions SQL queries", 600] == targets.FAILED


def test_station_urls_load_the_keepers_station_and_opinions(bench_urls, db):
    """As bench-keeper: their station's page (its name must show), the opinion list and
    the list of that station's opinions; the ceiling again."""
    from stations.models import LiaisonStation

    station = LiaisonStation.objects.create(name="基准001县第0001镇人大代表工作站", kind="station",
                                            level="township")  # fmt: skip

    urls = pages.station_urls(station.pk)

    assert urls["stations:detail"] == (
        pages.KEEPER, f"/stations/{station.pk}/", ("基准001县第0001镇人大代表工作站",)
    )  # fmt: skip
    assert urls["stations:opinions"][:2] == (pages.KEEPER, "/stations/opinions/")
    assert urls["stations:opinions?station"][:2] == (
        pages.KEEPER, f"/stations/opinions/?station={station.pk}"
    )  # fmt: skip
    assert "stations" in harness.PARTS
