"""The handling record's three signatures as the pages show them: who has signed in this
round, who signs next, and each signer's queue ("waiting for my signature").

The order is the ``SignOff.Level`` declaration's: the lead deputy, the lead unit's head,
its supervising leader. A list page reads the current round's sign-offs of its rows in one
query (``attach_current_signoffs``) and derives the rest without a query.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import CharField, Exists, IntegerField, OuterRef, Q, Value
from django.utils import translation
from django.utils.translation import pgettext_lazy

from ..models import Assignment, SignOff, Suggestion

ORDER = list(SignOff.Level)
# Short words for a line of three: 代表 ✔ 满意/基本满意 · 主要领导 ✔ · 分管领导 …
SHORT = {
    SignOff.Level.DEPUTY: pgettext_lazy("sign-off level", "Deputy"),
    SignOff.Level.UNIT_HEAD: pgettext_lazy("sign-off level", "Head"),
    SignOff.Level.LEADER: pgettext_lazy("sign-off level", "Leader"),
}
# The states in which the current round's record is being signed or was signed.
SHOWN_IN = (Suggestion.State.HANDLED, Suggestion.State.SIGNED)
SIGNED_MARK = "✔"
NEXT_MARK = "…"


@dataclass(frozen=True)
class Signed:
    """What the line shows of one sign-off."""

    level: str
    round: int
    work_rating: str
    result_rating: str
    deputy_id: int | None = None

    @property
    def is_dissatisfied(self) -> bool:
        return SignOff.Rating.DISSATISFIED in (self.work_rating, self.result_rating)


# The rows of the suggestions merged into a page's rows, read in the sign-offs' query.
GROUP_ROW = "group"


def attach_current_signoffs(suggestions: Iterable[Suggestion]) -> None:
    """Give each replied or signed suggestion its current round's sign-offs, as
    ``current_signoffs``, and its group's lead deputies (``group_lead_deputy_ids``, read
    by the deputy level): one query for a whole page of rows, none when no row is replied
    or signed. (Django's ``prefetch_related`` did the same in 3 ms more CPU a page:
    docs/performance.md, "Signers' queues".) The lead deputies of the suggestions merged
    into the rows come in the same query, as rows of their own (``GROUP_ROW``)."""
    shown: dict[int, list[Suggestion]] = {}
    for suggestion in suggestions:
        if suggestion.state in SHOWN_IN:
            suggestion.current_signoffs = []
            suggestion.__dict__["_npc_group"] = [suggestion.lead_deputy_id]
            shown.setdefault(suggestion.pk, []).append(suggestion)
    if not shown:
        return
    fields = ("suggestion_id", "round", "level", "work_rating", "result_rating", "deputy_id")
    signoffs = SignOff.objects.filter(suggestion_id__in=shown).order_by().values_list(*fields)
    merged = (
        Suggestion.objects.filter(merged_into_id__in=shown, state=Suggestion.State.MERGED)
        .order_by()
        .annotate(
            _round=Value(0, output_field=IntegerField()),
            _level=Value(GROUP_ROW, output_field=CharField()),
            _work=Value("", output_field=CharField()),
            _result=Value("", output_field=CharField()),
        )
        .values_list("merged_into_id", "_round", "_level", "_work", "_result", "lead_deputy_id")
    )
    group_rows = []
    for suggestion_id, round_, level, work, result, deputy_id in signoffs.union(merged, all=True):
        if level == GROUP_ROW:
            group_rows.append((suggestion_id, deputy_id))
            continue
        for suggestion in shown[suggestion_id]:
            if round_ == suggestion.round:
                suggestion.current_signoffs.append(Signed(level, round_, work, result, deputy_id))
    # In the order ``Suggestion.group_lead_deputy_ids`` gives them: by the merged one's id.
    for suggestion_id, deputy_id in sorted(group_rows):
        for suggestion in shown[suggestion_id]:
            group = suggestion.__dict__["_npc_group"]
            if deputy_id not in group:
                group.append(deputy_id)


_WORDS: dict[str, tuple[dict, dict]] = {}


def _words() -> tuple[dict, dict]:
    """The levels' short words and the ratings' labels in the active language (each line of
    a list page would otherwise translate them again)."""
    language = translation.get_language()
    if language not in _WORDS:
        _WORDS[language] = (
            {level: str(word) for level, word in SHORT.items()},
            {value: str(label) for value, label in SignOff.Rating.choices},
        )
    return _WORDS[language]


def next_level(signed) -> str | None:
    """The level that signs next, given the levels signed this round (None: all signed)."""
    return next((level for level in ORDER if level not in signed), None)


@dataclass(frozen=True)
class Step:
    """One signature of the line: signed, the next to sign, or later."""

    level: str
    text: str
    signed: bool
    is_next: bool
    dissatisfied: bool = False


def signoff_steps(suggestion: Suggestion, signoffs=None) -> list[Step]:
    """The line of three signatures of ``suggestion``'s current round (empty before a reply
    and after the revisit). ``signoffs``: that round's sign-offs, when the caller has them
    (else ``suggestion.current_signoffs``, attached to a page's rows, or one query).

    A merged group's deputy level is signed once every lead deputy of the group has
    signed; until then it says how many have (代表 1/2 …)."""
    if suggestion.state not in SHOWN_IN:
        return []
    if signoffs is None:
        signoffs = getattr(suggestion, "current_signoffs", None)
    if signoffs is None:
        signoffs = list(suggestion.signoffs.filter(round=suggestion.round))
    current = [s for s in signoffs if s.round == suggestion.round]
    group = suggestion.group_lead_deputy_ids()
    deputies = [s for s in current if s.level == SignOff.Level.DEPUTY]
    by_level = {s.level: s for s in current if s.level != SignOff.Level.DEPUTY}
    # The deputy level is complete as the model says (every lead deputy of the group).
    if SignOff.Level.DEPUTY in suggestion.levels_signed([(s.level, s.deputy_id) for s in current]):
        by_level[SignOff.Level.DEPUTY] = deputies[0]
    upcoming = next_level(by_level)
    short, ratings = _words()
    steps = []
    for level in ORDER:
        signoff = by_level.get(level)
        text = short[level]
        if signoff is not None:
            text = f"{text} {SIGNED_MARK}"
        if level == SignOff.Level.DEPUTY and len(group) > 1:
            count = len({s.deputy_id for s in deputies} & set(group))
            text = f"{text} {count}/{len(group)}"
        elif level == SignOff.Level.DEPUTY and signoff is not None and signoff.work_rating:
            text += f" {ratings[signoff.work_rating]}/{ratings[signoff.result_rating]}"
        if signoff is None and level == upcoming:
            text = f"{text} {NEXT_MARK}"
        steps.append(
            Step(
                level=level,
                text=text,
                signed=signoff is not None,
                is_next=level == upcoming,
                dissatisfied=any(s.is_dissatisfied for s in deputies)
                if level == SignOff.Level.DEPUTY
                else signoff is not None and signoff.is_dissatisfied,
            )
        )
    return steps


def _signed(level: str) -> Exists:
    """The row's suggestion has ``level``'s sign-off in its current round."""
    return Exists(
        SignOff.objects.filter(
            suggestion=OuterRef("suggestion"), round=OuterRef("suggestion__round"), level=level
        )
    )


def _deputies_signed() -> Exists:
    """Every lead deputy of the row's suggestion (and of those merged into it) has signed
    in its current round."""
    unsigned = Suggestion.objects.filter(
        Q(pk=OuterRef("suggestion")) | Q(merged_into=OuterRef("suggestion"), state="merged")
    ).exclude(
        Exists(
            SignOff.objects.filter(
                suggestion=OuterRef(OuterRef("suggestion")),
                round=OuterRef(OuterRef("suggestion__round")),
                level=SignOff.Level.DEPUTY,
                deputy=OuterRef("lead_deputy"),
            )
        )
    )
    return ~Exists(unsigned)


def signature_waiting_at(level: str) -> Q:
    """On assignments: the row's suggestion's record waits for ``level``'s signature in
    its current round (``next_level`` as a condition): the deputies' until every lead
    deputy of the group has signed; the head's once they have and no head has; the
    leader's once the head has signed and no leader has. (The row's suggestion being
    replied and the assignment its open lead one are the caller's conditions.) The
    dashboard counts each level by it; ``waiting_for_signature`` is made of it."""
    if level == SignOff.Level.DEPUTY:
        return ~Q(_deputies_signed())
    if level == SignOff.Level.UNIT_HEAD:
        return Q(_deputies_signed()) & ~Q(_signed(SignOff.Level.UNIT_HEAD))
    return Q(_signed(SignOff.Level.UNIT_HEAD)) & ~Q(_signed(SignOff.Level.LEADER))


def waiting_for_signature(*, head_unit_ids, leader_unit_ids) -> Q:
    """The open lead assignments of replied suggestions whose record waits for this user's
    signature: as a head of the unit once the deputy signed this round and no head has;
    as its supervising leader once the head signed and the leader has not."""
    if not head_unit_ids and not leader_unit_ids:
        return Q(pk__in=[])
    replied = Q(
        closed_on__isnull=True,
        role=Assignment.Role.LEAD,
        suggestion__state=Suggestion.State.HANDLED,
    )
    head = Q(unit_id__in=head_unit_ids) & signature_waiting_at(SignOff.Level.UNIT_HEAD)
    leader = Q(unit_id__in=leader_unit_ids) & signature_waiting_at(SignOff.Level.LEADER)
    return replied & (head | leader)
