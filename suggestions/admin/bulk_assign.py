"""The ledger's bulk action "assign": the suggestions selected on the changelist, given
to one lead unit and its co-units with the 交办会's date, all of them or none.

``BulkAssignMixin`` goes first in the bases of the suggestions' ``ModelAdmin``. The action
opens a page of its own, as Django's "delete selected" does: it lists the selected
suggestions and asks for the lead unit, the co-units, complex and the date of the
assignment meeting (default today). Confirmed, it calls ``services.suggestion_assign`` for
each suggestion inside one transaction; if the service refuses any of them (one not
reviewed, a date before its approval, ...), the transaction is rolled back, so nothing is
assigned, and the page says which were refused and why. The action is offered only to
those who may assign (the assign transition's permission: the committee office), and the
service checks each suggestion again.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.options import IS_POPUP_VAR
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy, ngettext
from django_fsm import TransitionNotAllowed

from .. import models, permissions, services
from ..forms import DateInput

# One page, one transaction: a 交办会 assigns some hundreds; a whole ledger selected
# across its pages is a mistake, not a meeting.
MAX_SELECTED = 500


def _active_units():
    return models.HandlingUnit.objects.filter(is_active=True).order_by("name")


class BulkAssignForm(forms.Form):
    """The assignment every selected suggestion gets."""

    lead_unit = forms.ModelChoiceField(label=gettext_lazy("Lead unit"), queryset=_active_units())
    co_units = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Co-handling units"),
        queryset=_active_units(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    complex = forms.BooleanField(label=gettext_lazy("Complex (6-month deadline)"), required=False)
    assigned_on = forms.DateField(
        label=gettext_lazy("Assigned on"),
        widget=DateInput,
        help_text=gettext_lazy(
            "The date of the assignment meeting (交办会); the deadlines count from it."
        ),
    )

    def clean(self):
        data = super().clean()
        lead, co = data.get("lead_unit"), data.get("co_units") or []
        if lead is not None and lead in co:
            self.add_error("co_units", gettext("The lead unit cannot also be a co-unit."))
        return data


def assign_all(suggestions, *, by, **assignment) -> dict[int, list[str]]:
    """Assign every suggestion as ``assignment`` says, or none: the refusals by suggestion
    id (empty when all were assigned)."""
    refusals: dict[int, list[str]] = {}
    with transaction.atomic():
        for suggestion in suggestions:
            try:
                # Each call is a savepoint of its own: a refused one leaves nothing behind,
                # and the others are still tried, so that every refusal is reported.
                services.suggestion_assign(suggestion=suggestion, by=by, **assignment)
            except ValidationError as e:
                refusals[suggestion.pk] = e.messages
            except (TransitionNotAllowed, PermissionDenied) as e:
                refusals[suggestion.pk] = [str(e)]
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
        actions = super().get_actions(request)
        if (
            self.actions is not None
            and IS_POPUP_VAR not in request.GET
            and self.has_assign_permission(request)
        ):
            actions.setdefault("assign_selected", self.get_action("assign_selected"))
        return actions

    @admin.action(description=gettext_lazy("Assign the selected suggestions (交办)"))
    def assign_selected(self, request, queryset):
        if not self.has_assign_permission(request):
            raise PermissionDenied
        ids = list(queryset.order_by().values_list("pk", flat=True)[: MAX_SELECTED + 1])
        if len(ids) > MAX_SELECTED:
            messages.error(
                request,
                gettext("Select at most %(max)s suggestions to assign at a time.")
                % {"max": MAX_SELECTED},
            )
            return None
        suggestions = _in_id_order(ids)
        confirmed = request.POST.get("post") == "yes"
        form = BulkAssignForm(
            request.POST if confirmed else None, initial={"assigned_on": timezone.localdate()}
        )
        refusals = {}
        if confirmed and form.is_valid():
            refusals = assign_all(suggestions, by=request.user, **form.cleaned_data)
            if not refusals:
                messages.success(
                    request,
                    ngettext(
                        "Assigned %(count)d suggestion, assigned on %(date)s.",
                        "Assigned %(count)d suggestions, assigned on %(date)s.",
                        len(suggestions),
                    )
                    % {"count": len(suggestions), "date": form.cleaned_data["assigned_on"]},
                )
                return None  # back to the changelist
            # As they are after the rollback: the services changed the objects in memory.
            suggestions = _in_id_order(ids)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext_lazy("Assign the selected suggestions"),
            "rows": [(s, refusals.get(s.pk, [])) for s in suggestions],
            "refused": len(refusals),
            "form": form,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.assign_selected_template, context)
