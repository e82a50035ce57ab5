"""The duty records in the admin, and a group's activity.

The records are append-only: the changelist's rows are read-only (each with its effective
points: its own, or its year's rule for the kind, signed); a record is added through
``services.duty_record`` (the form shows its refusals, nothing saved) and taken back with
the action "Take back the selected records": a page asks for the reason, then
``services.duty_reverse`` runs for each record in one transaction, all of them or none
(the page says which were refused and why).

A group's activity (kind, date, the members present, notes) is recorded from the group's
page or the groups' changelist action through ``services.group_activity_record``.
"""

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, Exists, F, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce, ExtractYear
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy, ngettext

from . import services
from .admin_ranking import ranking_urls
from .forms import DutyRecordForm, GroupActivityForm, ReverseForm
from .models import Deputy, DutyRecord, DutyRule
from .models.duty import DEFAULT_POINTS
from .selectors import POINTS

# One page, one transaction: a mistaken batch, not the year's ledger.
MAX_SELECTED = 500


def with_effective_points(records):
    """Each record's signed points as counted: its own, else its year's rule for the kind,
    else the kind's default (one subquery, no query per row)."""
    rule = DutyRule.objects.filter(
        year=ExtractYear(OuterRef("happened_on")), kind=OuterRef("kind")
    ).values("points")[:1]
    default = Case(
        *[When(kind=kind, then=Value(points)) for kind, points in DEFAULT_POINTS.items()],
        default=Value(0),
        output_field=POINTS,
    )
    return records.annotate(
        effective_points=F("sign")
        * Coalesce(F("points"), Subquery(rule, output_field=POINTS), default, output_field=POINTS),
        is_reversed=Exists(DutyRecord.objects.filter(reverses=OuterRef("pk"))),
    )


def reverse_all(records, *, user, reason: str) -> dict[int, list[str]]:
    """Take back every record, or none: the refusals' messages by record id (empty when
    all were taken back)."""
    refusals: dict[int, list[str]] = {}
    with transaction.atomic():
        for record in records:
            # Each service call is a savepoint of its own, so every refusal is reported.
            try:
                services.duty_reverse(record=record, by=user, reason=reason)
            except ValidationError as refusal:
                refusals[record.pk] = refusal.messages
        if refusals:
            transaction.set_rollback(True)
    return refusals


def _in_id_order(ids) -> list[DutyRecord]:
    # In id order: concurrent reversals meet the rows in the same order.
    return list(DutyRecord.objects.filter(pk__in=ids).select_related("deputy").order_by("pk"))


class DeputyDelegationFilter(admin.SimpleListFilter):
    title = gettext_lazy("delegation")
    parameter_name = "delegation"

    def lookups(self, request, model_admin):
        names = Deputy.objects.order_by("delegation").values_list("delegation", flat=True)
        return [(name, name) for name in names.distinct()]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(deputy__delegation=self.value())
        return queryset


