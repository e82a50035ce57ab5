"""Names resolved in memory: the rows' deputies and leaders, loaded once per import."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from deputies.models import Deputy

from .report import BadValue
from .values import TERM_SUFFIXES, clean_text, name_key, parse_ordinal


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


class DeputyResolver(Resolver):
    """A deputy named in a row, among the deputies of the row's term: the row's delegation
    tells apart deputies of the same name. None or several is a bad value, never a new
    deputy."""

    def __init__(self, terms, term_column: str, delegation_column: str):
        self.term_column, self.delegation_column = term_column, delegation_column
        self.deputies: dict[tuple[int, str], list[Deputy]] = {}
        for deputy in Deputy.objects.filter(term__in=terms).only("name", "delegation", "term"):
            self.deputies.setdefault((deputy.term, name_key(deputy.name)), []).append(deputy)

    def resolve(self, name, row):
        try:
            term = parse_ordinal(row.get(self.term_column), suffixes=TERM_SUFFIXES)
        except BadValue:
            raise BadValue(_("The deputy cannot be found without a valid term."), "no_term")
        found = self.deputies.get((term, name_key(name)), [])
        delegation = name_key(clean_text(row.get(self.delegation_column)))
        if len(found) > 1 and delegation:
            found = [d for d in found if name_key(d.delegation) == delegation] or found
        if not found:
            raise BadValue(
                _("No deputy of term %(term)s is named “%(name)s”.") % {"term": term, "name": name},
                "unknown_deputy",
            )
        if len(found) > 1:
            raise BadValue(
                _(
                    "Several deputies of term %(term)s are named “%(name)s” (%(delegations)s): "
                    "give the delegation to tell them apart."
                )
                % {
                    "term": term,
                    "name": name,
                    "delegations": "、".join(sorted(d.delegation for d in found)),
                },
                "ambiguous_deputy",
            )
        return found[0]
