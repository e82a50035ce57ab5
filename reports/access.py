"""Who may read the reports, and which units' rows: the committee office all of them, a
government leader the units they supervise (DESIGN: "Leaders see the rows of the units
they supervise"). Every report view starts here."""

import dataclasses

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from suggestions import permissions


@dataclasses.dataclass(frozen=True)
class Viewer:
    """The reader of a report: staff (every unit) or a leader (``unit_ids`` only)."""

    user: object
    is_staff: bool
    unit_ids: frozenset[int]

    def sees(self, unit_id: int) -> bool:
        return self.is_staff or unit_id in self.unit_ids

    def only_theirs(self, rows, unit_of=lambda row: row.unit.pk):
        """The rows of the viewer's units (all of them for staff)."""
        return list(rows) if self.is_staff else [r for r in rows if unit_of(r) in self.unit_ids]


def viewer_of(user) -> Viewer | None:
    """The user as a report reader, or None for anyone else (one query for a non-staff
    user: the units they lead)."""
    if permissions.is_committee_staff(user):
        return Viewer(user, True, frozenset())
    if not user.is_authenticated:
        return None
    led = frozenset(permissions.units.unit_ids(user, "leader"))
    return Viewer(user, False, led) if led else None


def require_viewer(request, *, staff_only: bool = False) -> Viewer:
    """The request's reader, or the login page / 403 (a clerk, a deputy; a leader on a
    staff-only report)."""
    if not request.user.is_authenticated:
        raise _LoginRequired(request)
    viewer = viewer_of(request.user)
    if viewer is None or (staff_only and not viewer.is_staff):
        raise PermissionDenied
    return viewer


class _LoginRequired(Exception):
    def __init__(self, request):
        self.response = redirect_to_login(request.get_full_path())


def reader_required(staff_only: bool = False):
    """Decorate a report view: ``view(request, viewer, **kwargs)``."""

    def decorate(view):
        def wrapped(request, *args, **kwargs):
            try:
                viewer = require_viewer(request, staff_only=staff_only)
            except _LoginRequired as login:
                return login.response
            return view(request, viewer, *args, **kwargs)

        wrapped.__name__ = view.__name__
        wrapped.__doc__ = view.__doc__
        return wrapped

    return decorate