class DutyRecordAdmin(admin.ModelAdmin):
    """The duty records: read-only rows, added by hand through the service, taken back
    with a reason (the reversal keeps both). The year's ranking and its export hang under
    them (/admin/deputies/dutyrecord/ranking/)."""

    def get_urls(self):
        return [*ranking_urls(self.admin_site), *super().get_urls()]

    form = DutyRecordForm
    list_display = [
        "deputy_name",
        "happened_on",
        "kind",
        "points_counted",
        "reversal",
        "source",
        "recorded_by",
    ]
    list_filter = ["kind", DeputyDelegationFilter, "deputy__level"]
    list_select_related = ["deputy", "recorded_by"]
    date_hierarchy = "happened_on"
    search_fields = ["deputy__name"]
    autocomplete_fields = ["deputy"]
    actions = ["reverse_selected"]
    change_list_template = "admin/deputies/dutyrecord/change_list.html"
    reverse_selected_template = "admin/deputies/dutyrecord/reverse_selected.html"

    def get_queryset(self, request):
        return with_effective_points(super().get_queryset(request))

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    def get_changeform_initial_data(self, request):
        return {"happened_on": timezone.localdate(), **super().get_changeform_initial_data(request)}

    def get_fields(self, request, obj=None):
        fields = ["deputy", "kind", "happened_on", "points", "source", "notes"]
        if obj is None:
            return fields
        return [*fields, "sign", "reverses", "recorded_by", "recorded_at"]

    def save_model(self, request, obj, form, change):
        # Recorded by the service when the form was cleaned (DutyRecordForm.clean).
        assert obj.pk is not None

    def has_add_permission(self, request):
        return services.is_duty_office(request.user)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_reverse_permission(self, request) -> bool:
        return services.is_duty_office(request.user)

    # The list's columns, from the annotated queryset: no query per row.

    @admin.display(description=gettext_lazy("deputy"), ordering="deputy__name")
    def deputy_name(self, record):
        return record.deputy.name

    @admin.display(description=gettext_lazy("points"), ordering="effective_points")
    def points_counted(self, record):
        return record.effective_points

    @admin.display(description=gettext_lazy("reversal"))
    def reversal(self, record):
        if record.sign < 0:
            return gettext("Takes back #%(id)s") % {"id": record.reverses_id}
        if record.is_reversed:
            return gettext("Taken back")
        return "-"

    # The action "take back" and its page.

    @admin.action(
        description=gettext_lazy("Take back the selected records"), permissions=["reverse"]
    )
    def reverse_selected(self, request, queryset):
        ids = list(queryset.order_by().values_list("pk", flat=True)[: MAX_SELECTED + 1])
        if len(ids) > MAX_SELECTED:
            messages.error(
                request,
                gettext("Select at most %(max)s records to take back at a time.")
                % {"max": MAX_SELECTED},
            )
            return None
        records = _in_id_order(ids)
        confirmed = request.POST.get("post") == "yes"
        form = ReverseForm(request.POST if confirmed else None)
        refusals = {}
        if confirmed and form.is_valid():
            refusals = reverse_all(records, user=request.user, reason=form.cleaned_data["reason"])
            if not refusals:
                messages.success(
                    request,
                    ngettext(
                        "Took back %(count)d record.", "Took back %(count)d records.", len(records)
                    )
                    % {"count": len(records)},
                )
                return None  # back to the changelist
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Take back the selected records"),
            "rows": [(record, refusals.get(record.pk, [])) for record in records],
            "refused": len(refusals),
            "form": form,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.reverse_selected_template, context)


class GroupActivityMixin:
    """A group's activity, recorded from the group's page (``<pk>/activity/``) or the
    changelist's action on one selected group, for a DeputyGroup ``ModelAdmin``."""

    actions = ["record_activity"]

    def has_activity_permission(self, request) -> bool:
        return services.is_duty_office(request.user)

    def get_urls(self):
        return [
            path(
                "<int:pk>/activity/",
                self.admin_site.admin_view(self.activity_view),
                name="deputies_deputygroup_activity",
            ),
            *super().get_urls(),
        ]

    @admin.action(description=gettext_lazy("Record a group activity"), permissions=["activity"])
    def record_activity(self, request, queryset):
        groups = list(queryset.order_by().values_list("pk", flat=True)[:2])
        if len(groups) != 1:
            messages.error(request, gettext("Select one group to record its activity."))
            return None
        return redirect("admin:deputies_deputygroup_activity", groups[0])

    def activity_view(self, request, pk):
        """The activity's form; on POST the service records it, or the form says why not."""
        group = get_object_or_404(self.get_queryset(request), pk=pk)
        if not self.has_activity_permission(request):
            raise PermissionDenied
        form = GroupActivityForm(
            request.POST or None,
            group=group,
            user=request.user,
            initial={"happened_on": timezone.localdate()},
        )
        if request.method == "POST":
            with transaction.atomic():
                if form.is_valid():
                    count = form.activity.present.count()
                    messages.success(
                        request,
                        ngettext(
                            "Recorded the activity of %(group)s for %(count)d member present.",
                            "Recorded the activity of %(group)s for %(count)d members present.",
                            count,
                        )
                        % {"group": group.name, "count": count},
                    )
                    return redirect(reverse("admin:deputies_deputygroup_change", args=[pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Record a group activity"),
            "subtitle": group.name,
            "group": group,
            "form": form,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/deputies/deputygroup/activity.html", context)
