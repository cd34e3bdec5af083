"""Production checks of what the demo leaves behind: the call simulator and the demo accounts."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX, check_password
from django.core import checks
from django.db import DatabaseError

from core.checks import production, refused
from core.env import env_bool
from demo.data import DEMO_EMAIL_DOMAIN, DEMO_PASSWORD

MAX_HASHES = 20  # distinct password hashes verified at most (each costs a full key stretching)


def simulation_enabled() -> bool:
    """AMANE_DEMO_SIMULATION: simulated line-19 calls on the board (on under `make run`)."""
    return bool(getattr(settings, "AMANE_DEMO_SIMULATION", env_bool("AMANE_DEMO_SIMULATION", False)))


def accounts_with_demo_password() -> list[str]:
    """Usernames of active accounts made by the demo loader that still have the demo password.

    Only the loader's accounts (e-mail at DEMO_EMAIL_DOMAIN) can have it: one query finds them,
    none in a real deployment. The loader hashes the password once for all of them, so the
    passwords are checked once per distinct hash, not once per account; past MAX_HASHES distinct
    hashes the remaining demo accounts are reported as well, unverified.
    """
    rows = (
        get_user_model()
        .objects.filter(is_active=True, email__iendswith="@" + DEMO_EMAIL_DOMAIN)
        .exclude(password__startswith=UNUSABLE_PASSWORD_PREFIX)
        .order_by("username")
        .values_list("username", "password")
    )
    by_hash: dict[str, list[str]] = {}
    for username, encoded in rows:
        by_hash.setdefault(encoded, []).append(username)
    found: list[str] = []
    for k, (encoded, usernames) in enumerate(by_hash.items()):
        if k >= MAX_HASHES or check_password(DEMO_PASSWORD, encoded):
            found.extend(usernames)
    return sorted(found)


@checks.register(checks.Tags.security)
def demo_off_in_production(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    if not production():
        return []
    messages: list[checks.CheckMessage] = []
    if simulation_enabled():
        messages.append(
            refused(
                "AMANE_DEMO_SIMULATION",
                "the call simulator would put fictional line-19 calls on the real board",
                "Unset it or set it to 0.",
                "demo.E001",
            )
        )
    try:
        accounts = accounts_with_demo_password()
    except DatabaseError:  # not migrated yet: no account at all
        accounts = []
    if accounts:
        shown = ", ".join(accounts[:5]) + (f" and {len(accounts) - 5} more" if len(accounts) > 5 else "")
        messages.append(
            refused(
                "DEMO_PASSWORD",
                f"{len(accounts)} account(s) loaded by load_demo still sign in with the published demo "
                f"password ({shown})",
                "Production needs its own database: do not run load_demo on it, or deactivate these accounts.",
                "demo.E002",
            )
        )
    return messages
