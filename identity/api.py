"""The trusted-third-party check: an authorised partner asks whether a person is who they claim.

POST /identity/ttp/verify with `Authorization: Bearer <partner key>` (scope "ttp") and a JSON body
{"cnie", "given_name", "family_name", "consent_id"} — the code of the consent the person gave the
partner in the citizen portal; the answer is {"answer": <JWT signed RS256 with "match": true|false>,
"check_id"}; the public key is at /identity/ttp/jwks.json. 429 with Retry-After past the partner's
rate. Errors use the API shape {"code", "message", "fields"}; messages follow
the partner's Accept-Language.
"""

from __future__ import annotations

import json

from django.http import HttpRequest, JsonResponse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from core.errors import DomainError
from core.http import client_ip, error_body, json_error
from identity import keys
from identity.services import TtpRequest, partner_authenticate, signed_answer, ttp_check

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
    except DomainError as exc:
        return json_error(exc)
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

    def text(key: str) -> str:
        value = body.get(key)
        return value if isinstance(value, str) else ""

    ask = TtpRequest(
        cnie=text("cnie"),
        given_name=text("given_name"),
        family_name=text("family_name"),
        consent_code=text("consent_id"),
    )
    try:
        record = ttp_check(partner=partner, request=ask)
    except DomainError as exc:
        return json_error(exc)
    return JsonResponse({"answer": signed_answer(record), "check_id": record.pk})


@require_GET
def jwks(request: HttpRequest) -> JsonResponse:
    response = JsonResponse(keys.jwks(keys.TTP_KEY_FILE))
    response["Cache-Control"] = "public, max-age=300"
    return response
