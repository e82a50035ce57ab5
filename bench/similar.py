"""The similar-suggestion finder measured (issue 14): ``bench/steps.py similar``.

In a child process of its own (``bench/run.py``), on the seeded data:

- the finder's GIN index (PostgreSQL): its size, and the time to build it on the loaded
  rows (a ``REINDEX``, which also leaves it compact as a fresh build would); then
  ``ANALYZE`` of its table, since the finder picks the grams it looks up by the index's
  statistics, and ``forget_statistics()`` so this process reads them afresh;
- ``suggestions.selectors.similar_suggestions(text=..., exclude=..., limit=10)`` for
  ``queries`` texts taken from seeded suggestions picked at random (seeded, so every run
  asks the same): half a suggestion's own title and content, excluding itself (the
  suggestion's page), a quarter its title alone (a deputy typing one), a quarter its
  content's clauses in another order without the title, as a new suggestion on the same
  matter would be worded (nothing excluded). Each call is timed, and the SQL's share of
  it (``connection.execute_wrapper``); the first call is timed apart (it reads the
  statistics);
- whether the finder puts a merged suggestion's main in its top 10 when asked with the
  merged one's text (they raise the same matter in other words): how often it does;
- the process's peak memory (VmHWM) and resident memory before and after the queries.
"""

import math
import random
import re
import statistics
import time

# The same query texts in every run (the ids drawn depend only on the seed and the table).
SEED = 14
MERGED_CHECKS = 20


def percentile(values: list[float], share: float) -> float | None:
    """The nearest-rank percentile (p95: the value 95 % of the calls are at or under)."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered), math.ceil(share * len(ordered))) - 1)]


def _sample(model, wanted: int, rng: random.Random, **filters) -> list:
    """About ``wanted`` rows drawn at random by id, without a scan of the table."""
    from django.db.models import Max, Min

    rows = model.objects.filter(**filters)
    bounds = rows.aggregate(low=Min("pk"), high=Max("pk"))
    if bounds["low"] is None:
        return []
    found: dict = {}
    for _round in range(20):
        ids = [rng.randint(bounds["low"], bounds["high"]) for _ in range(wanted * 2)]
        for row in rows.filter(pk__in=ids):
            found.setdefault(row.pk, row)
        if len(found) >= wanted:
            break
    return sorted(found.values(), key=lambda row: row.pk)[:wanted]


def paraphrase(content: str) -> str:
    """The content's clauses in the reverse order, joined otherwise."""
    clauses = [c for c in re.split(r"[，。；、]", content) if c]
    return "；".join(reversed(clauses)) + "。"


def query_texts(count: int, rng: random.Random) -> list[tuple[str, str, int | None]]:
    """(kind, text, excluded id) of ``count`` queries."""
    from suggestions import selectors
    from suggestions.models import Suggestion

    texts = []
    for n, suggestion in enumerate(_sample(Suggestion, count, rng)):
        kind = ("own", "own", "title", "paraphrase")[n % 4]
        if kind == "own":
            texts.append((kind, selectors.suggestion_text(suggestion), suggestion.pk))
        elif kind == "title":
            texts.append((kind, suggestion.title, suggestion.pk))
        else:
            texts.append((kind, paraphrase(suggestion.content), None))
    return texts


