"""The one credential model: a key belongs to a user or a partner, opens only its scopes, expires,
records its use, is stored hashed and shown once, and is revoked by the command."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from audit.models import AuditRecord
from core.errors import ValidationFailed
from org.choices import KeyScope
from org.models import ApiKey, Partner
from org.services import api_key_create, api_key_use, organisation, partner_create


def bearer(raw: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_command_prints_a_working_user_key_stored_hashed_then_revokes_it(org):
    out, err = StringIO(), StringIO()
    call_command("api_key", "create", user="investigator", stdout=out, stderr=err)
    raw = out.getvalue().strip()
    key = ApiKey.objects.get()
    assert raw.startswith("amn_") and raw.startswith(key.prefix)
    assert raw not in (key.key_hash, key.prefix) and key.scopes == ["api"]
    assert key.expires_at > timezone.now() + timedelta(days=300)
    assert bearer(raw).get("/api/cases").status_code == 200
    assert ApiKey.objects.get().last_used_at is not None
    listing = StringIO()
    call_command("api_key", "list", stdout=listing)
    assert key.prefix in listing.getvalue() and raw not in listing.getvalue()
    call_command("api_key", "revoke", str(key.pk), stdout=StringIO())
    assert bearer(raw).get("/api/cases").status_code == 401
    actions = list(AuditRecord.objects.filter(action__startswith="api_key.").values_list("action", flat=True))
    assert actions == ["api_key.create", "api_key.revoke"]


def test_command_refuses_unknown_user_and_missing_owner(org):
    with pytest.raises(CommandError):
        call_command("api_key", "create", user="nobody", stdout=StringIO())
    with pytest.raises(CommandError):
        call_command("api_key", "create", stdout=StringIO())
    with pytest.raises(CommandError):
        call_command("api_key", "revoke", "amn_nothing", stdout=StringIO())


def test_partner_key_opens_only_its_scope_and_a_user_key_only_the_api(org):
    out = StringIO()
    call_command("api_key", "create", partner="Commune de Salé", scope=["open311"], stdout=out, stderr=StringIO())
    raw = out.getvalue().strip()
    assert Partner.objects.get().name == "Commune de Salé"
    assert api_key_use(raw, KeyScope.OPEN311) is not None
    assert api_key_use(raw, KeyScope.TTP) is None
    assert bearer(raw).get("/api/cases").status_code == 401  # a partner is not staff
    _, user_raw = api_key_create(actor=None, name="x", scopes=[KeyScope.API], user=org.desk)
    assert api_key_use(user_raw, KeyScope.OPEN311) is None


def test_expired_key_and_disabled_owner_are_refused(org, monkeypatch):
    key, raw = api_key_create(actor=None, name="x", scopes=[KeyScope.API], user=org.desk, valid_days=1)
    assert api_key_use(raw, KeyScope.API) is not None
    # Kept in the process since that use, the key still expires on time.
    later = timezone.now() + timedelta(days=1, seconds=1)
    monkeypatch.setattr(organisation.timezone, "now", lambda: later)
    assert api_key_use(raw, KeyScope.API) is None
    monkeypatch.undo()
    ApiKey.objects.filter(pk=key.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    organisation.api_keys_forget()  # a change made by another process: seen once the keep time is over
    assert api_key_use(raw, KeyScope.API) is None
    _, raw2 = api_key_create(actor=None, name="y", scopes=[KeyScope.API], user=org.desk)
    org.desk.is_active = False
    org.desk.save()
    assert api_key_use(raw2, KeyScope.API) is None


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"scopes": ["open311"], "user": "desk"}, "scopes"),
        ({"scopes": ["api"], "partner": True}, "scopes"),
        ({"scopes": ["nope"], "partner": True}, "scopes"),
        ({"scopes": ["api"]}, "owner"),
        ({"scopes": ["api"], "user": "desk", "valid_days": 10_000}, "valid_days"),
        ({"scopes": ["api"], "user": "desk", "name": ""}, "name"),
    ],
)
def test_bad_key_requests_are_refused_and_nothing_written(org, kwargs, field):
    partner = partner_create(actor=None, name="P")
    args = {"name": kwargs.pop("name", "k"), **kwargs}
    if args.pop("partner", None):
        args["partner"] = partner
    if isinstance(args.get("user"), str):
        args["user"] = getattr(org, args["user"])
    with pytest.raises(ValidationFailed) as refused:
        api_key_create(actor=None, **args)
    assert field in refused.value.fields
    assert not ApiKey.objects.exists()
