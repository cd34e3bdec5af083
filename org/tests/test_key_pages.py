"""The administrator's key page: make a key (shown once), see it listed by prefix, revoke it.
Other roles get 403 and see nothing."""

from __future__ import annotations

import pytest

from org.models import ApiKey, Partner
from org.services import api_key_use


@pytest.fixture
def admin(org):
    from org.choices import Role
    from org.services import user_create

    return user_create(actor=None, username="admin", password="x" * 12, unit=org.central, roles=[Role.ADMINISTRATOR])


def test_admin_makes_a_partner_key_sees_it_once_then_revokes_it(client, admin):
    client.force_login(admin)
    response = client.post(
        "/org/keys/",
        {"owner": "partner", "partner": "Commune de Fès", "scopes": ["open311"], "name": "GeoReport", "valid_days": 90},
    )
    assert response.status_code == 302
    page = client.get("/org/keys/").content.decode()
    key = ApiKey.objects.get()
    raw = page.split('id="new-key-value">')[1].split("<")[0]
    assert raw.startswith(key.prefix) and api_key_use(raw, "open311") is not None
    assert Partner.objects.get().name == "Commune de Fès"
    again = client.get("/org/keys/").content.decode()
    assert raw not in again and key.prefix in again  # shown once, then only the prefix
    assert client.post(f"/org/keys/{key.pk}/revoke/").status_code == 302
    assert api_key_use(raw, "open311") is None


def test_bad_key_form_is_a_422_in_arabic_and_nothing_written(client, admin):
    client.force_login(admin)
    response = client.post("/org/keys/", {"owner": "user", "username": "nobody", "name": "x", "valid_days": 30})
    assert response.status_code == 422
    assert "مستخدم" in response.content.decode() or "user" in response.content.decode()
    assert not ApiKey.objects.exists()


def test_other_roles_cannot_see_or_revoke_keys(client, org, admin):
    from org.choices import KeyScope
    from org.services import api_key_create

    key, _ = api_key_create(actor=None, name="x", scopes=[KeyScope.API], user=org.desk)
    for user in (org.desk, org.chief, org.inspector, org.wilaya_chief):
        client.force_login(user)
        assert client.get("/org/keys/").status_code == 403
        assert client.post(f"/org/keys/{key.pk}/revoke/").status_code == 403
    assert ApiKey.objects.get().revoked_at is None
    client.logout()
    assert client.get("/org/keys/").status_code == 302
