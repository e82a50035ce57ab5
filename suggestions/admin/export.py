"""The suggestion admin's exports: the ledger (台账) and the handling record (纪实表).

``LedgerExportMixin`` goes first in a Suggestion ``ModelAdmin``'s bases. It adds:

- ``<admin>/suggestions/suggestion/ledger/?format=xlsx|csv``: the ledger of the
  changelist's current queryset (its filters, search and ordering), with buttons for it
  on the changelist;
- the actions "Export selected to the ledger (xlsx / csv)";
- ``<admin>/suggestions/suggestion/<id>/record/``: the printable handling record, with a
  button for it on the change page.

Exporting needs the ``suggestions.export_suggestion`` permission (403 otherwise); the
record needs only view permission on the suggestion. The buttons are added by extending
whatever template the admin would render, so the mixin composes with other mixins that
set their own ``change_list_template`` (import-export's, for one).
"""

from django.contrib import admin
from django.contrib.admin.options import IS_POPUP_VAR, IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ALL_VAR, ERROR_FLAG, PAGE_VAR
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.template.loader import get_template, select_template
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import exports

FORMAT_VAR = "format"
FORMATS = {"xlsx": exports.ledger_xlsx_response, "csv": exports.ledger_csv_response}


def _template(names):
    """The template an admin response would render, as an object ``{% extends %}`` takes."""
    if isinstance(names, str):
        return get_template(names)
    if isinstance(names, list | tuple):
        return select_template(names)
    return names


class LedgerExportMixin:
    """Ledger export (xlsx, csv) and the printable handling record for a Suggestion admin."""

    def _url_name(self, view: str) -> str:
        return f"{self.opts.app_label}_{self.opts.model_name}_{view}"

    def get_urls(self):
        # Before the ModelAdmin's own patterns, whose "<path:object_id>/" would catch these.
        return [
            path(
                "ledger/",
                self.admin_site.admin_view(self.ledger_export_view),
                name=self._url_name("ledger"),
            ),
            path(
                "<path:object_id>/record/",
                self.admin_site.admin_view(self.handling_record_view),
                name=self._url_name("record"),
            ),
            *super().get_urls(),
        ]

    def has_ledger_export_permission(self, request) -> bool:
        return request.user.has_perm(exports.EXPORT_PERMISSION)

    # The ledger of the changelist's queryset.

    def ledger_export_view(self, request):
        if not self.has_ledger_export_permission(request):
            raise PermissionDenied
        # The changelist reads every other parameter as a filter: take the format out.
        params = request.GET.copy()
        export = FORMATS.get(params.pop(FORMAT_VAR, ["xlsx"])[-1])
        if export is None:
            raise Http404(_("Unknown export format."))
        request.GET = params
        try:
            changelist = self.get_changelist_instance(request)
        except IncorrectLookupParameters:
            url = reverse(f"{self.admin_site.name}:{self._url_name('changelist')}")
            return HttpResponseRedirect(f"{url}?{ERROR_FLAG}=1")
        return export(changelist.get_queryset(request))

    def _ledger_urls(self, request) -> dict[str, str]:
        params = request.GET.copy()
        for name in (PAGE_VAR, ERROR_FLAG, ALL_VAR, FORMAT_VAR):
            params.pop(name, None)
        base = reverse(f"{self.admin_site.name}:{self._url_name('ledger')}")
        urls = {}
        for format_ in FORMATS:
            params[FORMAT_VAR] = format_
            urls[format_] = f"{base}?{params.urlencode()}"
        return urls

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        if (
            isinstance(response, TemplateResponse)
            and not response.is_rendered
            and IS_POPUP_VAR not in request.GET
            and self.has_ledger_export_permission(request)
        ):
            response.context_data["ledger_base_template"] = _template(response.template_name)
            response.context_data["ledger_urls"] = self._ledger_urls(request)
            response.template_name = "suggestions/admin/ledger_change_list.html"
        return response

    # "Export selected" actions, offered only to users who may export.

    def get_actions(self, request):
        actions = super().get_actions(request)
        if (
            self.actions is None
            or IS_POPUP_VAR in request.GET
            or not self.has_ledger_export_permission(request)
        ):
            return actions
        for name in ("export_ledger_xlsx", "export_ledger_csv"):
            actions.setdefault(name, self.get_action(name))
        return actions

    def _export_selected(self, request, queryset, format_):
        if not self.has_ledger_export_permission(request):
            raise PermissionDenied
        return FORMATS[format_](queryset)

    @admin.action(
        description=gettext_lazy("Export selected %(verbose_name_plural)s to the ledger (xlsx)")
    )
    def export_ledger_xlsx(self, request, queryset):
        return self._export_selected(request, queryset, "xlsx")

    @admin.action(
        description=gettext_lazy("Export selected %(verbose_name_plural)s to the ledger (csv)")
    )
    def export_ledger_csv(self, request, queryset):
        return self._export_selected(request, queryset, "csv")

    # The handling record of one suggestion.

    def handling_record_view(self, request, object_id):
        if not self.has_view_permission(request):
            raise PermissionDenied
        suggestion = self.get_object(request, unquote(object_id))
        if suggestion is None:
            raise Http404(_("No such suggestion."))
        if not self.has_view_permission(request, suggestion):
            raise PermissionDenied
        context = {
            **exports.handling_record(suggestion),
            "change_url": reverse(
                f"{self.admin_site.name}:{self._url_name('change')}", args=[suggestion.pk]
            ),
        }
        return TemplateResponse(request, "suggestions/handling_record.html", context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        response = super().render_change_form(request, context, add, change, form_url, obj)
        if change and obj is not None and isinstance(response, TemplateResponse):
            response.context_data["record_base_template"] = _template(response.template_name)
            response.context_data["record_url"] = reverse(
                f"{self.admin_site.name}:{self._url_name('record')}", args=[obj.pk]
            )
            response.template_name = "suggestions/admin/record_change_form.html"
        return response
