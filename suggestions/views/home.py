"""Where each role lands after logging in."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect

from deputies.selectors import deputy_of

from .. import permissions, selectors


def home(request):
    """Send each role to its home: staff the admin, unit members the tasks, a government
    leader who is no unit's member their dashboard (``reports:dashboard``, by name: the
    reports app is above this one and is not imported), a station's keeper their stations
    (``stations:list``, by name too), deputies /my/."""
    user = request.user
    if not user.is_authenticated:
        return redirect("login")
    if user.is_staff:
        return redirect("admin:index")
    if selectors.is_task_user(user):
        if (
            permissions.is_government_leader(user)
            and not permissions.units.units(user, "member").exists()
        ):
            return redirect("reports:dashboard")
        return redirect("tasks:list")
    if user.kept_stations.exists():
        return redirect("stations:list")
    if deputy_of(user) is not None:
        return redirect("status:list")
    raise PermissionDenied
