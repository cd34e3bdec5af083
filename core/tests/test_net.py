"""The client's address behind reverse proxies (`core.net`), and the rate limits that use it.

GIVEN AMANE_TRUSTED_PROXIES naming the proxy in front of the server
WHEN a request comes from that proxy THEN the address it forwarded is the client's (the right-most
     untrusted hop: addresses a client wrote at the left of X-Forwarded-For are never reached);
WHEN a request comes from anywhere else THEN X-Forwarded-For (and -Proto) are ignored, so a client
     can neither dodge a rate limit nor pretend to be on HTTPS by writing the headers itself.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.http import HttpResponse
from django.test import Client, RequestFactory

from core.net import ProxyHeadersMiddleware, client_ip, parse_networks
from org import ratelimit

PROXY = "10.0.0.1"


def request(peer: str, forwarded: str | None = None, **extra: str):
    headers = {"REMOTE_ADDR": peer, **extra}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **headers)


def test_no_trusted_proxy_means_the_peer_is_the_client(settings):
    settings.TRUSTED_PROXIES = []
    assert client_ip(request("198.51.100.4", "203.0.113.9")) == "198.51.100.4"


def test_trusted_peer_gives_the_forwarded_address(settings):
    settings.TRUSTED_PROXIES = [PROXY]
    assert client_ip(request(PROXY, "203.0.113.9")) == "203.0.113.9"
    assert client_ip(request(PROXY)) == PROXY  # a proxy that forwarded nothing: itself


def test_untrusted_peer_sending_forwarded_for_is_ignored(settings):
    settings.TRUSTED_PROXIES = [PROXY]
    assert client_ip(request("198.51.100.4", "203.0.113.9")) == "198.51.100.4"


def test_spoofed_extra_hops_are_never_reached(settings):
    """The client wrote '1.2.3.4, 5.6.7.8' itself; our proxy appended the address it saw."""
    settings.TRUSTED_PROXIES = [PROXY]
    assert client_ip(request(PROXY, "1.2.3.4, 5.6.7.8, 203.0.113.9")) == "203.0.113.9"


def test_a_chain_of_trusted_proxies_is_walked_to_the_first_untrusted_hop(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "2001:db8::/32"]
    assert client_ip(request("10.0.0.2", "1.2.3.4, 203.0.113.9, 10.9.9.9, 2001:db8::7")) == "203.0.113.9"
    # Ports, brackets and IPv4-mapped IPv6 as some proxies write them.
    assert client_ip(request("::ffff:10.0.0.2", "[2001:db8:1::5]:443, 198.51.100.7:5555")) == "198.51.100.7"


def test_garbage_in_the_chain_stops_at_the_nearest_trusted_hop(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_ip(request("10.0.0.2", "203.0.113.9, not-an-address, 10.0.0.5")) == "10.0.0.5"


def test_proxy_headers_are_dropped_unless_the_peer_is_trusted(settings):
    settings.TRUSTED_PROXIES = [PROXY]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    seen = {}

    def view(req):
        seen["secure"] = req.is_secure()
        seen["forwarded"] = req.META.get("HTTP_X_FORWARDED_FOR")
        return HttpResponse()

    middleware = ProxyHeadersMiddleware(view)
    middleware(request("198.51.100.4", "203.0.113.9", HTTP_X_FORWARDED_PROTO="https"))
    assert seen == {"secure": False, "forwarded": None}
    middleware(request(PROXY, "203.0.113.9", HTTP_X_FORWARDED_PROTO="https"))
    assert seen == {"secure": True, "forwarded": "203.0.113.9"}


def test_bad_trusted_proxy_entry_is_refused_by_the_checks(settings):
    with pytest.raises(ValueError):
        parse_networks(["10.0.0.0/8", "proxy.example"])
    settings.TRUSTED_PROXIES = ["proxy.example"]
    with pytest.raises(SystemCheckError, match="AMANE_TRUSTED_PROXIES"):
        call_command("check")


def test_tracking_limit_counts_each_client_behind_the_proxy_apart(org, settings, monkeypatch):
    """Behind the trusted proxy, one abuser trips the limit for themself only; an untrusted
    client changing X-Forwarded-For on every request is still one address."""
    settings.TRUSTED_PROXIES = [PROXY]
    settings.AMANE_RATE_TRACKING = "2/600"
    monkeypatch.setattr(ratelimit, "_now", lambda: 5_000_000.0)
    form = {"ref": "RBT-2026-000001-A", "code": "X"}
    proxied = Client(REMOTE_ADDR=PROXY)

    def track(client: Client, forwarded: str) -> int:
        return client.post("/track/", form, HTTP_X_FORWARDED_FOR=forwarded).status_code

    assert [track(proxied, "203.0.113.1") for _ in range(3)] == [404, 404, 429]
    assert track(proxied, "203.0.113.2") == 404  # another citizen behind the same proxy
    direct = Client(REMOTE_ADDR="198.51.100.4")
    assert [track(direct, f"192.0.2.{k}") for k in range(3)] == [404, 404, 429]
