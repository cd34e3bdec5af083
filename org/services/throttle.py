"""Throttling of failed sign-ins (`/login/`) and failed API keys: progressive delays, then a lockout.

Each account name and each client address has a row (`AuthThrottle`) counting its failures. After
a few free failures every further one makes the next attempt wait (2 s, 4 s, 8 s ... up to a cap);
at the lockout threshold the name or address is locked for a while (doubled by every further
lockout before a successful sign-in) and the lockout is audited. While a row makes the caller wait,
the attempt is refused before any password is checked.

What an attacker must not learn: whether an account exists. A row is kept for any name tried,
known or not, the refusal says the same thing for an account and for an address, and nothing here
reads the user table; Django's ModelBackend hashes a password for an unknown name too, so a wrong
password costs the same time for both.

Rows live in the database, so every server process sees the same counts; each update runs in a
transaction holding the rows (`select_for_update`), so two processes never lose a failure.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.services import audit_record
from core import crypto
from core.errors import TooManyRequests
from org import conf
from org.choices import ThrottleScope
from org.models import ApiKey, AuthThrottle
from org.services.organisation import api_key_use

USERNAME_MAX = 150
PURGE_AFTER_DAYS = 30
PURGE_ONE_IN = 200  # one new row in this many sweeps the old ones (0: never, for tests comparing statements)


class Throttled(TooManyRequests):
    """Too many failures: no attempt is examined before `retry_after` seconds (429)."""

    code = "too_many_attempts"

    def __init__(self, retry_after: int, *, locked: bool):
        minutes = max((retry_after + 59) // 60, 1)
        if locked:
            message = _(
                "Too many failed sign-in attempts: sign-in is suspended for this account or from this "
                "address. Try again in %(minutes)s minute(s)."
            ) % {"minutes": minutes}
        else:
            message = _("Too many failed sign-in attempts. Wait %(seconds)s second(s) and try again.") % {
                "seconds": retry_after
            }
        super().__init__(message, retry_after=retry_after)
        self.locked = locked


@dataclass(frozen=True)
class SignInNotice:
    """What a user is told at their next successful sign-in: failures since the last one, and when
    the account was last locked (None if it was not)."""

    failures: int
    last_failure_at: datetime
    locked_at: datetime | None


def _key(scope: str, name: str) -> str:
    return crypto.keyed_hash("auth-throttle", f"{scope}:{name}")


def account_name(username: str) -> str:
    """The name an account's failures are counted under: case and surrounding spaces do not give
    an attacker a fresh counter."""
    return (username or "").strip().casefold()[:USERNAME_MAX]


def _rows(keys: dict[str, str]) -> dict[str, AuthThrottle]:
    """The rows of `keys` ({key: scope}), created when missing, held for update in key order (two
    processes locking the same pair never deadlock). Runs inside the caller's transaction."""
    rows: dict[str, AuthThrottle] = {}
    for key in sorted(keys):
        row = AuthThrottle.objects.select_for_update().filter(key=key).first()
        if row is None:
            try:
                with transaction.atomic():
                    row = AuthThrottle.objects.create(key=key, scope=keys[key])
            except IntegrityError:  # another process created it first
                row = AuthThrottle.objects.select_for_update().get(key=key)
            if PURGE_ONE_IN and secrets.randbelow(PURGE_ONE_IN) == 0:
                throttles_purge()
        rows[key] = row
    return rows


def _wait(row: AuthThrottle, now: datetime) -> int:
    if row.retry_at is None or row.retry_at <= now:
        return 0
    return max(int((row.retry_at - now).total_seconds() + 0.999), 1)


def _gate(rows: list[AuthThrottle], now: datetime) -> None:
    """Refuse the attempt while any row makes the caller wait (the longest wait is named)."""
    wait = max((_wait(row, now) for row in rows), default=0)
    if wait > 0:
        raise Throttled(wait, locked=any(row.locked_until is not None and row.locked_until > now for row in rows))


def _fail(row: AuthThrottle, policy: conf.ThrottlePolicy, now: datetime) -> bool:
    """Count one failure on `row`; returns True when it locks the row."""
    quiet = row.last_failure_at is not None and (now - row.last_failure_at).total_seconds() > conf.forget_seconds()
    if quiet and (row.locked_until is None or row.locked_until <= now):
        row.failures = row.lockouts = 0
    row.failures += 1
    row.failures_since_success += 1
    row.last_failure_at = now
    if row.failures >= policy.lockout:
        until = now + timedelta(seconds=conf.lockout_seconds(row.lockouts))
        row.lockouts += 1
        row.failures = 0
        row.locked_at, row.locked_until, row.retry_at = now, until, until
        row.save()
        return True
    if row.failures > policy.free and policy.delay_seconds > 0:
        delay = min(policy.delay_seconds * 2 ** min(row.failures - policy.free - 1, 30), policy.delay_max_seconds)
        row.retry_at = now + timedelta(seconds=delay)
    row.save()
    return False


def _audit_lockout(row: AuthThrottle, subject: str) -> None:
    """The lockout in the audit chain, under the name or address tried (what an investigator needs)."""
    audit_record(
        actor=None,
        action="auth.lockout",
        object_type=row.scope,
        object_id=subject[:USERNAME_MAX],
        after={"scope": row.scope, "locked_until": row.locked_until, "lockouts": row.lockouts},
    )


# ---------------------------------------------------------------- staff sign-in (/login/)


def _login_keys(username: str, address: str) -> tuple[str, str]:
    return _key(ThrottleScope.ACCOUNT, account_name(username)), _key(ThrottleScope.ADDRESS, address)


