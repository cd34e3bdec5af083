"""Rate limiting of citizen sign-in, applied in front of the identity app's pages.

The identity app's views stay unaware of it: this middleware counts every request to the sign-in
paths (AMANE_RATE_LOGIN_PATHS, prefixes) per client address and answers 429 with Retry-After
beyond AMANE_RATE_LOGIN. Place it after the locale middleware so the page is translated.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from org.ratelimit import RateLimited, limit
from portal import conf
from portal.ratelimit import client_address, too_many


class LoginRateLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if any(path.startswith(prefix) for prefix in conf.login_paths()):
            try:
                limit(f"login:ip:{client_address(request)}", conf.rate_login())
            except RateLimited as exc:
                return too_many(request, exc)
        return self.get_response(request)
