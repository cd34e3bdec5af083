"""Throttling of /login/ and of failed API keys: delays, lockouts per account and per address,
release, the notice at the next sign-in, and a known name indistinguishable from an unknown one."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from audit.models import AuditRecord
from org.choices import ThrottleScope
from org.models import AuthThrottle
from org.services import throttle
from org.tests.factories import PASSWORD, user_key

WRONG = "not-the-password-at-all"


@pytest.fixture
def policy(settings) -> None:
    """Small numbers: 2 free failures, then 1 s, 2 s... and a 15-minute lockout at the 4th; the
    address has room for 20."""
    settings.AMANE_LOGIN_FREE_ATTEMPTS = 2
    settings.AMANE_LOGIN_LOCKOUT_ATTEMPTS = 4
    settings.AMANE_LOGIN_DELAY_SECONDS = 1
    settings.AMANE_LOGIN_DELAY_MAX_SECONDS = 60
    settings.AMANE_LOGIN_LOCKOUT_MINUTES = 15
    settings.AMANE_LOGIN_ADDRESS_FREE_ATTEMPTS = 20
    settings.AMANE_LOGIN_ADDRESS_LOCKOUT_ATTEMPTS = 20


def login(client, username, password, address="10.0.0.1"):
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def error_text(response) -> str:
    return " ".join(str(e) for e in response.context["form"].non_field_errors())


def signed_in(client) -> bool:
    return client.get("/cases/").status_code == 200


def test_account_lockout_engages_after_delays_and_releases(client, org, clock, policy):
    """GIVEN a chief's name WHEN wrong passwords are sent THEN the third must wait, the fourth locks
    the account (even with the right password, from any address) until the lockout has passed."""
    assert login(client, "chief", WRONG).status_code == 200
    assert login(client, "chief", WRONG).status_code == 200
    assert login(client, "chief", WRONG).status_code == 200  # third failure: the next waits 1 s
    early = login(client, "chief", PASSWORD)
    assert early.status_code == 429 and early["Retry-After"] == "1"
    assert not signed_in(client)
    clock.advance(seconds=2)
    locked = login(client, "chief", WRONG)  # fourth failure: locked
    assert locked.status_code == 429 and int(locked["Retry-After"]) == 15 * 60
    assert "15" in error_text(locked)
    clock.advance(minutes=14)
    assert login(client, "chief", PASSWORD, address="10.9.9.9").status_code == 429
    assert not signed_in(client)
    clock.advance(minutes=2)
    assert login(client, "chief", PASSWORD).status_code == 302
    assert signed_in(client)


def test_address_lockout_spans_accounts_and_releases(client, org, clock, settings):
    """GIVEN one address trying several names WHEN it passes the address threshold THEN nobody signs
    in from it, even with the right password, while another address still can."""
    settings.AMANE_LOGIN_ADDRESS_FREE_ATTEMPTS = 3
    settings.AMANE_LOGIN_ADDRESS_LOCKOUT_ATTEMPTS = 3
    settings.AMANE_LOGIN_LOCKOUT_MINUTES = 15
    for name in ("desk", "investigator", "ghost.user"):
        login(client, name, WRONG, address="10.0.0.66")
    assert login(client, "chief", PASSWORD, address="10.0.0.66").status_code == 429
    assert AuditRecord.objects.filter(action="auth.lockout", object_type="address", object_id="10.0.0.66").exists()
    assert login(client, "chief", PASSWORD, address="10.0.0.7").status_code == 302
    client.logout()
    clock.advance(minutes=16)
    assert login(client, "chief", PASSWORD, address="10.0.0.66").status_code == 302


def test_a_locked_unknown_name_looks_like_a_locked_account(client, org, clock, policy):
    """GIVEN a real name and a name nobody has, each failed four times from its own address THEN
    both answers are the same: status, delay, message (in Arabic and in French)."""
    answers = {}
    for name, address in (("chief", "10.0.1.1"), ("no.such.chief", "10.0.1.2")):
        for _ in range(3):
            login(client, name, WRONG, address)
        clock.advance(seconds=2)
        last = login(client, name, WRONG, address)
        again = login(client, name, PASSWORD, address)
        client.cookies["django_language"] = "fr"
        french = login(client, name, PASSWORD, address)
        del client.cookies["django_language"]
        answers[name] = [(r.status_code, r["Retry-After"], error_text(r)) for r in (last, again, french)]
    assert answers["chief"] == answers["no.such.chief"]
    assert answers["chief"][2][2] != answers["chief"][1][2]  # translated, not the same text
    with translation.override("fr"):
        assert "tentatives" in answers["chief"][2][2]
    assert AuditRecord.objects.filter(action="auth.lockout", object_id="no.such.chief").exists()
    assert AuditRecord.objects.filter(action="auth.lockout", object_id="chief").exists()


def _shape(queries: list[dict]) -> list[str]:
    """Each statement reduced to its verb and the tables it names (values removed)."""
    return [
        " ".join([q["sql"].split()[0], *sorted(set(re.findall(r'"(\w+)"', q["sql"])))])
        for q in queries
        if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))
    ]


class CountingMD5(MD5PasswordHasher):
    """The tests' MD5 hasher, counting the passwords it hashes."""

    hashed = 0

    def encode(self, password: str, salt: str) -> str:
        CountingMD5.hashed += 1
        return super().encode(password, salt)


