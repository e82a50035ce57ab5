"""Reads shared by pages: one scoping queryset per role.

Views fetch through these (``get_object_or_404(assignments_visible_to(user=...), pk=...)``)
so that another unit's or another deputy's object is a 404, never its data.
"""

from django.db.models import Q, QuerySet

from . import permissions
from .models import Assignment, Suggestion


def assignments_visible_to(*, user) -> QuerySet[Assignment]:
    """The assignments of the user's units, and of the units a leader supervises."""
    qs = Assignment.objects.select_related("suggestion", "suggestion__lead_deputy", "unit")
    if not user.is_authenticated:
        return qs.none()
    if permissions.is_committee_staff(user):
        return qs
    return qs.filter(Q(unit__memberships__user=user) | Q(unit__leader=user)).distinct()


def suggestions_visible_to_deputy(*, user) -> QuerySet[Suggestion]:
    """The suggestions a deputy led or co-signed."""
    deputy = getattr(user, "deputy", None) if user.is_authenticated else None
    if deputy is None:
        return Suggestion.objects.none()
    return Suggestion.objects.filter(Q(lead_deputy=deputy) | Q(co_deputies=deputy)).distinct()
