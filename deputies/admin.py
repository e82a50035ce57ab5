"""The committee office's admin of the deputies and their duty (履职):

- deputies (with their import), congress terms, the year's rules (points per kind) and the
  deputy groups with their members (field history on those the audit log follows);
- the duty records: read-only rows; a record is added through ``services.duty_record``
  (its refusals on the form) and taken back with the action "Take back the selected
  records" (``admin_duty``);
- a group's activity, from the group's page or its changelist action (``admin_duty``);
- the year's ranking and who falls short, with its xlsx export (``admin_ranking``), a page
  of the site under the app's path.
"""

from django.contrib import admin
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from npc_tracker.admin import HistoryAdmin, ReadOnlyAdmin
from sheets.admin import ImportFileMixin

from .admin_duty import DutyRecordAdmin, GroupActivityMixin
from .models import Deputy, DeputyGroup, DutyRecord, DutyRule, GroupActivity, Term


@admin.register(Deputy)
class DeputyAdmin(ImportFileMixin, HistoryAdmin):
    list_display = ["name", "gender", "level", "delegation", "term", "position", "mobile"]
    list_filter = ["level", "term", "delegation", "gender"]
    search_fields = ["name", "delegation", "position", "mobile"]
    list_select_related = ["user"]


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    list_display = ["number", "starts_on", "ends_on"]


@admin.register(DutyRule)
class DutyRuleAdmin(HistoryAdmin):
    """The points each kind is worth in a year (a kind without a rule: its default)."""

    list_display = ["year", "kind", "points"]
    list_filter = ["year", "kind"]
    ordering = ["-year", "kind"]


@admin.register(DeputyGroup)
class DeputyGroupAdmin(GroupActivityMixin, HistoryAdmin):
    """Deputies' groups and industry groups with their members; a group's activity is
    recorded from its page or the changelist's action."""

    list_display = ["name", "kind", "member_count", "activity_link"]
    list_filter = ["kind"]
    search_fields = ["name"]
    autocomplete_fields = ["members"]
    change_form_template = "admin/deputies/deputygroup/change_form.html"

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_count=Count("members"))

    @admin.display(description=_("members"), ordering="member_count")
    def member_count(self, group):
        return group.member_count

    @admin.display(description=_("group activity"))
    def activity_link(self, group):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:deputies_deputygroup_activity", args=[group.pk]),
            _("Record a group activity"),
        )


@admin.register(GroupActivity)
class GroupActivityAdmin(ReadOnlyAdmin):
    """The groups' activities as recorded (append-only), each with the members present."""

    list_display = ["group", "happened_on", "kind", "present_count", "recorded_by"]
    list_filter = ["kind", "group"]
    list_select_related = ["group", "recorded_by"]
    date_hierarchy = "happened_on"

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(present_count=Count("present"))

    @admin.display(description=_("members present"), ordering="present_count")
    def present_count(self, activity):
        return activity.present_count


admin.site.register(DutyRecord, DutyRecordAdmin)
