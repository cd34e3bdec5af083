"""Citizen sign-in pages (OIDC relying party) and the trusted-third-party API."""

from __future__ import annotations

import base64
import functools
import hmac
import secrets
import time
import urllib.parse

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from identity import conf, keys, oidc
from identity.selectors import LOCAL_IDP_BY_SUB, LOCAL_IDP_CITIZENS, SESSION_KEY, current_citizen
from identity.services import citizen_sign_out, idp_code_issue, idp_code_redeem


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


# ---------------------------------------------------------------- the local demo provider (/idp/)
#
# A local OpenID Connect provider for the demo and the tests (never for production). Switched on by
# AMANE_OIDC_LOCAL_IDP (every page answers 404 otherwise). It signs ID tokens with its own RSA key
# generated into var/ (`identity_idp_key.pem`), publishes the JWKS and a discovery document, and
# offers a password-less "sign in as" page listing fictional citizens. Its only client is this
# platform (AMANE_OIDC_CLIENT_ID / the configured or derived secret, the callback address).

IDP_TOKEN_TTL_SECONDS = 300


def local_only(view):
    """Every page of the provider is 404, whatever the method, unless AMANE_OIDC_LOCAL_IDP is on."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not conf.local_idp_enabled():
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


@local_only
@require_GET
def discovery(request: HttpRequest) -> JsonResponse:
    base = conf.local_issuer()
    return JsonResponse(
        {
            "issuer": base,
            "authorization_endpoint": base + "/authorize",
            "token_endpoint": base + "/token",
            "jwks_uri": base + "/jwks.json",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid", "profile", "cnie"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "code_challenge_methods_supported": ["S256"],
            "grant_types_supported": ["authorization_code"],
            "claims_supported": ["sub", "given_name", "family_name", "cnie", "acr", "auth_time", "nonce"],
            "acr_values_supported": ["low", "substantial", "high"],
        }
    )


@local_only
@require_GET
def jwks(request: HttpRequest) -> JsonResponse:
    return JsonResponse(keys.jwks(keys.IDP_KEY_FILE))


AUTHORIZE_PARAMS = ("client_id", "redirect_uri", "response_type", "scope", "state", "nonce", "code_challenge",
                    "code_challenge_method")  # fmt: skip


def _redirect_error(redirect_uri: str, error: str, state: str) -> HttpResponseRedirect:
    query = urllib.parse.urlencode({"error": error, "state": state})
    return HttpResponseRedirect(redirect_uri + ("&" if "?" in redirect_uri else "?") + query)


@local_only
@never_cache
def authorize(request: HttpRequest) -> HttpResponse:
    """GET shows the fictional citizens; POST signs in as one and sends the browser back with a code."""
    if request.method not in ("GET", "POST"):
        return HttpResponse(status=405)
    source = request.GET if request.method == "GET" else request.POST
    params = {k: (source.get(k) or "")[:500] for k in AUTHORIZE_PARAMS}
    # Without a known client and its exact callback address, never redirect (open redirector).
    if params["client_id"] != conf.client_id() or params["redirect_uri"] != conf.redirect_uri():
        return render(
            request,
            "identity/error.html",
            {"message": _("Unknown application or return address."), "code": "invalid_client"},
            status=400,
        )
    if params["response_type"] != "code" or "openid" not in params["scope"].split():
        return _redirect_error(params["redirect_uri"], "unsupported_response_type", params["state"])
    if params["code_challenge_method"] != "S256" or not 43 <= len(params["code_challenge"]) <= 128:
        return _redirect_error(params["redirect_uri"], "invalid_request", params["state"])
    if request.method == "POST":
        if request.POST.get("cancel"):
            return _redirect_error(params["redirect_uri"], "access_denied", params["state"])
        subject = request.POST.get("subject", "")
        if subject in LOCAL_IDP_BY_SUB:
            code = idp_code_issue(
                subject=subject,
                client_id=params["client_id"],
                redirect_uri=params["redirect_uri"],
                code_challenge=params["code_challenge"],
                nonce=params["nonce"],
            )
            query = urllib.parse.urlencode({"code": code, "state": params["state"]})
            return HttpResponseRedirect(params["redirect_uri"] + "?" + query)
    return render(request, "identity/idp_login.html", {"params": params, "citizens": LOCAL_IDP_CITIZENS})


def _client_credentials(request: HttpRequest) -> tuple[str, str]:
    auth = request.headers.get("Authorization", "")
    if auth.lower().startswith("basic "):
        try:
            raw = base64.b64decode(auth[6:].strip(), validate=True).decode()
            cid, _sep, secret = raw.partition(":")
            return urllib.parse.unquote_plus(cid), urllib.parse.unquote_plus(secret)
        except (ValueError, UnicodeDecodeError):
            return "", ""
    return request.POST.get("client_id", ""), request.POST.get("client_secret", "")


@local_only
@csrf_exempt
@never_cache
def token(request: HttpRequest) -> JsonResponse:
    """The token endpoint: client authentication, single-use code, PKCE, then a signed ID token."""
    if request.method != "POST":
        return JsonResponse({"error": "invalid_request"}, status=405)
    cid, secret = _client_credentials(request)
    if cid != conf.client_id() or not hmac.compare_digest(secret.encode(), conf.client_secret().encode()):
        return JsonResponse({"error": "invalid_client"}, status=401)
    if request.POST.get("grant_type") != "authorization_code":
        return JsonResponse({"error": "unsupported_grant_type"}, status=400)
    row = idp_code_redeem(
        code=request.POST.get("code", "")[:200],
        client_id=cid,
        redirect_uri=request.POST.get("redirect_uri", ""),
        code_verifier=request.POST.get("code_verifier", ""),
    )
    if row is None:
        return JsonResponse({"error": "invalid_grant"}, status=400)
    person = LOCAL_IDP_BY_SUB[row.subject]
    now = int(time.time())
    claims = {
        "iss": conf.local_issuer(),
        "sub": person["sub"],
        "aud": cid,
        "iat": now,
        "exp": now + IDP_TOKEN_TTL_SECONDS,
        "auth_time": int(row.created_at.timestamp()),
        "jti": secrets.token_urlsafe(16),
        "given_name": person["given_name"],
        "family_name": person["family_name"],
        conf.cnie_claim(): person["cnie"],
        "acr": person["acr"],
    }
    if row.nonce:
        claims["nonce"] = row.nonce
    return JsonResponse(
        {
            "access_token": secrets.token_urlsafe(32),
            "token_type": "Bearer",
            "expires_in": IDP_TOKEN_TTL_SECONDS,
            "id_token": keys.sign(keys.IDP_KEY_FILE, claims),
        },
        headers={"Cache-Control": "no-store"},
    )
