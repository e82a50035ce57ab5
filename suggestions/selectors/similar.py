"""The similar-suggestion finder: the suggestions whose text shares the most character
bigrams with a given text (``suggestions.similarity``), across deputies, terms and years.

On PostgreSQL the candidates come from the GIN index on the grams (migration 0013), never
from a scan: the query's rarest grams (by the index's own statistics, ``pg_stats``, which
ANALYZE keeps) are looked up, as "any of them" and as "all of the three rarest", each
bounded; the candidates are then scored exactly. Elsewhere (SQLite: the demo and the
tests, thousands of rows) every entry is scored. docs/architecture.md ("Similar
suggestions") has the figures.
"""

import math
import time

from django.db import connection

from .. import similarity
from ..models import SimilarityEntry, Suggestion

# A gram found in more than this share of the suggestions is too common to look up alone.
RARE_SHARE = 0.005
# ... unless it is in at most this many: in a small table most grams are (at 600
# suggestions the share alone left two or three grams to look up and found 2-3 results;
# 500 here made the lookup read most of a 10,000-suggestion table, p95 151 ms).
RARE_ROWS = 50
# How many of the query's grams are looked up, and how many candidates each lookup yields.
LOOKUP_GRAMS = 48
ANY_CANDIDATES = 2000
ALL_CANDIDATES = 1000
# How long a process keeps the index's statistics (ANALYZE changes them slowly).
STATS_SECONDS = 600
INDEX = "similarity_grams_gin"
_VECTOR = "array_to_tsvector(string_to_array(grams, ' '))"

_stats: dict = {"at": None, "shares": {}, "rare": RARE_SHARE}


def gram_shares() -> dict[str, float]:
    """The share of suggestions each common gram is found in, from the index's statistics
    (PostgreSQL; empty before the first ANALYZE)."""
    now = time.monotonic()
    if _stats["at"] is not None and now - _stats["at"] < STATS_SECONDS:
        return _stats["shares"]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT most_common_elems::text, most_common_elem_freqs FROM pg_stats "
            "WHERE tablename = %s",
            [INDEX],
        )
        row = cursor.fetchone()
        cursor.execute(
            "SELECT reltuples FROM pg_class WHERE relname = %s", [SimilarityEntry._meta.db_table]
        )
        rows = (cursor.fetchone() or [0])[0] or 0
    shares = {}
    if row and row[0]:
        shares = dict(zip(row[0].strip("{}").split(","), row[1], strict=False))
    rare = max(RARE_SHARE, RARE_ROWS / rows) if rows > 0 else RARE_SHARE
    _stats.update(at=now, shares=shares, rare=rare)
    return shares


def forget_statistics() -> None:
    """Read the index's statistics afresh next time (after an ANALYZE, in tests)."""
    _stats["at"] = None


def _tsquery(grams, operator: str) -> str:
    # Grams are Han characters, Latin letters and digits only: nothing to escape.
    return f" {operator} ".join(f"'{gram}'" for gram in grams)


