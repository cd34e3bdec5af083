"""POST requests, tokens and partner keys: what a partner may file, and what is refused.

Every refusal must be the spec's error body in the requested format, with nothing written.
"""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.utils import translation
from django.utils.translation import gettext as _

from audit.models import AuditRecord
from cases.choices import Channel, Sensitivity
from cases.models import Case, Complainant
from core import crypto
from open311.models import ServiceRequest
from open311.tests.factories import RABAT, REQUEST_FIELDS
from org.choices import KeyScope
from org.models import ApiKey
from org.services import api_key_revoke
from org.tests.factories import partner_key

FORMATS = ["xml", "json"]


def form(partner, **overrides):
    data = {
        "api_key": partner.raw,
        "service_code": "theft",
        **RABAT,
        "address_string": "شارع محمد الخامس، الرباط",
        "first_name": "Fictif",
        "last_name": "Partenaire",
        "phone": "0612345678",
        "email": "fictif@example.invalid",
        "description": "سرقة هاتف محمول <b>قرب</b> المحطة & الحافلة",
        "attribute[stolen_item]": "phone",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def written():
    return Case.objects.count(), ServiceRequest.objects.count(), Complainant.objects.count()


@pytest.mark.parametrize("fmt", FORMATS)
def test_post_creates_an_online_complaint(api, org, partner, fmt):
    a = api.post("requests", form(partner), fmt)
    assert a.status == 200, a.text
    assert a.fields("service_requests", "request") == [["service_request_id", "service_notice", "account_id"]]
    (row,) = a.rows("service_requests", "request")
    case = Case.objects.get(reference=row["service_request_id"])
    assert case.channel == Channel.ONLINE
    assert case.category.code == "theft"
    assert case.external_reference == "open311:Commune de Rabat"
    assert case.assigned_unit == org.district  # routed from the coordinates
    assert case.created_by.username == "open311"
    assert case.created_by.roles == ["portal"]
    assert not case.created_by.has_usable_password()
    assert case.created_by.unit == org.central
    with translation.override("ar"):
        assert f"{_('What was stolen?')}: {_('Mobile phone')}" in case.description
    complainant = case.complainant
    assert not complainant.anonymous
    assert crypto.decrypt(complainant.full_name_enc) == "Fictif Partenaire"
    assert crypto.decrypt(complainant.phone_enc) == "+212612345678"
    assert case.reference in row["service_notice"]
    link = ServiceRequest.objects.get(case=case)
    assert link.partner == partner and link.token
    actions = set(
        AuditRecord.objects.filter(object_id__in=[str(case.pk), str(link.pk)]).values_list("action", flat=True)
    )
    assert {"case.create", "open311.request_create"} <= actions
    assert case.events.get().actor.username == "open311"


def test_attribute_answers_are_appended_to_the_description(api, org, partner):
    a = api.post(
        "requests",
        form(
            partner,
            service_code="nuisance",
            **{"attribute[stolen_item]": None, "attribute[nuisance_kind]": ["noise", "parking"]},
            **{"attribute[ongoing]": "yes"},
        ),
        "json",
    )
    assert a.status == 200, a.text
    case = Case.objects.get(reference=a.json[0]["service_request_id"])
    with translation.override("ar"):
        assert f"{_('What kind of nuisance?')}: {_('Noise')}، {_('Parking blocking the way')}" in case.description
        assert f"{_('Is it still going on?')}: {_('Yes')}" in case.description
    assert case.description.startswith("سرقة هاتف محمول")


def test_partner_sees_its_own_request_in_full_others_do_not(api, org, partner):
    a = api.post("requests", form(partner), "xml")
    ref = a.rows("service_requests", "request")[0]["service_request_id"]
    own = api.get(f"requests/{ref}", "xml", api_key=partner.raw)
    assert own.fields("service_requests", "request") == [REQUEST_FIELDS]
    row = own.rows("service_requests", "request")[0]
    # ElementTree escaped and restored the markup characters of the citizen's text.
    assert row["description"].startswith("سرقة هاتف محمول <b>قرب</b> المحطة & الحافلة")
    assert row["address"] == "شارع محمد الخامس، الرباط"
    assert "<b>" not in own.text  # escaped in the XML, never raw markup
    # A theft is not in the public feed: it answers only to the partner that filed it.
    _, other_raw = partner_key("Autre partenaire", KeyScope.OPEN311)
    for answer in (api.get(f"requests/{ref}", "json"), api.get(f"requests/{ref}", "json", api_key=other_raw)):
        assert answer.status == 404
        for secret in ("Fictif", "Partenaire", "612345678", "fictif@example.invalid", ref):
            assert secret not in answer.text
    assert ref not in api.get("requests", "json").text
    # A request of a feed category is public, in its feed form: no text, no address.
    feed = api.post(
        "requests",
        form(partner, service_code="nuisance", description="ضجيج ليلي", **{"attribute[stolen_item]": None}),
        "json",
    )
    feed_ref = feed.json[0]["service_request_id"]
    public = api.get(f"requests/{feed_ref}", "json", api_key=other_raw).json[0]
    assert public["description"] == "" and public["address"] == ""


@pytest.mark.parametrize("fmt", FORMATS)
def test_token_endpoint(api, org, partner, fmt):
    posted = api.post("requests", form(partner), "json").json[0]
    token = ServiceRequest.objects.get(case__reference=posted["service_request_id"]).token
    a = api.get(f"tokens/{token}", fmt)
    assert a.status == 200
    assert a.fields("service_requests", "request") == [["service_request_id", "token"]]
    assert a.rows("service_requests", "request")[0]["service_request_id"] == posted["service_request_id"]
    missing = api.get("tokens/not-a-real-token", fmt)
    assert missing.status == 404
    assert missing.errors()


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("key", ["o311_wrong", "", None])
def test_bad_or_missing_api_key_is_403_and_writes_nothing(api, org, partner, fmt, key):
    before = written()
    a = api.post("requests", form(partner, api_key=key), fmt)
    assert a.status == 403
    assert a.errors()
    assert written() == before


def test_revoked_key_is_refused_and_bad_key_on_get_is_403(api, org, partner):
    api_key_revoke(actor=None, key=ApiKey.objects.get(partner=partner))
    before = written()
    assert api.post("requests", form(partner), "json").status == 403
    assert written() == before
    a = api.get("services", "json", api_key="o311_wrong")
    assert a.status == 403
    assert a.errors()


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"service_code": None}, "service_code"),
        ({"description": "x" * 6000}, "description"),
        ({"lat": None, "long": None, "address_string": None}, "lat"),
        ({"lat": "34.02", "long": None}, "latitude"),
        ({"lat": "north", "long": "-6.8"}, "lat"),
        ({"lat": "40.4168", "long": "-3.7038"}, "latitude"),  # Madrid
        ({"lat": "nan", "long": "nan"}, "lat"),
        ({"phone": "12345"}, "phone"),
        (
            {"first_name": None, "last_name": None, "service_code": "assault", "attribute[stolen_item]": None},
            "anonymous",
        ),
        ({"attribute[stolen_item]": "spaceship"}, "stolen_item"),
        ({"attribute[unknown]": "x"}, "unknown"),
        ({"service_code": "traffic_accident", "attribute[stolen_item]": None}, "injured"),
        ({"media_url": "javascript:alert(1)"}, "media_url"),
        ({"attribute[incident_at]": "last tuesday"}, "incident_at"),
    ],
)
def test_bad_input_is_400_in_spec_format_and_writes_nothing(api, org, partner, fmt, overrides, field):
    before = written()
    a = api.post("requests", form(partner, **overrides), fmt)
    assert a.status == 400, a.text
    descriptions = [e["description"] for e in a.errors()]
    assert any(d.startswith(f"{field}:") for d in descriptions), descriptions
    assert written() == before


