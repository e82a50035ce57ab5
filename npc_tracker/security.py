"""Who is asking: the client's address, as the login lockout keys on it."""

from http import HTTPStatus

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def client_ip(request) -> str | None:
    """The address of the client, trusting nginx's X-Forwarded-For only behind the proxy.

    nginx appends the address it saw to X-Forwarded-For, so the right-most entry is the
    one a client cannot forge; what the client sent itself stands to its left.
    """
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = forwarded.rsplit(",", 1)[-1].strip()
        if last:
            return last
    return request.META.get("REMOTE_ADDR")


def api_problem(
    status: int, *, code: str, title: str, detail: str, headers: dict | None = None
) -> JsonResponse:
    """An error of the JSON API (``/api/``) answered before its views run (the lockout, a
    URL no route takes): a problem (RFC 9457) of the shape ``api.problems`` gives."""
    body = {
        "type": f"urn:npc-tracker:problem:{code}",
        "title": title,
        "status": status,
        "detail": detail,
        "code": code,
        "errors": [{"field": None, "code": code, "message": detail}],
    }
    return JsonResponse(
        body,
        status=status,
        content_type="application/problem+json",
        headers=headers,
        json_dumps_params={"ensure_ascii": False},
    )


def locked_out_problem(minutes: int) -> JsonResponse:
    """A locked-out login of the JSON API (``/api/``): a problem (RFC 9457), not a page."""
    detail = _(
        "Too many failed logins: this account is locked from your address for %(minutes)s minutes."
    ) % {"minutes": minutes}
    return api_problem(
        HTTPStatus.TOO_MANY_REQUESTS,
        code="locked_out",
        title=_("Too many requests"),
        detail=detail,
        headers={"Retry-After": str(minutes * 60)},
    )


def lockout_response(request, original_response=None, credentials=None):
    """The page a locked-out login gets (HTTP 429), in the user's language; the API's
    login gets a problem."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    if request.path.startswith("/api/"):
        return locked_out_problem(minutes)
    return render(
        request,
        "registration/locked_out.html",
        {"minutes": minutes},
        status=HTTPStatus.TOO_MANY_REQUESTS,
    )
