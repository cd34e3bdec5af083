"""The citizen session: helpers for other apps' tests, the selectors, and sign-out."""

from __future__ import annotations

import pytest

from audit.models import AuditRecord
from core.errors import ValidationFailed
from identity.models import Citizen
from identity.selectors import SESSION_KEY, current_citizen
from identity.services import IdentityPurpose, citizen_identity_read
from identity.tests.factories import login_citizen, make_citizen

pytestmark = pytest.mark.django_db


def test_login_citizen_and_current_citizen(client, rf):
    citizen = make_citizen(given_name="سلمى", family_name="الإدريسي", cnie="be987654")
    login_citizen(client, citizen)
    assert client.session[SESSION_KEY] == citizen.pk
    request = rf.get("/")
    request.session = client.session
    assert current_citizen(request) == citizen
    identity = citizen_identity_read(citizen=citizen, purpose=IdentityPurpose.SHOWN_TO_CITIZEN)
    assert (identity.full_name, identity.cnie, identity.assurance_level) == ("سلمى الإدريسي", "BE987654", "substantial")
    read = AuditRecord.objects.get(action="identity.citizen_read")
    assert read.after == {"purpose": "shown_to_citizen", "fields": ["given_name", "family_name", "cnie"]}
    assert "BE987654" not in str(read.after)


def test_logout_ends_the_citizen_session_only(client, org):
    client.force_login(org.desk)
    citizen = make_citizen()
    login_citizen(client, citizen)
    key = client.session.session_key

    response = client.post("/identity/logout/", {"next": "https://evil.example/"})

    assert response.status_code == 302 and response["Location"] == "/"
    assert SESSION_KEY not in client.session and client.session.session_key != key
    assert client.session.get("_auth_user_id") == str(org.desk.pk)  # staff login untouched
    assert AuditRecord.objects.filter(action="identity.citizen_signed_out").count() == 1
    assert client.get("/identity/logout/").status_code == 405


def test_sign_in_again_updates_the_same_citizen(db):
    first = make_citizen(sub="same", issuer="https://idp.example", family_name="بناني")
    again = make_citizen(sub="same", issuer="https://idp.example", family_name="بناني التازي")
    assert first.pk == again.pk and Citizen.objects.count() == 1
    assert (
        citizen_identity_read(citizen=Citizen.objects.get(), purpose=IdentityPurpose.SHOWN_TO_CITIZEN).family_name
        == "بناني التازي"
    )


@pytest.mark.parametrize(
    "claims", [{"cnie": "not a cnie"}, {"given_name": ""}, {"family_name": "x" * 151}, {"sub": ""}]
)
def test_bad_claims_create_nothing(claims):
    with pytest.raises(ValidationFailed):
        make_citizen(**claims)
    assert not Citizen.objects.exists()
