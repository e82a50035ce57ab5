"""Merging (并案) in the admin: the ledger's bulk action "merge into one", and the group a
suggestion belongs to, as its page and the ledger show it.

``MergeSelectedMixin`` goes in the bases of the suggestions' ``ModelAdmin``, like
``BulkAssignMixin``: the action opens a page of its own listing the selected suggestions,
where staff choose the main one among them (or type the number of another) and give the
reason; confirmed, the others are merged into it by the table's action "merge" (its
service, ``suggestion_merge``), all of them or none. A refusal shows the service's
reasons and changes nothing. Merging one suggestion from its page, and undoing a merge,
are actions of the table (``merge``, ``unmerge``); a link may propose the main one with
``?into=<id>``.
"""

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext, gettext_lazy, ngettext

from .. import actions, models, permissions
from ..actions import Page
from ..merge_forms import MergeSelectedForm
from . import bulk

MERGE = actions.get(Page.ADMIN, "merge")

# A merge is of a few suggestions on one matter, not of a page of them.
MAX_SELECTED = 50


def group_context(suggestion: models.Suggestion) -> dict:
    """What the suggestion's page shows of its group: the suggestions merged into it, or
    the main one it was merged into (two queries at most)."""
    if suggestion.merged_into_id:
        return {"merged_into": suggestion.merged_into}
    return {
        "merged_group": list(
            suggestion.merged_suggestions.filter(state=models.Suggestion.State.MERGED)
            .select_related("lead_deputy")
            .order_by("pk")
        )
    }


def merge_mark(obj) -> str:
    """The ledger's mark of a group, from its annotations (``main_number``,
    ``merged_count``): "并入 No. X" on a merged suggestion, the count on a main one."""
    if obj.merged_into_id:
        url = reverse("admin:suggestions_suggestion_change", args=[obj.merged_into_id])
        label = (
            gettext("Merged into No. %(number)s") % {"number": obj.main_number}
            if obj.main_number
            else gettext("Merged into another suggestion")
        )
        return format_html('<a class="npc-merge npc-merged-into" href="{}">{}</a>', url, label)
    if getattr(obj, "merged_count", 0):
        return format_html(
            '<span class="npc-merge npc-merge-main">{}</span>',
            ngettext("Main of %(count)d merged", "Main of %(count)d merged", obj.merged_count)
            % {"count": obj.merged_count},
        )
    return ""


class MergeSelectedMixin:
    """The changelist action "merge into one" with its page, for a Suggestion ``ModelAdmin``."""

    merge_selected_template = "admin/suggestions/suggestion/merge_selected.html"

    def has_merge_permission(self, request) -> bool:
        return permissions.is_committee_staff(request.user)

    def get_actions(self, request):
        return bulk.offer(self, request, super().get_actions(request), "merge_selected")

    @admin.action(description=gettext_lazy("Merge into one (并案办理)"))
    def merge_selected(self, request, queryset):
        if not self.has_merge_permission(request):
            raise PermissionDenied
        ids = bulk.selected_ids(
            request,
            queryset,
            MAX_SELECTED,
            gettext("Select at most %(max)s suggestions to merge at a time."),
        )
        if ids is None:
            return None
        suggestions = list(
            models.Suggestion.objects.filter(pk__in=ids)
            .select_related("lead_deputy")
            .order_by("pk")
        )
        confirmed = request.POST.get("post") == "yes"
        form = MergeSelectedForm(request.POST if confirmed else None, obj=suggestions)
        refusal = None
        if confirmed and form.is_valid():
            merged, into = form.merged(), form.cleaned_data["into"]
            refusal = actions.perform(MERGE, user=request.user, form=form)
            if refusal is None:
                messages.success(
                    request,
                    ngettext(
                        "Merged %(count)d suggestion into %(main)s.",
                        "Merged %(count)d suggestions into %(main)s.",
                        len(merged),
                    )
                    % {"count": len(merged), "main": into},
                )
                return None  # back to the changelist
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Merge the selected suggestions into one"),
            "suggestions": suggestions,
            "refusal": refusal,
            "form": form,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.merge_selected_template, context)
