"""The NinjaAPI every JSON API of Amane is built on: one error shape for every answer that is not a
success, even the ones django-ninja or Django would make themselves, and an OpenAPI description
that documents every status an operation can answer and never gives two schemas one name.

- A body that is not JSON (django-ninja's `HttpError(400)`) answers 400 `invalid_body`, a route
  that does not exist 404 `not_found`, an unexpected exception 500 `server_error` (logged with its
  traceback, the traceback never sent): all `{"code", "message", "fields"}`, never an HTML page.
- OpenAPI: besides what each operation declares, an authenticated operation documents 401
  (no or a bad key), 403 (a second factor owed, a role missing) and 429 (too many bad keys); one
  with parameters or a body documents 422; one with a body documents 400.
- Two models with the same name and different fields would overwrite each other in
  `components/schemas` (django-ninja keeps the last one): building the description fails instead.
"""

from __future__ import annotations

import logging
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI
from ninja.errors import ConfigError, HttpError, ValidationError
from ninja.openapi.schema import OpenAPISchema

from core.http import error_body
from core.schemas import ErrorOut

logger = logging.getLogger("amane.api")

REF = "#/components/schemas/"
ERROR_DESCRIPTIONS = {
    400: "The body could not be read (not JSON, or not the declared shape).",
    401: "No credentials, or a key that is not valid.",
    403: "Your role does not allow this, or your sign-in still owes its second factor.",
    422: "A parameter or a field is not valid (see `fields`).",
    429: "Too many failed attempts from this address: wait for Retry-After seconds.",
}
HTTP_ERROR_CODES = {400: "invalid_body", 405: "method_not_allowed", 413: "too_large"}

# Pydantic's error types, said in the user's language (its own messages are English only).
FIELD_MESSAGES: dict[str, Any] = {
    "missing": _("This field is required."),
    "string_too_long": _("At most %(max_length)s characters."),
    "string_too_short": _("At least %(min_length)s characters."),
    "too_long": _("At most %(max_length)s items."),
    "greater_than_equal": _("At least %(ge)s."),
    "less_than_equal": _("At most %(le)s."),
    "greater_than": _("More than %(gt)s."),
    "less_than": _("Less than %(lt)s."),
    "finite_number": _("This number is not finite."),
    "int_parsing": _("A whole number is expected."),
    "int_type": _("A whole number is expected."),
    "int_from_float": _("A whole number is expected."),
    "float_parsing": _("A number is expected."),
    "float_type": _("A number is expected."),
    "bool_parsing": _("true or false is expected."),
    "bool_type": _("true or false is expected."),
    "string_type": _("Text is expected."),
    "literal_error": _("Choose one of: %(expected)s."),
    "enum": _("Choose one of: %(expected)s."),
    "datetime_parsing": _("A date and time is expected (for example 2026-03-01T10:00:00+01:00)."),
    "datetime_from_date_parsing": _("A date and time is expected (for example 2026-03-01T10:00:00+01:00)."),
    "datetime_type": _("A date and time is expected (for example 2026-03-01T10:00:00+01:00)."),
    "timezone_aware": _("Give the time zone offset (for example +01:00)."),
}
VALUE_ERRORS: dict[str, Any] = {
    "time zone offset out of range": _("This time zone offset does not exist (from -12:00 to +14:00)."),
    "date out of range": _("This date is outside the years 1900 to 2199."),
}


def field_message(error: dict[str, Any]) -> str:
    """One pydantic error as a sentence in the active language."""
    kind = error.get("type", "")
    context = error.get("ctx") or {}
    if kind == "value_error":
        reason = str(context.get("error", ""))
        if reason in VALUE_ERRORS:
            return str(VALUE_ERRORS[reason])
    template = FIELD_MESSAGES.get(kind)
    if template is None:
        return str(error.get("msg", ""))
    try:
        return str(template) % {k: str(v) for k, v in context.items()}
    except (KeyError, ValueError, TypeError):
        return str(error.get("msg", ""))


class StrictOpenAPISchema(OpenAPISchema):
    """django-ninja's description, refusing two different schemas under one name and documenting
    the answers every operation shares."""

    def add_schema_definitions(self, definitions: dict) -> None:
        for name, definition in definitions.items():
            known = self.schemas.get(name)
            if known is not None and known != definition:
                raise ConfigError(f"Two different API schemas are named {name!r}: rename one of them.")
        super().add_schema_definitions(definitions)

    def __init__(self, api: NinjaAPI, path_prefix: str) -> None:
        super().__init__(api, path_prefix)
        schemas = self["components"].setdefault("schemas", {})
        if "ErrorOut" not in schemas:
            schemas["ErrorOut"] = ErrorOut.model_json_schema()
        for operations in self["paths"].values():
            for operation in operations.values():
                _document_shared_errors(operation)


def _document_shared_errors(operation: dict[str, Any]) -> None:
    statuses: set[int] = set()
    if operation.get("security"):
        statuses |= {401, 403, 429}
    if operation.get("parameters") or operation.get("requestBody"):
        statuses.add(422)
    if operation.get("requestBody"):
        statuses.add(400)
    responses = operation.setdefault("responses", {})
    for status in sorted(statuses):
        if status not in responses and str(status) not in responses:
            responses[status] = {
                "description": ERROR_DESCRIPTIONS[status],
                "content": {"application/json": {"schema": {"$ref": f"{REF}ErrorOut"}}},
            }


class DocumentedAPI(NinjaAPI):
    """A NinjaAPI whose every failure is in the one error shape and whose description is strict."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.add_exception_handler(ValidationError, self._on_validation_error)
        self.add_exception_handler(HttpError, self._on_http_error)
        self.add_exception_handler(Http404, self._on_not_found)
        self.add_exception_handler(Exception, self._on_unexpected)

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        return StrictOpenAPISchema(self, path_prefix)

    def _on_validation_error(self, request: HttpRequest, exc: Any) -> HttpResponse:
        fields: dict[str, str] = {}
        for error in exc.errors:
            where = [str(p) for p in error.get("loc", []) if p not in ("body", "payload", "query", "path", "header")]
            fields.setdefault(".".join(where) or "request", field_message(error))
        message = _("The request is not valid: correct the marked fields.")
        return self.create_response(request, error_body("validation_error", message, fields), status=422)

    def _on_http_error(self, request: HttpRequest, exc: Any) -> HttpResponse:
        code = HTTP_ERROR_CODES.get(exc.status_code, "invalid")
        message = _("The body of the request could not be read: send JSON.") if exc.status_code == 400 else str(exc)
        return self.create_response(request, error_body(code, message), status=exc.status_code)

    def _on_not_found(self, request: HttpRequest, exc: Any) -> HttpResponse:
        return self.create_response(request, error_body("not_found", _("Not found.")), status=404)

    def _on_unexpected(self, request: HttpRequest, exc: Any) -> HttpResponse:
        logger.exception("Unexpected error in %s %s", request.method, request.path)
        message = _("Something went wrong on our side. The error was recorded; please try again later.")
        return self.create_response(request, error_body("server_error", message), status=500)
