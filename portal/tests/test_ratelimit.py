"""The database rate limiter engages at the limit, answers 429 with Retry-After and a translated
message, and releases when the window has passed."""

from __future__ import annotations

from django.test import Client

from org import ratelimit
from org.models import RateCounter
from portal.conf import Rule


def test_limiter_counts_in_fixed_windows_and_releases(db, monkeypatch):
    now = [1_000_000.0]
    monkeypatch.setattr(ratelimit, "_now", lambda: now[0])
    rule = Rule(3, 60)
    for _ in range(3):
        ratelimit.limit("k", rule)
    try:
        ratelimit.limit("k", rule)
        raise AssertionError("the fourth hit must be refused")
    except ratelimit.RateLimited as exc:
        assert 1 <= exc.retry_after <= 60
    ratelimit.limit("other", rule)  # keys are independent
    now[0] += 60
    ratelimit.limit("k", rule)  # a new window
    assert RateCounter.objects.filter(count=4).count() == 1
    assert not RateCounter.objects.filter(key__contains="k").exists()  # keys stored hashed


def test_tracking_rate_limit_engages_then_releases(org, settings, monkeypatch):
    settings.AMANE_RATE_TRACKING = "3/600"
    now = [2_000_000.0]
    monkeypatch.setattr(ratelimit, "_now", lambda: now[0])
    client = Client()
    for _ in range(3):
        assert client.post("/track/", {"ref": "RBT-2026-000001-A", "code": "X"}).status_code == 404
    limited = client.post("/track/", {"ref": "RBT-2026-000001-A", "code": "X"})
    assert limited.status_code == 429
    assert int(limited["Retry-After"]) > 0
    assert "محاولات" in limited.content.decode()  # translated (Arabic by default)
    now[0] += 600
    assert client.post("/track/", {"ref": "RBT-2026-000001-A", "code": "X"}).status_code == 404


def test_filing_rate_limit_per_address_and_per_citizen(org, settings, monkeypatch):
    from cases.models import Case
    from identity.tests.factories import login_citizen, make_citizen
    from portal.tests.factories import filing_post

    settings.AMANE_RATE_FILING = "2/3600"
    now = [3_000_000.0]
    monkeypatch.setattr(ratelimit, "_now", lambda: now[0])
    citizen = make_citizen()
    a = Client(REMOTE_ADDR="10.0.0.1")
    login_citizen(a, citizen)
    assert filing_post(a).status_code == 302
    assert filing_post(a).status_code == 302
    assert filing_post(a).status_code == 429
    # Same citizen from another address: still limited (per identity).
    b = Client(REMOTE_ADDR="10.0.0.2")
    login_citizen(b, citizen)
    assert filing_post(b).status_code == 429
    # Another visitor from a fresh address is not.
    assert filing_post(Client(REMOTE_ADDR="10.0.0.3")).status_code == 302
    assert Case.objects.count() == 3
    now[0] += 3600
    assert filing_post(a).status_code == 302


def test_login_paths_are_rate_limited_by_the_middleware(db, settings, monkeypatch):
    from django.test import RequestFactory

    from portal.middleware import LoginRateLimitMiddleware

    settings.AMANE_RATE_LOGIN = "2/600"
    now = [4_000_000.0]
    monkeypatch.setattr(ratelimit, "_now", lambda: now[0])
    from django.http import HttpResponse

    middleware = LoginRateLimitMiddleware(lambda request: HttpResponse("ok"))
    factory = RequestFactory()
    assert middleware(factory.get("/identity/login/")).status_code == 200
    assert middleware(factory.get("/idp/authorize")).status_code == 200
    limited = middleware(factory.get("/identity/login/"))
    assert limited.status_code == 429 and limited["Retry-After"]
    assert middleware(factory.get("/track/")).status_code == 200  # other paths untouched
    now[0] += 600
    assert middleware(factory.get("/identity/login/")).status_code == 200
