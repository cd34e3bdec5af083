"""The REST API: create, list, read, transition, attachments, idempotency and its errors."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from audit.models import AuditRecord
from cases.models import Attachment, Case, Complainant, IdempotencyKey
from org.tests.factories import user_key

ARABIC = re.compile(r"[\u0600-\u06FF]")

VALID = {
    "channel": "counter",
    "category": "theft",
    "description": "سرقة دراجة نارية أمام المسجد",
    "full_name": "Fictif Exemple",
    "cnie": "BE123456",
    "phone": "0661234567",
    "address": "زنقة سبو، أكدال، الرباط",
    "latitude": 33.9970,
    "longitude": -6.8510,
}


@pytest.fixture
def desk_client(org):
    c = Client()
    c.force_login(org.desk)
    return c


@pytest.fixture
def token_client(org):
    return Client(HTTP_AUTHORIZATION=f"Bearer {user_key(org.desk)}")


def post(client, body, **headers):
    return client.post("/api/cases", body, content_type="application/json", **headers)


def counts():
    return (Case.objects.count(), Complainant.objects.count(), AuditRecord.objects.count(), Attachment.objects.count())


def test_create_with_token_routes_and_encrypts(org, token_client):
    r = post(token_client, VALID)
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["assigned_unit"] == "RBT-D2"  # Agdal is nearest to the place
    assert body["state"] == "received" and body["version"] == 1
    assert re.fullmatch(r"[A-Z0-9]{4}(-[A-Z0-9]{4}){3}", body["tracking_code"])
    row = Complainant.objects.get(case__reference=body["reference"])
    assert "BE123456" not in row.cnie_enc and "661234567" not in row.phone_enc and row.cnie_hash


def test_bad_token_is_refused(org):
    r = Client(HTTP_AUTHORIZATION="Bearer amn_forged").get("/api/cases")
    assert r.status_code == 401


def test_idempotency_key_makes_retries_safe(org, desk_client):
    first = post(desk_client, VALID, HTTP_IDEMPOTENCY_KEY="intake-7f3a")
    again = post(desk_client, VALID, HTTP_IDEMPOTENCY_KEY="intake-7f3a")
    assert first.status_code == 201 and again.status_code == 200
    assert first.json()["reference"] == again.json()["reference"]
    assert first.json()["tracking_code"] == again.json()["tracking_code"]
    assert Case.objects.count() == 1 and IdempotencyKey.objects.count() == 1
    other = post(desk_client, {**VALID, "description": "شيء آخر"}, HTTP_IDEMPOTENCY_KEY="intake-7f3a")
    assert other.status_code == 409 and other.json()["code"] == "idempotency_key_reused"
    assert Case.objects.count() == 1


@pytest.mark.parametrize(
    "change,field",
    [
        ({"cnie": "12345678"}, "cnie"),
        ({"phone": "+33612345678"}, "phone"),
        ({"latitude": 40.4168, "longitude": -3.7038}, "latitude"),  # Madrid
        ({"latitude": 36.7538, "longitude": 3.0588}, "latitude"),  # Algiers
        ({"category": "no_such_category"}, "category"),
        ({"channel": "pigeon"}, "channel"),
        ({"description": "   "}, "description"),
        ({"anonymous": True, "category": "domestic_violence"}, "anonymous"),
        ({"full_name": ""}, "full_name"),
        ({"latitude": "north"}, "latitude"),
        ({"description": "x" * 5001}, "description"),
    ],
)
def test_bad_input_is_a_translated_4xx_and_writes_nothing(org, desk_client, change, field):
    before = counts()
    r = post(desk_client, {**VALID, **change}, HTTP_ACCEPT_LANGUAGE="ar")
    assert r.status_code == 422, r.content
    body = r.json()
    assert set(body) == {"code", "message", "fields"}
    assert field in body["fields"], body
    assert ARABIC.search(body["message"]), body["message"]  # in the user's language
    assert counts() == before
    english = post(desk_client, {**VALID, **change}, HTTP_ACCEPT_LANGUAGE="en").json()["message"]
    assert english != body["message"] and not ARABIC.search(english)


def test_list_filters_and_pages(org, desk_client, make_case):
    for _ in range(3):
        make_case()
    other = make_case(category="fraud")
    r = desk_client.get("/api/cases", {"page_size": 2})
    assert r.json()["count"] == 4 and len(r.json()["results"]) == 2
    assert desk_client.get("/api/cases", {"page_size": 2, "page": 2}).json()["results"][-1]["reference"]
    r = desk_client.get("/api/cases", {"category": "fraud"}).json()
    assert [c["reference"] for c in r["results"]] == [other.reference]
    assert desk_client.get("/api/cases", {"state": "closed"}).json()["count"] == 0
    assert desk_client.get("/api/cases", {"overdue": True}).json()["count"] == 0


def test_list_query_count_does_not_grow_with_rows(org, desk_client, make_case, django_assert_max_num_queries):
    for _ in range(12):
        make_case()
    with django_assert_max_num_queries(8):
        r = desk_client.get("/api/cases", {"page_size": 50})
    assert r.json()["count"] == 12


def test_transition_through_the_api(org, make_case):
    case = make_case()
    c = Client()
    c.force_login(org.investigator)
    url = f"/api/cases/{case.reference}/transitions"
    r = c.post(url, {"transition": "qualify", "version": 1, "offence": "theft"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["state"] == "qualified" and r.json()["version"] == 2
    stale = c.post(url, {"transition": "investigate", "version": 1}, content_type="application/json")
    assert stale.status_code == 409 and stale.json()["code"] == "conflict"
    wrong = c.post(
        url, {"transition": "record_instructions", "version": 2, "note": "x"}, content_type="application/json"
    )
    assert wrong.status_code == 409 and wrong.json()["code"] == "transition_not_allowed"
    no_ref = c.post(
        url,
        {"transition": "refer", "version": 2, "prosecutor_office": "Parquet de Rabat"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert no_ref.status_code == 422 and "prosecutor_reference" in no_ref.json()["fields"]
    assert "parquet" in no_ref.json()["message"].lower()
    case.refresh_from_db()
    assert case.state == "qualified" and case.prosecutor_office == ""
    desk = Client()
    desk.force_login(org.desk)
    forbidden = desk.post(url, {"transition": "investigate", "version": 2}, content_type="application/json")
    assert forbidden.status_code == 403 and forbidden.json()["code"] == "forbidden"


def test_personal_data_read_is_logged_with_its_purpose(org, make_case):
    """GIVEN a complaint of the own district WHEN its chief asks for the complainant's CNIE and
    phone to contact them THEN only those fields come back, and the read (who, fields, purpose) is
    on the timeline and in the audit; an investigator not assigned to it is refused, and a reveal
    without a purpose is a 422 that logs nothing."""
    case = make_case()
    c = Client()
    c.force_login(org.chief)
    url = f"/api/cases/{case.reference}/complainant"
    missing = c.post(url, {"fields": ["cnie"]}, content_type="application/json")
    assert missing.status_code == 422 and not AuditRecord.objects.filter(action="personal_data.read").exists()
    r = c.post(url, {"purpose": "contact", "fields": ["cnie", "phone"]}, content_type="application/json")
    assert r.json()["cnie"] == "AB123456" and r.json()["phone"] == "+212612345678" and r.json()["full_name"] == ""
    read = AuditRecord.objects.get(action="personal_data.read", object_id=str(case.pk))
    assert read.actor == org.chief and read.after == {"fields": ["cnie", "phone"], "purpose": "contact"}
    assert case.events.filter(kind="personal_data_read", actor=org.chief, data__purpose="contact").exists()
    c.force_login(org.investigator)
    assert c.post(url, {"purpose": "contact"}, content_type="application/json").status_code == 403
    # The plain case read does not carry personal data.
    assert "AB123456" not in c.get(f"/api/cases/{case.reference}").content.decode()


PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_attachment_checks(org, make_case, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    case = make_case()
    c = Client()
    c.force_login(org.investigator)
    url = f"/api/cases/{case.reference}/attachments"
    ok = c.post(url, {"file": SimpleUploadedFile("pv.pdf", PDF)})
    assert ok.status_code == 201 and ok.json()["content_type"] == "application/pdf"
    before = counts()
    disguised = c.post(url, {"file": SimpleUploadedFile("photo.jpg", b"MZ\x90\x00" + b"\x00" * 200)})
    assert disguised.status_code == 422 and "attachment" in disguised.json()["fields"]
    with override_settings(ATTACHMENT_MAX_BYTES=100):
        big = c.post(url, {"file": SimpleUploadedFile("big.pdf", PDF + b"0" * 200)})
    assert big.status_code == 422
    assert counts() == before
    stored = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert len(stored) == 1  # refused files left nothing on disk


def test_openapi_is_served(org, desk_client):
    assert desk_client.get("/api/docs").status_code == 200
    schema = desk_client.get("/api/openapi.json").json()
    assert "/api/cases" in schema["paths"] and "/api/cases/{reference}/transitions" in schema["paths"]


def test_routing_proposal_endpoint(org, desk_client):
    r = desk_client.get("/api/routing/propose", {"category": "theft", "latitude": 33.5850, "longitude": -7.6350})
    assert r.json()["code"] == "CAS-D1"
    r = desk_client.get("/api/routing/propose", {"category": "theft", "latitude": 48.85, "longitude": 2.35})
    assert r.status_code == 422
