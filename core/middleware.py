"""Language selection (Arabic first for pages, the client's choice for the API) and the refusal of
input no view should see."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.utils import translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from core.http import error_body
from core.input import bad_fields


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


class RejectUnsafeInputMiddleware:
    """Refuse a request that carries text the database cannot store or a non-finite number, before
    any view runs (`core.input`): a clear 4xx in the caller's language, never a server error.

    The answer takes the shape of the surface asked: the API's JSON error (422, the field named),
    the shape a path prefix registers in AMANE_BAD_INPUT_RENDERERS (Open311's errors document), or
    the error page.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        fields = bad_fields(request)
        if fields:
            return self.refuse(request, fields)
        return self.get_response(request)

    @staticmethod
    def refuse(request: HttpRequest, fields: dict[str, Any]) -> HttpResponse:
        message = _("The request contains a value that cannot be accepted: correct the marked fields.")
        path = request.path_info
        for prefix, dotted in getattr(settings, "AMANE_BAD_INPUT_RENDERERS", {}).items():
            if path.startswith(prefix):
                return import_string(dotted)(request, message, fields)
        if path.startswith("/api/") or "json" in request.content_type or "json" in request.headers.get("Accept", ""):
            return JsonResponse(error_body("invalid_input", message, fields), status=422)
        details = sorted({str(reason) for reason in fields.values()})
        return render(request, "400.html", {"message": message, "details": details}, status=400)
