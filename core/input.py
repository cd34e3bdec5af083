"""What no request may carry, whatever the field: text the database cannot store and numbers that
are not numbers.

- NUL characters (PostgreSQL refuses them in text, with a server error) and lone UTF-16 surrogates
  (`"\\ud800"` in JSON: not UTF-8, refused by PostgreSQL too).
- In JSON bodies, `NaN`, `Infinity` and numbers too large for a float (`1e999`), which Python's
  JSON reader turns into non-finite floats that then poison distances and sums.

`bad_fields(request)` names every offending field (query string, form fields and file names,
JSON body, the path itself) with a message in the user's language; `core.middleware` refuses such
requests before any view runs.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from typing import Any

from django.http import HttpRequest
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext_lazy as _

NUL = "\x00"
BAD_TEXT = _("This text contains characters that cannot be stored (a NUL character or an invalid code point).")
BAD_NUMBER = _("This number is not finite.")


class _NotFinite(ValueError):
    pass


def unsafe_text(value: str) -> bool:
    """True for text with a NUL character or a lone surrogate (not valid UTF-8)."""
    if NUL in value:
        return True
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _label(name: str) -> str:
    """A field name fit to be echoed back: without the characters that made it unsafe."""
    return name.replace(NUL, "").encode("utf-8", "ignore").decode("utf-8")[:100] or "?"


def _finite(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise _NotFinite(text)
    return number


def _constant(text: str) -> float:
    raise _NotFinite(text)


def _walk(value: Any, path: str) -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict):
        for key, inner in value.items():
            name = f"{path}.{_label(str(key))}" if path else _label(str(key))
            if isinstance(key, str) and unsafe_text(key):
                yield name, BAD_TEXT
            yield from _walk(inner, name)
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from _walk(inner, f"{path}.{index}" if path else str(index))
    elif isinstance(value, str) and unsafe_text(value):
        yield path or "body", BAD_TEXT


def _json_fields(request: HttpRequest) -> Iterator[tuple[str, Any]]:
    try:
        data = json.loads(request.body, parse_float=_finite, parse_constant=_constant)
    except _NotFinite:
        yield "body", BAD_NUMBER
        return
    except (ValueError, UnicodeDecodeError, RecursionError):
        return  # not JSON: the view answers that the body cannot be read
    yield from _walk(data, "")


def _form_fields(request: HttpRequest) -> Iterator[tuple[str, Any]]:
    try:
        post, files = request.POST, request.FILES
    except (MultiPartParserError, UnicodeDecodeError):
        return  # the view's own parsing answers a malformed body
    for name, values in post.lists():
        if unsafe_text(name) or any(unsafe_text(v) for v in values):
            yield _label(name), BAD_TEXT
    for name, uploads in files.lists():
        if any(unsafe_text(upload.name or "") for upload in uploads):
            yield _label(name), BAD_TEXT


def bad_fields(request: HttpRequest) -> dict[str, Any]:
    """Every field of the request that carries unsafe text or a non-finite number, with why."""
    found: dict[str, Any] = {}
    if unsafe_text(request.path_info):
        found["path"] = BAD_TEXT
    for name, values in request.GET.lists():
        if unsafe_text(name) or any(unsafe_text(v) for v in values):
            found[_label(name)] = BAD_TEXT
    if request.method in ("POST", "PUT", "PATCH"):
        content_type = request.content_type or ""
        if content_type == "application/json" or content_type.endswith("+json"):
            found.update(_json_fields(request))
        elif content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            found.update(_form_fields(request))
    return found
