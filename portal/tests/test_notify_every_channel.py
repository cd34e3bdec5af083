"""Issue 11, item 5: every complainant with a phone or an e-mail who agreed at intake is informed,
whatever the channel (counter, duty office, line 19, online, Open311), in their language:
acknowledgement, closing notice with the survey link."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from cases.models import Case, Category
from cases.services import ComplainantInput, IntakeInput, TransitionInput, case_transition, complaint_register
from cases.tests.factories import required_fields
from core import crypto
from open311.services import RequestInput, request_submit
from org.choices import KeyScope
from org.tests.factories import PASSWORD, partner_key
from portal.models import Notification, OutboxMessage
from portal.tests.factories import run_tasks


def _register(actor, *, channel="counter", phone="0612345678", email="", consent=True, language="ar", **kw):
    return complaint_register(
        actor=actor,
        data=IntakeInput(
            channel=channel,
            category=Category.objects.get(code="theft"),
            description="سرقة حقيبة يدوية",
            complainant=ComplainantInput(
                full_name="Fictif Guichet", phone=phone, email=email, consent=consent, language=language
            ),
            latitude=34.0236,
            longitude=-6.8341,
            **kw,
        ),
    )


def _messages(case: Case) -> list[OutboxMessage]:
    return [m for m in OutboxMessage.objects.order_by("id") if case.reference in m.body]


@pytest.mark.parametrize("channel", ["counter", "duty", "line19", "ombudsman"])
def test_walk_in_with_phone_and_consent_gets_acknowledgement_and_closing_notice(
    org, channel, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = _register(org.desk, channel=channel, language="fr")
    assert run_tasks() == 1
    [ack] = _messages(case)
    assert ack.channel == "sms" and crypto.decrypt(ack.recipient_enc) == "+212612345678"
    assert ack.language == "fr" and "plainte" in ack.body.lower()
    with django_capture_on_commit_callbacks(execute=True):
        case_transition(
            case=case,
            actor=org.investigator,
            transition="close",
            data=TransitionInput(outcome="unfounded", note="ok", **required_fields("close")),
        )
    assert run_tasks() == 1
    ack2, closing = _messages(case)
    assert ack2.pk == ack.pk
    assert "/survey/" in closing.body  # the satisfaction survey's link


def test_no_consent_no_message(org, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = _register(org.desk, consent=False)
    assert run_tasks() == 0
    assert not Notification.objects.exists() and _messages(case) == []
    assert case.complainant.notify_consent is False


def test_email_only_complainant_is_written_to(org, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = _register(org.desk, phone="", email="fictif@example.invalid", language="en")
    assert run_tasks() == 1
    [ack] = _messages(case)
    assert ack.channel == "email" and crypto.decrypt(ack.recipient_enc) == "fictif@example.invalid"
    assert "complaint" in ack.body.lower()
    # Encrypted at rest, like the phone.
    assert "fictif@" not in case.complainant.email_enc


def test_a_bad_email_is_refused_with_the_field_named(org):
    from core.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as refused:
        _register(org.desk, phone="", email="not-an-address")
    assert "email" in refused.value.fields
    assert not Case.objects.exists()


def test_online_filing_is_told_once(org, django_capture_on_commit_callbacks):
    from portal.tests.factories import filing_post

    with django_capture_on_commit_callbacks(execute=True):
        assert filing_post(Client(), contact_channel="sms").status_code == 302
    assert run_tasks() == 1
    assert Notification.objects.count() == 1


def test_open311_requester_with_a_phone_is_informed(org, django_capture_on_commit_callbacks):
    partner, _raw = partner_key("Commune de Rabat", KeyScope.OPEN311)
    with django_capture_on_commit_callbacks(execute=True):
        row = request_submit(
            partner=partner,
            data=RequestInput(
                service_code="nuisance",
                lat="34.0236",
                long="-6.8341",
                first_name="Fictif",
                last_name="Partenaire",
                phone="0612345678",
                description="ضجيج ليلي",
            ),
        )
    assert run_tasks() == 1
    assert len(_messages(row.case)) == 1


def test_counter_form_records_consent_email_and_language(org, django_capture_on_commit_callbacks):
    client = Client()
    assert client.login(username="desk", password=PASSWORD)
    page = client.get(reverse("cases:intake"))
    html = page.content.decode()
    assert 'name="notify_consent"' in html and 'name="email"' in html and 'name="language"' in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("cases:intake"),
            {
                "category": "theft",
                "full_name": "Fictif Guichet",
                "phone": "0612345678",
                "email": "",
                "notify_consent": "on",
                "language": "fr",
                "description": "سرقة",
                "channel": "counter",
                "latitude": "34.0236",
                "longitude": "-6.8341",
            },
        )
    assert response.status_code in (200, 302), response.content[:500]
    case = Case.objects.get()
    assert case.complainant.notify_consent and case.complainant.language == "fr"
    assert run_tasks() == 1
    assert len(_messages(case)) == 1


def test_api_intake_records_consent_and_places_the_address(org, django_capture_on_commit_callbacks):
    from org.tests.factories import user_key

    key = user_key(org.desk)
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(
            "/api/cases",
            {
                "channel": "counter",
                "category": "theft",
                "description": "سرقة",
                "full_name": "Fictif Api",
                "phone": "0612345678",
                "notify_consent": True,
                "address": "Rue 7, Maârif",
                "city": "Casablanca",
            },
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {key}",
        )
    assert response.status_code == 201, response.content
    case = Case.objects.get()
    assert case.assigned_unit == org.district2 and case.complainant.notify_consent
    assert run_tasks() == 1 and len(_messages(case)) == 1