def test_a_wrong_password_costs_the_same_for_known_and_unknown_names(client, org, policy, settings, monkeypatch):
    """Timing must not tell whether a name exists: for a real name and an unknown one, a wrong
    password hashes a password once and runs the same statements on the same tables. (The sweep of
    old rows, run by one new row in PURGE_ONE_IN at random, is switched off: it made the shapes
    differ one run in fifty, whichever name it fell on.)"""
    monkeypatch.setattr(throttle, "PURGE_ONE_IN", 0)
    settings.PASSWORD_HASHERS = ["org.tests.test_throttle.CountingMD5"]
    client.get("/login/")
    shapes, hashes = {}, {}
    for name, address in (("investigator", "10.0.4.1"), ("nobody.here", "10.0.4.2")):
        CountingMD5.hashed = 0
        with CaptureQueriesContext(connection) as queries:
            assert login(client, name, WRONG, address).status_code == 200
        shapes[name], hashes[name] = _shape(queries.captured_queries), CountingMD5.hashed
    assert hashes == {"investigator": 1, "nobody.here": 1}
    assert shapes["investigator"] == shapes["nobody.here"]
    assert any("org_auththrottle" in s for s in shapes["nobody.here"])


def test_the_next_sign_in_tells_of_the_failures_and_the_lockout(client, org, clock, policy):
    """GIVEN an account locked by someone guessing WHEN its user signs in after the lockout THEN
    they read how many attempts failed and when the account was locked; once only."""
    for _ in range(3):
        login(client, "chief", WRONG, "10.0.2.1")
    clock.advance(seconds=5)
    login(client, "chief", WRONG, "10.0.2.1")
    clock.advance(minutes=20)
    client.cookies["django_language"] = "fr"
    page = client.post("/login/", {"username": "chief", "password": PASSWORD}, REMOTE_ADDR="10.0.3.3", follow=True)
    notices = [str(m) for m in page.context["messages"]]
    assert page.status_code == 200 and page.request["PATH_INFO"] == "/analytics/"  # a chief lands on their dashboard
    assert len(notices) == 1 and notices[0].startswith("4 tentative(s)") and "bloqué le" in notices[0]
    client.logout()
    again = client.post("/login/", {"username": "chief", "password": PASSWORD}, REMOTE_ADDR="10.0.3.3", follow=True)
    assert not list(again.context["messages"])


def test_a_successful_sign_in_clears_the_counters(client, org, clock, policy):
    for _ in range(2):
        login(client, "desk", WRONG)
    assert AuthThrottle.objects.filter(scope="account", failures=2).exists()
    assert login(client, "desk", PASSWORD).status_code == 302
    assert not AuthThrottle.objects.filter(failures__gt=0).exists()
    client.logout()
    for _ in range(2):  # two more failures do not make anyone wait: the count started again
        assert login(client, "desk", WRONG).status_code == 200
    assert login(client, "desk", PASSWORD).status_code == 302


