"""Online filing: anonymous and signed-in, confirmation and receipt, and bad input refused with a
clear message, nothing written and nothing rendered unescaped."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from audit.models import AuditRecord
from cases.choices import Channel, Sensitivity
from cases.models import Attachment, Case, Complainant
from identity.tests.factories import login_citizen, make_citizen
from portal.models import ContactChannel, OnlineFiling
from portal.services import portal_account
from portal.tests.factories import filing_post

SCRIPT = "<script>alert('تجربة')</script>"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100


def counts() -> tuple[int, int, int]:
    return Case.objects.count(), OnlineFiling.objects.count(), Attachment.objects.count()


def test_anonymous_filing_goes_through_the_service_account(org, client):
    """GIVEN a visitor who is not signed in WHEN they report a theft with an SMS contact
    THEN the complaint is online, anonymous, routed from the place, filed by the portal account,
    and the phone is stored encrypted for notifications only."""
    response = filing_post(client, files=[SimpleUploadedFile("photo.png", PNG, content_type="image/png")])
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.channel == Channel.ONLINE
    assert case.created_by == portal_account()
    assert case.assigned_unit == org.district  # routed from the pin
    assert Complainant.objects.get(case=case).anonymous
    filing = OnlineFiling.objects.get(case=case)
    assert filing.citizen is None and filing.contact_channel == ContactChannel.SMS
    assert "0612345678" not in filing.phone_enc and "+212612345678" not in filing.phone_enc
    assert case.attachments.count() == 1
    account = portal_account()
    assert account.roles == ["portal"] and not account.has_usable_password() and account.unit == org.central


def test_confirmation_shows_the_code_once_and_the_receipt_only_for_this_session(org, client):
    response = filing_post(client)
    case = Case.objects.get()
    first = client.get(response["Location"]).content.decode()
    assert case.reference in first and 'id="tracking-code"' in first
    second = client.get(response["Location"]).content.decode()
    assert case.reference in second and 'id="tracking-code"' not in second
    pdf = client.get("/file/receipt.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    from django.test import Client

    assert Client().get("/file/receipt.pdf").status_code == 404


def test_signed_in_citizen_files_under_their_verified_identity(org, client):
    citizen = make_citizen(given_name="فاطمة", family_name="العلوي", cnie="BE654321")
    login_citizen(client, citizen)
    page = client.get("/file/").content.decode()
    assert "فاطمة العلوي" in page and "BE654321" in page
    # A category closed to anonymous reports is offered to a signed-in citizen, and so is a
    # protected one.
    assert 'value="assault"' in page and 'value="domestic_violence"' in page
    # The name cannot be overridden by the form.
    response = filing_post(client, category="assault", full_name="Quelqu'un d'autre", cnie="X1")
    assert response.status_code == 302
    case = Case.objects.get()
    from cases.selectors import complainant_decrypted

    who = complainant_decrypted(case)
    assert who.full_name == "فاطمة العلوي" and who.cnie == "BE654321" and not who.anonymous
    assert OnlineFiling.objects.get().citizen == citizen


def test_visitor_is_offered_only_anonymous_non_sensitive_categories(org, client):
    page = client.get("/file/").content.decode()
    assert 'value="theft"' in page
    assert 'value="assault"' not in page  # no anonymous reports
    assert 'value="domestic_violence"' not in page and 'value="officer_misconduct"' not in page  # sensitive
    before = counts()
    response = filing_post(client, category="assault")
    assert response.status_code == 422
    assert counts() == before


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"description": ""}, None),
        ({"description": "x" * 5001}, "5000"),
        ({"category": ""}, None),
        ({"category": "no-such-category"}, None),
        ({"latitude": "north", "longitude": "-6.8"}, None),
        ({"latitude": "12.0", "longitude": "-6.8"}, None),  # outside Morocco (core.geo)
        ({"latitude": "34.02", "longitude": ""}, None),
        ({"contact_channel": "sms", "phone": "12345"}, None),
        ({"contact_channel": "sms", "phone": ""}, None),
        ({"contact_channel": "email", "email": "not-an-address"}, None),
        ({"contact_channel": "pigeon"}, None),
        ({"language": "xx"}, None),
        ({"address": "a" * 301}, None),
        ({"website": "http://spam.example"}, None),  # the honeypot
        ({"pow_nonce": ""}, None),  # no proof of work (no JavaScript)
        ({"pow_challenge": "forged", "pow_nonce": "1"}, None),
    ],
)
def test_bad_input_is_refused_with_nothing_written(org, client, fields, message):
    before = counts(), AuditRecord.objects.count()
    response = filing_post(client, **fields)
    assert response.status_code == 422
    html = response.content.decode()
    assert 'role="alert"' in html
    assert 'class="alert alert-danger"' in html  # the summary above the form
    if message:
        assert message in html
    assert (counts(), AuditRecord.objects.count()) == before


def test_script_in_arabic_text_is_escaped_never_raw(org, client):
    before = counts()
    response = filing_post(client, description=SCRIPT, address=SCRIPT, contact_channel="sms", phone=SCRIPT)
    assert response.status_code == 422  # the phone is invalid, so nothing is written
    html = response.content.decode()
    assert SCRIPT not in html
    assert "&lt;script&gt;alert(&#x27;تجربة&#x27;)&lt;/script&gt;" in html
    assert counts() == before


def test_oversized_disguised_and_too_many_files_are_refused(org, client, settings):
    settings.ATTACHMENT_MAX_BYTES = 1024
    before = counts()
    big = SimpleUploadedFile("big.png", PNG + b"\x00" * 2048, content_type="image/png")
    response = filing_post(client, files=[big])
    assert response.status_code == 422
    assert 'role="alert"' in response.content.decode()
    assert counts() == before
    fake = SimpleUploadedFile("virus.png", b"MZ\x90\x00 not an image", content_type="image/png")
    assert filing_post(client, files=[fake]).status_code == 422
    many = [SimpleUploadedFile(f"p{i}.png", PNG, content_type="image/png") for i in range(4)]
    assert filing_post(client, files=many).status_code == 422
    assert counts() == before


def test_a_proof_of_work_is_good_once(org, client):
    from portal.antibot import pow_solve
    from portal.tests.factories import POW_BITS, challenge_of

    challenge = challenge_of(client.get("/file/").content.decode())
    nonce = pow_solve(challenge, POW_BITS)
    assert filing_post(client, pow_challenge=challenge, pow_nonce=nonce).status_code == 302
    assert filing_post(client, pow_challenge=challenge, pow_nonce=nonce).status_code == 422
    assert Case.objects.count() == 1


def test_the_public_pages_are_arabic_rtl_and_switch_language(org, client):
    page = client.get("/file/")
    assert '<html lang="ar" dir="rtl">' in page.content.decode()
    client.get("/lang/fr/?next=/file/")
    page = client.get("/file/").content.decode()
    assert '<html lang="fr" dir="ltr">' in page
    assert client.get("/lang/en/?next=https://evil.example/")["Location"] == "/"


def test_protected_category_is_never_named_publicly(org, client):
    citizen = make_citizen()
    login_citizen(client, citizen)
    assert filing_post(client, category="domestic_violence").status_code == 302
    case = Case.objects.get()
    assert case.sensitivity == Sensitivity.PROTECTED
    page = client.get("/my/").content.decode()
    assert case.category.name_ar not in page
    assert case.reference in page
