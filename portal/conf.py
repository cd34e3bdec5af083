"""Settings of the citizen portal, read from AMANE_* environment variables with safe defaults.

Each value can also be set on django.conf.settings under the same name (tests use pytest-django's
`settings` fixture); the functions below read settings first, then the environment default.
"""

from __future__ import annotations

from django.conf import settings

from core.env import env_int, env_list, env_str
from jobs.policy import RetryPolicy
from org.ratelimit import Rule

# Days after closure during which a signed-in citizen may reopen their complaint (once).
AMANE_PORTAL_REOPEN_DAYS = env_int("AMANE_PORTAL_REOPEN_DAYS", 30)
# Dotted path of the notification backend class (SMS and e-mail).
AMANE_NOTIFY_BACKEND = env_str("AMANE_NOTIFY_BACKEND", "portal.notifications.OutboxBackend")
# Attempts at sending one notification before giving up, and the delay between them (seconds,
# multiplied by the attempt number).
AMANE_NOTIFY_MAX_ATTEMPTS = env_int("AMANE_NOTIFY_MAX_ATTEMPTS", 3)
AMANE_NOTIFY_RETRY_SECONDS = env_int("AMANE_NOTIFY_RETRY_SECONDS", 60)
# Seconds a notification may stay owed with no task queued or running for it before the sweep
# queues it again (covers a crash between its commit and its task's enqueue).
AMANE_NOTIFY_SWEEP_GRACE_SECONDS = env_int("AMANE_NOTIFY_SWEEP_GRACE_SECONDS", 300)
# Days a satisfaction-survey link stays valid after it was sent.
AMANE_SURVEY_MAX_AGE_DAYS = env_int("AMANE_SURVEY_MAX_AGE_DAYS", 60)
# Rate limits as "requests/seconds": per client address and per citizen on filing, per address
# on tracking and on citizen sign-in.
AMANE_RATE_FILING = env_str("AMANE_RATE_FILING", "5/3600")
AMANE_RATE_TRACKING = env_str("AMANE_RATE_TRACKING", "20/600")
AMANE_RATE_LOGIN = env_str("AMANE_RATE_LOGIN", "10/600")
# Paths whose requests count against the sign-in limit (portal.middleware.LoginRateLimitMiddleware).
AMANE_RATE_LOGIN_PATHS = env_list("AMANE_RATE_LOGIN_PATHS", ["/identity/login/", "/idp/authorize"])
# Leading zero bits the browser's proof of work must find on the filing form (0 switches it off).
AMANE_POW_BITS = env_int("AMANE_POW_BITS", 12)


def _get(name: str):
    return getattr(settings, name, globals()[name])


def _rule(name: str) -> Rule:
    return Rule.parse(str(_get(name)))


def rate_filing() -> Rule:
    return _rule("AMANE_RATE_FILING")


def rate_tracking() -> Rule:
    return _rule("AMANE_RATE_TRACKING")


def rate_login() -> Rule:
    return _rule("AMANE_RATE_LOGIN")


def login_paths() -> list[str]:
    return list(_get("AMANE_RATE_LOGIN_PATHS"))


def reopen_days() -> int:
    return int(_get("AMANE_PORTAL_REOPEN_DAYS"))


def notify_backend() -> str:
    return str(_get("AMANE_NOTIFY_BACKEND"))


def notify_max_attempts() -> int:
    return max(int(_get("AMANE_NOTIFY_MAX_ATTEMPTS")), 1)


def notify_retry_seconds() -> int:
    return max(int(_get("AMANE_NOTIFY_RETRY_SECONDS")), 0)


def notify_sweep_grace_seconds() -> int:
    return max(int(_get("AMANE_NOTIFY_SWEEP_GRACE_SECONDS")), 0)


# The retry policy of sending, declared on the task (portal.tasks) and followed by the service's
# own attempts: AMANE_NOTIFY_MAX_ATTEMPTS tries, AMANE_NOTIFY_RETRY_SECONDS times the attempt
# number apart.
NOTIFY_RETRY = RetryPolicy(max_attempts=notify_max_attempts, base_delay=notify_retry_seconds, backoff="linear")


def survey_max_age_seconds() -> int:
    return int(_get("AMANE_SURVEY_MAX_AGE_DAYS")) * 86400


def pow_bits() -> int:
    return max(min(int(_get("AMANE_POW_BITS")), 24), 0)
