"""What each user may see of the stations: the keepers their stations, the deputies the
opinions forwarded to them, the units the opinions referred to them, the office all.
Every page and export fetches through these, so another station's id is a 404."""

from functools import cached_property

from django.db.models import Case, OuterRef, Q, QuerySet, Subquery, Value, When

from deputies.selectors import deputy_of
from npc_tracker.privacy import mask_name, mask_phone
from suggestions import permissions as suggestion_permissions

from . import permissions
from .models import LiaisonStation, Opinion, OpinionStep

# An opinion waits on someone in these states (the 15-day reminder, the keepers' list).
WAITING = [Opinion.State.OPEN, Opinion.State.FORWARDED, Opinion.State.REFERRED]


def stations_kept_by(*, user) -> QuerySet[LiaisonStation]:
    """The stations ``user`` keeps; every station for the committee office."""
    if not (user.is_authenticated and user.is_active):
        return LiaisonStation.objects.none()
    if suggestion_permissions.is_committee_staff(user):
        return LiaisonStation.objects.all()
    return LiaisonStation.objects.filter(keepers=user.pk)


def kept_station_ids(*, user) -> set[int]:
    """The ids of the stations ``user`` keeps (not every station for the office: this
    decides whose names a keeper's list shows unmasked; staff see all anyway)."""
    if not (user.is_authenticated and user.is_active):
        return set()
    return set(user.kept_stations.values_list("pk", flat=True))


def is_keeper(user) -> bool:
    """Whether ``user`` keeps at least one station (where the home page sends them)."""
    return bool(user.is_authenticated and user.is_active and user.kept_stations.exists())


def opinions_visible_to(*, user) -> QuerySet[Opinion]:
    """The opinions ``user`` may open: their stations' (keepers), those forwarded to them
    (a deputy, also once made a suggestion), those referred to their units (members and
    the supervising leader), every one for the office."""
    if not (user.is_authenticated and user.is_active):
        return Opinion.objects.none()
    if suggestion_permissions.is_committee_staff(user):
        return Opinion.objects.all()
    seen = Q(station__in=LiaisonStation.objects.filter(keepers=user.pk).values("pk"))
    deputy = deputy_of(user)
    if deputy is not None:
        seen |= Q(deputy=deputy.pk)
    unit_ids = suggestion_permissions.units.unit_ids(user, "sees")
    if unit_ids:
        seen |= Q(unit__in=unit_ids)
    return Opinion.objects.filter(seen)


def opinions_forwarded_to(*, user) -> QuerySet[Opinion]:
    """The opinions forwarded to the user's deputy, newest first (none for a non-deputy)."""
    deputy = deputy_of(user)
    if deputy is None:
        return Opinion.objects.none()
    return Opinion.objects.filter(deputy=deputy.pk).order_by("-moved_at", "-pk")


def opinions_referred_to(*, user) -> QuerySet[Opinion]:
    """The opinions referred to the units the user sees, newest first."""
    unit_ids = suggestion_permissions.units.unit_ids(user, "sees")
    if not unit_ids:
        return Opinion.objects.none()
    return Opinion.objects.filter(unit__in=unit_ids).order_by("-moved_at", "-pk")


class Contact:
    """Who may see the constituents' names and phones, worked out once per page: call
    ``shown(opinion)`` per row (no query). The user's stations and deputy are read on
    the first row that needs them (the office's page and a keeper's own station's page
    need neither, or only the first)."""

    def __init__(self, user, *, kept_ids: set[int] | None = None):
        """``kept_ids``: the stations the page knows the user keeps, when it has read them
        (all of them, or at least those of every row it shows), saving the query."""
        self.user = user
        self.staff = suggestion_permissions.is_committee_staff(user)
        if kept_ids is not None:
            self.__dict__["kept"] = set(kept_ids)

    @cached_property
    def kept(self) -> set[int]:
        return kept_station_ids(user=self.user)

    @cached_property
    def deputy_id(self) -> int:
        deputy = deputy_of(self.user)
        return deputy.pk if deputy is not None else 0

    def sees(self, opinion: Opinion) -> bool:
        if self.staff or opinion.station_id in self.kept:
            return True
        return permissions.sees_contact(
            self.user, opinion, kept_ids=self.kept, deputy_id=self.deputy_id
        )

    def shown(self, opinion: Opinion) -> tuple[str, str]:
        """The name and phone to show of ``opinion``: as recorded, or masked."""
        if self.sees(opinion):
            return opinion.name, opinion.phone
        return mask_name(opinion.name), mask_phone(opinion.phone)


# The deputies' and the units' lists of opinions, and the panels of /my/ and /tasks/.


def _step_notes(to: str) -> Subquery:
    """The notes of the opinion's latest step to ``to`` (the keeper's, or the answer)."""
    steps = OpinionStep.objects.filter(opinion=OuterRef("pk"), to=to).order_by("-at", "-pk")
    return Subquery(steps.values("notes")[:1])


def _first(state: str) -> Case:
    return Case(When(state=state, then=Value(0)), default=Value(1))


def forwarded_rows(*, user) -> QuerySet[Opinion]:
    """The opinions forwarded to the user's deputy, those still waiting on them first,
    each with its station, the suggestion made of it and the keeper's notes when
    forwarding (``forward_notes``): one query."""
    return (
        opinions_forwarded_to(user=user)
        .select_related("station", "suggestion")
        .annotate(waits=_first(Opinion.State.FORWARDED), forward_notes=_step_notes("forwarded"))
        .order_by("waits", "-moved_at", "-pk")
    )


def referred_rows(*, user) -> QuerySet[Opinion]:
    """The opinions referred to the units the user sees, those waiting for an answer
    first, each with its station and unit, the keeper's notes when referring
    (``refer_notes``) and the unit's answer (``answer``)."""
    return (
        opinions_referred_to(user=user)
        .select_related("station", "unit")
        .annotate(
            waits=_first(Opinion.State.REFERRED),
            refer_notes=_step_notes("referred"),
            answer=_step_notes("answered"),
        )
        .order_by("waits", "-moved_at", "-pk")
    )


def opinions_forwarded_to_user(*, user) -> QuerySet[Opinion]:
    """``opinions_forwarded_to`` with the user's deputy joined instead of read by a query
    of its own (for counts read with others, ``stations.panels``, before the page reads
    the deputy: in the same query)."""
    return Opinion.objects.filter(deputy__user=user.pk).order_by("-moved_at", "-pk")


def opinions_referred_to_units(*, user) -> QuerySet[Opinion]:
    """``opinions_referred_to`` with the user's units as a subquery instead of a query of
    their own (for a count read with others, ``stations.panels``)."""
    units = suggestion_permissions.units.units(user, "sees").order_by().values("pk")
    return Opinion.objects.filter(unit__in=units)
