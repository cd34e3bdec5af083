"""The Open311 GeoReport v2 endpoints: thin views that parse, call a selector or service, render.

The format is the suffix of the address (.xml or .json); every answer, errors included, comes in
it. Reads are public; POST requests needs a partner's api_key. The language of names and messages
is the `locale` parameter, else the Accept-Language header, else Arabic.
"""

from __future__ import annotations

import functools
import re

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt

from core.errors import DomainError, PermissionDenied, ValidationFailed
from core.http import client_ip, with_retry_after
from open311 import conf, documents, render
from open311.attributes import definition_rows
from open311.openapi import document as openapi_document
from open311.selectors import (
    parse_request_filters,
    partner_for_key,
    public_categories,
    public_category,
    request_get,
    requests_list,
    token_get,
)
from open311.services import RequestInput, request_submit
from org.ratelimit import Rule, limit

_ATTRIBUTE_KEY = re.compile(r"^attribute\[([-\w]{1,50})\](?:\[\])?$")
FORM_FIELDS = [f for f in RequestInput.__dataclass_fields__ if f not in ("language", "attributes")]


def _language(request: HttpRequest) -> str:
    asked = (request.GET.get("locale") or request.POST.get("locale") or "").strip().lower().replace("_", "-")
    languages = dict(settings.LANGUAGES)
    if asked[:2] in languages:
        return asked[:2]
    return translation.get_language_from_request(request) or settings.LANGUAGE_CODE


def _descriptions(error: DomainError) -> list[str]:
    lines = [str(error.message)]
    lines += [f"{name}: {message}" for name, message in error.fields.items()]
    return lines


def endpoint(methods: tuple[str, ...] = ("GET",)):
    """Language, jurisdiction, method and the spec's error body around a view.

    Validation failures are the spec's 400 (the rest of Amane says 422); not found, forbidden and
    unavailable keep their status.
    """

    def wrap(view):
        @functools.wraps(view)
        def inner(request: HttpRequest, fmt: str = "xml", **kwargs) -> HttpResponse:
            with translation.override(_language(request)):
                if request.method == "OPTIONS":
                    return _preflight(methods)
                if request.method not in methods:
                    response = render.errors(fmt, 405, [str(_("Method not allowed."))])
                    response["Allow"] = ", ".join(methods)
                    return response
                jurisdiction = (request.GET.get("jurisdiction_id") or request.POST.get("jurisdiction_id") or "").strip()
                if jurisdiction and jurisdiction != conf.get("AMANE_OPEN311_JURISDICTION"):
                    return render.errors(fmt, 404, [str(_("Unknown jurisdiction_id."))])
                try:
                    if request.method == "GET":
                        request.open311_partner = _reader(request)  # type: ignore[attr-defined]
                    _throttle(request)
                    response = view(request, fmt, **kwargs)
                except DomainError as error:
                    status = 400 if isinstance(error, ValidationFailed) else error.status
                    response = with_retry_after(render.errors(fmt, status, _descriptions(error)), error)
                if request.method == "GET":
                    response["Access-Control-Allow-Origin"] = "*"
                return response

        return csrf_exempt(inner)

    return wrap


def _preflight(methods: tuple[str, ...]) -> HttpResponse:
    """OPTIONS: which methods the resource has, and that a page of any origin may read it. POST is
    never offered to other origins: a partner files from its server, with its key."""
    response = HttpResponse(status=204)
    response["Allow"] = ", ".join([*methods, "OPTIONS"])
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Allow-Methods"] = "GET, OPTIONS"
    response["Access-Control-Allow-Headers"] = "Accept, Accept-Language"
    response["Access-Control-Max-Age"] = "86400"
    return response


def _reader(request: HttpRequest):
    """Reads are public; a key given with them must be valid, and lets its partner see its own
    requests in full."""
    raw = request.GET.get("api_key", "")
    if not raw:
        return None
    partner = partner_for_key(raw, address=client_ip(request))
    if partner is None:
        raise PermissionDenied(_("The api_key is not valid."))
    return partner


