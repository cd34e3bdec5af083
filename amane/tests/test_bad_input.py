"""No 500 from bad input: each server error the fuzzing run found, reproduced by hand on every
surface it reached (staff API, Open311, pages), with the answer the user should get instead.

A clear 4xx in the caller's language, the one error shape of the surface, nothing written.
"""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from ninja import Router, Schema
from ninja.errors import ConfigError

from audit.models import AuditRecord
from cases.models import Case, IdempotencyKey
from cases.services import idempotency_keys_purge
from core.api import DocumentedAPI
from emergency.models import Call
from emergency.tests.factories import line19
from open311.tests.factories import RABAT
from org.choices import KeyScope
from org.tests.factories import partner_key, user_key

ARABIC = re.compile(r"[\u0600-\u06FF]")
CASE = {
    "channel": "counter",
    "category": "theft",
    "description": "سرقة هاتف في محطة الترامواي",
    "full_name": "Fictif Exemple",
    "address": "شارع محمد الخامس، الرباط",
    "latitude": 34.0236,
    "longitude": -6.8341,
}


@pytest.fixture
def desk(org) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {user_key(org.desk)}", HTTP_ACCEPT_LANGUAGE="ar")


@pytest.fixture
def dispatcher(org) -> Client:
    o = line19(org)
    return Client(HTTP_AUTHORIZATION=f"Bearer {user_key(o.rbt_dispatcher)}", HTTP_ACCEPT_LANGUAGE="ar")


def post_json(client: Client, path: str, body: str | dict, **headers: str):
    data = body if isinstance(body, str) else json.dumps(body)
    return client.post(path, data, content_type="application/json", **headers)


def refused(response, status: int = 422) -> dict:
    """The one error shape, in Arabic (the caller's language)."""
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"code", "message", "fields"}, body
    assert ARABIC.search(body["message"]), body["message"]
    return body


def written() -> tuple[int, int, int]:
    return Case.objects.count(), Call.objects.count(), AuditRecord.objects.count()


# ---------------------------------------------------------------- NUL characters and bad code points


@pytest.mark.parametrize(
    "body",
    [
        json.dumps({**CASE, "description": "سرقة\u0000هاتف"}),
        json.dumps({**CASE, "full_name": "Fictif\u0000"}),
        '{"channel": "counter", "category": "theft", "description": "\\ud800", "anonymous": true}',
        json.dumps({**CASE, "x\u0000": 1}),
    ],
)
def test_nul_characters_and_lone_surrogates_in_json_are_refused_before_any_write(org, desk, body):
    before = written()
    body_out = refused(post_json(desk, "/api/cases", body))
    assert body_out["code"] == "invalid_input" and body_out["fields"]
    assert written() == before


@pytest.mark.parametrize(
    "path",
    ["/api/cases?q=AB%00CD", "/api/cases?state=%00", "/api/cases/RBT%00-2026/events", "/api/cases/deidentified?x%00=1"],
)
def test_nul_characters_in_the_address_are_refused(org, desk, path):
    assert refused(desk.get(path))["code"] == "invalid_input"


def test_nul_in_a_line19_call_and_a_dispatch_reason_is_refused(org, dispatcher):
    before = written()
    call = {"category": "fight", "address": "حي\u0000حسان", "latitude": 34.02, "longitude": -6.83}
    refused(post_json(dispatcher, "/api/emergency/calls", call))
    refused(post_json(dispatcher, "/api/emergency/incidents/1/dispatch", {"patrol_id": 1, "override_reason": "\x00"}))
    assert written() == before


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_nul_in_an_open311_request_is_the_specs_400_in_its_format(org, fmt):
    _partner, raw = partner_key("Commune fictive", KeyScope.OPEN311)
    before = written()
    data = {"api_key": raw, "service_code": "nuisance", "description": "ضجيج\x00", **RABAT}
    r = Client().post(f"/open311/v2/requests.{fmt}", data)
    assert r.status_code == 400 and written() == before
    text = r.content.decode()
    assert "description" in text and "\x00" not in text
    if fmt == "json":
        assert r.json()[0]["code"] == 400


