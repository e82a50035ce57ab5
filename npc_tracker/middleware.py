import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _


class SiteLanguageMiddleware:
    """Speak the site's language (Simplified Chinese) unless the user chose another.

    Unlike Django's LocaleMiddleware, the browser's Accept-Language is not consulted: a
    committee's staff work in Chinese whatever their browser says. The language switch
    (Django's ``set_language`` view) stores a choice in the language cookie. The JSON API
    (``/api/``) has no cookie on a phone: there a client's Accept-Language chooses, among
    the site's languages, and Chinese is the default still.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen is None and request.path.startswith("/api/"):
            chosen = self.accepted(request.headers.get("Accept-Language", ""))
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        if request.path.startswith("/api/"):
            patch_vary_headers(response, ["Accept-Language"])
        return response

    def accepted(self, header: str) -> str | None:
        """The first of the site's languages the header accepts (``en-US`` is ``en``,
        ``zh-CN`` and ``zh`` are ``zh-hans``), or None."""
        for tag, _quality in translation.trans_real.parse_accept_lang_header(header):
            tag = tag.lower()
            if tag.startswith("zh"):
                return "zh-hans"
            for code in self.supported:
                if tag == code or tag.split("-")[0] == code:
                    return code
        return None


class SessionIdleTimeoutMiddleware:
    """End a signed-in session that has been idle for ``SESSION_IDLE_MINUTES``.

    The session's server-side expiry is the idle time (``SESSION_COOKIE_AGE``); each
    request renews it, at most once a minute so that reading pages does not write the
    session on every request. A session idle for longer is ended here as well, whatever
    the session backend, and the next page says why.
    """

    TOUCH_SECONDS = 60
    KEY = "_last_seen"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Signed in by the session's own record, without reading the user from the database
        # (the page cache serves kept pages without it; a session whose user has changed
        # their password is refused by the authentication middleware as before).
        if SESSION_KEY in request.session:
            now = int(time.time())
            last_seen = request.session.get(self.KEY)
            if last_seen is not None and now - last_seen > settings.SESSION_IDLE_MINUTES * 60:
                logout(request)
                messages.info(request, _("You were signed out after a period without activity."))
            elif last_seen is None or now - last_seen >= self.TOUCH_SECONDS:
                request.session[self.KEY] = now
        return self.get_response(request)


@receiver(user_logged_in, dispatch_uid="npc_session_seen_at_login")
def _seen_at_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[SessionIdleTimeoutMiddleware.KEY] = int(time.time())
