"""Where each role lands after logging in."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect

from deputies.selectors import deputy_of

from .. import selectors


def home(request):
    """Send each role to its home: staff the admin, units and leaders the tasks, deputies /my/."""
    user = request.user
    if not user.is_authenticated:
        return redirect("login")
    if user.is_staff:
        return redirect("admin:index")
    if selectors.is_task_user(user):
        return redirect("tasks:list")
    if deputy_of(user) is not None:
        return redirect("status:list")
    raise PermissionDenied