def test_failed_api_keys_are_throttled_per_address(client, org, clock, settings):
    """GIVEN an address sending made-up keys THEN it waits, then is locked out (429 with Retry-After,
    the JSON error shape) even with a valid key; another address is not; the lockout ends."""
    settings.AMANE_API_KEY_FREE_FAILURES = 1
    settings.AMANE_API_KEY_LOCKOUT_FAILURES = 3
    settings.AMANE_LOGIN_DELAY_SECONDS = 1
    settings.AMANE_LOGIN_LOCKOUT_MINUTES = 15
    good = user_key(org.desk)

    def get(key, address="10.1.0.1"):
        return client.get("/api/cases", HTTP_AUTHORIZATION=f"Bearer {key}", REMOTE_ADDR=address)

    assert get("amn_made-up-1").status_code == 401
    assert get("amn_made-up-2").status_code == 401  # second failure: the next waits 1 s
    waiting = get(good)
    assert waiting.status_code == 429 and waiting.json()["code"] == "too_many_attempts"
    clock.advance(seconds=2)
    assert get("amn_made-up-3").status_code == 429  # third failure: locked out
    clock.advance(minutes=1)
    locked = get(good)
    assert locked.status_code == 429 and int(locked["Retry-After"]) > 60
    assert set(locked.json()) == {"code", "message", "fields"}
    assert get(good, address="10.1.0.2").status_code == 200
    assert AuditRecord.objects.filter(action="auth.lockout", object_type="api_key").exists()
    clock.advance(minutes=15)
    assert get(good).status_code == 200


def test_failed_partner_keys_are_throttled_too(client, org, clock, settings):
    """The Open311 and identity-check partner keys go through the same throttle per address."""
    settings.AMANE_API_KEY_FREE_FAILURES = 2
    settings.AMANE_API_KEY_LOCKOUT_FAILURES = 2
    bad = {"api_key": "amn_made-up"}
    assert client.get("/open311/v2/requests.json", bad, REMOTE_ADDR="10.3.0.1").status_code == 403
    assert client.get("/open311/v2/requests.json", bad, REMOTE_ADDR="10.3.0.1").status_code == 429  # locks
    assert client.get("/open311/v2/requests.json", bad, REMOTE_ADDR="10.3.0.1").status_code == 429
    ttp = client.post(
        "/identity/ttp/verify",
        "{}",
        content_type="application/json",
        HTTP_AUTHORIZATION="Bearer amn_x",
        REMOTE_ADDR="10.3.0.1",
    )
    assert ttp.status_code == 429 and ttp.json()["code"] == "too_many_attempts" and ttp["Retry-After"]
    ok = client.get("/open311/v2/requests.json", REMOTE_ADDR="10.3.0.1")  # no key: public reads still answer
    assert ok.status_code == 200


def test_an_open_gate_is_kept_briefly_and_a_failed_key_always_meets_the_database(org, settings, monkeypatch):
    """GIVEN a client whose address passed the API-key gate THEN its next requests within
    GATE_KEEP_SECONDS read no throttle row; a lockout counted by another process (the row written
    behind this one's back) reaches its valid key once the kept verdict is older than that, and
    reaches a made-up key at once, without counting it."""
    now = [5000.0]
    monkeypatch.setattr(throttle, "_monotonic", lambda: now[0])
    client = Client(HTTP_AUTHORIZATION=f"Bearer {user_key(org.desk)}", REMOTE_ADDR="10.4.0.1")
    assert client.get("/api/categories").status_code == 200

    def throttle_reads() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/api/categories").status_code in (200, 429)
        return sum("org_auththrottle" in q["sql"] for q in captured.captured_queries)

    assert throttle_reads() == 0
    # Another process locks the address out.
    until = timezone.now() + timedelta(minutes=15)
    key = throttle._key(ThrottleScope.API_KEY, "10.4.0.1")
    AuthThrottle.objects.create(key=key, scope=ThrottleScope.API_KEY, failures=0, retry_at=until, locked_until=until)
    made_up = client.get("/api/categories", HTTP_AUTHORIZATION="Bearer amn_made-up")
    assert made_up.status_code == 429 and made_up["Retry-After"]
    assert AuthThrottle.objects.get(key=key).failures == 0  # refused before being counted
    # The failure forgot the kept verdict: the valid key meets the lockout at once in this process.
    assert client.get("/api/categories").status_code == 429
    # In a process that kept the verdict, the valid key passes until the verdict is too old.
    throttle._keep_open_gate("10.4.0.1")
    now[0] += throttle.GATE_KEEP_SECONDS / 2
    assert client.get("/api/categories").status_code == 200
    now[0] += throttle.GATE_KEEP_SECONDS
    assert client.get("/api/categories").status_code == 429
