"""What the citizen portal adds to the shared rate limiter (`org.ratelimit`): the client address and
the translated 429 page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from core.http import client_ip, with_retry_after
from org.ratelimit import RateLimited


def client_address(request: HttpRequest) -> str:
    """The client's address (see `core.http.client_ip`)."""
    return client_ip(request)


def too_many(request: HttpRequest, exc: RateLimited) -> HttpResponse:
    """The 429 page: a translated message and Retry-After."""
    return with_retry_after(render(request, "portal/429.html", {"error": exc}, status=429), exc)
