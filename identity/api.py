"""The trusted-third-party check: an authorised partner asks whether a person is who they claim.

POST /identity/ttp/verify with `Authorization: Bearer <partner key>` and a JSON body
{"cnie", "given_name", "family_name", "consent": {"text", "version", "given_at", "purpose"}};
the answer is {"answer": <JWT signed RS256>, "consent_id"}; the public key is at
/identity/ttp/jwks.json. Errors use the API shape {"code", "message", "fields"}; messages follow
the partner's Accept-Language.
"""

from __future__ import annotations

import json

from django.http import HttpRequest, JsonResponse
from django.utils import translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from core.errors import DomainError
from core.http import client_ip, error_body, json_error
from identity import keys
from identity.services import TtpRequest, partner_authenticate, signed_answer, ttp_check
from org.services.throttle import Throttled

MAX_BODY = 20_000


def _error(status: int, code: str, message: object, fields: dict[str, object] | None = None) -> JsonResponse:
    return JsonResponse(error_body(code, message, fields), status=status)


@csrf_exempt
def verify(request: HttpRequest) -> JsonResponse:
    language = translation.get_language_from_request(request)
    with translation.override(language):
        return _verify(request)


def _verify(request: HttpRequest) -> JsonResponse:
    if request.method != "POST":
        return _error(405, "method_not_allowed", _("Use POST."))
    auth = request.headers.get("Authorization", "")
    raw_key = auth[7:].strip() if auth.lower().startswith("bearer ") else ""
    if not raw_key:
        return _error(401, "unauthorized", _("A partner key is required (Authorization: Bearer)."))
    try:
        partner = partner_authenticate(raw_key, address=client_ip(request))
    except Throttled as exc:
        response = json_error(exc)
        response["Retry-After"] = str(exc.retry_after)
        return response
    if partner is None:
        return _error(403, "forbidden", _("This partner key is not valid or was revoked."))
    if len(request.body) > MAX_BODY:
        return _error(413, "too_large", _("The request is too large."))
    try:
        body = json.loads(request.body or b"")
    except (ValueError, UnicodeDecodeError):
        return _error(400, "invalid_json", _("The body must be a JSON object."))
    if not isinstance(body, dict):
        return _error(400, "invalid_json", _("The body must be a JSON object."))
    consent = body.get("consent")
    if not isinstance(consent, dict):
        return _error(
            422, "validation_error", _("The person's consent is required."), {"consent": _("This field is required.")}
        )

    def text(obj: dict, key: str) -> str:
        value = obj.get(key)
        return value if isinstance(value, str) else ""

    given_at_raw = text(consent, "given_at")
    try:
        given_at = parse_datetime(given_at_raw) if given_at_raw else None
    except ValueError:
        given_at = None
    try:
        ask = TtpRequest(
            cnie=text(body, "cnie"),
            given_name=text(body, "given_name"),
            family_name=text(body, "family_name"),
            consent_text=text(consent, "text"),
            consent_version=text(consent, "version"),
            consented_at=given_at,
            purpose=text(consent, "purpose"),
        )
        record = ttp_check(partner=partner, request=ask)
    except DomainError as exc:
        return json_error(exc)
    return JsonResponse({"answer": signed_answer(record), "consent_id": record.pk})


@require_GET
def jwks(request: HttpRequest) -> JsonResponse:
    response = JsonResponse(keys.jwks(keys.TTP_KEY_FILE))
    response["Cache-Control"] = "public, max-age=300"
    return response
