"""The admin index's list of what waits for the committee office."""

from django import template

from ..admin.followup import office_todo as _office_todo

register = template.Library()


@register.simple_tag(takes_context=True)
def office_todo(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.has_perm("suggestions.view_suggestion"):
        return []
    return _office_todo()
