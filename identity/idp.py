"""A local OpenID Connect provider for the demo and the tests (never for production).

Switched on by AMANE_OIDC_LOCAL_IDP (every page answers 404 otherwise). It signs ID tokens with
its own RSA key generated into var/ (`identity_idp_key.pem`), publishes the JWKS and a discovery
document, and offers a password-less "sign in as" page listing fictional citizens. Its only client
is this platform (AMANE_OIDC_CLIENT_ID / the configured or derived secret, the callback address).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import secrets
import time
import urllib.parse
from datetime import timedelta

from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from audit.services import audit_record
from identity import conf, keys
from identity.models import IdpAuthorizationCode

CODE_TTL_SECONDS = 60
TOKEN_TTL_SECONDS = 300

# Fictional citizens (names in Arabic for the token, in Latin letters for the page; CNIE numbers
# are made up and follow the card's format).
CITIZENS = [
    {"sub": "demo-0001", "given_name": "فاطمة الزهراء", "family_name": "العلوي",
     "latin": "Fatima Zahra El Alaoui", "cnie": "BE123456", "acr": "substantial"},
    {"sub": "demo-0002", "given_name": "يوسف", "family_name": "بناني",
     "latin": "Youssef Bennani", "cnie": "BK654321", "acr": "high"},
    {"sub": "demo-0003", "given_name": "خديجة", "family_name": "التازي",
     "latin": "Khadija Tazi", "cnie": "BH234567", "acr": "substantial"},
    {"sub": "demo-0004", "given_name": "محمد", "family_name": "العمراني",
     "latin": "Mohamed El Amrani", "cnie": "BJ345678", "acr": "low"},
    {"sub": "demo-0005", "given_name": "سلمى", "family_name": "الإدريسي",
     "latin": "Salma Idrissi", "cnie": "BE987654", "acr": "high"},
]  # fmt: skip
BY_SUB = {c["sub"]: c for c in CITIZENS}


def local_only(view):
    """Every page of the provider is 404, whatever the method, unless AMANE_OIDC_LOCAL_IDP is on."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not conf.local_idp_enabled():
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def _hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


# --- writes (one transaction each, audited) -----------------------------------------------------


@transaction.atomic
def code_issue(*, subject: str, client_id: str, redirect_uri: str, code_challenge: str, nonce: str) -> str:
    """Issue a single-use authorization code bound to the PKCE challenge; returns it in clear."""
    code = secrets.token_urlsafe(32)
    IdpAuthorizationCode.objects.filter(expires_at__lt=timezone.now() - timedelta(hours=1)).delete()
    row = IdpAuthorizationCode.objects.create(
        code_hash=_hash(code),
        client_id=client_id,
        redirect_uri=redirect_uri,
        code_challenge=code_challenge,
        nonce=nonce,
        subject=subject,
        expires_at=timezone.now() + timedelta(seconds=CODE_TTL_SECONDS),
    )
    audit_record(actor=None, action="identity.idp_code_issued", obj=row, after={"subject": subject})
    return code


@transaction.atomic
def code_redeem(*, code: str, client_id: str, redirect_uri: str, code_verifier: str) -> IdpAuthorizationCode | None:
    """Spend a code and return it if every check passes, else None (the token endpoint's invalid_grant).

    Unknown, used or expired codes, another client or address, and a wrong PKCE verifier are all
    refused. A known code is spent by any attempt, right or wrong, so a stolen code cannot be
    retried with another verifier; hence this returns None instead of raising (which would roll
    the spending back).
    """
    row = IdpAuthorizationCode.objects.select_for_update().filter(code_hash=_hash(code or "")).first()
    if row is None or row.used_at is not None or row.expires_at < timezone.now():
        return None
    row.used_at = timezone.now()
    row.save(update_fields=["used_at"])
    challenge = base64.urlsafe_b64encode(hashlib.sha256((code_verifier or "").encode()).digest()).rstrip(b"=")
    ok = (
        row.client_id == client_id
        and row.redirect_uri == redirect_uri
        and 43 <= len(code_verifier or "") <= 128
        and hmac.compare_digest(challenge, row.code_challenge.encode())
    )
    audit_record(actor=None, action="identity.idp_code_redeemed", obj=row, after={"accepted": ok})
    return row if ok else None


# --- endpoints ----------------------------------------------------------------------------------


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
        if subject in BY_SUB:
            code = code_issue(
                subject=subject,
                client_id=params["client_id"],
                redirect_uri=params["redirect_uri"],
                code_challenge=params["code_challenge"],
                nonce=params["nonce"],
            )
            query = urllib.parse.urlencode({"code": code, "state": params["state"]})
            return HttpResponseRedirect(params["redirect_uri"] + "?" + query)
    return render(request, "identity/idp_login.html", {"params": params, "citizens": CITIZENS})


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
    row = code_redeem(
        code=request.POST.get("code", "")[:200],
        client_id=cid,
        redirect_uri=request.POST.get("redirect_uri", ""),
        code_verifier=request.POST.get("code_verifier", ""),
    )
    if row is None:
        return JsonResponse({"error": "invalid_grant"}, status=400)
    person = BY_SUB[row.subject]
    now = int(time.time())
    claims = {
        "iss": conf.local_issuer(),
        "sub": person["sub"],
        "aud": cid,
        "iat": now,
        "exp": now + TOKEN_TTL_SECONDS,
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
            "expires_in": TOKEN_TTL_SECONDS,
            "id_token": keys.sign(keys.IDP_KEY_FILE, claims),
        },
        headers={"Cache-Control": "no-store"},
    )
