"""The one error vocabulary of the service layer.

Services raise these; the API turns them into `{"code", "message", "fields"}` with the right HTTP
status and the pages into form errors. Messages are lazy translations so they reach the user in
the language of the request.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A refusal the user can understand and act on (a 4xx, never a 500)."""

    status = 400
    code = "invalid"

    def __init__(self, message: Any, *, fields: dict[str, Any] | None = None, code: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.fields = fields or {}
        if code:
            self.code = code


class ValidationFailed(DomainError):
    status = 422
    code = "validation_error"


class NotFound(DomainError):
    """Missing and forbidden look alike, so nobody learns that a record exists."""

    status = 404
    code = "not_found"


class PermissionDenied(DomainError):
    """The record is visible to the user but the act is not theirs to make."""

    status = 403
    code = "forbidden"


class Conflict(DomainError):
    """The record changed since the user read it (optimistic locking) or the key was reused."""

    status = 409
    code = "conflict"


class TooManyRequests(DomainError):
    """Too many requests or failures: nothing is examined before `retry_after` seconds (429).

    Every surface answers it with a Retry-After header (`core.http.json_error`, the API's handler,
    Open311 and the pages)."""

    status = 429
    code = "rate_limited"

    def __init__(self, message: Any, *, retry_after: int, code: str | None = None):
        super().__init__(message, code=code)
        self.retry_after = retry_after


class ServiceUnavailable(DomainError):
    """A part of the service is not set up or is switched off (503)."""

    status = 503
    code = "unavailable"