def test_nul_in_a_page_form_is_a_400_page_not_a_500(org):
    client = Client()
    client.force_login(org.desk)
    before = written()
    r = client.post("/cases/new/", {"category": "theft", "description": "a\x00b"})
    assert r.status_code == 400 and written() == before
    assert ARABIC.search(r.content.decode())


# ---------------------------------------------------------------- numbers that are not numbers


@pytest.mark.parametrize(
    "latitude,longitude", [("1e999", "-6.83"), ("NaN", "-6.83"), ("34.02", "-Infinity"), ("Infinity", "-6.83")]
)
def test_non_finite_numbers_in_json_are_refused(org, desk, latitude, longitude):
    text = {k: v for k, v in CASE.items() if k not in ("latitude", "longitude")}
    body = json.dumps(text)[:-1] + f', "latitude": {latitude}, "longitude": {longitude}}}'
    before = written()
    assert refused(post_json(desk, "/api/cases", body))["code"] == "invalid_input"
    refused(post_json(desk, "/api/cases/suggestions", f'{{"latitude": {latitude}, "longitude": {longitude}}}'))
    assert written() == before


@pytest.mark.parametrize("value", ["inf", "-inf", "nan", "1e999"])
def test_non_finite_coordinates_in_a_query_are_refused(org, desk, value):
    body = refused(desk.get(f"/api/routing/propose?category=theft&latitude={value}&longitude=-6.83"))
    assert "latitude" in body["fields"]


# ---------------------------------------------------------------- pages, ids, dates, offsets, languages


@pytest.mark.parametrize(
    "path,field",
    [
        ("/api/cases?page=9223372036854775807", "page"),
        ("/api/cases?page=0", "page"),
        ("/api/cases/deidentified?page=9223372036854775807", "page"),
        ("/api/emergency/incidents/10750648110947679396276731904", "incident_id"),
        ("/api/emergency/calls?incident_id=99999999999999999999", "incident_id"),
        ("/api/cases?officer=99999999999999999999", "officer"),
    ],
)
def test_pages_and_ids_out_of_range_are_refused(org, dispatcher, desk, path, field):
    client = dispatcher if "emergency" in path else desk
    assert field in refused(client.get(path))["fields"]


@pytest.mark.parametrize("moment", ["2026-01-01T00:00:00-17:16", "2026-01-01T00:00:00+15:00", "0001-01-01T00:00:00"])
def test_impossible_offsets_and_dates_are_refused(org, dispatcher, moment):
    metrics = dispatcher.get("/api/emergency/metrics/response-times", {"since": moment})
    assert "since" in refused(metrics)["fields"]
    call = {"category": "fight", "address": "حسان", "latitude": 34.02, "longitude": -6.83, "received_at": moment}
    assert "received_at" in refused(post_json(dispatcher, "/api/emergency/calls", call))["fields"]


@pytest.mark.parametrize("moment", ["2026-01-01T00:00:00-17:16", "0001-01-01T00:00:00+01:00", "9999-12-31"])
def test_open311_dates_out_of_any_window_are_the_specs_400(org, moment):
    r = Client().get("/open311/v2/requests.json", {"start_date": moment})
    assert r.status_code == 400 and r.json()[0]["code"] == 400


def test_a_line19_call_older_than_the_window_or_from_the_future_is_refused(org, dispatcher, settings):
    now = timezone.now()
    call = {"category": "fight", "address": "حسان", "latitude": 34.02, "longitude": -6.83}
    before = written()
    for when in ("1900-01-01T10:00:00+00:00", (now - timedelta(hours=25)).isoformat()):
        assert (
            "received_at"
            in refused(post_json(dispatcher, "/api/emergency/calls", {**call, "received_at": when}))["fields"]
        )
    assert (
        "received_at"
        in refused(
            post_json(
                dispatcher, "/api/emergency/calls", {**call, "received_at": (now + timedelta(hours=1)).isoformat()}
            )
        )["fields"]
    )
    assert written() == before
    recent = post_json(
        dispatcher, "/api/emergency/calls", {**call, "received_at": (now - timedelta(hours=2)).isoformat()}
    )
    assert recent.status_code == 201, recent.content


