"""Who is asking: the client's address, as the login lockout keys on it."""

from http import HTTPStatus

from django.conf import settings
from django.shortcuts import render


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


def lockout_response(request, original_response=None, credentials=None):
    """The page a locked-out login gets (HTTP 429), in the user's language."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(
        request,
        "registration/locked_out.html",
        {"minutes": minutes},
        status=HTTPStatus.TOO_MANY_REQUESTS,
    )