def test_error_messages_follow_the_language(api, org, partner):
    ar = api.post("requests", form(partner, service_code=None), "json").json[0]["description"]
    fr = api.post("requests", form(partner, service_code=None, locale="fr"), "json")
    assert ar != fr.errors()[0]["description"]


def test_anonymous_request_where_the_category_allows_it(api, org, partner):
    a = api.post("requests", form(partner, first_name=None, last_name=None, phone=None), "json")
    assert a.status == 200, a.text
    case = Case.objects.get(reference=a.json[0]["service_request_id"])
    assert case.complainant.anonymous
    assert case.sensitivity == Sensitivity.NORMAL


def test_address_only_request_is_placed_by_its_address(api, org, partner):
    # "شارع محمد الخامس، الرباط" names the city only: the Rabat wilaya (no routing desk in the test
    # organisation) takes it, never the central unit where nobody can act on it.
    a = api.post("requests", form(partner, lat=None, long=None), "json")
    assert a.status == 200, a.text
    assert Case.objects.get(reference=a.json[0]["service_request_id"]).assigned_unit == org.wilaya


@pytest.mark.parametrize("fmt", FORMATS)
def test_without_a_central_unit_the_service_is_unavailable(db, api, fmt):
    partner, raw = partner_key("Seul", KeyScope.OPEN311)
    partner.raw = raw
    a = api.post("requests", form(partner, lat=None, long=None), fmt)
    assert a.status == 503
    assert a.errors()
    assert written() == (0, 0, 0)


def test_key_command_gives_a_partner_a_working_open311_key(api, org):
    out, err = io.StringIO(), io.StringIO()
    call_command("api_key", "create", partner="Agence urbaine", scope=["open311"], stdout=out, stderr=err)
    raw = out.getvalue().strip()
    stored = ApiKey.objects.get(partner__name="Agence urbaine")
    assert raw not in stored.key_hash  # only the hash is kept
    partner = stored.partner
    partner.raw = raw
    assert api.post("requests", form(partner), "json").status == 200
    call_command("api_key", "revoke", str(stored.pk), stdout=io.StringIO())
    assert api.post("requests", form(partner), "json").status == 403


def test_control_characters_never_break_the_xml(api, org, partner):
    posted = api.post("requests", form(partner, description="سرقة\x01 هاتف\x0b محمول"), "json")
    assert posted.status == 200, posted.text
    ref = posted.json[0]["service_request_id"]
    a = api.get(f"requests/{ref}", "xml", api_key=partner.raw)  # parsing would fail on \x01
    assert a.rows("service_requests", "request")[0]["description"].startswith("سرقة هاتف محمول")
