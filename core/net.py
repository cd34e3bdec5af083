"""The client's address behind reverse proxies, and who counts as a proxy.

A reverse proxy (nginx, a load balancer) connects to the server itself, so REMOTE_ADDR is the
proxy's address for every client; each proxy appends the address it received the request from to
`X-Forwarded-For`. Anyone can send that header, so it is believed only when the peer is a proxy
named in AMANE_TRUSTED_PROXIES, and then only as far back as the chain stays trusted: the header is
read from the right (the hop nearest to us) and the first address that is not a trusted proxy is
the client. Extra hops a client wrote at the left of the header are never reached.

`ProxyHeadersMiddleware` (first in MIDDLEWARE) drops the X-Forwarded-* headers of a request that
did not come through a trusted proxy, so that nothing further down (Django's
SECURE_PROXY_SSL_HEADER, USE_X_FORWARDED_HOST) believes a header a client wrote itself.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
FORWARDED_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST", "HTTP_X_FORWARDED_PORT")
UNKNOWN = "unknown"


def parse_networks(entries: Iterable[str]) -> tuple[Network, ...]:
    """Addresses or CIDR networks ("10.0.0.5", "10.0.0.0/8", "::1") as networks; a bad entry raises ValueError."""
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries if entry.strip())


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return parse_networks(entries)


def trusted_proxies() -> tuple[Network, ...]:
    """AMANE_TRUSTED_PROXIES (settings.TRUSTED_PROXIES), parsed once per distinct value."""
    return _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ())))


def _address(raw: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = raw.strip().strip('"')
    if text.startswith("[") and "]" in text:  # "[2001:db8::1]:443"
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # "192.0.2.1:5555"
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def is_trusted(address: str, networks: tuple[Network, ...] | None = None) -> bool:
    """True when `address` lies in one of the trusted proxy networks."""
    parsed = _address(address)
    nets = trusted_proxies() if networks is None else networks
    return parsed is not None and any(parsed in net for net in nets)


def client_ip(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or, when REMOTE_ADDR is a trusted proxy, the right-most
    address of X-Forwarded-For that is not itself a trusted proxy.

    A hop that is not an address ends the walk at the nearest trusted hop: a proxy never writes
    such a value, so nothing left of it can be vouched for.
    """
    cached = getattr(request, "_amane_client_ip", None)
    if cached is not None:
        return cached
    peer = request.META.get("REMOTE_ADDR", "") or ""
    answer = str(_address(peer) or peer or UNKNOWN)
    networks = trusted_proxies()
    if networks and is_trusted(peer, networks):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        for hop in reversed([h for h in forwarded.split(",") if h.strip()]):
            parsed = _address(hop)
            if parsed is None:
                break
            answer = str(parsed)
            if not any(parsed in net for net in networks):
                break
    request._amane_client_ip = answer  # type: ignore[attr-defined]
    return answer


class ProxyHeadersMiddleware:
    """Forget the X-Forwarded-* headers of a request whose peer is not a trusted proxy."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not is_trusted(request.META.get("REMOTE_ADDR", "")):
            for header in FORWARDED_HEADERS:
                request.META.pop(header, None)
        return self.get_response(request)