def login_gate(*, username: str, address: str) -> None:
    """Raise `Throttled` while the account name or the address must wait; nothing else is read."""
    account, addr = _login_keys(username, address)
    rows = AuthThrottle.objects.filter(key__in=[account, addr])
    _gate(list(rows), timezone.now())


def login_failed(*, username: str, address: str) -> None:
    """Count a failed sign-in against the name and the address; raise `Throttled` when it locks one
    of them, so the user sees the lockout at once. The counts and the lockout's audit record are
    committed before the refusal is raised."""
    wait = _login_failure(username, address)
    if wait:
        raise Throttled(wait, locked=True)


@transaction.atomic
def _login_failure(username: str, address: str) -> int:
    account, addr = _login_keys(username, address)
    rows = _rows({account: ThrottleScope.ACCOUNT, addr: ThrottleScope.ADDRESS})
    now = timezone.now()
    locked = False
    if _fail(rows[account], conf.account_policy(), now):
        _audit_lockout(rows[account], account_name(username))
        locked = True
    if _fail(rows[addr], conf.address_policy(), now):
        _audit_lockout(rows[addr], address)
        locked = True
    return max(_wait(rows[account], now), _wait(rows[addr], now)) if locked else 0


@transaction.atomic
def login_succeeded(*, username: str, address: str) -> SignInNotice | None:
    """A successful sign-in: the account's and the address's counters start again. Returns what
    the user should be told about the failures since their last sign-in, if any."""
    account, addr = _login_keys(username, address)
    rows = {row.key: row for row in AuthThrottle.objects.select_for_update().filter(key__in=[account, addr])}
    notice = None
    row = rows.get(account)
    if row is not None and row.failures_since_success and row.last_failure_at is not None:
        notice = SignInNotice(row.failures_since_success, row.last_failure_at, row.locked_at)
    # The address row is cleared too unless it is locked: a lockout of an address lasts its time
    # whoever signs in from there.
    now = timezone.now()
    clear = [k for k, r in rows.items() if k == account or r.locked_until is None or r.locked_until <= now]
    AuthThrottle.objects.filter(key__in=clear).delete()
    return notice


# ---------------------------------------------------------------- API keys


def api_key_gate(*, address: str) -> None:
    """Raise `Throttled` while failed API keys from this address must wait."""
    rows = AuthThrottle.objects.filter(key=_key(ThrottleScope.API_KEY, address)).only("retry_at", "locked_until")
    _gate(list(rows), timezone.now())


def api_key_failed(*, address: str) -> None:
    """Count a key that opened nothing (unknown, revoked, expired, wrong scope) from this address."""
    wait = _api_key_failure(address)
    if wait:
        raise Throttled(wait, locked=True)


def api_key_authenticate(raw: str, scope: str, *, address: str) -> ApiKey | None:
    """The valid key for `raw` opening `scope` (`api_key_use`), throttled per client address: raises
    `Throttled` while the address must wait, and counts a key that opens nothing.

    The gate's verdict for an address that passed is kept in the process (see below); a key that
    opens nothing is always judged by the database's gate before it is counted."""
    kept = _open_gate_kept(address)
    if not kept:
        api_key_gate(address=address)
        _keep_open_gate(address)
    key = api_key_use(raw, scope)
    if key is None:
        _open_gates.pop(address, None)
        if kept:
            api_key_gate(address=address)
        api_key_failed(address=address)
    return key


# ---------------------------------------------------------------- open gates, kept in the process
#
# A busy API client passes the gate of its address on every request: reading the address's row
# (usually absent) each time was an eighth of an intake's CPU and one of its round trips. A process
# keeps that an address passed for at most GATE_KEEP_SECONDS. A key that opens nothing forgets it
# and reads the gate from the database before being counted, so failures are never counted past a
# wait and this process refuses a throttled address at once; a wait or lockout that another process
# counted reaches a valid key here at most GATE_KEEP_SECONDS later (like a revocation, see
# org.services.organisation's kept keys).

GATE_KEEP_SECONDS = 1.0
GATE_KEEP_MAX = 10_000
_open_gates: dict[str, float] = {}


def _monotonic() -> float:
    # One place to read the clock, so that tests can move it forward.
    return time.monotonic()


def api_key_gates_forget() -> None:
    """Forget every open gate kept in the process."""
    _open_gates.clear()


def _open_gate_kept(address: str) -> bool:
    passed_at = _open_gates.get(address)
    return passed_at is not None and _monotonic() - passed_at < GATE_KEEP_SECONDS


def _keep_open_gate(address: str) -> None:
    if len(_open_gates) >= GATE_KEEP_MAX and address not in _open_gates:
        _open_gates.clear()
    _open_gates[address] = _monotonic()


@transaction.atomic
def _api_key_failure(address: str) -> int:
    key = _key(ThrottleScope.API_KEY, address)
    row = _rows({key: ThrottleScope.API_KEY})[key]
    now = timezone.now()
    if _fail(row, conf.api_key_policy(), now):
        _audit_lockout(row, address)
        return _wait(row, now)
    return 0


def throttles_purge() -> int:
    """Delete the rows of names and addresses without a failure for PURGE_AFTER_DAYS and not locked
    (unknown names tried once would pile up otherwise); long enough for a user back from leave to
    still get the notice of what happened to their account. Returns the count."""
    now = timezone.now()
    old = now - timedelta(days=PURGE_AFTER_DAYS)
    stale = AuthThrottle.objects.filter(last_failure_at__lt=old).exclude(locked_until__gt=now)
    return stale.delete()[0]
