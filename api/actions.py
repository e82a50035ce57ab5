"""The action table (``suggestions.actions``) through the API: one endpoint per action of
a page, ``POST .../<id>/<action>/``, taking the action's form's fields as JSON (or as
multipart form data when the action takes files) and calling the action's service exactly
as the page does (``actions.perform``). The client has had the user confirm: the API has
no confirmation step (``bind(..., confirmed=True)``). An action not available to this
user on this object now is a 403; a refusal of the service a 400 with its codes; a form's
errors a 400 per field.

The request's schema is read from the action's form (``form_serializer``), so a field
added to a form is documented without a second declaration; fields a form adds for its
object (the unit's members, the station's deputies) are named in ``OBJECT_FIELDS``.
"""

from collections.abc import Callable

from django import forms as django_forms
from django.http import QueryDict
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import parsers, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from suggestions import actions
from suggestions.actions import Page

from .problems import flatten, form_errors, problem, refused

# Fields a form adds in its ``__init__`` for its object (their choices depend on it: the
# unit's members, the station's deputies), by page and action: an id or a list of ids.
# A row's id: a positive 64-bit integer (SQLite refuses a larger one with a server error).
ID_RANGE = {"min_value": 1, "max_value": 2**63 - 1}


def _id(**kwargs) -> serializers.IntegerField:
    return serializers.IntegerField(**ID_RANGE, **kwargs)


def _ids(**kwargs):
    return serializers.ListField(child=_id(), required=False, **kwargs)


OBJECT_FIELDS = {
    (Page.TASKS, "name_handler"): {
        "handler": _id(help_text="The user id of one of the unit's members.")
    },
    (Page.TASKS, "paper_submit"): {
        "unit_head_signer": _id(
            required=False, help_text="The user id of the head who signed, when several."
        )
    },
    (Page.KEY, "inspection"): {"deputies": _ids(help_text="Deputies' ids who took part.")},
    (Page.STATION, "reception_day"): {"deputies": _ids(help_text="Deputies' ids on duty.")},
    (Page.STATION, "activity"): {
        "deputies": _ids(help_text="Deputies' ids present."),
        "reception_day": _id(required=False),
    },
    (Page.STATION, "duty"): {"deputy": _id()},
    (Page.OPINION, "route"): {
        "deputy": _id(required=False),
        "unit": _id(required=False),
    },
}
SKIPPED = {"confirmed", "back"}


def _field(field: django_forms.Field) -> serializers.Field:
    """The serializer field that documents a form field."""
    # Labels stay lazy: the class is made once, and read in each request's language.
    common = {"required": field.required, "help_text": field.help_text or None}
    if field.label:
        common["label"] = field.label
    if isinstance(field, django_forms.ModelMultipleChoiceField):
        return serializers.ListField(child=_id(), **common)
    if isinstance(field, django_forms.ModelChoiceField):
        return _id(**common)
    if isinstance(field, django_forms.ChoiceField):
        choices = [(k, v) for k, v in field.choices if k != ""]
        return serializers.ChoiceField(choices=choices, **common)
    if isinstance(field, django_forms.FileField):
        if field.widget.attrs.get("multiple") or getattr(field, "max_files", None):
            return serializers.ListField(child=serializers.FileField(), **common)
        return serializers.FileField(**common)
    if isinstance(field, django_forms.BooleanField):
        return serializers.BooleanField(**common)
    if isinstance(field, django_forms.DateField):
        return serializers.DateField(**common)
    if isinstance(field, django_forms.IntegerField):
        # A database's integer column when the form sets no bound.
        low = field.min_value if field.min_value is not None else -(2**31)
        high = field.max_value if field.max_value is not None else 2**31 - 1
        return serializers.IntegerField(min_value=low, max_value=high, **common)
    return serializers.CharField(
        max_length=field.max_length, allow_blank=not field.required, **common
    )


_SERIALIZERS: dict[tuple[Page, str], type[serializers.Serializer]] = {}


def form_serializer(action: actions.Action) -> type[serializers.Serializer]:
    """A serializer class with the fields of the action's form (for the schema)."""
    key = (action.page, action.name)
    if key not in _SERIALIZERS:
        fields = {
            name: _field(field)
            for name, field in action.form.base_fields.items()
            if name not in SKIPPED
        }
        fields.update(OBJECT_FIELDS.get(key, {}))
        camel = "".join(part.title() for part in f"{action.page}_{action.name}".split("_"))
        # drf-spectacular names the request's component "<name>Request".
        _SERIALIZERS[key] = type(f"{camel}Action", (serializers.Serializer,), fields)
    return _SERIALIZERS[key]


def _without(data, names: set):
    """``data`` without the values of ``names`` (a QueryDict stays one)."""
    if not names:
        return data
    if hasattr(data, "lists"):
        kept = data.copy()
        for name in names:
            kept.pop(name, None)
        return kept
    return {k: v for k, v in data.items() if k not in names}


