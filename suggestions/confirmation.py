"""The confirmation step of an action whose record cannot be taken back.

The action table's ``confirm`` (the consequence a page states) makes the action's form a
two-step form (``confirming``): the first valid submission is not performed; the page
shows what will be recorded (``summary``) with Confirm and Back, and carries the values
as hidden fields (``carried``) with a ``confirmed`` token. Only a submission whose token
is the digest of exactly these values is valid, so changing a value after the summary
(the admin keeps its fields editable) asks again. Back (``back`` in the data) shows the
form again, filled in, without the token. Without JavaScript: plain POSTs.

A file cannot be carried in a hidden field: a form with one keeps it on the server
between the steps (``suggestions.uploads``) and carries the kept file's token instead.
"""

import datetime
import json

from django import forms
from django.db.models import Model
from django.template.defaultfilters import filesizeformat
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

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
        data = self.data.copy()
        data[self.add_prefix(CONFIRMED)] = token
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