def _throttle(request: HttpRequest) -> None:
    """A partner's key has its own budget; reads without a key share one per client address."""
    partner = getattr(request, "open311_partner", None)
    raw = request.POST.get("api_key", "") if request.method == "POST" else ""
    if partner is None and raw:
        partner = partner_for_key(raw, address=client_ip(request))
    if partner is not None:
        limit(f"open311:partner:{partner.pk}", Rule.parse(conf.get("AMANE_OPEN311_RATE_KEY")))
    else:
        limit(f"open311:ip:{client_ip(request)}", Rule.parse(conf.get("AMANE_OPEN311_RATE_ANONYMOUS")))


def openapi(request: HttpRequest) -> JsonResponse:
    """This endpoint described in OpenAPI 3.1 (JSON format), for partners' tools."""
    return JsonResponse(openapi_document(reverse("open311:root").rstrip("/")))


def root(request: HttpRequest) -> HttpResponse:
    return redirect("open311:discovery", fmt="xml")


@endpoint()
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    return render.respond(fmt, "discovery", documents.discovery(f"{request.scheme}://{request.get_host()}"))


@endpoint()
def services(request: HttpRequest, fmt: str) -> HttpResponse:
    rows = [documents.service_row(c) for c in public_categories()]
    return render.respond(fmt, "services", rows)


@endpoint()
def service_definition(request: HttpRequest, fmt: str, service_code: str) -> HttpResponse:
    category = public_category(service_code)
    body = {"service_code": category.code, "attributes": definition_rows(category.code)}
    return render.respond(fmt, "service_definition", body)


@endpoint(("GET", "POST"))
def requests(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _submit(request, fmt)
    partner = request.open311_partner  # type: ignore[attr-defined]
    cases = requests_list(parse_request_filters(request.GET))
    return render.respond(fmt, "service_requests", [documents.request_row(c, partner) for c in cases])


def _submit(request: HttpRequest, fmt: str) -> HttpResponse:
    raw = request.POST.get("api_key") or request.GET.get("api_key", "")
    partner = partner_for_key(raw, address=client_ip(request))
    if partner is None:
        raise PermissionDenied(_("A valid api_key is required to submit a service request."))
    data = RequestInput(
        **{name: request.POST.get(name, "") for name in FORM_FIELDS},
        language=translation.get_language()[:2],
        attributes={
            match.group(1): request.POST.getlist(key) for key in request.POST if (match := _ATTRIBUTE_KEY.match(key))
        },
    )
    row = request_submit(partner=partner, data=data)
    notice = _(
        "Complaint registered under reference %(ref)s. Tracking code for the citizen: %(code)s. "
        "It will be handled by %(unit)s."
    ) % {"ref": row.case.reference, "code": row.tracking_code, "unit": row.case.assigned_unit.display_name}
    # The spec: service_request_id "should not be returned if token is returned" and the other way
    # round; our services are "realtime", so the id, at once, with the spec's plain 200.
    body = [{"service_request_id": row.case.reference, "service_notice": str(notice), "account_id": ""}]
    return render.respond(fmt, "service_requests", body)


@endpoint()
def request_detail(request: HttpRequest, fmt: str, service_request_id: str) -> HttpResponse:
    partner = request.open311_partner  # type: ignore[attr-defined]
    case = request_get(service_request_id, partner)
    return render.respond(fmt, "service_requests", [documents.request_row(case, partner)])


@endpoint()
def token(request: HttpRequest, fmt: str, token: str) -> HttpResponse:
    row = token_get(token)
    return render.respond(fmt, "service_requests", [{"service_request_id": row.case.reference, "token": row.token}])


@csrf_exempt
def unknown(request: HttpRequest) -> HttpResponse:
    fmt = "json" if request.path.endswith(".json") else "xml"
    with translation.override(_language(request)):
        return render.errors(fmt, 404, [str(_("No such Open311 resource. Use the .xml or .json suffix."))])
