"""Intake in one pass: every mistake of a form is named in the same answer, server-side, in the
user's language, and the page keeps what was typed (counter form and the citizen's filing form)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from cases.models import Case
from cases.tests.test_pages import intake_data
from portal.tests.factories import POW_BITS, filing_post

pytestmark = pytest.mark.django_db

PARIS = {"latitude": "48.8566", "longitude": "2.3522"}


def ar(msgid: str) -> str:
    with translation.override("ar"):
        text = gettext(msgid)
    assert text != msgid, f"not translated to Arabic: {msgid!r}"
    return text


def field_errors(body: str, field: str) -> str:
    """The text of the error block of one field (empty when the field shows no error)."""
    marker = f'class="mb-2 field-{field}"' if 'class="mb-2 field-' in body else f'class="mb-3 field-{field}"'
    if marker not in body:
        return ""
    block = body.split(marker, 1)[1].split("</div>\n</div>", 1)[0]
    return block if "invalid-feedback" in block else ""


def test_counter_form_names_every_mistake_at_once(client, org):
    """GIVEN a desk officer who leaves the name empty, types a wrong CNIE, a wrong phone and
    coordinates in Paris
    WHEN they register
    THEN one answer (422, nothing written) marks all four fields, in Arabic."""
    client.force_login(org.desk)
    data = intake_data(full_name="", cnie="12", phone="123", **PARIS)
    response = client.post(reverse("cases:intake"), data)
    assert response.status_code == 422
    assert not Case.objects.exists()
    body = response.content.decode()
    for field in ("full_name", "cnie", "phone", "latitude"):
        assert field_errors(body, field), f"no error shown on {field}"
    assert ar("Invalid CNIE number.") in body
    assert ar("Invalid phone number.") in body
    assert ar("Outside Morocco.") in body


def test_counter_form_mixes_form_and_service_mistakes_in_one_answer(client, org):
    """A missing category and facts (the form's checks) come with a wrong phone (the service's)."""
    client.force_login(org.desk)
    data = intake_data(category="", description="", phone="123", address="درب السلطان، زنقة 12")
    response = client.post(reverse("cases:intake"), data)
    assert response.status_code == 422
    body = response.content.decode()
    for field in ("category", "description", "phone"):
        assert field_errors(body, field), f"no error shown on {field}"
    # What was typed stays on the page.
    assert 'value="درب السلطان، زنقة 12"' in body and 'value="123"' in body and 'value="AB123456"' in body


def test_counter_form_relies_on_server_errors_not_browser_bubbles(client, org):
    client.force_login(org.desk)
    body = client.get(reverse("cases:intake")).content.decode()
    form_tag = body.split('id="intake-form"', 1)[1].split(">", 1)[0]
    assert "novalidate" in form_tag


def test_filing_form_names_every_mistake_at_once(client, org, settings):
    """GIVEN a visitor who forgets the facts, pins Paris and attaches a text file
    WHEN they send the complaint
    THEN one answer marks the facts, the place and the file."""
    settings.AMANE_POW_BITS = POW_BITS
    bad = SimpleUploadedFile("notes.pdf", b"not a pdf at all", content_type="application/pdf")
    response = filing_post(client, description="", files=[bad], **PARIS)
    assert response.status_code == 422
    assert not Case.objects.exists()
    body = response.content.decode()
    for field in ("description", "latitude", "attachments"):
        assert field_errors(body, field) or (
            field == "attachments"
            and "invalid-feedback" in body.split("field-attachments", 1)[1].split("</section>", 1)[0]
        ), field
    assert ar("Outside Morocco.") in body


def test_filing_form_unfinished_security_check_comes_with_the_field_mistakes(client, org):
    response = filing_post(client, solve=False, description="", address="حي المعاريف")
    assert response.status_code == 422
    body = response.content.decode()
    assert field_errors(body, "description")
    unfinished = "Your browser did not finish the security check. Make sure JavaScript is enabled, "
    assert ar(unfinished + "wait a moment and send again.") in body
    assert 'value="حي المعاريف"' in body
