"""The rows of the suggestions and of every record their state implies, as text for COPY."""

import bisect
import datetime
import random
import zoneinfo

from dateutil.relativedelta import relativedelta
from django.conf import settings

from suggestions.models import (
    Assignment,
    Commitment,
    Communication,
    CoOpinion,
    ExtensionRequest,
    KeySuggestion,
    ReassignmentRequest,
    Redo,
    Reply,
    Revisit,
    RevisitOutcome,
    SignOff,
    SimilarityEntry,
    Suggestion,
)

from .cast import Cast
from .copy import CHUNK_MODELS, NULL, Ids
from .merges import MAIN_STATES, Main, write_merged
from .plan import DOCUMENT, STAGE, WITH_ASSIGNMENTS, Round, S, cumulative, sessions
from .tables import (
    CO_OPINIONS,
    COMMITTEES,
    COMMUNICATION_NOTES,
    DEPUTY_OPINIONS,
    EXTENSION_REASON,
    REASSIGN_REASON,
    REDO_REASON,
    REPLY_TEXT,
    REVISIT_NOTES,
    TOPICS,
)
from .texts import Texts


class Generator:
    """Builds the rows of the suggestions, as strings for COPY.

    Days are proleptic ordinals (``date.toordinal()``) while a suggestion is planned;
    each date is turned into text once, through a cache, as are the month additions.
    """

    CO_COUNTS = (0, 1, 2, 3), *cumulative((30, 35, 25, 10))
    CO_UNITS = (0, 1, 2), *cumulative((62, 28, 10))
    CLASSES = "ABCD", *cumulative((45, 35, 12, 8))
    COMMITMENTS = (1, 2), *cumulative((70, 30))
    HANDLED_SIGNOFFS = (0, 1, 2), *cumulative((50, 30, 20))
    OUTCOMES = tuple(RevisitOutcome.Outcome.values), *cumulative((75, 18, 7))
    METHODS = tuple(Communication.Method.values)
    TIMES = [f" {h:02d}:{m:02d}:00" for h in range(8, 18) for m in range(60)]

    def __init__(self, cast: Cast, rng: random.Random, today: datetime.date, numbers: dict):
        self.cast = cast
        self.rng = rng
        self.random = rng.random
        self.today = today.toordinal()
        self.numbers = numbers
        self.sessions = sessions()
        self.tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
        self.iso_cache: dict = {}
        self.offset_cache: dict = {}
        self.months_cache: dict = {}
        # Every table but the similarity entries' (keyed by their suggestion) has ids.
        self.ids = {model: Ids(model) for model in CHUNK_MODELS if model._meta.pk.name == "id"}
        self.texts = Texts(rng)
        self.mains: dict[int, list[Main]] = {}  # session index -> this chunk's mains
        self.merged: list[tuple[int, bool]] = []  # merged suggestions to write at its end
        self.signed: list = []  # the lead deputy's sign-offs of the last suggestion
        self.rows: dict = {model: [] for model in CHUNK_MODELS}
        self.seed_id = str(cast.seed)
        self.staff_id = str(cast.staff)
        self.redo_months = settings.NPC["REDO_MONTHS"]
        self.co_months = settings.NPC["CO_OPINION_MONTHS"]
        self.max_months = settings.NPC["MAX_EXTENSION_MONTHS"]

    # Helpers.

    def between(self, low: int, high: int) -> int:
        return low + int(self.random() * (high - low + 1))

    def pick(self, table):
        items, cumulative, total = table
        return items[bisect.bisect(cumulative, self.random() * total)]

    def choice(self, items):
        return items[int(self.random() * len(items))]

    def iso(self, day: int) -> str:
        text = self.iso_cache.get(day)
        if text is None:
            text = self.iso_cache[day] = datetime.date.fromordinal(day).isoformat()
        return text

    def stamp(self, day: int) -> str:
        """A moment in office hours of the day, with the zone's offset then."""
        offset = self.offset_cache.get(day)
        if offset is None:
            noon = datetime.datetime.combine(
                datetime.date.fromordinal(day), datetime.time(12), tzinfo=self.tz
            )
            offset = self.offset_cache[day] = noon.isoformat()[-6:]
        return self.iso(day) + self.TIMES[int(self.random() * len(self.TIMES))] + offset

    def plus_months(self, day: int, months: int) -> int:
        key = (day, months)
        found = self.months_cache.get(key)
        if found is None:
            shifted = datetime.date.fromordinal(day) + relativedelta(months=months)
            found = self.months_cache[key] = shifted.toordinal()
        return found

    def take(self, model) -> str:
        return next(self.ids[model].text)

    def chunk(self) -> list[tuple]:
        """The rows built since the last call, per model, parents first."""
        merged, self.merged = self.merged, []
        for k, bench_deputy in merged:
            if not write_merged(self, k, bench_deputy):
                # No main in the chunk's session (only in tiny chunks): another state.
                self.suggestion(k, S.WITHDRAWN, "", bench_deputy)
        self.mains = {}
        found = [(model, self.rows[model]) for model in CHUNK_MODELS if self.rows[model]]
        self.rows = {model: [] for model in CHUNK_MODELS}
        return found

    def sync(self) -> None:
        for ids in self.ids.values():
            ids.sync()

    def number(self, k: int) -> str:
        key = self.sessions[k]
        self.numbers[key] = self.numbers.get(key, 0) + 1
        return str(self.numbers[key])

    # One suggestion.

    def suggestion(self, k: int, state: str, bench_role: str = "", bench_deputy=False) -> None:
        if state == S.MERGED:
            self.merged.append((k, bench_deputy))  # at the chunk's end, see merges.py
            return
        term, session = self.sessions[k]
        if bench_deputy:
            lead_id, lead_user = self.cast.bench_deputy
            pool = self.cast.deputies[self.cast.bench_deputy_term]
        else:
            pool = self.cast.deputies[term]
            lead_id, lead_user = self.choice(pool)
        matter, again = self.texts.matter(k)
        category, topic, _problem, action = TOPICS[matter[0]]
        pk = self.take(Suggestion)
        self.signed, assigned = [], None
        if state in WITH_ASSIGNMENTS:
            raised, number, round_, complex_, assigned = self._handling(
                pk, k, state, bench_role, str(lead_user), topic, action, str(lead_id)
            )
        else:
            raised, number = self._unassigned(k, state)
            round_, complex_ = "0", "f"
        variant = 1 if again else 0
        title, content = self.texts.wording(matter, variant)
        created = self.stamp(raised)
        self.rows[Suggestion].append(
            (pk, str(term), str(session), number, title, content, category,
             f"{matter[1]}代表团", str(lead_id), self.iso(raised), state, round_, complex_,
             NULL, "", created, self.seed_id)
        )  # fmt: skip
        self.co_deputies(pk, pool, lead_id)
        # 多年提 for a matter raised again; 多位代表提 is set when one is merged into it.
        entry = [pk, self.texts.grams(matter, variant, title, content), "t" if again else "f",
                 "f", created]  # fmt: skip
        self.rows[SimilarityEntry].append(entry)
        if state in MAIN_STATES:
            self.mains.setdefault(k, []).append(
                Main(pk, state, raised, assigned, matter, entry, [lead_id], self.signed)
            )

    def co_deputies(self, pk: str, pool: list, lead_id) -> None:
        co_count = self.pick(self.CO_COUNTS)
        if co_count:
            through = Suggestion.co_deputies.through
            for deputy_id, _user_id in self.rng.sample(pool, min(co_count + 1, len(pool))):
                if deputy_id != lead_id and co_count:
                    co_count -= 1
                    self.rows[through].append((self.take(through), pk, str(deputy_id)))

    def _window(self, k: int) -> tuple[int, int]:
        """Days before today the cohort was raised in: the last year for the current one."""
        return 365 * k, 365 * k + 364

    def _unassigned(self, k: int, state: str) -> tuple[int, str]:
        today = self.today
        if state == S.PROPOSED:
            return today - self.between(0, 20), ""
        if state == S.REVIEWED:
            return today - self.between(3, 40), self.number(k)
        low, high = self._window(k)
        raised = today - self.between(max(low, 5), high)
        if state == S.WITHDRAWN and self.random() < 0.5:
            return raised, self.number(k)  # withdrawn after review: it had its number
        return raised, ""

    def _plan(self, k: int, state: str, min_co: int = 0) -> tuple[dict, list[Round]]:
        """Day offsets (assignment = day 0) of everything that happened, and the anchor."""
        between, random_ = self.between, self.random
        stage = STAGE[state]
        co = max(min_co, self.pick(self.CO_UNITS))
        p = {"complex": random_() < 0.1, "co": co, "raised": -between(8, 30)}
        lead_start = 0
        if random_() < 0.04:
            asked = between(1, 8)
            lead_start = asked + between(0, 2)
            p["reassign"] = (asked, lead_start)
        p["lead_start"] = lead_start
        months = 182 if p["complex"] else 91
        first = Round(start=lead_start, due=lead_start + months)
        if not p["complex"] and random_() < (0.06 if k == 0 else 0.03):
            asked = lead_start + between(20, 60)
            first.due = min(lead_start + 182, first.due + between(20, 60))
            p["extension"] = (asked, asked + between(1, 5))
        rounds = [first]
        redo = random_() < (0.08 if state == S.ASSIGNED else 0.05)
        if redo:
            self._reply(first, dissatisfied=True)
            signed = first.signoffs[-1] if first.signoffs else first.reply
            first.redo = signed + between(2, 10)
            rounds.append(Round(start=first.redo, due=first.redo + 30))
        last = rounds[-1]
        if stage >= 1:
            self._reply(last)
            wanted = 3 if stage >= 2 else self.pick(self.HANDLED_SIGNOFFS)
            last.signoffs = last.signoffs[:wanted]
        if "extension" in p and first.reply is not None and p["extension"][1] >= first.reply:
            del p["extension"]  # replied before it would have been asked
            first.due = lead_start + months
        # Communications: before the reply of each round, after the last one once signed.
        p["communications"] = communications = []
        for number, r in enumerate(rounds, 1):
            end = r.reply if r.reply is not None else r.start + 60
            before = r.start + between(2, max(2, min(20, end - r.start - 1)))
            communications.append((number, Communication.Stage.BEFORE, before))
            if r.reply is not None and random_() < 0.3 and r.reply - before > 2:
                during = between(before + 1, r.reply - 1)
                communications.append((number, Communication.Stage.DURING, during))
        if stage >= 2:
            communications.append(
                (len(rounds), Communication.Stage.AFTER, last.reply + between(1, 10))
            )
        # A reply needs every co-unit's opinion; while handling, some are still owed.
        replied = first.reply is not None
        first_reply = first.reply if replied else lead_start + 60
        # About one in ten is late (the co-unit's month is past), when the reply waited.
        p["opinions"] = [
            min(between(32, 60) if random_() < 0.1 else between(5, 28), first_reply - 1)
            if replied or random_() < 0.85
            else None
            for _ in range(co)
        ]
        if stage >= 3:
            c = last.commitments
            base = max([*c, last.signoffs[-1]])
            p["revisit"] = base + (between(0, 30) if c else between(20, 120))
        if random_() < 0.005:
            p["key"] = lead_start + between(0, 20)
        # The event the current session's state is placed by, and the range it falls in.
        if k == 0:
            if state == S.ASSIGNED:
                p["anchor"] = (first.redo, (1, 40)) if redo else (lead_start, (2, 100))
            elif state == S.HANDLED:
                p["anchor"] = (last.reply, (1, 60))
            elif state == S.SIGNED:
                p["anchor"] = (last.signoffs[-1], (1, 250))
            else:
                p["anchor"] = (p["revisit"], (1, 250))
        return p, rounds

    def _reply(self, r: Round, dissatisfied: bool = False) -> None:
        """Fill a round's reply, commitments and sign-offs (all three; callers cut)."""
        between, random_ = self.between, self.random
        length = r.due - r.start
        if random_() < 0.85:
            r.reply = r.start + between(min(20, length // 3), length - 2)
        else:
            r.reply = r.due + between(1, 45)
        r.classification = self.choice("BCD") if dissatisfied else self.pick(self.CLASSES)
        if r.classification in "BC":
            r.commitments = [r.reply + between(30, 400) for _ in range(self.pick(self.COMMITMENTS))]
        deputy = r.reply + between(2, 25)
        head = deputy + between(1, 6)
        r.signoffs = [deputy, head, head + between(1, 6)]
        rating = (
            SignOff.Rating.SATISFIED if random_() < 0.72 else SignOff.Rating.BASICALLY_SATISFIED
        )
        r.ratings = (rating, rating if random_() < 0.8 else SignOff.Rating.SATISFIED)
        if dissatisfied:
            if random_() < 0.3:
                r.grounds = Redo.Grounds.NONCONFORMING
                r.signoffs = []
            else:
                r.grounds = Redo.Grounds.DISSATISFIED
                r.ratings = (SignOff.Rating.BASICALLY_SATISFIED, SignOff.Rating.DISSATISFIED)
                r.signoffs = r.signoffs[: self.choice((1, 1, 3))]
        elif random_() < 0.04:
            r.ratings = (r.ratings[0], SignOff.Rating.DISSATISFIED)

    def _handling(self, pk, k, state, bench_role, lead_user, topic, action, lead_deputy):
        """Write the assignments and every record of the handling; return the suggestion's
        raised day, number, round and complex flag."""
        between, random_, rows, take = self.between, self.random, self.rows, self.take
        iso, stamp, today = self.iso, self.stamp, self.today
        p, rounds = self._plan(k, state, min_co=1 if bench_role == "co" else 0)
        # Place the timeline: the current session by its state's anchor, a past one in
        # its year; nothing may have happened after yesterday.
        if "anchor" in p:
            offset, (near, far) = p["anchor"]
            day0 = today - between(near, far) - offset
        else:
            low, high = self._window(k)
            day0 = today - between(low, high) - p["raised"]
            done = [o for r in rounds for o in (r.reply, r.redo, *r.signoffs) if o is not None]
            latest = day0 + max([*done, p.get("revisit", 0)])
            if latest >= today:
                day0 -= latest - today + 1
        raised = day0 + p["raised"]
        number = self.number(k)
        units = self.cast.units
        lead, *cos = self.rng.sample(units, 1 + p["co"])
        if bench_role == "lead":
            lead = self.cast.bench_unit
        elif bench_role == "co":
            cos = [self.cast.bench_unit, *cos[1:]] if cos else [self.cast.bench_unit]
        staff = self.staff_id
        assigned_on = day0
        # The lead unit's assignment (after a reassignment, the second unit's).
        lead_start = day0 + p["lead_start"]
        if "reassign" in p:
            first_lead = self.choice([u for u in units if u is not lead] or units)
            asked, decided = p["reassign"]
            old = take(Assignment)
            due = iso(self.plus_months(assigned_on, 3))
            rows[Assignment].append(
                (old, pk, first_lead.id, Assignment.Role.LEAD, iso(assigned_on), due, due,
                 _basis("statutory", iso(assigned_on), 3), iso(day0 + decided),
                 Assignment.CloseReason.REASSIGNED, stamp(assigned_on), NULL)
            )  # fmt: skip
            rows[ReassignmentRequest].append(
                (take(ReassignmentRequest), REASSIGN_REASON, first_lead.clerk,
                 stamp(day0 + asked), "approved", staff, stamp(day0 + decided), old)
            )  # fmt: skip
        months = 6 if p["complex"] else 3
        statutory = self.plus_months(lead_start, months)
        basis = _basis("complex" if p["complex"] else "statutory", iso(lead_start), months)
        due, complex_ = statutory, p["complex"]
        first = rounds[0]
        extension = p.get("extension")
        if extension and day0 + extension[0] > today:
            extension = None  # not asked yet
        pending = (
            extension
            and state == S.ASSIGNED
            and (day0 + extension[1] > today or (k == 0 and random_() < 0.2))
        )
        if extension and not pending:
            until = min(day0 + first.due, self.plus_months(lead_start, self.max_months))
            if until > statutory:
                basis = (
                    f'{{"rule": "extension", "from": "{iso(day0 + extension[1])}", '
                    f'"previous": "{iso(statutory)}"}}'
                )
                due, complex_ = until, True
        round_dues = [due]
        if len(rounds) > 1:
            ordered = day0 + first.redo
            due = self.plus_months(ordered, self.redo_months)
            basis = _basis("redo", iso(ordered), self.redo_months)
            round_dues.append(due)
        lead_id = take(Assignment)
        rows[Assignment].append(
            (lead_id, pk, lead.id, Assignment.Role.LEAD, iso(lead_start), iso(due),
             iso(statutory), basis, NULL, "", stamp(lead_start), NULL)
        )  # fmt: skip
        if extension:
            asked, decided = extension
            until = max(day0 + first.due, statutory + 1)
            rows[ExtensionRequest].append(
                (take(ExtensionRequest), EXTENSION_REASON, lead.clerk, stamp(day0 + asked),
                 "pending" if pending else "approved", NULL if pending else staff,
                 NULL if pending else stamp(day0 + decided), lead_id, iso(until))
            )  # fmt: skip
        if cos:
            co_due = iso(self.plus_months(assigned_on, self.co_months))
            co_basis = _basis("co_opinion", iso(assigned_on), self.co_months)
            for unit, opinion in zip(cos, p["opinions"], strict=False):
                co_id = take(Assignment)
                rows[Assignment].append(
                    (co_id, pk, unit.id, Assignment.Role.CO, iso(assigned_on), co_due, co_due,
                     co_basis, NULL, "", stamp(assigned_on), NULL)
                )  # fmt: skip
                if opinion is not None and day0 + opinion <= today:
                    rows[CoOpinion].append(
                        (take(CoOpinion), co_id, self.choice(CO_OPINIONS), unit.clerk,
                         stamp(day0 + opinion))
                    )  # fmt: skip
        for round_, stage, offset in p["communications"]:
            if day0 + offset <= today:
                rows[Communication].append(
                    (take(Communication), lead_id, str(round_), stage, self.choice(self.METHODS),
                     iso(day0 + offset), self.choice(COMMUNICATION_NOTES), lead.clerk,
                     stamp(day0 + offset))
                )  # fmt: skip
        reply_id = None
        commitments = []
        signers = (
            (SignOff.Level.DEPUTY, lead_user),
            (SignOff.Level.UNIT_HEAD, lead.head),
            (SignOff.Level.LEADER, lead.leader),
        )
        for number_, (r, round_due) in enumerate(zip(rounds, round_dues, strict=True), 1):
            if r.reply is None:
                break
            replied = day0 + r.reply
            reply_id = take(Reply)
            rows[Reply].append(
                (reply_id, pk, lead_id, str(number_), r.classification,
                 REPLY_TEXT[r.classification].format(topic=topic, action=action), DOCUMENT,
                 iso(round_due), "t" if replied <= round_due else "f", lead.clerk,
                 stamp(replied))
            )  # fmt: skip
            commitments = []
            for offset in r.commitments:
                commitment_id = take(Commitment)
                commitments.append(commitment_id)
                rows[Commitment].append(
                    (commitment_id, reply_id, f"{action}，按期完成。", iso(day0 + offset))
                )
            for (level, user), offset in zip(signers, r.signoffs, strict=False):
                if day0 + offset >= today:
                    break
                work, result = r.ratings if level == SignOff.Level.DEPUTY else ("", "")
                if work:
                    self.signed.append((reply_id, str(number_), day0 + offset, r.ratings))
                rows[SignOff].append(
                    (take(SignOff), pk, reply_id, str(number_), level, user,
                     stamp(day0 + offset), DEPUTY_OPINIONS[result] if work else "同意。",
                     work, result, lead_deputy if work else NULL, iso(day0 + offset), user,
                     NULL, NULL, "")
                )  # fmt: skip
            if r.redo is not None:
                rows[Redo].append(
                    (take(Redo), pk, lead.id, str(number_ + 1), r.grounds,
                     REDO_REASON[r.grounds], iso(round_dues[number_]), staff,
                     stamp(day0 + r.redo))
                )  # fmt: skip
        if state == S.REVISITED:
            revisit_id = take(Revisit)
            rows[Revisit].append(
                (
                    revisit_id,
                    pk,
                    reply_id,
                    REVISIT_NOTES,
                    staff,
                    stamp(day0 + p["revisit"]),
                    NULL,
                    "",
                    Revisit.Decision.CLOSE,
                )
            )
            for commitment_id in commitments:
                rows[RevisitOutcome].append(
                    (take(RevisitOutcome), revisit_id, commitment_id, self.pick(self.OUTCOMES))
                )
        if "key" in p and day0 + p["key"] < today:
            chosen = day0 + p["key"]
            rows[KeySuggestion].append(
                (take(KeySuggestion), pk, iso(chosen)[:4], lead.leader,
                 self.choice(COMMITTEES), iso(chosen), self.staff_id)
            )  # fmt: skip
        return raised, number, str(len(rounds)), "t" if complex_ else "f", assigned_on


def _basis(rule: str, start: str, months: int) -> str:
    """How a deadline was computed (``Assignment.due_basis``), as JSON."""
    return f'{{"rule": "{rule}", "from": "{start}", "months": {months}}}'
