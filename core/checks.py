"""System checks that refuse a dangerous configuration at start-up."""

from __future__ import annotations

import os

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]", "testserver"}


@register(Tags.security, deploy=False)
def check_debug_with_public_hosts(app_configs, **kwargs):
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
def check_production_keys(app_configs, **kwargs):
    return [
        Warning(
            f"{name} is not set: a key generated under var/ is used.",
            hint="Set it in the environment in production and keep it out of backups of var/.",
            id="amane.W002",
        )
        for name in ("AMANE_SECRET_KEY", "AMANE_DATA_KEY")
        if not os.environ.get(name)
    ]
