"""What the data set holds: the fixed accounts, the sessions, the share of each state, and
which suggestions a run adds to reach the total asked for."""

import random
import uuid
from dataclasses import dataclass, field

from django.conf import settings

from suggestions.models import Suggestion

S = Suggestion.State

PASSWORD = "bench12345"
CLERK = "bench-clerk"
HEAD = "bench-head"
DEPUTY = "bench-deputy"
STAFF = "bench-staff"
OFFICE = [STAFF, "bench-office02"]  # the committee office: staff are reminded too
SEED_USER = "bench-seed"  # inactive; ``created_by`` of every seeded suggestion
DEPUTY_PREFIX = "bench-deputy-"
BENCH_UNIT = "基准测试单位"
BENCH_UNIT_ASSIGNMENTS = 500
BENCH_DEPUTY_SUGGESTIONS = 20
MIN_FIRST_RUN = 600  # enough suggestions with assignments for the bench unit's 500
DOCUMENT = "replies/bench/reply.pdf"
HISTORY_SWEEP = uuid.UUID("b3c0f5d2-7e1a-4c47-9a55-0d6f1e2b8a01")
CHUNK = 10_000

YEARS = 10  # the current session and nine before it
SESSIONS_PER_TERM = 5
CURRENT_SHARE, CURRENT_MIN = 0.02, 150
# The current session: a pipeline, every state. Past sessions: mostly closed.
CURRENT_STATES = {
    S.PROPOSED: 4,
    S.REVIEWED: 4,
    S.NOT_ACCEPTED: 2,
    S.WITHDRAWN: 2,
    S.ASSIGNED: 15,
    S.HANDLED: 10,
    S.SIGNED: 28,
    S.REVISITED: 35,
    S.MERGED: 3,  # merged into a main of the session (并案)
}
PAST_STATES = {
    S.REVISITED: 8833,
    S.NOT_ACCEPTED: 400,
    S.WITHDRAWN: 300,
    S.SIGNED: 450,
    S.HANDLED: 15,
    S.ASSIGNED: 2,
    S.MERGED: 250,
}
STATES = list(S)
WITH_ASSIGNMENTS = {S.ASSIGNED, S.HANDLED, S.SIGNED, S.REVISITED}
STAGE = {S.ASSIGNED: 0, S.HANDLED: 1, S.SIGNED: 2, S.REVISITED: 3}


def allocate(total: int, weights: dict) -> dict:
    """Split ``total`` in proportion to ``weights`` (largest remainder), summing exactly."""
    whole = sum(weights.values())
    exact = {key: total * w / whole for key, w in weights.items()}
    counts = {key: int(x) for key, x in exact.items()}
    rest = sorted(weights, key=lambda key: counts[key] - exact[key])
    for key in rest[: total - sum(counts.values())]:
        counts[key] += 1
    return counts


def current_count(total: int) -> int:
    """How many of ``total`` suggestions belong to the current session."""
    if total <= 0:
        return 0
    return min(total, max(CURRENT_MIN, round(total * CURRENT_SHARE)))


def sessions() -> list[tuple[int, int]]:
    """(term, session) of the current session (index 0) and the nine before it."""
    first = (settings.NPC["CURRENT_TERM"] - 1) * SESSIONS_PER_TERM + settings.NPC["CURRENT_SESSION"]
    found = []
    for k in range(YEARS):
        index = first - 1 - k
        found.append((index // SESSIONS_PER_TERM + 1, index % SESSIONS_PER_TERM + 1))
    return found


def encode(k: int, state: str) -> int:
    return k * len(STATES) + STATES.index(state)


def decode(code: int) -> tuple[int, str]:
    return code // len(STATES), STATES[code % len(STATES)]


def batch_specs(have: int, total: int, rng: random.Random) -> list[int]:
    """The (session, state) of each suggestion to add to reach ``total``, shuffled."""
    current = current_count(total) - current_count(have)
    past = (total - have) - current
    specs = []
    for state, count in allocate(current, CURRENT_STATES).items():
        specs += [encode(0, state)] * count
    for k, count in allocate(past, {k: 1 for k in range(1, YEARS)}).items():
        for state, n in allocate(count, PAST_STATES).items():
            specs += [encode(k, state)] * n
    rng.shuffle(specs)
    return specs


def spread_pick(candidates: list[tuple], wanted: int) -> list[int]:
    """Pick ``wanted`` positions round-robin over the candidates' groups (position, group)."""
    groups: dict = {}
    for position, group in candidates:
        groups.setdefault(group, []).append(position)
    picked = []
    queues = [groups[g] for g in sorted(groups, key=str)]
    while len(picked) < wanted and any(queues):
        for group in queues:
            if group and len(picked) < wanted:
                picked.append(group.pop(0))
    return picked


@dataclass
class Round:
    """One handling round: its reply, sign-offs and what ended it, as day offsets."""

    start: int  # the day the round's deadline runs from (assignment or redo order)
    due: int  # the deadline, approximate (exact dates are computed from the start)
    reply: int | None = None
    classification: str = "A"
    commitments: list[int] = field(default_factory=list)
    signoffs: list[int] = field(default_factory=list)
    ratings: tuple[str, str] = ("", "")
    redo: int | None = None  # the day a redo was ordered (ending this round)
    grounds: str = ""


def cumulative(weights) -> tuple[list[float], float]:
    total, found = 0.0, []
    for weight in weights:
        total += weight
        found.append(total)
    return found, total
