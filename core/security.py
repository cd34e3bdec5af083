"""Browser security headers every response carries: Content-Security-Policy and Permissions-Policy.

Django's SecurityMiddleware already sends HSTS (production, over HTTPS), X-Content-Type-Options,
Referrer-Policy and Cross-Origin-Opener-Policy, and XFrameOptionsMiddleware X-Frame-Options; the
settings for them are in amane/settings.py. What Django does not send is built here, once per
process, from the settings.

The policy allows no inline script, no inline style and no `eval`: page scripts are static files,
page data travels in `json_script` blocks (JSON is not executed), and styles are classes in the
static style sheets. The only outside origin is the map tile server (AMANE_MAP_TILES_URL), for images.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse

# Features the pages use: only the position (the patrol's and the citizen's "use my location").
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(self), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()"
)


def tile_origin(template: str) -> str:
    """The origin of a Leaflet tile URL template ("https://{s}.tile.example/{z}/{x}/{y}.png" ->
    "https://*.tile.example"); empty for a relative or empty template (served by us)."""
    parts = urlsplit(template.replace("{s}", "sub-domain"))
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        return ""
    host = parts.netloc.replace("sub-domain", "*")
    return f"{parts.scheme}://{host}"


@lru_cache(maxsize=4)
def _policy(tile_url: str) -> str:
    images = " ".join(filter(None, ["'self'", "data:", tile_origin(tile_url)]))
    directives = {
        "default-src": "'self'",
        "script-src": "'self'",
        "style-src": "'self'",
        "img-src": images,
        "font-src": "'self'",
        "connect-src": "'self'",
        "object-src": "'none'",
        "frame-ancestors": "'none'",
        "form-action": "'self'",
        "base-uri": "'self'",
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def content_security_policy() -> str:
    """The policy for the current settings (the tile host is the only setting it depends on)."""
    return _policy(getattr(settings, "MAP_TILE_URL", "") or "")


class SecurityHeadersMiddleware:
    """Add the Content-Security-Policy and Permissions-Policy to every response, enforced (never
    report-only); a view that sets its own keeps it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", content_security_policy())
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
