"""The admin's import: upload, preview (a dry run), then confirm, through ``sheets.import_file``.

``ImportFileMixin`` goes first in the bases of the admin of a model registered for import
(``registry.py``): ``DeputyAdmin``, ``HandlingUnitAdmin`` and ``SuggestionAdmin``. It
keeps django-import-export's URLs (``admin:<app>_<model>_import`` and
``..._process_import``) and its changelist button, and replaces the two views so that
the file guard runs before any parsing, every bad row is listed with its row, column and
reason, and the confirmed import is the same all-or-nothing run as the command's.

The uploaded bytes wait for the confirmation in django-import-export's temporary storage;
the confirmation form carries only a signed token naming that file and the user, so a
confirmation cannot name another file or be replayed by another user.

Import is allowed by ``sheets.can_import``: the model's ``add`` permission (or the
codename in ``IMPORT_EXPORT_IMPORT_PERMISSION_CODE``), and the kind's own check (the
committee office for suggestions).
"""

import os

from django import forms
from django.contrib import messages
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from import_export.admin import ExportMixin, ImportMixin

import sheets

# The module's name before it moved here: previews signed before the move still confirm.
TOKEN_SALT = "suggestions.admin_import"
TOKEN_MAX_AGE = 60 * 60  # seconds a preview stays confirmable


class ImportUploadForm(forms.Form):
    import_file = forms.FileField(
        label=gettext_lazy("File to import"),
        help_text=gettext_lazy("An Excel workbook (.xlsx) or a csv file (UTF-8 or GB18030)."),
    )

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        if upload.size > sheets.MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(mb)s MB.") % {"mb": sheets.MAX_BYTES // 2**20}
            )
        return upload


class ImportConfirmForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput())


class ImportFileMixin(ImportMixin):
    """Import a registered kind (deputies, units, suggestions) in the admin: preview, then
    confirm."""

    import_template_name = "sheets/admin/import.html"
    #: rows of the preview shown on the page (the counts cover every row)
    import_preview_rows = 200
    #: a template that shows a note on a preview's row (its context: ``note``), when the
    #: admin adds notes (``import_preview_notes``)
    import_preview_note_template = None
    import_preview_note_label = gettext_lazy("Notes")

    @property
    def import_export_change_list_template(self):
        # With an ExportMixin also among the bases, show both buttons.
        if isinstance(self, ExportMixin):
            return "admin/import_export/change_list_import_export.html"
        return "admin/import_export/change_list_import.html"

    @property
    def import_kind(self) -> str:
        return sheets.kind_of(self.model)

    def has_import_permission(self, request):
        return sheets.can_import(request.user, self.import_kind)

    def _render(self, request, **context):
        context.update(self.admin_site.each_context(request))
        resource = sheets.resource_class(self.import_kind)
        context.update(
            title=_("Import %(what)s") % {"what": self.model._meta.verbose_name_plural},
            opts=self.model._meta,
            columns=resource.columns,
            limits={
                "mb": sheets.MAX_BYTES // 2**20,
                "rows": f"{sheets.MAX_ROWS:,}",
            },
            preview_rows=self.import_preview_rows,
            note_template=self.import_preview_note_template,
            note_label=self.import_preview_note_label,
        )
        request.current_app = self.admin_site.name
        return TemplateResponse(request, [self.import_template_name], context)

    def import_action(self, request, **kwargs):
        """Upload a file and show what the import would do (a dry run that changes nothing)."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        form = ImportUploadForm(request.POST or None, request.FILES or None)
        context = {"form": form}
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["import_file"]
            data = upload.read(sheets.MAX_BYTES + 1)
            report = sheets.import_file(
                kind=self.import_kind, file=data, by=request.user, dry_run=True, name=upload.name
            )
            context["report"] = report
            if report.ok:
                shown = report.outcomes[: self.import_preview_rows]
                notes = self.import_preview_notes(shown)
                context["preview"] = [(outcome, notes.get(outcome.row)) for outcome in shown]
                storage = self._storage()
                storage.save(data)
                token = signing.dumps(
                    {
                        "file": os.path.basename(storage.name),
                        "name": upload.name,
                        "user": request.user.pk,
                        "kind": self.import_kind,
                    },
                    salt=TOKEN_SALT,
                )
                context["confirm_form"] = ImportConfirmForm(initial={"token": token})
        return self._render(request, **context)

    def import_preview_notes(self, outcomes: list) -> dict:
        """Notes on the preview's rows shown, by row number: none here (an admin that sets
        ``import_preview_note_template`` says what they are)."""
        return {}

    @method_decorator(require_POST)
    def process_import(self, request, **kwargs):
        """Import the previewed file for real: all its rows, or none."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        form = ImportConfirmForm(request.POST)
        try:
            if not form.is_valid():
                raise signing.BadSignature("no token")
            token = signing.loads(
                form.cleaned_data["token"], salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE
            )
        except signing.BadSignature:
            messages.error(request, _("The preview has expired: upload the file again."))
            return HttpResponseRedirect(self._import_url())
        if token["user"] != request.user.pk or token["kind"] != self.import_kind:
            raise PermissionDenied
        storage = self._storage(name=os.path.basename(token["file"]))
        try:
            data = storage.read()
        except OSError:
            messages.error(request, _("The preview has expired: upload the file again."))
            return HttpResponseRedirect(self._import_url())
        report = sheets.import_file(
            kind=self.import_kind, file=data, by=request.user, dry_run=False, name=token["name"]
        )
        storage.remove()
        if not report.ok:
            # The data changed since the preview (e.g. a deputy was renamed).
            return self._render(request, form=ImportUploadForm(), report=report)
        self._log(request, report, token["name"])
        messages.success(
            request,
            _("Imported %(file)s: %(summary)s")
            % {"file": token["name"], "summary": report.summary()},
        )
        return HttpResponseRedirect(
            reverse(
                "admin:{}_{}_changelist".format(*self.get_model_info()),
                current_app=self.admin_site.name,
            )
        )

    def _storage(self, name=None):
        """Where the uploaded bytes wait for the confirmation (import-export's setting
        ``IMPORT_EXPORT_TMP_STORAGE_CLASS``; a temporary folder by default)."""
        storage_class = self.get_tmp_storage_class()
        return storage_class(
            name=name, read_mode="rb", encoding=None, **self.get_tmp_storage_class_kwargs()
        )

    def _import_url(self) -> str:
        return reverse(
            "admin:{}_{}_import".format(*self.get_model_info()), current_app=self.admin_site.name
        )

    def _log(self, request, report, file_name: str) -> None:
        if self.get_skip_admin_log():
            return
        message = _("Imported from %(file)s") % {"file": file_name}
        for status, flag in (("new", ADDITION), ("update", CHANGE)):
            written = [instance for s, instance in report.written if s == status]
            if written:
                LogEntry.objects.log_actions(
                    request.user.pk,
                    written,
                    flag,
                    change_message=message,
                    single_object=len(written) == 1,
                )
