from http import HTTPStatus

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core.cache import cache
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import defaults
from rest_framework.exceptions import NotFound

from .security import api_problem, client_ip


def csrf_failure(request, reason=""):
    """A refused form (no or a stale CSRF token), said in the user's language."""
    return render(request, "403_csrf.html", {"reason": reason}, status=403)


def page_not_found(request, exception):
    """Django's 404 page; under ``/api/`` the API's 404 problem, also for a URL no route
    takes (a device's id that is not a UUID never reaches the API's views)."""
    if request.path.startswith("/api/"):
        return api_problem(
            HTTPStatus.NOT_FOUND,
            code="not_found",
            title=_("Not found"),
            detail=str(NotFound.default_detail),
        )
    return defaults.page_not_found(request, exception)


def bad_request(request, exception):
    """Django's 400 page; under ``/api/`` a problem: a request Django refuses before any
    view (too many fields or files in a form, an unknown host)."""
    if request.path.startswith("/api/"):
        return api_problem(
            HTTPStatus.BAD_REQUEST,
            code="bad_request",
            title=_("Bad request"),
            detail=_("The request is invalid."),
        )
    return defaults.bad_request(request, exception)


def server_error(request):
    """Django's 500 page; under ``/api/`` a problem, so a client reads every error alike."""
    if request.path.startswith("/api/"):
        return api_problem(
            HTTPStatus.INTERNAL_SERVER_ERROR,
            code="server_error",
            title=_("Server error"),
            detail=_("Something went wrong on the server; try again later."),
        )
    return defaults.server_error(request)


class PasswordResetEnabledMixin:
    """The password reset pages exist only where e-mail is configured (a 404 otherwise):
    without it the reset message would only reach the server's console."""

    def dispatch(self, request, *args, **kwargs):
        if not settings.PASSWORD_RESET_ENABLED:
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class PasswordResetView(PasswordResetEnabledMixin, auth_views.PasswordResetView):
    """Asking for a reset e-mail: ``PASSWORD_RESET_HOURLY`` requests an hour from one
    address, so the form cannot be used to flood mailboxes or probe for accounts."""

    def post(self, request, *args, **kwargs):
        key = f"npc:password-reset:{client_ip(request)}"
        cache.add(key, 0, timeout=3600)
        if cache.incr(key) > settings.PASSWORD_RESET_HOURLY:
            return render(
                request,
                "registration/password_reset_throttled.html",
                status=HTTPStatus.TOO_MANY_REQUESTS,
            )
        return super().post(request, *args, **kwargs)


class PasswordResetDoneView(PasswordResetEnabledMixin, auth_views.PasswordResetDoneView):
    pass


class PasswordResetConfirmView(PasswordResetEnabledMixin, auth_views.PasswordResetConfirmView):
    pass


class PasswordResetCompleteView(PasswordResetEnabledMixin, auth_views.PasswordResetCompleteView):
    pass
