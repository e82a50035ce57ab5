"""The office's admin of the year's outcome: the schemes, the manual deductions, the
closings and their frozen rows.

- A scheme is edited until its year is closed; then it is read-only (the frozen rows
  were counted with its points).
- A manual deduction is entered through ``services.deduction_record`` (its checks and
  refusals, shown on the form), never changed or deleted after (append-only).
- The closings and the frozen rows are records: listed, never added, changed or deleted
  here (the assessment page closes and reopens a year).
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from npc_tracker.admin import HistoryAdmin, ReadOnlyAdmin

from . import services
from .models import AssessmentEvent, AssessmentScheme, AssessmentSnapshot, Deduction
from .selectors.assessment import closing_of


def _page_link(year: int):
    return format_html(
        '<a href="{}">{}</a>',
        reverse("reports:assessment", args=[year]),
        _("Assessment %(year)s") % {"year": year},
    )


@admin.register(AssessmentScheme)
class AssessmentSchemeAdmin(HistoryAdmin):
    """The points of each kind of deduction, per year; read-only once the year is closed."""

    list_display = ["year", *AssessmentScheme.KINDS, "page"]
    list_display_links = ["year"]
    ordering = ["-year"]

    @admin.display(description=_("assessment page"))
    def page(self, scheme):
        return _page_link(scheme.year)

    def has_change_permission(self, request, obj=None):
        if obj is not None and closing_of(obj.year) is not None:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        # The year's row is also the lock its writes take: it stays.
        return False


class DeductionForm(forms.ModelForm):
    """The deduction as ``services.deduction_record`` records it: its refusals (a closed
    year, a unit not assessed that year, bad points, no reason) are the form's errors."""

    user = None  # set by the admin for the request

    class Meta:
        model = Deduction
        fields = ["unit", "year", "points", "reason"]

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        # The service writes here, not in save_model: only a form can show its refusals.
        # The admin's view runs in a transaction, so nothing stays if the page fails later.
        try:
            self.instance = services.deduction_record(
                unit=data["unit"],
                year=data["year"],
                by=self.user,
                points=data["points"],
                reason=data["reason"],
            )
        except ValidationError as refusal:
            raise ValidationError(refusal.messages) from refusal
        return data


@admin.register(Deduction)
class DeductionAdmin(admin.ModelAdmin):
    """Manual deductions (制度不健全 and others): added through the service, then read-only."""

    form = DeductionForm
    list_display = ["unit", "year", "points", "reason", "recorded_by", "recorded_at"]
    list_filter = ["year"]
    list_select_related = ["unit", "recorded_by"]
    search_fields = ["unit__name", "reason"]
    autocomplete_fields = ["unit"]
    readonly_fields = ["recorded_by", "recorded_at"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    def get_changeform_initial_data(self, request):
        return {"year": timezone.localdate().year, **super().get_changeform_initial_data(request)}

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["unit", "year", "points", "reason"]
        return ["unit", "year", "points", "reason", "recorded_by", "recorded_at"]

    def save_model(self, request, obj, form, change):
        # Recorded by the service when the form was cleaned (DeductionForm.clean).
        assert obj.pk is not None

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AssessmentEvent)
class AssessmentEventAdmin(ReadOnlyAdmin):
    """Each closing and reopening of a year, with its page."""

    list_display = ["year", "action", "as_of", "by", "at", "reason", "page"]
    list_filter = ["year", "action"]
    list_select_related = ["by"]

    @admin.display(description=_("assessment page"))
    def page(self, event):
        return _page_link(event.year)


@admin.register(AssessmentSnapshot)
class AssessmentSnapshotAdmin(ReadOnlyAdmin):
    """The frozen rows of each closing, by rank."""

    list_display = ["event", "rank", "unit", "score"]
    list_filter = ["event__year"]
    list_select_related = ["event", "unit"]

    @admin.display(description=_("score"))
    def score(self, snapshot):
        return snapshot.figures.get("score", "")
