"""The office's follow-up in the admin: what waits for it ("decide: redo or accept", paper
records to verify, revisits due) as a ledger filter and as counts on the admin's index,
the paper records, the interim checks, and the categories staff keep."""

from django import forms
from django.contrib import admin
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from npc_tracker.admin import HistoryAdmin, ReadOnlyAdmin

from .. import models, selectors


def papers_waiting(qs=None):
    qs = models.Suggestion.objects.all() if qs is None else qs
    pending = models.PaperSubmission.objects.filter(
        assignment__suggestion=OuterRef("pk"), decision=models.PaperSubmission.Decision.PENDING
    )
    return qs.filter(Exists(pending))


FOLLOW_UPS = {
    "redo_decision": (_("Decide: redo or accept"), selectors.awaiting_redo_decision),
    "paper": (_("Paper record to verify"), papers_waiting),
    "revisit_due": (_("Revisit due"), selectors.revisits_due),
}


class FollowUpFilter(admin.SimpleListFilter):
    title = _("waiting for the office")
    parameter_name = "followup"

    def lookups(self, request, model_admin):
        return [(key, label) for key, (label, _query) in FOLLOW_UPS.items()]

    def queryset(self, request, queryset):
        if self.value() in FOLLOW_UPS:
            return FOLLOW_UPS[self.value()][1](queryset)
        return queryset


def office_todo() -> list[dict]:
    """What waits for the office, with its count and the filtered ledger's address: one
    count query per item."""
    changelist = reverse("admin:suggestions_suggestion_changelist")
    return [
        {
            "key": key,
            "label": label,
            "count": query().count(),
            "url": f"{changelist}?{urlencode({'followup': key})}",
        }
        for key, (label, query) in FOLLOW_UPS.items()
    ]


@admin.register(models.PaperSubmission)
class PaperSubmissionAdmin(ReadOnlyAdmin):
    list_display = ["suggestion", "unit", "submitted_by", "submitted_at", "decision", "verify"]
    list_filter = ["decision"]
    list_select_related = ["assignment__suggestion", "assignment__unit", "submitted_by"]
    search_fields = ["assignment__suggestion__number", "assignment__suggestion__title"]

    @admin.display(description=_("suggestion"))
    def suggestion(self, obj):
        return obj.assignment.suggestion

    @admin.display(description=_("unit"))
    def unit(self, obj):
        return obj.assignment.unit

    @admin.display(description=_("verification"))
    def verify(self, obj):
        if obj.decision != models.PaperSubmission.Decision.PENDING:
            return obj.reason or "-"
        url = reverse(
            "admin:suggestions_suggestion_transition",
            args=[obj.assignment.suggestion_id, "verify_paper"],
        )
        return format_html('<a href="{}">{}</a>', url, gettext("Verify"))


@admin.register(models.InterimCheck)
class InterimCheckAdmin(ReadOnlyAdmin):
    list_display = ["suggestion", "happened_on", "findings", "recorded_by"]
    list_select_related = ["suggestion", "recorded_by"]
    date_hierarchy = "happened_on"


admin.site.register(models.RedoWaiver, ReadOnlyAdmin)


@admin.register(models.Category)
class CategoryAdmin(HistoryAdmin):
    list_display = ["name", "order", "active"]
    list_editable = ["order", "active"]
    list_filter = ["active"]
    search_fields = ["name"]


def category_field(current: str = "") -> forms.ChoiceField:
    """The suggestion's category as a choice of the categories staff keep (and the one it
    has, if that was retired)."""
    names = models.Category.names()
    if current and current not in names:
        names.append(current)
    return forms.ChoiceField(
        label=models.Suggestion._meta.get_field("category").verbose_name,
        choices=[("", "---------")] + [(name, name) for name in names],
        required=False,
    )


__all__ = ["FollowUpFilter", "category_field", "office_todo"]
