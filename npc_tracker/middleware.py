from django.conf import settings
from django.utils import translation


class SiteLanguageMiddleware:
    """Speak the site's language (Simplified Chinese) unless the user chose another.

    Unlike Django's LocaleMiddleware, the browser's Accept-Language is not consulted: a
    committee's staff work in Chinese whatever their browser says. The language switch
    (Django's ``set_language`` view) stores a choice in the language cookie.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        return response