def index_figures(reindex: bool) -> dict:
    """The GIN index's build time and size; its table analysed (PostgreSQL)."""
    from django.db import connection

    from bench.data.seed import GRAMS_INDEX
    from suggestions.models import SimilarityEntry
    from suggestions.selectors import similar

    table = SimilarityEntry._meta.db_table
    found = {"index": GRAMS_INDEX, "vendor": connection.vendor}
    if connection.vendor != "postgresql":
        return found
    with connection.cursor() as cursor:
        cursor.execute("SHOW maintenance_work_mem")
        found["maintenance_work_mem"] = cursor.fetchone()[0]
        if reindex:
            started = time.perf_counter()
            cursor.execute(f"REINDEX INDEX {GRAMS_INDEX}")
            found["build_seconds"] = time.perf_counter() - started
        started = time.perf_counter()
        cursor.execute(f"ANALYZE {table}")
        found["analyze_seconds"] = time.perf_counter() - started
        cursor.execute(
            "SELECT pg_relation_size(%s), pg_total_relation_size(%s), "
            "(SELECT count(*) FROM suggestions_similarityentry)",
            [GRAMS_INDEX, table],
        )
        index_bytes, table_bytes, rows = cursor.fetchone()
        cursor.execute(
            "SELECT coalesce(array_length(most_common_elems::text::text[], 1), 0) "
            "FROM pg_stats WHERE tablename = %s",
            [GRAMS_INDEX],
        )
        common = cursor.fetchone()
    similar.forget_statistics()
    found.update(
        index_mb=index_bytes / 2**20,
        table_with_indexes_mb=table_bytes / 2**20,
        entries=rows,
        common_grams_in_statistics=common[0] if common else 0,
    )
    return found


def run_similar(queries: int, reindex: bool = True) -> dict:
    from django.db import connection

    from bench.memory import peak_mb, resident_mb
    from suggestions import selectors
    from suggestions.models import Suggestion

    rng = random.Random(SEED)
    index = index_figures(reindex)
    texts = query_texts(queries, rng)
    merged = _sample(Suggestion, MERGED_CHECKS, rng, state=Suggestion.State.MERGED)
    sql = [0.0]

    def timed(execute, sql_text, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql_text, params, many, context)
        finally:
            sql[0] += time.perf_counter() - started

    def ask(text, exclude):
        sql[0] = 0.0
        started = time.perf_counter()
        found = selectors.similar_suggestions(text=text, exclude=exclude, limit=10)
        return (time.perf_counter() - started) * 1000, sql[0] * 1000, found

    baseline_peak, baseline_resident = peak_mb(), resident_mb()
    with connection.execute_wrapper(timed):
        first_ms, first_sql_ms, _found = ask(texts[0][1], texts[0][2]) if texts else (0, 0, [])
        calls = []
        for kind, text, exclude in texts:
            ms, sql_ms, found = ask(text, exclude)
            calls.append((kind, ms, sql_ms, len(found), found[0][1] if found else 0.0))
        main_found = 0
        for suggestion in merged:
            _ms, _sql, found = ask(selectors.suggestion_text(suggestion), suggestion.pk)
            main_found += suggestion.merged_into_id in [s.pk for s, _score in found]
    all_ms = [c[1] for c in calls]
    sql_ms = [c[2] for c in calls]
    by_kind = {}
    for kind in ("own", "title", "paraphrase"):
        ms = [c[1] for c in calls if c[0] == kind]
        by_kind[kind] = {"queries": len(ms), "p50_ms": percentile(ms, 0.5)}
    return {
        **index,
        "suggestions": Suggestion.objects.count(),
        "queries": len(calls),
        "first_call_ms": first_ms,
        "first_call_sql_ms": first_sql_ms,
        "p50_ms": percentile(all_ms, 0.5),
        "p95_ms": percentile(all_ms, 0.95),
        "max_ms": max(all_ms, default=None),
        "mean_ms": statistics.fmean(all_ms) if all_ms else None,
        "sql_p50_ms": percentile(sql_ms, 0.5),
        "sql_p95_ms": percentile(sql_ms, 0.95),
        "sql_share": sum(sql_ms) / sum(all_ms) if all_ms and sum(all_ms) else None,
        "by_kind": by_kind,
        "results_p50": percentile([c[3] for c in calls], 0.5),
        "top_score_p50": percentile([c[4] for c in calls], 0.5),
        "merged_checked": len(merged),
        "merged_main_in_top10": main_found,
        "baseline_peak_mb": baseline_peak,
        "peak_mb": peak_mb(),
        "resident_before_mb": baseline_resident,
        "resident_after_mb": resident_mb(),
    }
