"""Who the caller is, for the endpoints' gates: the same predicates as the pages' mixins
(a deputy: ``deputy_of``; a unit's member or leader: ``task_units``; a station's keeper;
the committee office: ``is_committee_staff``). A role's endpoint refused to another role
is a 403 (as the pages' 403), another's object under it a 404."""

from rest_framework.permissions import BasePermission

from deputies.selectors import deputy_of
from suggestions import permissions, selectors


class IsDeputy(BasePermission):
    def has_permission(self, request, view):
        request.deputy = deputy_of(request.user)
        return request.deputy is not None


class IsTaskUser(BasePermission):
    """A unit's member or head, or a unit's supervising leader."""

    def has_permission(self, request, view):
        request.task_units = selectors.task_units(request.user)
        return bool(request.task_units.ids)


class IsKeeper(BasePermission):
    """A station's keeper (the office too, as on the stations' pages)."""

    def has_permission(self, request, view):
        user = request.user
        return permissions.is_committee_staff(user) or user.kept_stations.exists()


class IsStaff(BasePermission):
    """The committee office."""

    def has_permission(self, request, view):
        return permissions.is_committee_staff(request.user)
