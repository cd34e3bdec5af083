"""System checks: the demo identity provider must not face the public."""

from __future__ import annotations

import urllib.parse
from typing import Any

from django.conf import settings
from django.core import checks

from core.checks import production, refused
from identity import conf

LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]", "::1", "testserver"}


@checks.register(checks.Tags.security)
def local_idp_not_public(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Anyone may sign in as a fictional citizen on the local provider: warn when it is exposed."""
    messages: list[checks.CheckMessage] = []
    if conf.local_idp_enabled() and production():
        messages.append(
            refused(
                "AMANE_OIDC_LOCAL_IDP",
                "the demo identity provider lets anyone sign in as a fictional citizen",
                "Unset it and set AMANE_OIDC_ISSUER to the national provider.",
                "identity.E002",
            )
        )
    elif conf.local_idp_enabled():
        public = [h for h in settings.ALLOWED_HOSTS if h not in LOCAL_HOSTS]
        if public:
            messages.append(
                checks.Warning(
                    "AMANE_OIDC_LOCAL_IDP is on while the site answers public host names "
                    f"({', '.join(public)}): anyone can sign in as a fictional citizen.",
                    hint="Switch AMANE_OIDC_LOCAL_IDP off and set AMANE_OIDC_ISSUER to the national provider.",
                    id="identity.W001",
                )
            )
    issuer = conf.issuer()
    host = urllib.parse.urlsplit(issuer).hostname or ""
    if issuer and urllib.parse.urlsplit(issuer).scheme != "https" and host not in {"localhost", "127.0.0.1", "::1"}:
        messages.append(
            checks.Error(
                "AMANE_OIDC_ISSUER must use https (identity tokens and keys travel over it).",
                id="identity.E001",
            )
        )
    return messages
