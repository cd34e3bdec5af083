"""The one place where a service's refusal meets HTTP: JSON bodies, error pages and forms.

Services raise `core.errors.DomainError`; the API (django-ninja), the partner endpoints and the
pages all turn it into an answer here, so the error body `{"code", "message", "fields"}`, the 404
that hides whether a record exists and the form that keeps what the user typed are written once.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from functools import wraps
from typing import Any, TypeVar

from django import forms
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError, NotFound, PermissionDenied, TooManyRequests, ValidationFailed
from core.net import client_ip  # noqa: F401  (re-exported: the one client address)

View = Callable[..., HttpResponse]
R = TypeVar("R", bound=HttpResponse)


def error_body(code: str, message: Any, fields: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The error shape of every JSON answer: a code, a message in the caller's language, fields."""
    return {"code": code, "message": str(message), "fields": {k: str(v) for k, v in (fields or {}).items()}}


def domain_error_body(exc: DomainError) -> dict[str, Any]:
    return error_body(exc.code, exc.message, exc.fields)


def json_error(exc: DomainError) -> JsonResponse:
    return with_retry_after(JsonResponse(domain_error_body(exc), status=exc.status), exc)


def with_retry_after(response: R, exc: DomainError) -> R:
    """Add Retry-After to the answer to a 429 refusal (TooManyRequests); others pass unchanged."""
    if isinstance(exc, TooManyRequests):
        response["Retry-After"] = str(exc.retry_after)
    return response


def page_errors(view: View) -> View:
    """A refusal that escapes a page view becomes a page with its 4xx status, never a 500.

    NotFound renders the plain 404 page: it neither names the record nor says whether it exists.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotFound:
            return render(request, "404.html", status=404)
        except DomainError as exc:
            return render(request, "error.html", {"error": exc}, status=exc.status)

    return wrapper


def form_error(form: forms.BaseForm, exc: DomainError, aliases: Mapping[str, tuple[str, ...]] | None = None) -> int:
    """Put a service's refusal back on the form it came from; returns the status to answer with.

    `aliases` names the form fields that carry a service field under another name (the service
    says "attachment", the form has "attachments").
    """
    form.add_error(None, exc.message)
    for name, message in exc.fields.items():
        for field in (name, *(aliases or {}).get(name, ())):
            if field in form.fields:
                form.add_error(field, message)
                break
    return exc.status


def parse_float(raw: Any, *, field: str = "latitude") -> float | None:
    """A decimal typed by a person ("33,57" or "33.57"), or None when empty; finite or refused."""
    text = str(raw if raw is not None else "").strip().replace(",", ".")
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise ValidationFailed(_("Enter a number."), fields={field: _("Not a number.")}) from None
    if not math.isfinite(value):
        raise ValidationFailed(_("Enter a number."), fields={field: _("Not a number.")})
    return value


def is_htmx(request: HttpRequest) -> bool:
    # A history restore asks for the whole page even though htmx sends it.
    return request.headers.get("HX-Request") == "true" and not request.headers.get("HX-History-Restore-Request")


def role_required(*roles: str) -> Callable[[View], View]:
    """Refuse (403 through `page_errors`, or the API's error body) a user holding none of `roles`."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.has_role(*roles):  # type: ignore[union-attr]
                raise PermissionDenied(_("Your role does not give access to this page."))
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
