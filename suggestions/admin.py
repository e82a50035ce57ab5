"""A first admin: every model registered, the state and append-only records read-only.

Transitions are made through the services (the admin's buttons come with the staff
admin issue); nothing here can set a suggestion's state.
"""

from django.contrib import admin

from . import models


class ReadOnlyAdmin(admin.ModelAdmin):
    """Append-only records: viewable, never added, changed or deleted in the admin."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(models.HandlingUnit)
class HandlingUnitAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "leader", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "short_name"]


@admin.register(models.UnitMembership)
class UnitMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "unit", "is_head"]
    list_filter = ["is_head", "unit"]
    list_select_related = ["user", "unit"]


class AssignmentInline(admin.TabularInline):
    model = models.Assignment
    extra = 0
    fields = ["unit", "role", "assigned_on", "due_on", "original_due_on", "closed_on"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(models.Suggestion)
class SuggestionAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "lead_deputy", "state", "term", "session", "raised_on"]
    list_filter = ["state", "term", "session", "category"]
    list_select_related = ["lead_deputy"]
    search_fields = ["number", "title", "lead_deputy__name", "content"]
    readonly_fields = ["state", "round", "complex", "created_at", "created_by"]
    autocomplete_fields = ["lead_deputy", "co_deputies"]
    inlines = [AssignmentInline]


@admin.register(models.Assignment)
class AssignmentAdmin(ReadOnlyAdmin):
    list_display = ["suggestion", "unit", "role", "assigned_on", "due_on", "closed_on"]
    list_filter = ["role", "unit"]
    list_select_related = ["suggestion", "unit"]


@admin.register(models.WorkdayOverride)
class WorkdayOverrideAdmin(admin.ModelAdmin):
    list_display = ["date", "is_workday", "note"]
    list_filter = ["is_workday"]
    date_hierarchy = "date"


for model in (
    models.ReassignmentRequest,
    models.ExtensionRequest,
    models.Communication,
    models.CoOpinion,
    models.Reply,
    models.Commitment,
    models.SignOff,
    models.Redo,
    models.Revisit,
    models.RevisitOutcome,
):
    admin.site.register(model, ReadOnlyAdmin)