def form_data(action: actions.Action, data) -> tuple[QueryDict, dict, list[dict]]:
    """The posted values as the form reads them (prefixed with the action's name), the
    files, and the values no form field can take (an object or a nested list)."""
    bound = QueryDict(mutable=True)
    files = {}
    wrong = []
    items = data.lists() if hasattr(data, "lists") else ((k, [v]) for k, v in data.items())
    for name, values in items:
        key = f"{action.name}-{name}"
        flat = []
        for value in values:
            if isinstance(value, list):
                flat.extend(value)
            else:
                flat.append(value)
        if any(isinstance(v, dict | list) for v in flat):
            wrong.append({"field": name, "code": "invalid", "message": _("Not a valid value.")})
            continue
        uploads = [v for v in flat if hasattr(v, "read")]
        if uploads:
            files[key] = uploads if len(uploads) > 1 else uploads[0]
            continue
        bound.setlist(key, ["" if v is None else _text(v) for v in flat])
    return bound, files, wrong


def _text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class _Files(dict):
    """The uploaded files as a form reads them: ``getlist`` for a field of several."""

    def getlist(self, key, default=None):
        value = self.get(key, default)
        if value is None:
            return []
        return value if isinstance(value, list) else [value]


def perform(request, action: actions.Action, obj) -> Response | None:
    """Take ``action`` on ``obj`` for the request's user; the error response, or None when
    it was recorded."""
    if not action.available(request.user, obj):
        return problem(
            status.HTTP_403_FORBIDDEN,
            code="not_available",
            detail=_("This action is not open to you on this item now."),
        )
    if not isinstance(request.data, dict):  # a JSON body that is not an object
        message = serializers.Serializer.default_error_messages["invalid"].format(
            datatype=type(request.data).__name__
        )
        return problem(400, code="invalid", detail=message)
    # The values checked against the documented types first (an id out of any range,
    # a list where one value goes), each error with its field; the form checks the rest.
    # A value refused there does not reach the form; the form's errors on the other
    # fields are answered with it.
    typed = form_serializer(action)(data=request.data, partial=True)
    wrong = [] if typed.is_valid() else flatten(typed.errors)
    refused_fields = {e["field"].split(".")[0] for e in wrong if e["field"]}
    values = _without(request.data, refused_fields)
    data, files, more = form_data(action, values)
    wrong += more
    form = action.bind(obj, data, _Files(files), owner=request.user.pk, confirmed=True)
    if wrong or not form.is_valid():
        errors = wrong + [
            e for e in form_errors(form) if e["field"] is None or e["field"] not in refused_fields
        ]
        first = errors[0]
        return problem(400, code=first["code"], detail=first["message"], errors=errors)
    refusal = actions.perform(action, user=request.user, form=form)
    if refusal is not None:
        return refused(refusal)
    return None


def action_view(
    page: Page,
    name: str,
    *,
    get_target: Callable,
    done: Callable,
    response,
    tags: list[str],
    permission_classes: list | None = None,
) -> type[APIView]:
    """The view class of one action: ``get_target(request, pk)`` finds the object in the
    user's scope (another's is a 404), ``done(request, obj)`` answers once recorded, with
    ``response`` (a serializer) as its documented body; ``permission_classes``, the role's
    gate (DRF's default when None)."""
    action = actions.get(page, name)
    if action is None:
        raise LookupError(f"No action {name!r} on {page}.")
    request_serializer = form_serializer(action)
    parser_classes = (
        [parsers.MultiPartParser]
        if action.multipart
        else [parsers.JSONParser, parsers.MultiPartParser]
    )

    class ActionView(APIView):
        def post(self, request, pk: int):
            obj = get_target(request, pk)
            error = perform(request, action, obj)
            if error is not None:
                return error
            return done(request, get_target(request, pk))

    ActionView.parser_classes = parser_classes
    if permission_classes is not None:
        ActionView.permission_classes = permission_classes
    ActionView.post = extend_schema(
        operation_id=f"{page}_{name}",
        summary=str(action.label),
        description=str(action.confirm or ""),
        request=request_serializer,
        responses={200: response},
        tags=tags,
    )(ActionView.post)
    ActionView.__name__ = ActionView.__qualname__ = (
        f"{request_serializer.__name__.removesuffix('Action')}View"
    )
    return ActionView


def action_urls(page: Page, *, route: str, url_name: Callable[[str], str], **view) -> list:
    """One URL per action of ``page`` in the table, in its order: ``route`` with the
    action's ``{name}`` (``"tasks/<int:pk>/{name}/"``), named ``url_name(name)``; ``view``,
    ``action_view``'s keyword arguments."""
    return [
        path(
            route.format(name=name),
            action_view(page, name, **view).as_view(),
            name=url_name(name),
        )
        for on, name in list(actions.ACTIONS)
        if on == page
    ]


def available(request, page: Page, obj, url: Callable[[str], str]) -> list[dict]:
    """The actions open to the user on ``obj`` now, each with its label, its confirmation
    text, whether it takes files, and its endpoint (``url(name)``)."""
    return [
        {
            "name": action.name,
            "label": str(action.label),
            "confirm": str(action.confirm) if action.confirm else None,
            "multipart": action.multipart,
            "signature": action.signature,
            "url": url(action.name),
        }
        for action in actions.available(page, user=request.user, obj=obj)
    ]


class ActionOut(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    confirm = serializers.CharField(allow_null=True)
    multipart = serializers.BooleanField()
    signature = serializers.BooleanField()
    url = serializers.CharField()
