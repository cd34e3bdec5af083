"""API schemas and field types shared by every app's `api.py`: the one error shape, its responses,
and the input types that keep impossible values out (non-finite coordinates, pages past any
list, time-zone offsets no clock has, languages the service does not speak)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import AfterValidator, Field

from core.validators import sane_instant

# The deepest page any list serves: beyond it, the client asks for a narrower filter.
MAX_PAGE = 10_000


class ErrorOut(Schema):
    """Every refusal of the API: a stable code, a message in the caller's language, field errors."""

    code: str
    message: str
    fields: dict[str, str]


# The refusals an endpoint may answer besides its success (documented in OpenAPI).
ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


Latitude = Annotated[float, Field(ge=-90, le=90, allow_inf_nan=False)]
Longitude = Annotated[float, Field(ge=-180, le=180, allow_inf_nan=False)]
Page = Annotated[int, Field(ge=1, le=MAX_PAGE)]
# A row id (a 64-bit key): a larger number names nothing and would overflow the database's integer.
RowId = Annotated[int, Field(ge=1, le=2**63 - 1)]
# An instant between 1900 and 2200 with a real offset (±14:00 at most); naive ones are read in
# the service's time zone.
Instant = Annotated[datetime, AfterValidator(sane_instant)]
Language = Literal["ar", "fr", "en"]
