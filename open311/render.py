"""Open311 documents in the two formats of the specification.

XML: one root element (`discovery`, `services`, `service_definition`, `service_requests`,
`errors`) built with ElementTree, which escapes text; characters XML 1.0 forbids are dropped.
JSON: what the spec maps each root to: a bare array for lists and errors, an object for the
discovery document and a service definition.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from datetime import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

XML_TYPE = "text/xml; charset=utf-8"
JSON_TYPE = "application/json; charset=utf-8"
# Inside a container element, the name of each item (the spec's singular form).
ITEM_NAMES = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "endpoints": "endpoint",
    "formats": "format",
    "attributes": "attribute",
    "values": "value",
}
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def w3c(moment: datetime | None) -> str | None:
    """ISO 8601 / W3C with the offset, in Morocco's time zone: 2026-03-01T10:00:00+01:00."""
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return _XML_FORBIDDEN.sub("", str(value))


def _fill(element: ET.Element, value: Any) -> None:
    if isinstance(value, dict):
        for key, child in value.items():
            _fill(ET.SubElement(element, key), child)
    elif isinstance(value, list):
        item_name = ITEM_NAMES[element.tag]
        for item in value:
            _fill(ET.SubElement(element, item_name), item)
    else:
        element.text = _text(value)


def to_xml(root: str, value: Any) -> str:
    element = ET.Element(root)
    _fill(element, value)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(element, encoding="unicode")


def respond(fmt: str, root: str, value: Any, *, status: int = 200) -> HttpResponse:
    """`value` is a list (a bare JSON array / repeated XML items) or a dict (an object / fields)."""
    if fmt == "xml":
        return HttpResponse(to_xml(root, value), content_type=XML_TYPE, status=status)
    body = json.dumps(value, ensure_ascii=False, default=str)
    return HttpResponse(body, content_type=JSON_TYPE, status=status)


def errors(fmt: str, status: int, descriptions: list[str]) -> HttpResponse:
    """The spec's error body: errors → error (code, description), the code being the HTTP status."""
    rows = [{"code": status, "description": str(d)} for d in descriptions]
    return respond(fmt, "errors", rows, status=status)


def bad_input(request: HttpRequest, message: Any, fields: dict[str, Any]) -> HttpResponse:
    """The refusal of `core.middleware.RejectUnsafeInputMiddleware` in the spec's error document
    (400, the format the path asks for, XML by default), one error per field."""
    fmt = "json" if request.path_info.endswith(".json") else "xml"
    return errors(fmt, 400, [f"{name}: {reason}" for name, reason in fields.items()] or [str(message)])
