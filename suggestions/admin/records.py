"""The loop's other records in the admin: the calendar (editable, with its history), the
assignments (read-only, imported from a 交办会's list), the append-only records and
reminders (read-only); the audit log (read-only for everyone). Key suggestions are
``key``'s."""

from auditlog import admin as auditlog_admin
from auditlog.models import LogEntry
from auditlog.render import get_field_verbose_name
from django.contrib import admin
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from npc_tracker.admin import HistoryAdmin, ReadOnlyAdmin
from sheets.admin import ImportFileMixin

from .. import models

# How much of the list of changed fields a row of the audit log shows.
CHANGED_FIELDS_SHOWN = 40


@admin.register(models.Assignment)
class AssignmentAdmin(ImportFileMixin, ReadOnlyAdmin):
    """Read-only; assignments are made by the assign action, one by one or for the selected
    suggestions, or by importing a 交办会's assignment list (the import button here)."""

    list_display = ["suggestion", "unit", "role", "assigned_on", "due_on", "closed_on"]
    list_filter = ["role", "unit"]
    list_select_related = ["suggestion", "unit"]
    search_fields = ["suggestion__number", "suggestion__title", "unit__name"]


@admin.register(models.WorkdayOverride)
class WorkdayOverrideAdmin(HistoryAdmin):
    list_display = ["date", "is_workday", "note"]
    list_filter = ["is_workday"]
    date_hierarchy = "date"


@admin.register(models.Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    list_display = ["kind", "recipient", "suggestion", "due_on", "days", "created_at", "sent_at"]
    list_filter = ["kind"]
    list_select_related = ["recipient", "suggestion"]


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
    models.Notification,
):
    admin.site.register(model, ReadOnlyAdmin)


# Audit records: staff read them; nobody adds, changes or deletes one through the app.
class AuditLogEntryAdmin(auditlog_admin.LogEntryAdmin):
    def has_delete_permission(self, request, obj=None):
        return False

    # The package writes these three columns in English whatever the language: here they
    # are in the user's, and the changed fields are named by their verbose names.

    @admin.display(description=_("Changes"))
    def msg_short(self, obj):
        if obj.action in (LogEntry.Action.DELETE, LogEntry.Action.ACCESS):
            return ""
        changes = obj.changes_dict
        fields = "、".join(str(get_field_verbose_name(obj, name)) for name in changes)
        if len(fields) > CHANGED_FIELDS_SHOWN:
            fields = fields[:CHANGED_FIELDS_SHOWN] + "…"
        return ngettext(
            "%(count)s change: %(fields)s", "%(count)s changes: %(fields)s", len(changes)
        ) % {"count": len(changes), "fields": fields}

    @admin.display(description=_("User"))
    def user_url(self, obj):
        return super().user_url(obj) if obj.actor else gettext("system")

    @admin.display(description=_("Correlation ID"))
    def cid_url(self, obj):
        return super().cid_url(obj)


admin.site.unregister(LogEntry)
admin.site.register(LogEntry, AuditLogEntryAdmin)
