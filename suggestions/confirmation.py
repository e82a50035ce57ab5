"""The confirmation step of an action whose record cannot be taken back.

The action table's ``confirm`` (the consequence a page states) makes the action's form a
two-step form (``confirming``): the first valid submission is not performed; the page
shows what will be recorded (``summary``) with Confirm and Back, and carries the values
as hidden fields (``carried``) with a ``confirmed`` token. Only a submission whose token
is the digest of exactly these values is valid, so changing a value after the summary
(the admin keeps its fields editable) asks again. Back (``back`` in the data) shows the
form again, filled in, without the token. Without JavaScript: plain POSTs.

A file cannot be carried in a hidden field, and a browser cannot refill a file input:
each file field gets a hidden ``<name>_kept``; a valid file chosen is kept on the server
(``suggestions.uploads``, for the form's ``owner``) and its token carried, so the
confirming POST, Back, or a refused form (of the form or of the service) have the file
without choosing it again; the form's help text says so, or says plainly to choose the
file again when it could not be kept. The kept copy is deleted once the action is done.
"""

import datetime
import json

from django import forms
from django.db.models import Model
from django.template.defaultfilters import filesizeformat
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.html import format_html
from django.utils.translation import gettext as _

from . import uploads

CONFIRMED = "confirmed"
BACK = "back"
SALT = "suggestions.confirmation"


def _canonical(value):
    """A value as the token digests it: the same for the first and the confirming POST."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, str):
        return value.replace("\r\n", "\n").replace("\r", "\n")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Model):
        return f"{value._meta.label}:{value.pk}"
    if hasattr(value, "read") and hasattr(value, "size"):  # a file
        return f"{getattr(value, 'name', '')}:{value.size}"
    if isinstance(value, list | tuple) or hasattr(value, "model"):  # a list, a queryset
        return sorted(str(_canonical(v)) for v in value)
    return str(value)


def _display(field: forms.Field, value) -> str:
    """A value as the summary shows it: a choice's label, a unit's name, a file's name."""
    if isinstance(field, forms.ModelMultipleChoiceField):
        return "、".join(str(v) for v in value)
    if isinstance(field, forms.ModelChoiceField):
        return str(value)
    if isinstance(field, forms.ChoiceField):
        labels = {}
        for key, label in field.choices:
            if isinstance(label, list | tuple):  # an option group
                labels.update({str(k): v for k, v in label})
            else:
                labels[str(key)] = label
        return str(labels.get(str(value), value))
    if isinstance(field, forms.BooleanField):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(field, forms.FileField):
        return f"{value.name} ({filesizeformat(value.size)})"
    return str(value)


class ConfirmationMixin:
    """Makes an action's form ask for confirmation before it is valid (see the module)."""

    def __init__(self, *args, confirmed: bool = False, **kwargs):
        """``confirmed``: the caller has had the user confirm already (an API client)."""
        super().__init__(*args, **kwargs)
        self.fields[CONFIRMED] = forms.CharField(required=False, widget=forms.HiddenInput)
        self.skip_confirmation = confirmed
        self.awaiting_confirmation = False
        self.file_names = [n for n, f in self.fields.items() if isinstance(f, forms.FileField)]
        self.lost_files = set()
        for name in self.file_names:
            self.fields[f"{name}_kept"] = forms.CharField(required=False, widget=forms.HiddenInput)
            token = self.data.get(self.add_prefix(f"{name}_kept")) if self.is_bound else None
            if token:
                kept = uploads.restore(token, owner=getattr(self, "owner", None))
                if kept is None:
                    self.lost_files.add(name)
                else:
                    # As a file field's initial value: used when no other file is chosen.
                    self.initial[name] = kept

    def full_clean(self):
        super().full_clean()
        if self.is_bound:
            for name in self.file_names:
                self._keep_file(name)

    def _keep_file(self, name: str) -> None:
        """Keep a valid file chosen now; carry the token of the file this form has."""
        kept_name = self.add_prefix(f"{name}_kept")
        token = self.data.get(kept_name) or ""
        value = self.cleaned_data.get(name)
        chosen = self.files.get(self.add_prefix(name))
        owner = getattr(self, "owner", None)
        if name in self._errors or name in self.lost_files:
            token = ""  # the file chosen now is refused, or the one kept is gone
        elif chosen and value is not None and owner is not None:
            token = uploads.keep(value, owner=owner)
        self.cleaned_data[f"{name}_kept"] = token
        self._set_data(kept_name, token)
        if token and value is not None:
            # The name is the user's: escaped (a help text is rendered as HTML).
            help_text = format_html(
                _("Kept: {name}. Choose another file only to replace it."), name=value.name
            )
        elif name in self.lost_files:
            help_text = _("Choose the file again: it was not kept.")
        elif chosen or name in self._errors:
            help_text = _(
                "Choose the file again: a browser cannot keep a chosen file once the form is sent."
            )
        else:
            return
        # The bound field copied the help text when validation made it.
        self.fields[name].help_text = self[name].help_text = help_text

    def performed(self) -> None:
        """The action is recorded: the files kept for it are no longer needed."""
        for name in self.file_names:
            if self.cleaned_data.get(f"{name}_kept"):
                uploads.discard(self.cleaned_data[f"{name}_kept"])
        super().performed()

    @property
    def back_name(self) -> str:
        return self.add_prefix(BACK)

    @property
    def going_back(self) -> bool:
        return self.is_bound and self.back_name in self.data

    def is_valid(self) -> bool:
        """Valid only once confirmed: a first valid submission awaits the confirmation."""
        if not super().is_valid():
            return False
        if self.going_back:
            self._set_token("")  # back to the filled-in form; a new summary before any record
            return False
        if self.skip_confirmation:
            return True
        token = self.confirmation_token()
        if constant_time_compare(self.cleaned_data.get(CONFIRMED) or "", token):
            return True
        self.awaiting_confirmation = True
        self._set_token(token)
        return False

    def _set_token(self, token: str) -> None:
        self._set_data(self.add_prefix(CONFIRMED), token)

    def _set_data(self, key: str, value: str) -> None:
        data = self.data.copy()
        data[key] = value
        self.data = data

    def confirmation_token(self) -> str:
        """The digest of the cleaned values, the form's prefix and the object acted on."""
        values = [
            [name, _canonical(self.cleaned_data.get(name))]
            for name in sorted(self.fields)
            if name != CONFIRMED
        ]
        obj = getattr(self, "obj", None)
        payload = json.dumps(
            [self.prefix or "", type(obj).__name__, getattr(obj, "pk", None), values],
            ensure_ascii=False,
            default=str,
        )
        return salted_hmac(SALT, payload).hexdigest()

    def summary(self) -> list[tuple[str, str]]:
        """What will be recorded: (label, value) of each visible field with a value."""
        rows = []
        for name, field in self.fields.items():
            value = self.cleaned_data.get(name)
            if field.widget.is_hidden or value in (None, "", [], ()):
                continue
            if hasattr(value, "exists") and not value.exists():  # an empty queryset
                continue
            rows.append((str(field.label or name), _display(field, value)))
        return rows

    def carried(self) -> list:
        """The fields the confirming POST carries as hidden inputs (a file: its kept token)."""
        return [self[name] for name, f in self.fields.items() if not isinstance(f, forms.FileField)]


def confirming(form_class: type) -> type:
    """``form_class`` with the confirmation step."""
    return type(
        form_class.__name__,
        (ConfirmationMixin, form_class),
        {"__module__": form_class.__module__, "__doc__": form_class.__doc__},
    )
