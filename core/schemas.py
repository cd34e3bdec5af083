"""API schemas shared by every app's `api.py`: the one error shape and its responses."""

from __future__ import annotations

from typing import Any

from ninja import Schema


class ErrorOut(Schema):
    """Every refusal of the API: a stable code, a message in the caller's language, field errors."""

    code: str
    message: str
    fields: dict[str, str]


# The refusals an endpoint may answer besides its success (documented in OpenAPI).
ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
