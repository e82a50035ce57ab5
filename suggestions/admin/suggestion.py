"""The committee office's suggestion ledger and each suggestion's page in the admin.

The state and every append-only record are read-only here. The office's actions
(``actions``, ``Page.ADMIN``) are buttons on the suggestion's page, each with a small form
for its arguments, each calling its service; a refusal shows the service's message and
changes nothing.
"""

import datetime

from auditlog.mixins import AuditlogHistoryAdminMixin
from auditlog.models import LogEntry
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

import sheets
from npc_tracker.admin import CappedCountPaginator, IndexedValuesFilter
from sheets.admin import ImportFileMixin

from .. import actions, deadlines, models, selectors, services, wording
from ..actions import Page
from .bulk_assign import BulkAssignMixin
from .export import LedgerExportMixin
from .followup import FollowUpFilter, category_field
from .merge import MergeSelectedMixin, group_context, merge_mark
from .similar import RaisedBeforeFilter, RaisedBySeveralFilter, SimilarPanelMixin, marks_html

# List filters computed from the open lead assignment.


class UnitFilter(admin.SimpleListFilter):
    title = _("handling unit")
    parameter_name = "unit"

    def lookups(self, request, model_admin):
        return models.HandlingUnit.objects.values_list("pk", "name")

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        try:
            unit_id = int(self.value())
        except ValueError:
            unit_id = 0
        if not 0 < unit_id < 2**63:
            # Not a unit's id (letters, or past the column's range): the changelist says
            # the filter is wrong (?e=1) instead of failing in the database.
            raise IncorrectLookupParameters(self.value())
        return queryset.filter(
            Exists(
                models.Assignment.objects.filter(
                    suggestion=OuterRef("pk"), unit_id=unit_id, closed_on__isnull=True
                )
            )
        )


