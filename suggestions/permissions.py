"""Who may do what: plain predicates, and the transitions' ``permission=`` callables.

The matching querysets ("which objects may this user see") live in ``selectors.py``.
"""

from django.contrib.auth.models import AnonymousUser, User

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


def is_unit_member(user, unit) -> bool:
    return _active(user) and unit.memberships.filter(user=user).exists()


def is_unit_head(user, unit) -> bool:
    return _active(user) and unit.memberships.filter(user=user, is_head=True).exists()


def is_unit_leader(user, unit) -> bool:
    return _active(user) and unit.leader_id == user.pk


def is_lead_deputy(user, suggestion) -> bool:
    deputy = suggestion.lead_deputy
    return _active(user) and deputy.user_id is not None and deputy.user_id == user.pk


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
    COMMITTEE_OFFICE: ["suggestions", "deputies", "stations", "axes"],
}
# Audit records and transition records: seen by the office, changed by no one.
VIEW_ONLY_APPS = ["auditlog", "django_fsm_log"]
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
