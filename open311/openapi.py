"""An OpenAPI 3.1 description of the Open311 GeoReport v2 endpoint, for partners' tools and for the
fuzzing run of `make test`.

GeoReport v2 is specified in prose (wiki.open311.org); this document says the same in OpenAPI for
the JSON format: the paths, their parameters, the shapes of the answers (bare arrays for lists and
errors, objects for discovery and a service definition) and every status each path can answer.
The XML format answers the same paths with `.xml` and the same fields.
"""

from __future__ import annotations

from typing import Any

from open311 import conf

TEXT = {"type": "string"}
NULLABLE_TEXT = {"type": ["string", "null"]}
ERRORS = {"$ref": "#/components/schemas/Errors"}


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": ERRORS}}}


def _query(name: str, description: str, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "description": description, "schema": schema or TEXT}


COMMON_PARAMETERS = [
    _query(
        "jurisdiction_id",
        "Optional (this endpoint serves one jurisdiction, named in the discovery document's contact); "
        "any other value answers 404.",
    ),
    _query("locale", "Language of the messages: ar, fr or en (others fall back to Arabic)."),
]
SHARED = {
    "400": _error("A parameter or field is not valid (a NUL character, a bad date, an unknown status, ...)."),
    "404": _error("Unknown jurisdiction, service (service_code) or request."),
    "429": _error("Too many requests from this key or address: wait for Retry-After seconds."),
}
READ_KEY = _query("api_key", "Optional on reads: your partner key shows your own requests in full (403 if not valid).")


def _in_path(name: str, longest: int) -> dict[str, Any]:
    pattern = rf"^[-\w]{{1,{longest}}}$"
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string", "pattern": pattern}}


def _object(properties: dict[str, Any], required: list[str] | None = None) -> dict[str, Any]:
    return {"type": "object", "properties": properties, "required": required or list(properties)}


def _request_row() -> dict[str, Any]:
    """A service request as the spec lays it out (a reader other than the filing partner gets the
    public feed's row: empty text, generalised place)."""
    text_fields = ["status_notes", "service_name", "description", "agency_responsible", "service_notice"]
    text_fields += ["address", "address_id", "zipcode", "media_url"]
    place = {"type": ["number", "null", "string"]}
    properties: dict[str, Any] = {
        "service_request_id": TEXT,
        "status": {"type": "string", "enum": ["open", "closed"]},
        "service_code": TEXT,
        **{name: TEXT for name in text_fields},
        **{name: NULLABLE_TEXT for name in ("requested_datetime", "updated_datetime", "expected_datetime")},
        "lat": place,
        "long": place,
    }
    return _object(properties, required=["service_request_id", "status", "service_code"])


def _service_definition() -> dict[str, Any]:
    attribute = _object(
        {
            "variable": {"type": "boolean"},
            "code": TEXT,
            "datatype": TEXT,
            "required": {"type": "boolean"},
            "datatype_description": TEXT,
            "order": {"type": "integer"},
            "description": TEXT,
            "values": {"type": "array", "items": _object({"key": TEXT, "name": TEXT})},
        }
    )
    return _object({"service_code": TEXT, "attributes": {"type": "array", "items": attribute}})


def _schemas() -> dict[str, Any]:
    endpoint = _object(
        {"specification": TEXT, "url": TEXT, "changeset": TEXT, "type": TEXT, "formats": {"type": "array"}}
    )
    service_fields = ["service_code", "service_name", "description", "type", "keywords", "group"]
    service = _object({**{name: TEXT for name in service_fields}, "metadata": {"type": "boolean"}})
    created = _object({"service_request_id": TEXT, "service_notice": TEXT, "account_id": TEXT})
    return {
        "Errors": {"type": "array", "items": _object({"code": {"type": "integer"}, "description": TEXT})},
        "Discovery": _object(
            {"changeset": TEXT, "contact": TEXT, "key_service": TEXT, "endpoints": {"type": "array", "items": endpoint}}
        ),
        "Services": {"type": "array", "items": service},
        "ServiceDefinition": _service_definition(),
        "ServiceRequests": {"type": "array", "items": _request_row()},
        "Created": {"type": "array", "items": created},
        "Tokens": {"type": "array", "items": _object({"service_request_id": TEXT, "token": TEXT})},
    }