def test_unknown_languages_are_refused(org, desk, dispatcher):
    before = written()
    assert "language" in refused(post_json(desk, "/api/cases", {**CASE, "language": "xx"}))["fields"]
    call = {"category": "fight", "address": "حسان", "latitude": 34.02, "longitude": -6.83, "language": "tlh"}
    assert "language" in refused(post_json(dispatcher, "/api/emergency/calls", call))["fields"]
    assert written() == before
    assert Client().get("/lang/xx/").status_code == 404
    assert Client().get("/lang/fr/").status_code == 302


def test_field_errors_are_in_the_callers_language(org, desk):
    arabic = refused(desk.get("/api/cases?page=0"))["fields"]["page"]
    french = desk.get("/api/cases?page=0", HTTP_ACCEPT_LANGUAGE="fr").json()["fields"]["page"]
    assert ARABIC.search(arabic) and "1" in arabic
    assert french != arabic and not ARABIC.search(french)


# ---------------------------------------------------------------- the API's own answers


def test_a_body_that_is_not_json_is_a_documented_400_in_the_error_shape(org, desk):
    body = refused(post_json(desk, "/api/cases", "\x1e{not json"), status=400)
    assert body["code"] == "invalid_body"


def test_an_unexpected_error_is_a_json_500_without_the_traceback(org, desk, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr("cases.api.selectors.active_categories", broken)
    r = desk.get("/api/categories")
    body = refused(r, status=500)
    assert body["code"] == "server_error" and "secret internal detail" not in r.content.decode()
    assert "secret internal detail" in caplog.text  # recorded for the operators


def test_every_operation_documents_the_shared_refusals(org, desk):
    spec = Client().get("/api/openapi.json").json()
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            statuses = set(operation["responses"])
            if operation.get("security"):
                assert {"401", "403", "429"} <= statuses, (method, path, statuses)
            if operation.get("requestBody"):
                assert {"400", "422"} <= statuses, (method, path, statuses)


def test_two_schemas_with_one_name_fail_the_description():
    def named_thing(field: str) -> type[Schema]:
        return type("Thing", (Schema,), {"__annotations__": {field: int}})

    first, second = Router(), Router()
    first.get("/a", response=named_thing("a"))(lambda request: {"a": 1})
    second.get("/b", response=named_thing("b"))(lambda request: {"b": 1})
    api = DocumentedAPI(urls_namespace="twins")
    api.add_router("/one/", first)
    api.add_router("/two/", second)
    with pytest.raises(ConfigError, match="Thing"):
        api.get_openapi_schema(path_prefix="/")


# ---------------------------------------------------------------- idempotent replays


def test_a_replay_returns_the_first_answer_not_the_case_as_it_is_now(org, desk):
    first = post_json(desk, "/api/cases", CASE, HTTP_IDEMPOTENCY_KEY="retry-1")
    assert first.status_code == 201
    Case.objects.filter(reference=first.json()["reference"]).update(description="changed later", version=7)
    again = post_json(desk, "/api/cases", CASE, HTTP_IDEMPOTENCY_KEY="retry-1")
    assert again.status_code == 200 and again.json() == first.json()
    assert "changed later" not in again.content.decode()
    assert Case.objects.count() == 1


def test_an_idempotency_key_expires(org, desk, settings):
    settings.IDEMPOTENCY_KEY_HOURS = 24
    first = post_json(desk, "/api/cases", CASE, HTTP_IDEMPOTENCY_KEY="retry-2")
    IdempotencyKey.objects.update(created_at=timezone.now() - timedelta(hours=25))
    later = post_json(desk, "/api/cases", CASE, HTTP_IDEMPOTENCY_KEY="retry-2")
    assert later.status_code == 201 and later.json()["reference"] != first.json()["reference"]
    IdempotencyKey.objects.update(created_at=timezone.now() - timedelta(hours=25))
    assert idempotency_keys_purge() == 1 and IdempotencyKey.objects.count() == 0
    assert Case.objects.count() == 2  # the complaints stay
