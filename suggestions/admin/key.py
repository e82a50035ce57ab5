"""Key suggestions (重点督办) in the admin: their list, each one's page with its inspection
visits (read-only: the records are append-only), and the page recording a visit.

A suggestion is designated from its own page (the action table's ``designate_key``, a
button among the office's actions); a visit is recorded on the key suggestion's page (the
table's ``inspection``, ``Page.KEY``), the form the leading leader also has on the task
pages. Both call their service, whose refusals the form shows.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from npc_tracker.admin import HistoryAdmin

from .. import actions, models, selectors
from ..actions import Page

INSPECTION = actions.get(Page.KEY, "inspection")


class InspectionInline(admin.TabularInline):
    """The visits, oldest first; nothing added, changed or deleted here."""

    model = models.Inspection
    extra = 0
    can_delete = False
    fields = [
        "happened_on",
        "kind",
        "participants",
        "deputies_present",
        "findings",
        "next_steps",
        "file_links",
        "recorded_by",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        # The deputies and files of every visit in one query each, not one per row.
        return (
            super()
            .get_queryset(request)
            .select_related("recorded_by")
            .prefetch_related("deputies", "files")
            .order_by("happened_on", "pk")
        )

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("deputies who took part"))
    def deputies_present(self, inspection):
        return "、".join(d.name for d in inspection.deputies.all()) or "-"

    @admin.display(description=_("files"))
    def file_links(self, inspection):
        files = inspection.files.all()
        if not files:
            return "-"
        return format_html_join(
            format_html("<br>"),
            '<a href="{}">{}</a>',
            ((reverse("tasks:inspection_file", args=[f.pk]), f.name) for f in files),
        )


@admin.register(models.KeySuggestion)
class KeySuggestionAdmin(HistoryAdmin):
    """Designated from a suggestion's page (its action "designate as a key suggestion"),
    never added here; read-only once designated, its visits recorded on its page."""

    list_display = [
        "suggestion_title",
        "year",
        "leader_name",
        "committee",
        "stage",
        "visits",
        "last_visit",
    ]
    list_filter = ["year", ("leader", admin.RelatedOnlyFieldListFilter), "committee"]
    search_fields = ["suggestion__number", "suggestion__title"]
    fields = [
        "suggestion",
        "year",
        "leader",
        "committee",
        "invited_deputies",
        "chosen_on",
        "designated_by",
    ]
    readonly_fields = fields
    inlines = [InspectionInline]
    change_form_template = "admin/suggestions/keysuggestion/change_form.html"
    change_list_template = "admin/suggestions/keysuggestion/change_list.html"

    def get_queryset(self, request):
        return selectors.with_visits(
            super().get_queryset(request).select_related("suggestion", "leader")
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    # The list's columns, from the annotated queryset: no query per row.

    @admin.display(description=_("suggestion"), ordering="suggestion__number")
    def suggestion_title(self, key):
        s = key.suggestion
        return format_html(
            '<span class="npc-cut" title="{}">{} {}</span>', s.title, s.number, s.title
        )

    @admin.display(description=_("leading government leader"), ordering="leader__first_name")
    def leader_name(self, key):
        return key.leader.get_full_name() or key.leader.get_username()

    @admin.display(description=_("stage"), ordering="suggestion__state")
    def stage(self, key):
        s = key.suggestion
        return format_html(
            '<span class="npc-state npc-state-{}">{}</span>', s.state, s.get_state_display()
        )

    @admin.display(description=_("visits"), ordering="visits")
    def visits(self, key):
        return key.visits

    @admin.display(description=_("last visit"), ordering="last_visit")
    def last_visit(self, key):
        return date_format(key.last_visit, "Y-m-d") if key.last_visit else "-"

    # The key suggestion's page and the visit's.

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        key = self.get_object(request, object_id)
        if key is not None:
            extra_context.update(
                inspection_action=INSPECTION if INSPECTION.available(request.user, key) else None,
                interim_checks=key.suggestion.interim_checks.select_related("recorded_by"),
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        return [
            path(
                "<int:pk>/inspection/",
                self.admin_site.admin_view(self.inspection_view),
                name="suggestions_keysuggestion_inspection",
            ),
            *super().get_urls(),
        ]

    def inspection_view(self, request, pk):
        """The visit's form; on POST the service records it, or the form says why not."""
        key = get_object_or_404(self.get_queryset(request), pk=pk)
        if not self.has_view_permission(request, key):
            raise PermissionDenied
        if not INSPECTION.available(request.user, key):
            raise Http404
        form = INSPECTION.bind(key, request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            refusal = actions.perform(INSPECTION, user=request.user, form=form)
            if refusal is None:
                messages.success(
                    request, gettext("Done: %(action)s.") % {"action": INSPECTION.label}
                )
                return redirect(reverse("admin:suggestions_keysuggestion_change", args=[pk]))
            form.add_error(None, refusal.error())
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": INSPECTION.label,
            "subtitle": str(key),
            "key": key,
            "action": INSPECTION,
            "form": form,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/suggestions/keysuggestion/inspection.html", context)
