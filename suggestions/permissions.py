"""Who may do what: the role predicates, the unit policy, and the transitions' ``permission=``.

The unit policy (``units``) is the one answer to "which handling units is this user's":
the queryset and the predicate for each relation side by side, built from one
condition, so a page's list and a service's check can never disagree. Its relations:

- ``member``: a clerk or head of the unit (``UnitMembership``). Members act for the unit:
  they record communications, send opinions, reply and file requests.
- ``head``: a member marked ``is_head``; signs the handling record second.
- ``leader``: the unit's supervising government leader (``HandlingUnit.leader``); sees the
  unit's tasks and signs last, but does not act as a member.
- ``sees``: member or leader: whose tasks a user's task pages show, and whose replies
  and documents they may open.

Committee staff see every unit through the admin; the task pages are for the relations
above. The suggestion-level querysets built on the policy (a role's assignments, replies)
live in ``selectors``.
"""

from django.apps import apps
from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Count, Q, QuerySet

COMMITTEE_OFFICE = "committee office"
REVIEWERS = "reviewers"


def _group_names(user) -> set[str]:
    # Cached on the user object: one query per request however many checks run.
    if not hasattr(user, "_npc_groups"):
        user._npc_groups = set(user.groups.values_list("name", flat=True))
    return user._npc_groups


def _active(user) -> bool:
    # Services are also called from tasks and imports, where no login check ran.
    return user.is_authenticated and user.is_active


def is_committee_staff(user: User | AnonymousUser) -> bool:
    """A member of the committee office: may do everything in the loop."""
    if not _active(user):
        return False
    return user.is_superuser or (user.is_staff and COMMITTEE_OFFICE in _group_names(user))


def is_reviewer(user: User | AnonymousUser) -> bool:
    """May approve, return and reject proposed suggestions."""
    if is_committee_staff(user):
        return True
    return _active(user) and user.is_staff and REVIEWERS in _group_names(user)


class UnitPolicy:
    """The handling units a user is related to, as a queryset and as a predicate.

    ``units(user, relation)`` and ``has(user, relation, unit)`` evaluate the same condition
    (``condition``): the predicate is the queryset narrowed to one unit.
    """

    RELATIONS = ("member", "head", "leader", "sees")

    @staticmethod
    def _model():
        # By name: the models import this module for the transitions' permissions.
        return apps.get_model("suggestions", "HandlingUnit")

    def condition(self, user, relation: str) -> Q:
        # By id: the request's user is a lazy object, which an aggregate's filter refuses.
        member = Q(memberships__user=user.pk)
        leader = Q(leader=user.pk)
        return {
            "member": member,
            "head": Q(memberships__user=user.pk, memberships__is_head=True),
            "leader": leader,
            "sees": member | leader,
        }[relation]

    def units(self, user, relation: str) -> QuerySet:
        """The units ``user`` is ``relation`` of (none for an inactive or anonymous user)."""
        qs = self._model().objects.all()
        if not _active(user):
            return qs.none()
        return qs.filter(self.condition(user, relation)).distinct()

    def unit_ids(self, user, relation: str) -> list[int]:
        """The ids of ``units(user, relation)``, sorted (one query)."""
        return sorted(set(self.units(user, relation).values_list("pk", flat=True)))

    def has(self, user, relation: str, unit) -> bool:
        """Whether ``user`` is ``relation`` of ``unit`` (one query)."""
        return self.units(user, relation).filter(pk=unit.pk).exists()

    def relations(self, user, unit) -> frozenset[str]:
        """Every relation ``user`` has to ``unit``, in one query (for a page that asks
        several): the same conditions, counted on the unit's row."""
        if not _active(user):
            return frozenset()
        found = (
            self._model()
            .objects.filter(pk=unit.pk)
            .aggregate(
                **{
                    f"is_{relation}": Count("pk", filter=self.condition(user, relation))
                    for relation in self.RELATIONS
                }
            )
        )
        return frozenset(relation for relation in self.RELATIONS if found[f"is_{relation}"])


