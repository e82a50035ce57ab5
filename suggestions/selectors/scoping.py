"""Who sees which objects: one scoping queryset per role, built on the unit policy.

Views fetch through these (``get_object_or_404(assignments_visible_to(user=...), pk=...)``)
so that another unit's or another deputy's object is a 404, never its data.
"""

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, QuerySet

from .. import permissions
from ..models import (
    Assignment,
    KeySuggestion,
    PaperSubmission,
    Reply,
    Suggestion,
    UnitMembership,
)


def task_unit_ids(user) -> list[int]:
    """The units whose tasks the user's task pages show: as a member, or as their
    supervising leader (one query; empty for anyone else)."""
    return permissions.units.unit_ids(user, "sees")


@dataclass(frozen=True)
class TaskUnits:
    """The units a user's task pages show (``ids``), and those among them the user signs
    for: as a head (``head_ids``) or as the supervising leader (``leader_ids``);
    ``leads_key``: the user leads a key suggestion (their list has a tab for them);
    ``member_ids``: those the user is a member of (clerk or head)."""

    ids: list[int]
    head_ids: list[int]
    leader_ids: list[int]
    leads_key: bool = False
    member_ids: list[int] = field(default_factory=list)

    @property
    def signs(self) -> bool:
        return bool(self.head_ids or self.leader_ids)

    def relations(self, unit_id: int) -> frozenset[str]:
        """The user's relations to a unit, as ``permissions.units.relations`` reads them
        (the same conditions, from this one query)."""
        found = {
            "member": unit_id in self.member_ids,
            "head": unit_id in self.head_ids,
            "leader": unit_id in self.leader_ids,
            "sees": unit_id in self.ids,
        }
        return frozenset(relation for relation, has in found.items() if has)


def task_units(user) -> TaskUnits:
    """``task_unit_ids`` with the user's signing relations, in the same one query: the
    units the user sees, each with its memberships (the join the filter made), and whether
    the user leads a key suggestion (a subquery of the same query)."""
    if not (user.is_authenticated and user.is_active):
        return TaskUnits([], [], [])
    rows = (
        permissions.units.units(user, "sees")
        .order_by()
        .annotate(leads_key=Exists(KeySuggestion.objects.filter(leader=user.pk)))
        .values_list("pk", "leader_id", "memberships__user_id", "memberships__is_head", "leads_key")
    )
    ids, members, heads, leads, leads_key = set(), set(), set(), set(), False
    for pk, leader_id, member_id, is_head, key in rows:
        ids.add(pk)
        leads_key = leads_key or key
        if leader_id == user.pk:
            leads.add(pk)
        if member_id == user.pk:
            members.add(pk)
            if is_head:
                heads.add(pk)
    return TaskUnits(sorted(ids), sorted(heads), sorted(leads), leads_key, sorted(members))


def is_task_user(user) -> bool:
    """A member of a handling unit or a supervising leader: one query."""
    return bool(task_unit_ids(user))


def unit_member_ids(unit_ids, *, heads_only: bool = False) -> dict[int, set[int]]:
    """The active members (or heads) of each unit, by unit id, in one query."""
    members: dict[int, set[int]] = {}
    qs = UnitMembership.objects.filter(unit_id__in=set(unit_ids), user__is_active=True)
    if heads_only:
        qs = qs.filter(is_head=True)
    for unit_id, user_id in qs.values_list("unit_id", "user_id"):
        members.setdefault(unit_id, set()).add(user_id)
    return members


def assignments_visible_to(*, user, unit_ids: list[int] | None = None) -> QuerySet[Assignment]:
    """The assignments of the units the user sees (``permissions.units``, "sees").

    ``unit_ids``, when the caller has them from ``task_unit_ids``, saves their query.
    """
    qs = Assignment.objects.select_related(
        "suggestion", "suggestion__lead_deputy", "unit", "handler"
    )
    if not user.is_authenticated:
        return qs.none()
    if unit_ids is None:
        if permissions.is_committee_staff(user):
            return qs
        unit_ids = task_unit_ids(user)
    return qs.filter(unit_id__in=unit_ids)


def suggestions_visible_to_deputy(*, user) -> QuerySet[Suggestion]:
    """The suggestions a deputy led or co-signed, and the main suggestions those were
    merged into (并案: the main one's handling answers them)."""
    deputy = getattr(user, "deputy", None) if user.is_authenticated else None
    if deputy is None:
        return Suggestion.objects.none()
    # Index lookups joined by UNION: "lead OR co-signer" across the join would read
    # every suggestion and every co-signature (seconds at a million suggestions).
    led = Suggestion.objects.filter(lead_deputy=deputy).order_by().values("pk")
    through = Suggestion.co_deputies.through.objects.filter(deputy=deputy)
    co_signed = through.values("suggestion_id")
    merged = Suggestion.objects.filter(merged_into__isnull=False).order_by()
    led_mains = merged.filter(lead_deputy=deputy).values("merged_into_id")
    co_signed_mains = merged.filter(pk__in=through.values("suggestion_id")).values("merged_into_id")
    return Suggestion.objects.filter(
        pk__in=led.union(co_signed, led_mains, co_signed_mains, all=True)
    )


def replies_visible_to(*, user) -> QuerySet[Reply]:
    """Replies whose suggestion the user may see: given to a unit the user sees while that
    unit had it (a unit relieved by a reassignment keeps what came before, not after), or
    led or co-signed by the user as a deputy; staff see all."""
    qs = Reply.objects.all()
    if not (user.is_authenticated and user.is_active):
        return qs.none()
    if permissions.is_committee_staff(user):
        return qs
    held = Assignment.objects.filter(
        Q(closed_on__isnull=True) | Q(closed_on__gte=OuterRef("submitted_at__date")),
        suggestion=OuterRef("suggestion"),
        unit__in=permissions.units.units(user, "sees"),
    )
    deputy = getattr(user, "deputy", None)
    if deputy is None:
        return qs.filter(Exists(held))
    # A deputy's replies: of the suggestions they may see on their status pages (those of
    # the main suggestions theirs were merged into too).
    mine = suggestions_visible_to_deputy(user=user).values("pk")
    return qs.filter(Exists(held) | Q(suggestion__in=mine))


def paper_submissions_visible_to(*, user) -> QuerySet[PaperSubmission]:
    """The uploaded paper records (and their scans) a user may open: the committee office
    all, a unit's members and supervising leader those their unit uploaded."""
    qs = PaperSubmission.objects.select_related("assignment__suggestion", "assignment__unit")
    if not (user.is_authenticated and user.is_active):
        return qs.none()
    if permissions.is_committee_staff(user):
        return qs
    return qs.filter(assignment__unit__in=permissions.units.units(user, "sees"))
