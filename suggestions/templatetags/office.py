"""The admin index's list of what waits for the committee office."""

from django import template

from .. import permissions
from ..admin.followup import office_todo as _office_todo

register = template.Library()


@register.simple_tag(takes_context=True)
def office_todo(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.has_perm("suggestions.view_suggestion"):
        return []
    return _office_todo()


@register.simple_tag(takes_context=True)
def is_office(context) -> bool:
    """Whether the page's user is in the committee office (who reads the reports)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return user is not None and permissions.is_committee_staff(user)