units = UnitPolicy()


def is_unit_member(user, unit) -> bool:
    """A clerk or head of ``unit``: acts for it."""
    return units.has(user, "member", unit)


def is_unit_head(user, unit) -> bool:
    return units.has(user, "head", unit)


def is_government_leader(user) -> bool:
    """A government leader: the supervising leader of at least one handling unit."""
    return _active(user) and units.units(user, "leader").exists()


def is_unit_leader(user, unit) -> bool:
    # No query: the leader is a column of the unit.
    return _active(user) and unit.leader_id == user.pk


def signing_deputy(user, suggestion, *, merged=None):
    """The deputy ``user`` signs ``suggestion``'s handling record as: its lead deputy, or
    the lead deputy of a suggestion merged into it (None: neither). ``merged``: the
    suggestions merged into it (with their lead deputies), when the caller read them."""
    if not _active(user):
        return None
    deputy = suggestion.lead_deputy
    if deputy.user_id is not None and deputy.user_id == user.pk:
        return deputy
    if suggestion.state == "merged":
        return None
    if merged is not None:
        return next(
            (
                m.lead_deputy
                for m in merged
                if m.state == "merged" and m.lead_deputy.user_id == user.pk
            ),
            None,
        )
    merged = (
        suggestion.merged_suggestions.filter(state="merged", lead_deputy__user=user)
        .select_related("lead_deputy")
        .first()
    )
    return merged.lead_deputy if merged else None


def is_lead_deputy(user, suggestion) -> bool:
    """``user`` is the lead deputy of ``suggestion`` or of one merged into it."""
    return signing_deputy(user, suggestion) is not None


# The transitions' permission callables take (instance, user).


def can_review(suggestion, user) -> bool:
    return is_reviewer(user)


def can_manage(suggestion, user) -> bool:
    return is_committee_staff(user)


def can_reply(suggestion, user) -> bool:
    lead = suggestion.lead_assignment()
    return lead is not None and is_unit_member(user, lead.unit)


def can_sign_last(suggestion, user) -> bool:
    """The supervising leader of the lead unit gives the third and last signature."""
    lead = suggestion.lead_assignment()
    return lead is not None and is_unit_leader(user, lead.unit)


# The staff groups' model permissions (what the admin shows them). Who may make which
# transition is decided by the predicates above, not by these.

GROUP_APPS = {
    COMMITTEE_OFFICE: ["suggestions", "deputies", "stations", "reports"],
}
# Audit records and transition records: seen by the office, changed by no one; the login
# lockout's records (axes): seen by the office, unlocked (deleted) by a superuser only.
VIEW_ONLY_APPS = ["auditlog", "django_fsm_log", "axes"]
REVIEWER_PERMISSIONS = [
    "suggestions.view_suggestion",
    "suggestions.change_suggestion",
    "suggestions.view_handlingunit",
    "deputies.view_deputy",
]


def grant_group_permissions(**kwargs) -> None:
    """Give the staff groups their permissions; runs after every migrate, so new ones too."""
    from django.contrib.auth.models import Group, Permission

    office, _created = Group.objects.get_or_create(name=COMMITTEE_OFFICE)
    office.permissions.add(
        *Permission.objects.filter(content_type__app_label__in=GROUP_APPS[COMMITTEE_OFFICE]),
        *Permission.objects.filter(
            content_type__app_label__in=VIEW_ONLY_APPS, codename__startswith="view_"
        ),
    )
    office.permissions.remove(
        *Permission.objects.filter(content_type__app_label__in=VIEW_ONLY_APPS).exclude(
            codename__startswith="view_"
        )
    )
    reviewers, _created = Group.objects.get_or_create(name=REVIEWERS)
    for dotted in REVIEWER_PERMISSIONS:
        app_label, codename = dotted.split(".")
        reviewers.permissions.add(
            *Permission.objects.filter(content_type__app_label=app_label, codename=codename)
        )
