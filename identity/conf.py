"""Settings of the digital-identity app, read from AMANE_* environment variables.

Each value can also be set on django.conf.settings under the same name (tests use pytest-django's
`settings` fixture); the functions below read settings first, then the environment default.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.urls import reverse

from core.env import env_bool, env_list, env_str

# Issuer of the national digital-identity provider (OpenID Connect); empty = none configured.
AMANE_OIDC_ISSUER = env_str("AMANE_OIDC_ISSUER", "")
# Client id of this platform at the provider.
AMANE_OIDC_CLIENT_ID = env_str("AMANE_OIDC_CLIENT_ID", "amane-portal")
# Client secret; empty = derived from SECRET_KEY (only meaningful with the local provider).
AMANE_OIDC_CLIENT_SECRET = env_str("AMANE_OIDC_CLIENT_SECRET", "")
# "client_secret_basic" (default) or "client_secret_post".
AMANE_OIDC_TOKEN_AUTH = env_str("AMANE_OIDC_TOKEN_AUTH", "client_secret_basic")
# JWKS address overriding the discovery document's jwks_uri.
AMANE_OIDC_JWKS_URL = env_str("AMANE_OIDC_JWKS_URL", "")
AMANE_OIDC_SCOPES = env_list("AMANE_OIDC_SCOPES", ["openid", "profile", "cnie"])
# Name of the custom claim carrying the CNIE number.
AMANE_OIDC_CNIE_CLAIM = env_str("AMANE_OIDC_CNIE_CLAIM", "cnie")
# The demo identity provider under /idp/ (never in production).
AMANE_OIDC_LOCAL_IDP = env_bool("AMANE_OIDC_LOCAL_IDP", False)

# Seconds of clock skew accepted on exp / iat, and how long discovery and JWKS stay cached.
LEEWAY_SECONDS = 60
# Identity checks a partner may ask, as "count/seconds".
AMANE_TTP_RATE = env_str("AMANE_TTP_RATE", "60/60")
CACHE_TTL_SECONDS = 300
# How long a sign-in may take between the redirect to the provider and the callback.
FLOW_MAX_AGE_SECONDS = 600
HTTP_TIMEOUT_SECONDS = 5


def _get(name: str):
    return getattr(settings, name, globals()[name])


def local_idp_enabled() -> bool:
    return bool(_get("AMANE_OIDC_LOCAL_IDP"))


def local_issuer() -> str:
    return settings.PUBLIC_BASE_URL.rstrip("/") + "/idp"


def issuer() -> str:
    """The configured provider, else the local one when it is switched on, else ''."""
    value = _get("AMANE_OIDC_ISSUER")
    if value:
        return value.rstrip("/")
    return local_issuer() if local_idp_enabled() else ""


def client_id() -> str:
    return _get("AMANE_OIDC_CLIENT_ID")


def client_secret() -> str:
    value = _get("AMANE_OIDC_CLIENT_SECRET")
    if value:
        return value
    # The local provider and this relying party share the process, so a secret derived from
    # SECRET_KEY needs no configuration and never leaves the server.
    return hmac.new(settings.SECRET_KEY.encode(), b"amane-local-idp-client-secret", hashlib.sha256).hexdigest()


def token_auth_method() -> str:
    return _get("AMANE_OIDC_TOKEN_AUTH")


def jwks_url_override() -> str:
    return _get("AMANE_OIDC_JWKS_URL")


def scopes() -> list[str]:
    return list(_get("AMANE_OIDC_SCOPES"))


def cnie_claim() -> str:
    return _get("AMANE_OIDC_CNIE_CLAIM")


def redirect_uri() -> str:
    return settings.PUBLIC_BASE_URL.rstrip("/") + reverse("identity:callback")


def ttp_rate() -> str:
    return str(_get("AMANE_TTP_RATE"))
