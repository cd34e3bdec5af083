"""Settings of staff accounts, read from AMANE_* environment variables with safe defaults.

Each value can also be set on django.conf.settings under the same name (tests use pytest-django's
`settings` fixture); the functions below read settings first, then the environment default.
`.env.example` documents every variable.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings

from core.env import env_bool, env_int, env_str
from org.choices import Role

# Sign-in throttling (/login/). Failures before each further attempt has to wait, the first wait in
# seconds (doubled by every further failure, up to the cap), and the failures that lock an account
# or an address. An address is shared by a whole station behind one router, so it gets more room.
AMANE_LOGIN_FREE_ATTEMPTS = env_int("AMANE_LOGIN_FREE_ATTEMPTS", 3)
AMANE_LOGIN_DELAY_SECONDS = env_int("AMANE_LOGIN_DELAY_SECONDS", 2)
AMANE_LOGIN_DELAY_MAX_SECONDS = env_int("AMANE_LOGIN_DELAY_MAX_SECONDS", 60)
AMANE_LOGIN_LOCKOUT_ATTEMPTS = env_int("AMANE_LOGIN_LOCKOUT_ATTEMPTS", 10)
AMANE_LOGIN_ADDRESS_FREE_ATTEMPTS = env_int("AMANE_LOGIN_ADDRESS_FREE_ATTEMPTS", 10)
AMANE_LOGIN_ADDRESS_LOCKOUT_ATTEMPTS = env_int("AMANE_LOGIN_ADDRESS_LOCKOUT_ATTEMPTS", 30)
# Length of the first lockout; each further lockout before a successful sign-in doubles it, up to
# the cap.
AMANE_LOGIN_LOCKOUT_MINUTES = env_int("AMANE_LOGIN_LOCKOUT_MINUTES", 15)
AMANE_LOGIN_LOCKOUT_MAX_MINUTES = env_int("AMANE_LOGIN_LOCKOUT_MAX_MINUTES", 240)
# Failures older than this are forgotten (the counters start again) when nothing is locked.
AMANE_LOGIN_FORGET_HOURS = env_int("AMANE_LOGIN_FORGET_HOURS", 24)
# Failed API key authentications from one address before delays, and before a lockout.
AMANE_API_KEY_FREE_FAILURES = env_int("AMANE_API_KEY_FREE_FAILURES", 10)
AMANE_API_KEY_LOCKOUT_FAILURES = env_int("AMANE_API_KEY_LOCKOUT_FAILURES", 30)

# Second factor (TOTP) for the roles below; off only for the demo (`make run`), refused in
# production by a system check.
AMANE_REQUIRE_2FA = env_bool("AMANE_REQUIRE_2FA", True)
SECOND_FACTOR_ROLES = (Role.UNIT_CHIEF, Role.INSPECTOR, Role.OVERSIGHT, Role.ADMINISTRATOR)
RECOVERY_CODES = 10

# Sessions: minutes without a request after which a session ends (per role: the strictest of the
# user's roles applies), and the hours after sign-in at which it ends whatever happens (a shift).
AMANE_SESSION_IDLE_MINUTES = env_int("AMANE_SESSION_IDLE_MINUTES", 30)
AMANE_SESSION_IDLE_BY_ROLE = env_str("AMANE_SESSION_IDLE_BY_ROLE", "administrator=15,dispatcher=720,patrol=720")
AMANE_SESSION_MAX_HOURS = env_int("AMANE_SESSION_MAX_HOURS", 12)


def _get(name: str) -> Any:
    return getattr(settings, name, globals()[name])


@dataclass(frozen=True)
class ThrottlePolicy:
    """Failures allowed before delays start, the first delay, its cap, and the lockout threshold."""

    free: int
    delay_seconds: int
    delay_max_seconds: int
    lockout: int


def _policy(free: str, lockout: str) -> ThrottlePolicy:
    lock = max(int(_get(lockout)), 1)
    return ThrottlePolicy(
        free=min(max(int(_get(free)), 0), lock),
        delay_seconds=max(int(_get("AMANE_LOGIN_DELAY_SECONDS")), 0),
        delay_max_seconds=max(int(_get("AMANE_LOGIN_DELAY_MAX_SECONDS")), 0),
        lockout=lock,
    )


def account_policy() -> ThrottlePolicy:
    return _policy("AMANE_LOGIN_FREE_ATTEMPTS", "AMANE_LOGIN_LOCKOUT_ATTEMPTS")


def address_policy() -> ThrottlePolicy:
    return _policy("AMANE_LOGIN_ADDRESS_FREE_ATTEMPTS", "AMANE_LOGIN_ADDRESS_LOCKOUT_ATTEMPTS")


def api_key_policy() -> ThrottlePolicy:
    return _policy("AMANE_API_KEY_FREE_FAILURES", "AMANE_API_KEY_LOCKOUT_FAILURES")


def lockout_seconds(lockouts_before: int) -> int:
    """The n-th lockout since the last successful sign-in lasts 2^n times the first, up to the cap."""
    first = max(int(_get("AMANE_LOGIN_LOCKOUT_MINUTES")), 1) * 60
    cap = max(int(_get("AMANE_LOGIN_LOCKOUT_MAX_MINUTES")) * 60, first)
    return min(first * 2 ** min(lockouts_before, 20), cap)


def forget_seconds() -> int:
    return max(int(_get("AMANE_LOGIN_FORGET_HOURS")), 1) * 3600


def require_second_factor() -> bool:
    return bool(_get("AMANE_REQUIRE_2FA"))


def _by_role(raw: str) -> dict[str, int]:
    out: dict[str, int] = {}
    for item in raw.split(","):
        role, _sep, minutes = item.partition("=")
        if role.strip() in Role.values and minutes.strip().isdigit():
            out[role.strip()] = max(int(minutes), 1)
    return out


def idle_minutes(roles: list[str]) -> int:
    """The idle timeout of a user holding `roles`: the shortest among them (the default for a role
    without its own), never longer than the absolute lifetime."""
    default = max(int(_get("AMANE_SESSION_IDLE_MINUTES")), 1)
    by_role = _by_role(str(_get("AMANE_SESSION_IDLE_BY_ROLE")))
    minutes = min((by_role.get(r, default) for r in roles), default=default)
    return min(minutes, max_hours() * 60)


def max_hours() -> int:
    return max(int(_get("AMANE_SESSION_MAX_HOURS")), 1)