def _lookup(query: str, exclude_id, limit: int) -> list[tuple[int, str]]:
    sql = (
        f"SELECT suggestion_id, grams FROM {SimilarityEntry._meta.db_table} "
        f"WHERE {_VECTOR} @@ %s::tsquery AND suggestion_id <> %s LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [query, exclude_id or 0, limit])
        return cursor.fetchall()


def _indexed_candidates(query_grams, exclude_id) -> list[tuple[int, str]]:
    shares = gram_shares()
    ranked = sorted(query_grams, key=lambda gram: (shares.get(gram, 0.0), gram))
    limit = _stats["rare"]
    rare = [gram for gram in ranked if shares.get(gram, 0.0) <= limit][:LOOKUP_GRAMS]
    found = dict(_lookup(_tsquery(ranked[:3], "&"), exclude_id, ALL_CANDIDATES))
    if rare:
        found.update(_lookup(_tsquery(rare, "|"), exclude_id, ANY_CANDIDATES))
    return list(found.items())


def _all_candidates(exclude_id) -> list[tuple[int, str]]:
    rows = SimilarityEntry.objects.exclude(grams="")
    if exclude_id is not None:
        rows = rows.exclude(suggestion_id=exclude_id)
    return list(rows.values_list("suggestion_id", "grams"))


def similar_suggestions(
    *, text: str, exclude=None, limit: int = 10, min_score: float = 0.0
) -> list[tuple[Suggestion, float]]:
    """The ``limit`` suggestions most like ``text``, best first, as (suggestion, score)
    pairs with the score in 0..1; ``exclude``: a suggestion (or its id) left out, e.g.
    the one whose text is given. Each suggestion comes with its lead deputy."""
    query_grams = similarity.grams(text)
    if not query_grams or limit <= 0:
        return []
    exclude_id = getattr(exclude, "pk", exclude)
    if connection.vendor == "postgresql":
        candidates = _indexed_candidates(query_grams, exclude_id)
    else:
        candidates = _all_candidates(exclude_id)
    best = _best(query_grams, candidates, limit, min_score)
    suggestions = Suggestion.objects.select_related("lead_deputy").in_bulk(
        [suggestion_id for _score, suggestion_id in best]
    )
    return [
        (suggestions[suggestion_id], round(score, 4))
        for score, suggestion_id in best
        if suggestion_id in suggestions
    ]


def similar_to_many(
    *, texts: list[str], limit: int = 3, min_score: float = 0.0
) -> list[list[tuple[Suggestion, float]]]:
    """``similar_suggestions`` for each of many texts (an import's rows), in one pass: on
    PostgreSQL each text's candidates from the index, elsewhere every entry read once and
    the texts scored through an inverted index of their grams; the suggestions found are
    read in one query."""
    queries = [similarity.grams(text) for text in texts]
    if limit <= 0 or not any(queries):
        return [[] for _text in texts]
    if connection.vendor == "postgresql":
        best = [
            _best(q, _indexed_candidates(q, None), limit, min_score) if q else [] for q in queries
        ]
    else:
        best = _best_by_postings(queries, _all_candidates(None), limit, min_score)
    ids = {suggestion_id for found in best for _score, suggestion_id in found}
    suggestions = Suggestion.objects.select_related("lead_deputy").in_bulk(ids)
    return [
        [(suggestions[pk], round(score, 4)) for score, pk in found if pk in suggestions]
        for found in best
    ]


def _best(query_grams, candidates, limit: int, min_score: float) -> list[tuple[float, int]]:
    # As similarity.score, without making a set of each candidate's grams (a scan of
    # thousands of entries on SQLite spends its time there): they are distinct already.
    size = len(query_grams)
    scored = []
    for suggestion_id, grams in candidates:
        shared = len(query_grams.intersection(grams.split())) if grams else 0
        if not shared:
            continue
        score = shared / math.sqrt(size * (grams.count(" ") + 1))
        if score > min_score:
            scored.append((score, suggestion_id))
    scored.sort(key=lambda pair: (-pair[0], -pair[1]))
    return scored[:limit]


def _best_by_postings(queries, candidates, limit: int, min_score: float):
    wanted = set().union(*queries)
    postings: dict[str, list[int]] = {}
    sizes, ids = [], []
    for index, (suggestion_id, grams) in enumerate(candidates):
        found = grams.split()
        ids.append(suggestion_id)
        sizes.append(len(found))
        for gram in found:
            if gram in wanted:
                postings.setdefault(gram, []).append(index)
    results = []
    for query in queries:
        shared: dict[int, int] = {}
        for gram in query:
            for index in postings.get(gram, ()):
                shared[index] = shared.get(index, 0) + 1
        scored = []
        for index, count in shared.items():
            score = count / math.sqrt(len(query) * sizes[index])
            if score > min_score:
                scored.append((score, ids[index]))
        scored.sort(key=lambda pair: (-pair[0], -pair[1]))
        results.append(scored[:limit])
    return results


def suggestion_text(suggestion: Suggestion) -> str:
    """The text a suggestion is compared by: its title and its content."""
    return f"{suggestion.title}\n{suggestion.content}"
