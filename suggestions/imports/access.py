"""Who may import what: the model's import permission, and the office for suggestions."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_permission_codename

from .. import permissions

KINDS = ("deputies", "units", "suggestions")


def model_of(kind: str):
    from deputies.models import Deputy

    from ..models import HandlingUnit, Suggestion

    return {"deputies": Deputy, "units": HandlingUnit, "suggestions": Suggestion}[kind]


def kind_of(model) -> str:
    """The import kind of a model (the admin mixin's key)."""
    return {model_of(kind): kind for kind in KINDS}[model]


def import_permission(model) -> str:
    """The permission that gates the import of ``model``, as ``app_label.codename``."""
    action = getattr(settings, "IMPORT_EXPORT_IMPORT_PERMISSION_CODE", None) or "add"
    opts = model._meta
    return f"{opts.app_label}.{get_permission_codename(action, opts)}"


def can_import(user, kind: str) -> bool:
    """An active staff user with the import permission; suggestions need the office too."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False
    if not user.has_perm(import_permission(model_of(kind))):
        return False
    return kind != "suggestions" or permissions.is_committee_staff(user)
