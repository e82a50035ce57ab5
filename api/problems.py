"""Errors as ``application/problem+json`` (RFC 9457), in the user's language.

Every error the API answers has one shape (``Problem``): ``type`` (a URI naming the
problem, ``about:blank`` for a plain HTTP status), ``title`` (the status's words),
``status``, ``detail`` (what went wrong, for a person), ``code`` (the first of the codes,
stable, for a program) and ``errors`` (each message with its ``field``, or null for the
whole request, and its ``code``). A service's refusal keeps the service's codes (for
example ``no_communication`` when a reply comes before any contact with the deputy).
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django_fsm import TransitionNotAllowed
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

from suggestions.actions import Refusal

PROBLEM = "application/problem+json"
TYPE_BASE = "urn:npc-tracker:problem:"


def titles() -> dict[int, str]:
    return {
        400: _("Bad request"),
        401: _("Not signed in"),
        403: _("Not allowed"),
        404: _("Not found"),
        405: _("Method not allowed"),
        406: _("Not acceptable"),
        413: _("Too large"),
        415: _("Unsupported media type"),
        429: _("Too many requests"),
    }


def problem(
    status_code: int,
    *,
    code: str,
    detail: str,
    errors: list[dict] | None = None,
    headers: dict | None = None,
) -> Response:
    """The response for one problem; ``errors``: ``{"field", "code", "message"}`` each."""
    errors = errors if errors is not None else [{"field": None, "code": code, "message": detail}]
    body = {
        "type": f"{TYPE_BASE}{code}",
        "title": titles().get(status_code, _("Error")),
        "status": status_code,
        "detail": detail,
        "code": code,
        "errors": errors,
    }
    return Response(body, status=status_code, headers=headers, content_type=PROBLEM)


def refused(refusal: Refusal, status_code: int = status.HTTP_400_BAD_REQUEST) -> Response:
    """A service's refusal: each message with its code; nothing was written."""
    errors = [
        {"field": None, "code": c, "message": m}
        for m, c in zip(refusal.messages, refusal.codes, strict=True)
    ]
    return problem(
        status_code, code=refusal.codes[0], detail=" ".join(refusal.messages), errors=errors
    )


def form_errors(form) -> list[dict]:
    """A form's errors, per field (``None`` for the whole form), with their codes."""
    errors = []
    for name, field_errors in form.errors.as_data().items():
        field = None if name == "__all__" else name
        for error in field_errors:
            for message in error.messages:
                errors.append({"field": field, "code": error.code or "invalid", "message": message})
    return errors


def flatten(detail, field=None) -> list[dict]:
    """DRF's nested error details as a flat list, each with its dotted field."""
    if isinstance(detail, dict):
        out = []
        for key, value in detail.items():
            name = None if key in ("non_field_errors", "detail") else key
            out += flatten(value, f"{field}.{name}" if field and name else (name or field))
        return out
    if isinstance(detail, list):
        return [e for item in detail for e in flatten(item, field)]
    return [{"field": field, "code": getattr(detail, "code", "invalid"), "message": str(detail)}]


def exception_handler(exc, context):
    """DRF's exception handler: every error a problem; a service's refusal with its codes."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied | DjangoValidationError | TransitionNotAllowed):
        set_rollback()
        status_code = 403 if isinstance(exc, DjangoPermissionDenied) else 400
        return refused(Refusal.of(exc), status_code)
    if not isinstance(exc, exceptions.APIException):
        return None  # a server error: Django's 500 and its log
    set_rollback()
    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))
    if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        request = context.get("request")
        view = context.get("view")
        header = view.get_authenticate_header(request) if view and request else None
        if header:
            headers["WWW-Authenticate"] = header
        else:
            exc.status_code = 401
            headers["WWW-Authenticate"] = 'Token realm="api"'
    if isinstance(exc, exceptions.ValidationError):
        errors = flatten(exc.detail)
        first = errors[0] if errors else {"code": "invalid", "message": ""}
        return problem(
            exc.status_code,
            code=first["code"],
            detail=first["message"],
            errors=errors,
            headers=headers,
        )
    codes = exc.get_codes()
    code = codes if isinstance(codes, str) else "error"
    return problem(exc.status_code, code=code, detail=str(exc.detail), headers=headers)
