"""Merged suggestions (并案): each joins a main suggestion of its own term and session.

A merged suggestion raises its main's matter in other words, by another deputy, and was
merged before the main was assigned: its ``raised_on`` is before the main's assignment
and its ``state_before_merge`` is proposed or reviewed (with a number once reviewed).
Mains are the chunk's suggestions that were never withdrawn or refused: proposed or
reviewed ones of the current session, and ones assigned since, in any later state. Once
the main was replied to, each merged suggestion's lead deputy signs with the main's (the
deputy level counts once every lead deputy of the group signed), the same day.

The merged suggestions of a chunk are written at its end (``Generator.chunk``), when
their session's mains are known; mains are taken from the same chunk only, so every
reference stays inside a chunk (see ``bench.data``).
"""

from dataclasses import dataclass, field

from suggestions.models import SignOff, SimilarityEntry, Suggestion

from .copy import NULL
from .plan import S
from .tables import DEPUTY_OPINIONS, TOPICS

# The states a suggestion may be a main in (merging is refused into withdrawn, refused
# and merged ones).
MAIN_STATES = {S.PROPOSED, S.REVIEWED, S.ASSIGNED, S.HANDLED, S.SIGNED, S.REVISITED}


@dataclass
class Main:
    """A suggestion others may be merged into, as generated."""

    pk: str
    state: str
    raised: int  # day ordinals
    assigned: int | None
    matter: tuple
    entry: list  # its SimilarityEntry row
    deputies: list  # the group's lead deputies
    # (reply id, round, day, ratings) of each sign-off of its lead deputy
    signoffs: list = field(default_factory=list)


def write_merged(generator, k: int, bench_deputy: bool) -> bool:
    """Write one merged suggestion of session ``k``; False when no main fits."""
    mains = generator.mains.get(k)
    if not mains:
        return False
    term, session = generator.sessions[k]
    cast, choice = generator.cast, generator.choice
    if bench_deputy:
        lead_id, lead_user = cast.bench_deputy
        pool = cast.deputies[cast.bench_deputy_term]
    else:
        pool = cast.deputies[term]
        lead_id, lead_user = choice(pool)
    for _attempt in range(20):
        main = choice(mains)
        if lead_id not in main.deputies:
            break
        if not bench_deputy:
            lead_id, lead_user = choice(pool)
    else:
        return False
    between, iso, stamp, take = generator.between, generator.iso, generator.stamp, generator.take
    latest = generator.today if main.assigned is None else main.assigned - 1
    raised = min(main.raised + between(-20, 10), latest)
    before = S.PROPOSED if main.state == S.PROPOSED or generator.random() < 0.3 else S.REVIEWED
    number = generator.number(k) if before == S.REVIEWED else ""
    title, content = generator.texts.wording(main.matter, 1)
    category = TOPICS[main.matter[0]][0]
    pk = take(Suggestion)
    created = stamp(raised)
    generator.rows[Suggestion].append(
        (pk, str(term), str(session), number, title, content, category,
         f"{main.matter[1]}代表团", str(lead_id), iso(raised), S.MERGED, "0", "f", main.pk,
         before, created, generator.seed_id)
    )  # fmt: skip
    generator.co_deputies(pk, pool, lead_id)
    for reply_id, round_, day, (work, result) in main.signoffs:
        user = str(lead_user)
        generator.rows[SignOff].append(
            (take(SignOff), main.pk, reply_id, round_, SignOff.Level.DEPUTY, user, stamp(day),
             DEPUTY_OPINIONS[result], work, result, str(lead_id), iso(day), user, NULL, NULL,
             "")
        )  # fmt: skip
    grams = generator.texts.grams(main.matter, 1, title, content)
    # 多位代表提: the main and every suggestion merged into it.
    main.entry[3] = "t"
    generator.rows[SimilarityEntry].append([pk, grams, main.entry[2], "t", created])
    main.deputies.append(lead_id)
    return True
