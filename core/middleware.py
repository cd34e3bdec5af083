"""Language selection: Arabic first for pages, the client's choice for the API."""

from __future__ import annotations

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ArabicFirstLocaleMiddleware(LocaleMiddleware):
    """Pages are in Arabic unless the user picked another language with the switcher (cookie).

    The browser's Accept-Language is ignored for pages: counter and duty-office machines are often
    set up in French or English, and the service's working language is Arabic. API clients do say
    which language they want their error messages in, so the API keeps Django's negotiation.
    """

    def process_request(self, request):
        if request.path_info.startswith("/api/"):
            return super().process_request(request)
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
