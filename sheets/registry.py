"""What may be imported, and who may import it: the kinds the apps register.

``sheets`` knows no app. Each app registers its import kinds from its
``AppConfig.ready()``, naming its model and its resource by dotted path (they are looked
up when an import needs them, never while the apps load)::

    register(
        kind="suggestions",
        model="suggestions.Suggestion",
        resource="suggestions.resources.SuggestionResource",
        may_import="suggestions.permissions.is_committee_staff",
        order=3,
    )

``order`` places the kind among the others (the command's choices, in the order an office
imports: the people first, then what names them); ``may_import(user) -> bool`` is an
extra check after the model's import permission. ``needs_user=True`` marks a kind whose
rows go through services that record who acted (the assignment list): it is never
imported without a user, not even from the command line.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_permission_codename
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Kind:
    """One registered import kind: its model ("app_label.Model") and resource (dotted path)."""

    kind: str
    model: str
    resource: str
    may_import: str | Callable | None = None
    order: int = 0
    needs_user: bool = False


_kinds: dict[str, Kind] = {}


def register(
    *,
    kind: str,
    model: str,
    resource: str,
    may_import: str | Callable | None = None,
    order: int = 0,
    needs_user: bool = False,
) -> None:
    """Make ``kind`` importable: rows of ``model`` through ``resource``; ``may_import`` is an
    optional extra check of the importing user (a callable or its dotted path);
    ``needs_user`` refuses an import without a user."""
    entry = Kind(
        kind=kind,
        model=model,
        resource=resource,
        may_import=may_import,
        order=order,
        needs_user=needs_user,
    )
    if _kinds.get(kind, entry) != entry:
        raise ValueError(f"import kind {kind!r} is already registered as {_kinds[kind]!r}")
    _kinds[kind] = entry


def kinds() -> tuple[str, ...]:
    """The registered kinds by their ``order`` (ties in the order they were registered)."""
    return tuple(sorted(_kinds, key=lambda kind: _kinds[kind].order))


def _entry(kind: str) -> Kind:
    try:
        return _kinds[kind]
    except KeyError:
        raise ValueError(f"unknown import kind {kind!r}") from None


def model_of(kind: str):
    return apps.get_model(_entry(kind).model)


def resource_class(kind: str):
    return import_string(_entry(kind).resource)


def needs_user(kind: str) -> bool:
    """Whether ``kind`` is imported only by a user (its rows call services that record one)."""
    return _entry(kind).needs_user


def kind_of(model) -> str:
    """The import kind of a model (the admin mixin's key)."""
    label = model._meta.label
    for entry in _kinds.values():
        if entry.model.lower() == label.lower():
            return entry.kind
    raise KeyError(label)


def import_permission(model) -> str:
    """The permission that gates the import of ``model``, as ``app_label.codename``."""
    action = getattr(settings, "IMPORT_EXPORT_IMPORT_PERMISSION_CODE", None) or "add"
    opts = model._meta
    return f"{opts.app_label}.{get_permission_codename(action, opts)}"


def can_import(user, kind: str) -> bool:
    """An active staff user with the import permission, who passes the kind's own check."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False
    entry = _entry(kind)
    if not user.has_perm(import_permission(model_of(kind))):
        return False
    may_import = entry.may_import
    if isinstance(may_import, str):
        may_import = import_string(may_import)
    return may_import is None or bool(may_import(user))