class DeadlineFilter(admin.SimpleListFilter):
    title = _("deadline")
    parameter_name = "deadline"

    def lookups(self, request, model_admin):
        return [("overdue", _("Overdue")), ("week", _("Due within 7 days"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        owing = queryset.filter(state=models.Suggestion.State.ASSIGNED)
        if self.value() == "overdue":
            return owing.filter(due_on__lt=today)
        if self.value() == "week":
            return owing.filter(due_on__range=(today, today + datetime.timedelta(days=7)))
        return queryset


class KeySuggestionFilter(admin.SimpleListFilter):
    title = _("key suggestion")
    parameter_name = "key"

    def lookups(self, request, model_admin):
        return [("yes", _("Key suggestions")), ("no", _("Other suggestions"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(key__isnull=self.value() == "no")
        return queryset


class AssignmentInline(admin.TabularInline):
    model = models.Assignment
    extra = 0
    fields = [
        "unit",
        "role",
        "assigned_on",
        "due_on",
        "original_due_on",
        "closed_on",
        "close_reason",
    ]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(models.Suggestion)
class SuggestionAdmin(
    SimilarPanelMixin,
    BulkAssignMixin,
    MergeSelectedMixin,
    LedgerExportMixin,
    ImportFileMixin,
    AuditlogHistoryAdminMixin,
    admin.ModelAdmin,
):
    # Every column in view at 1,366 px with both sidebars (static/css/admin.css): the title
    # and the deputy's name are cut short, with the whole in their tooltip.
    list_display = [
        "number",
        "title_cell",
        "lead_deputy_name",
        "state_label",
        "lead_unit_name",
        "due_on_display",
        "days_left",
        "reply_class",
        "satisfaction",
    ]
    list_display_links = ["number", "title_cell"]
    list_filter = [
        "state",
        ("term", IndexedValuesFilter),
        ("session", IndexedValuesFilter),
        ("category", IndexedValuesFilter),
        UnitFilter,
        DeadlineFilter,
        KeySuggestionFilter,
        FollowUpFilter,
        RaisedBeforeFilter,
        RaisedBySeveralFilter,
    ]
    list_select_related = ["lead_deputy"]
    list_per_page = 50
    # No COUNT(*) of the whole table on any page: the filtered count, capped at 10,000.
    show_full_result_count = False
    paginator = CappedCountPaginator
    indexed_value_fields = ["term", "session", "category"]
    search_fields = ["number", "title", "lead_deputy__name", "content"]
    autocomplete_fields = ["lead_deputy", "co_deputies"]
    # The group (并案) is the merge actions' (their services set ``merged_into``), never
    # typed into the form: a suggestion pointing at a main one while not merged would
    # answer to it and leave the rates.
    readonly_fields = ["state", "round", "complex", "merged_into", "created_at", "created_by"]
    fieldsets = [
        (None, {"fields": ["term", "session", "number", "title", "content", "category"]}),
        (_("Deputies"), {"fields": ["lead_deputy", "co_deputies", "delegation", "raised_on"]}),
        (
            _("Handling"),
            {"fields": ["state", "round", "complex", "merged_into", "created_at", "created_by"]},
        ),
    ]
    inlines = [AssignmentInline]
    change_form_template = "admin/suggestions/suggestion/change_form.html"

    def get_queryset(self, request):
        # The finder's marks (多年提, 多位代表提) come in the same query, by a join.
        return selectors.suggestions_ledger().select_related("similarity")

    def changelist_view(self, request, extra_context=None):
        # The 交办会's list imports on the assignments' page; the ledger links to it.
        extra_context = extra_context or {}
        if sheets.can_import(request.user, "assignments"):
            extra_context["assignment_import_url"] = reverse(
                "admin:suggestions_assignment_import", current_app=self.admin_site.name
            )
        return super().changelist_view(request, extra_context)

    def get_readonly_fields(self, request, obj=None):
        # Once reviewed, what the deputy wrote is the record: corrections are a return
        # for revision before approval.
        if obj is not None and obj.state != models.Suggestion.State.PROPOSED:
            return [f.name for f in obj._meta.fields if f.name != "id"] + ["co_deputies"]
        return self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        return False

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if "category" in form.base_fields:
            form.base_fields["category"] = category_field(obj.category if obj else "")
        return form

    def get_changeform_initial_data(self, request):
        return {
            "term": deadlines.rule("CURRENT_TERM"),
            "session": deadlines.rule("CURRENT_SESSION"),
            "raised_on": timezone.localdate(),
            **super().get_changeform_initial_data(request),
        }

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        data = form.cleaned_data
        created = services.suggestion_create(
            by=request.user,
            title=data["title"],
            content=data["content"],
            lead_deputy=data["lead_deputy"],
            co_deputies=data["co_deputies"],
            category=data.get("category", ""),
            raised_on=data.get("raised_on"),
            number=data.get("number", ""),
            term=data.get("term"),
            session=data.get("session"),
            delegation=data.get("delegation", ""),
        )
        obj.pk = created.pk
        obj._state.adding = False
        obj._state.db = created._state.db

    # List columns, all from the ledger's annotations: no query per row.

    def action_checkbox(self, obj):
        # Django's markup, written directly: rendering a CheckboxInput through the form
        # renderer for each of 50 rows was a seventh of the page.
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            ACTION_CHECKBOX_NAME,
            obj.pk,
            format_html(gettext("Select this object for an action - {}"), str(obj)),
        )

    @admin.display(description=_("title"), ordering="title")
    def title_cell(self, obj):
        return format_html(
            '<span class="npc-cut" title="{}">{}</span>{}', obj.title, obj.title, marks_html(obj)
        )

    @admin.display(description=_("lead deputy"), ordering="lead_deputy__name")
    def lead_deputy_name(self, obj):
        deputy = obj.lead_deputy
        return format_html('<span title="{}">{}</span>', str(deputy), deputy.name)

    @admin.display(description=_("state"), ordering="state")
    def state_label(self, obj):
        # The group's mark (并案) under the state: no column of its own, none of them spare.
        return format_html(
            '<span class="npc-state npc-state-{}">{}</span>{}',
            obj.state,
            obj.get_state_display(),
            format_html("<br>{}", mark) if (mark := merge_mark(obj)) else "",
        )

    # Not sortable: ordering a million rows by a subquery takes seconds.
    @admin.display(description=_("lead unit"))
    def lead_unit_name(self, obj):
        return obj.lead_unit_name or "-"

    @admin.display(description=_("due on"), ordering="due_on")
    def due_on_display(self, obj):
        return date_format(obj.due_on, "Y-m-d") if obj.due_on else "-"

    @admin.display(description=_("days left"))
    def days_left(self, obj):
        if obj.due_on is None or obj.state != models.Suggestion.State.ASSIGNED:
            return "-"
        words = wording.deadline_words(obj.due_on)
        if obj.due_on < timezone.localdate():
            return format_html('<span class="npc-overdue">{}</span>', words)
        return words

    @admin.display(description=_("reply class"))
    def reply_class(self, obj):
        return obj.reply_class or "-"

    @admin.display(description=_("satisfaction"))
    def satisfaction(self, obj):
        if not obj.work_rating:
            return "-"
        labels = dict(models.SignOff.Rating.choices)
        return format_html(
            "{}<br>{}",
            gettext("work: %(rating)s") % {"rating": labels[obj.work_rating]},
            gettext("result: %(rating)s") % {"rating": labels[obj.result_rating]},
        )

    # The suggestion's page: the timeline, the field history and the transition buttons.

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        suggestion = self.get_object(request, object_id)
        if suggestion is not None:
            extra_context.update(
                timeline=selectors.suggestion_timeline(suggestion, reminders=True, office=True),
                **group_context(suggestion),
                actions_available=actions.available(Page.ADMIN, user=request.user, obj=suggestion),
                redo_eligible=selectors.is_redo_eligible(suggestion),
                awaiting_redo_decision=selectors.is_awaiting_redo_decision(suggestion),
                revisit_due_on=selectors.revisit_due_on(suggestion),
                interim_checks=suggestion.interim_checks.select_related("recorded_by"),
                history=LogEntry.objects.filter(
                    content_type=ContentType.objects.get_for_model(models.Suggestion),
                    object_pk=str(suggestion.pk),
                    action=LogEntry.Action.UPDATE,
                ).select_related("actor")[:50],
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        return [
            path(
                "<int:pk>/transition/<str:name>/",
                self.admin_site.admin_view(self.transition_view),
                name="suggestions_suggestion_transition",
            ),
            *super().get_urls(),
        ]

    def transition_view(self, request, pk, name):
        """Show an action's form; on POST perform it, or show why the service refused."""
        action = actions.get(Page.ADMIN, name)
        if action is None:
            raise Http404
        suggestion = get_object_or_404(self.get_queryset(request), pk=pk)
        if not self.has_view_permission(request, suggestion):
            raise PermissionDenied
        # A link may fill a field in from its query (?into=<id>: the main suggestion of
        # "merge_into", from the similar-suggestion panel).
        initial = {k: v for k, v in request.GET.items() if k in action.form.base_fields}
        form = action.form(request.POST or None, obj=suggestion, initial=initial)
        if request.method == "POST" and form.is_valid():
            refusal = actions.perform(action, user=request.user, form=form)
            if refusal is None:
                messages.success(request, gettext("Done: %(action)s.") % {"action": action.label})
                return redirect(reverse("admin:suggestions_suggestion_change", args=[pk]))
            for message in refusal.messages:
                form.add_error(None, message)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": action.label,
            "subtitle": str(suggestion),
            "suggestion": suggestion,
            "action": action,
            "form": form,
        }
        return TemplateResponse(request, "admin/suggestions/suggestion/transition.html", context)
