"""Citizen sign-in pages (OIDC relying party) and the trusted-third-party API."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from identity import oidc
from identity.selectors import SESSION_KEY, current_citizen
from identity.services import citizen_sign_out


def _safe_next(request: HttpRequest, value: str | None) -> str:
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return "/"


def _refusal(request: HttpRequest, error: oidc.OidcError) -> HttpResponse:
    return render(request, "identity/error.html", {"message": error.message, "code": error.code}, status=error.status)


@never_cache
@require_GET
def login(request: HttpRequest) -> HttpResponse:
    """Start the sign-in: redirect to the identity provider with state, nonce and a PKCE challenge."""
    try:
        url = oidc.start(request, next_url=_safe_next(request, request.GET.get("next")))
    except oidc.OidcError as error:
        return _refusal(request, error)
    return HttpResponseRedirect(url)


@never_cache
@require_GET
def callback(request: HttpRequest) -> HttpResponse:
    """The provider sends the browser back here with a code; a verified token signs the citizen in."""
    try:
        citizen, next_url = oidc.complete(request, request.GET)
    except oidc.OidcError as error:
        return _refusal(request, error)
    # A new session key at sign-in: a key planted before it (session fixation) is worth nothing.
    request.session.cycle_key()
    request.session[SESSION_KEY] = citizen.pk
    request._identity_citizen = citizen  # type: ignore[attr-defined]
    return HttpResponseRedirect(_safe_next(request, next_url))


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    citizen = current_citizen(request)
    if citizen is not None:
        citizen_sign_out(citizen=citizen)
    request.session.pop(SESSION_KEY, None)
    request.session.cycle_key()
    request._identity_citizen = None  # type: ignore[attr-defined]
    return HttpResponseRedirect(_safe_next(request, request.POST.get("next")))
