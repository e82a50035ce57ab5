"""What the ledger's bulk actions with a page of their own share (assign, merge): offered to
the committee office only, outside popups, on at most so many selected rows."""

from django.contrib import messages
from django.contrib.admin.options import IS_POPUP_VAR

from .. import permissions


def offer(model_admin, request, actions_: dict, name: str) -> dict:
    """Add the action ``name`` to the changelist's actions for the committee office."""
    if (
        model_admin.actions is not None
        and IS_POPUP_VAR not in request.GET
        and permissions.is_committee_staff(request.user)
    ):
        actions_.setdefault(name, model_admin.get_action(name))
    return actions_


def selected_ids(request, queryset, most: int, too_many: str) -> list[int] | None:
    """The selected rows' ids, or None (with ``too_many`` said) above ``most`` of them."""
    ids = list(queryset.order_by().values_list("pk", flat=True)[: most + 1])
    if len(ids) > most:
        messages.error(request, too_many % {"max": most})
        return None
    return ids