def _ok(schema: str, description: str, status: str = "200") -> dict[str, Any]:
    return {
        status: {
            "description": description,
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
        }
    }


def _get(summary: str, schema: str, parameters: list[dict[str, Any]], errors: dict[str, Any]) -> dict[str, Any]:
    return {
        "get": {
            "summary": summary,
            "parameters": [*parameters, *COMMON_PARAMETERS],
            "responses": {**_ok(schema, summary), **errors, **SHARED},
        }
    }


def _post_requests() -> dict[str, Any]:
    fields = ["lat", "long", "address_string", "address_id", "email", "device_id", "account_id"]
    fields += ["first_name", "last_name", "phone", "description", "media_url"]
    properties: dict[str, Any] = {"service_code": TEXT, **{name: TEXT for name in fields}}
    return {
        "summary": "File a service request (a complaint) with a partner key",
        "description": "Answers per service come as attribute[CODE] fields (see the service definition).",
        "security": [{"api_key": []}],
        "parameters": COMMON_PARAMETERS,
        "requestBody": {
            "required": True,
            "content": {
                "application/x-www-form-urlencoded": {
                    "schema": {"type": "object", "properties": properties, "required": ["service_code"]}
                }
            },
        },
        "responses": {
            **_ok("Created", "The request was registered: its service_request_id at once (realtime)"),
            "403": _error("No valid partner key."),
            "503": _error("The service cannot register requests right now."),
            **SHARED,
        },
    }


def document(base: str = "/open311/v2") -> dict[str, Any]:
    """The OpenAPI 3.1 description of this endpoint (JSON format)."""
    page_size_max = conf.get("AMANE_OPEN311_PAGE_SIZE_MAX")
    list_parameters = [
        _query("service_request_id", "Comma-separated ids; overrides every other filter."),
        _query("service_code", "Comma-separated service codes."),
        _query("start_date", "W3C date and time (2026-03-01T10:00:00+01:00); the window is 90 days at most."),
        _query("end_date", "W3C date and time."),
        _query("status", "open, closed, or both comma-separated."),
        _query("page", "From 1.", {"type": "integer", "minimum": 1, "maximum": 1_000_000}),
        _query(
            "page_size",
            f"Default and largest page: {page_size_max} (a larger value is capped).",
            {"type": "integer", "minimum": 1},
        ),
        READ_KEY,
    ]
    bad = {"403": _error("The api_key is not valid.")}
    code = {
        "name": "service_code",
        "in": "path",
        "required": True,
        "schema": {"type": "string", "pattern": r"^[-\w]{1,50}$"},
    }
    request_id = {
        "name": "service_request_id",
        "in": "path",
        "required": True,
        "schema": {"type": "string", "pattern": r"^[-\w]{1,40}$"},
    }
    token = {"name": "token", "in": "path", "required": True, "schema": {"type": "string", "pattern": r"^[-\w]{1,64}$"}}
    requests = _get("Public service requests, newest first", "ServiceRequests", list_parameters, bad)
    requests["post"] = _post_requests()
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Amane Open311 GeoReport v2",
            "version": "v2",
            "description": __doc__,
        },
        "paths": {
            f"{base}/discovery.json": _get("Discovery document", "Discovery", [], {}),
            f"{base}/services.json": _get("Services (complaint categories)", "Services", [], {}),
            f"{base}/services/{{service_code}}.json": _get("Service definition", "ServiceDefinition", [code], {}),
            f"{base}/requests.json": requests,
            f"{base}/requests/{{service_request_id}}.json": _get(
                "One service request", "ServiceRequests", [request_id, READ_KEY], {"403": bad["403"]}
            ),
            f"{base}/tokens/{{token}}.json": _get("The request id behind a token", "Tokens", [token], {}),
        },
        "components": {
            "schemas": _schemas(),
            "securitySchemes": {"api_key": {"type": "apiKey", "in": "query", "name": "api_key"}},
        },
    }
