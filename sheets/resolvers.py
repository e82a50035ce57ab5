"""Names resolved in memory, loaded once per import: the base, and leaders among the users.

An app resolves its own names with a ``Resolver`` of its own (``deputies.resources``
has the deputies').
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from .report import BadValue
from .values import name_key


class Resolver:
    """Names looked up in memory: loaded once per import, not once per row."""

    def resolve(self, name: str, row) -> object:
        raise NotImplementedError


class LeaderResolver(Resolver):
    """A leader named by full name (get_full_name(), or family name first), first name or
    username, among active users."""

    def __init__(self):
        self.users: dict[str, dict[int, object]] = {}
        for user in get_user_model().objects.filter(is_active=True):
            names = {
                user.get_username(),
                user.first_name,
                user.get_full_name(),
                f"{user.last_name}{user.first_name}",
            }
            for name in names:
                if key := name_key(name):
                    self.users.setdefault(key, {})[user.pk] = user

    def resolve(self, name, row):
        found = list(self.users.get(name_key(name), {}).values())
        if not found:
            raise BadValue(
                _("No user is named “%(name)s”: create the leader's account first.")
                % {"name": name},
                "unknown_leader",
            )
        if len(found) > 1:
            raise BadValue(
                _("%(count)s users are named “%(name)s”: write the leader's username.")
                % {"count": len(found), "name": name},
                "ambiguous_leader",
            )
        return found[0]
