"""System checks that refuse a dangerous configuration at start-up.

In production (AMANE_ENV=production) every check here and in the apps' `checks.py` (identity: the
demo identity provider; portal: the outbox; demo: the simulator and the demo accounts) is an Error
naming the variable to fix. The production entry point (`manage.py serve`) runs them all and stops
on any; the web server runs them again when it loads the application (`refuse_unsafe_start`), so a
server started some other way refuses too.
"""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core import checks
from django.core.checks import Error, Tags, Warning, register

from core.net import parse_networks

LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]", "testserver"}
KEYS = ("AMANE_SECRET_KEY", "AMANE_DATA_KEY", "AMANE_AUDIT_KEY")


def production() -> bool:
    """True under AMANE_ENV=production (settings.AMANE_ENV, so tests can switch it)."""
    return getattr(settings, "AMANE_ENV", "development") == "production"


def refused(variable: str, problem: str, hint: str, id: str) -> Error:
    """A production refusal whose message starts with the variable to change."""
    return Error(f"{variable}: {problem}", hint=hint, id=id)


@register(Tags.security, deploy=False)
def check_debug_with_public_hosts(app_configs: Any, **kwargs: Any) -> list[checks.CheckMessage]:
    public = [h for h in settings.ALLOWED_HOSTS if h not in LOCAL_HOSTS]
    if settings.DEBUG and public:
        return [
            Error(
                f"AMANE_DEBUG is on while AMANE_ALLOWED_HOSTS names public hosts: {', '.join(public)}",
                hint="Turn AMANE_DEBUG off for any host reachable from outside this machine.",
                id="amane.E001",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_production_keys(app_configs: Any, **kwargs: Any) -> list[checks.CheckMessage]:
    if production():
        return []  # an Error there (check_production_transport), not this warning
    return [
        Warning(
            f"{name} is not set: a key generated under var/ is used.",
            hint="Set it in the environment in production and keep it out of backups of var/.",
            id="amane.W002",
        )
        for name in KEYS
        if not os.environ.get(name)
    ]


@register(Tags.security, deploy=False)
def check_trusted_proxies(app_configs: Any, **kwargs: Any) -> list[checks.CheckMessage]:
    try:
        parse_networks(getattr(settings, "TRUSTED_PROXIES", ()))
    except ValueError as exc:
        return [
            Error(
                f"AMANE_TRUSTED_PROXIES: {exc}",
                hint="List addresses or CIDR networks, comma-separated (10.0.0.5,10.1.0.0/16).",
                id="amane.E002",
            )
        ]
    return []


def _transport_problems() -> list[checks.CheckMessage]:
    """One refusal per production transport setting that is not safe."""
    found: list[checks.CheckMessage] = []
    if settings.DEBUG:
        found.append(refused("AMANE_DEBUG", "debug pages are on", "Unset it or set it to 0.", "amane.E101"))
    if not (settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE):
        found.append(
            refused("AMANE_SECURE_COOKIES", "cookies would travel over plain HTTP", "Unset it or set 1.", "amane.E102")
        )
    if settings.SECURE_HSTS_SECONDS <= 0:
        found.append(
            refused("AMANE_HSTS_SECONDS", "no Strict-Transport-Security header", "Unset it (one year).", "amane.E103")
        )
    if not settings.SECURE_PROXY_SSL_HEADER:
        found.append(
            refused(
                "AMANE_PROXY_SSL_HEADER",
                "the reverse proxy's X-Forwarded-Proto is ignored, so HTTPS requests look like plain HTTP",
                "Unset it or set it to 1, with TLS ending at the proxy.",
                "amane.E104",
            )
        )
    if not settings.SECURE_SSL_REDIRECT:
        found.append(refused("AMANE_SSL_REDIRECT", "plain HTTP is served", "Unset it or set it to 1.", "amane.E105"))
    if not getattr(settings, "TRUSTED_PROXIES", ()):
        found.append(
            refused(
                "AMANE_TRUSTED_PROXIES",
                "no reverse proxy is trusted, so client addresses and the HTTPS scheme cannot be known",
                "Set it to the address or network of the proxy in front of the server.",
                "amane.E106",
            )
        )
    for k, name in enumerate(KEYS):
        if not os.environ.get(name):
            found.append(
                refused(name, "not set: a key generated under var/ would be used", "Set it.", f"amane.E10{7 + k}")
            )
    return found


@register(Tags.security, deploy=False)
def check_production_transport(app_configs: Any, **kwargs: Any) -> list[checks.CheckMessage]:
    return _transport_problems() if production() else []


def refuse_unsafe_start() -> None:
    """In production, stop the process (ImproperlyConfigured) on any check Error: called by the
    WSGI and ASGI entry points, so a server started by hand refuses the demo settings too."""
    if not production():
        return
    from django.core.exceptions import ImproperlyConfigured

    errors = [m for m in checks.run_checks(include_deployment_checks=True) if m.level >= checks.ERROR]
    if errors:
        raise ImproperlyConfigured("refused in production:\n" + "\n".join(f"  {m.msg}" for m in errors))
