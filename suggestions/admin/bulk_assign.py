"""The ledger's bulk action "assign": the suggestions selected on the changelist, given
to one lead unit and its co-units with the 交办会's date, all of them or none.

``BulkAssignMixin`` goes first in the bases of the suggestions' ``ModelAdmin``. The action
opens a page of its own, as Django's "delete selected" does: it lists the selected
suggestions and shows the action table's "assign" form (lead unit, co-units, complex, the
date of the assignment meeting, here required and today to begin with). Confirmed, it
performs the table's "assign" for each suggestion inside one transaction; if the service
refuses any of them (one not reviewed, a date before its approval, ...), the transaction
is rolled back, so nothing is assigned, and the page says which were refused and why.
The action is offered only to those who may assign (the assign transition's permission:
the committee office), and the service checks each suggestion again.
"""

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy, ngettext

from .. import actions, models, permissions
from ..actions import Page
from . import bulk

ASSIGN = actions.get(Page.ADMIN, "assign")

# One page, one transaction: a 交办会 assigns some hundreds; a whole ledger selected
# across its pages is a mistake, not a meeting.
MAX_SELECTED = 500


def assign_form(data=None):
    """The table's assign form for the selected suggestions: the meeting's date required,
    today to begin with."""
    form = ASSIGN.bind(None, data)
    field = form.fields["assigned_on"]
    field.required = True
    field.initial = timezone.localdate()
    # A date input shows only an ISO value; the localised one (2026/03/12) leaves it blank.
    field.widget.format = "%Y-%m-%d"
    return form


def assign_all(suggestions, *, user, form) -> dict[int, list[str]]:
    """Perform "assign" with the valid ``form`` on every suggestion, or on none: the
    refusals' messages by suggestion id (empty when all were assigned)."""
    refusals: dict[int, list[str]] = {}
    with transaction.atomic():
        for suggestion in suggestions:
            # The one form serves each suggestion in turn. Each service call is a savepoint
            # of its own: a refused one leaves nothing, and the others are still tried, so
            # that every refusal is reported.
            form.obj = suggestion
            refusal = actions.perform(ASSIGN, user=user, form=form)
            if refusal is not None:
                refusals[suggestion.pk] = refusal.messages
        if refusals:
            transaction.set_rollback(True)
    return refusals


def _in_id_order(ids) -> list:
    # In id order: concurrent assignments lock the rows in the same order.
    return list(models.Suggestion.objects.filter(pk__in=ids).order_by("pk"))


class BulkAssignMixin:
    """The changelist action "assign" with its page, for a Suggestion ``ModelAdmin``."""

    assign_selected_template = "admin/suggestions/suggestion/assign_selected.html"

    def has_assign_permission(self, request) -> bool:
        return permissions.is_committee_staff(request.user)

    def get_actions(self, request):
        return bulk.offer(self, request, super().get_actions(request), "assign_selected")

    @admin.action(description=gettext_lazy("Assign the selected suggestions (交办)"))
    def assign_selected(self, request, queryset):
        if not self.has_assign_permission(request):
            raise PermissionDenied
        ids = bulk.selected_ids(
            request,
            queryset,
            MAX_SELECTED,
            gettext("Select at most %(max)s suggestions to assign at a time."),
        )
        if ids is None:
            return None
        suggestions = _in_id_order(ids)
        confirmed = request.POST.get("post") == "yes"
        form = assign_form(request.POST if confirmed else None)
        refusals = {}
        if confirmed and form.is_valid():
            data = form.cleaned_data
            if data["lead_unit"] in data["co_units"]:
                # Said once here rather than refused once per suggestion by the service.
                form.add_error("co_units", gettext("The lead unit cannot also be a co-unit."))
            else:
                refusals = assign_all(suggestions, user=request.user, form=form)
                if not refusals:
                    messages.success(
                        request,
                        ngettext(
                            "Assigned %(count)d suggestion; its deadlines count from %(date)s.",
                            "Assigned %(count)d suggestions; their deadlines count from %(date)s.",
                            len(suggestions),
                        )
                        % {"count": len(suggestions), "date": data["assigned_on"]},
                    )
                    return None  # back to the changelist
                # As they are after the rollback: the services changed them in memory.
                suggestions = _in_id_order(ids)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Assign the selected suggestions"),
            "action": ASSIGN,
            "rows": [(s, refusals.get(s.pk, [])) for s in suggestions],
            "refused": len(refusals),
            "form": form,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.assign_selected_template, context)
