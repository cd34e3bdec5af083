"""Staff sessions: their clocks (sign-in time, last request) and the second factor they still owe.

A session ends after AMANE_SESSION_IDLE_MINUTES without a request (the strictest of the user's
roles: 15 minutes for an administrator, a shift for a dispatcher or a patrol whose board or phone
page stays open and idle between calls) and AMANE_SESSION_MAX_HOURS after sign-in whatever
happens. The clocks live in the session itself (one write a minute at most), stamped at sign-in;
a session older than this code gets its clocks at its first request.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.contrib.sessions.backends.base import SessionBase
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone

from org import conf
from org.models import User
from org.selectors import has_authenticator, second_factor_required

STARTED = "amane_started"
SEEN = "amane_seen"
# Whether the user had an authenticator at sign-in: a desk officer who set one up of their own
# accord must pass it too, and the middleware need not ask the database on every request.
HAS_DEVICE = "amane_has_device"
# The last-request stamp is written at most this often (a session write on every request would
# double the database writes of a read).
TOUCH_SECONDS = 60


def _now() -> float:
    return timezone.now().timestamp()


def stamp(session: SessionBase, user: User) -> None:
    now = _now()
    session[STARTED] = session[SEEN] = now
    session[HAS_DEVICE] = has_authenticator(user)


@receiver(user_logged_in)
def _on_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session") and isinstance(user, User):
        stamp(request.session, user)


def expiry(session: SessionBase, user: User) -> str | None:
    """ "absolute" when the session has lived its maximum, "idle" when it went unused too long, else
    None (and the last-request stamp is brought up to date)."""
    now = _now()
    started, seen = session.get(STARTED), session.get(SEEN)
    if not isinstance(started, int | float) or not isinstance(seen, int | float):
        session[STARTED] = session[SEEN] = now
        session.setdefault(HAS_DEVICE, has_authenticator(user))
        return None
    if now - started >= conf.max_hours() * 3600:
        return "absolute"
    if now - seen >= conf.idle_minutes(user.roles) * 60:
        return "idle"
    if now - seen >= TOUCH_SECONDS:
        session[SEEN] = now
    return None


def ends_at(session: SessionBase, user: User) -> tuple[float, float]:
    """When the session ends if unused (timestamp), and when it ends at the latest."""
    started, seen = float(session.get(STARTED, _now())), float(session.get(SEEN, _now()))
    return seen + conf.idle_minutes(user.roles) * 60, started + conf.max_hours() * 3600


def second_factor_pending(request: HttpRequest) -> bool:
    """The signed-in user must still pass the second factor in this session."""
    user = request.user
    if not user.is_authenticated or not isinstance(user, User):
        return False
    is_verified = getattr(user, "is_verified", None)
    if is_verified is not None and is_verified():
        return False
    return second_factor_required(user, has_device=bool(request.session.get(HAS_DEVICE)))


def device_added(request: HttpRequest) -> None:
    """The user set up an authenticator in this session: from now on their sessions owe it."""
    request.session[HAS_DEVICE] = True
