"""Verified API keys kept in the process (org.services.organisation): a busy client's key is read
once every few seconds, not on every request; a revocation or a disabled owner takes effect at once
in the process that made it and within API_KEY_KEEP_SECONDS in the others; the clear key is never
kept."""

from __future__ import annotations

import pytest
from django.test import Client

from org.choices import KeyScope
from org.models import ApiKey
from org.services import api_key_revoke, api_key_use, key_hash, organisation
from org.tests.factories import partner_key, user_key


def bearer(raw: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


@pytest.fixture
def clock(monkeypatch):
    """The keep clock, moved by hand."""
    now = [1000.0]
    monkeypatch.setattr(organisation, "_monotonic", lambda: now[0])
    return now


def test_a_key_is_read_once_then_kept_under_its_hash_only(org, django_assert_num_queries):
    raw = user_key(org.desk)
    with django_assert_num_queries(2):  # the key with its owner and unit, then its last use
        first = api_key_use(raw, KeyScope.API)
    with django_assert_num_queries(0):
        again = api_key_use(raw, KeyScope.API)
    assert first is not None and again is not None and again.user == org.desk
    assert again.user.unit == org.district and again.scopes == [KeyScope.API]
    kept = organisation._kept_keys
    assert list(kept) == [key_hash(raw)]
    assert all(raw.encode() not in frozen for _read_at, frozen in kept.values())
    # A kept key still opens only its scopes.
    assert api_key_use(raw, KeyScope.OPEN311) is None


def test_each_use_gets_its_own_copy_of_the_owner(org):
    raw = user_key(org.desk)
    first = api_key_use(raw, KeyScope.API)
    assert first is not None
    first.user._jurisdiction_unit_ids = ("stale", [1])  # what a request notes on its user
    first.user.first_name = "Changed"
    again = api_key_use(raw, KeyScope.API)
    assert again is not None and again.user is not first.user
    assert not hasattr(again.user, "_jurisdiction_unit_ids") and again.user.first_name != "Changed"


def test_revocation_in_the_process_takes_effect_at_once(org):
    raw = user_key(org.desk)
    client = bearer(raw)
    assert client.get("/api/cases").status_code == 200
    assert client.get("/api/cases").status_code == 200  # kept
    api_key_revoke(actor=None, key=ApiKey.objects.get(key_hash=key_hash(raw)))
    assert client.get("/api/cases").status_code == 401
    assert key_hash(raw) not in organisation._kept_keys


def test_a_disabled_owner_or_partner_is_refused_at_once(org):
    raw = user_key(org.desk)
    assert api_key_use(raw, KeyScope.API) is not None
    org.desk.is_active = False
    org.desk.save()
    assert api_key_use(raw, KeyScope.API) is None
    partner, partner_raw = partner_key("Commune de Salé", KeyScope.OPEN311)
    assert api_key_use(partner_raw, KeyScope.OPEN311) is not None
    partner.active = False
    partner.save()
    assert api_key_use(partner_raw, KeyScope.OPEN311) is None


def test_a_user_moved_to_another_unit_acts_from_it_at_once(org):
    raw = user_key(org.investigator)
    assert api_key_use(raw, KeyScope.API).user.unit == org.district
    org.investigator.unit = org.sibling
    org.investigator.save()
    assert api_key_use(raw, KeyScope.API).user.unit == org.sibling


def test_a_revocation_made_elsewhere_is_seen_within_the_keep_time(org, clock):
    """Another process revoked the key (here: the row changed without this process's signals): the
    key kept here still opens until API_KEY_KEEP_SECONDS after it was read, never longer."""
    raw = user_key(org.desk)
    assert api_key_use(raw, KeyScope.API) is not None
    ApiKey.objects.filter(key_hash=key_hash(raw)).update(revoked_at=org.desk.date_joined)
    clock[0] += organisation.API_KEY_KEEP_SECONDS - 1
    assert api_key_use(raw, KeyScope.API) is not None
    clock[0] += 1
    assert api_key_use(raw, KeyScope.API) is None
    assert bearer(raw).get("/api/cases").status_code == 401


def test_recording_the_use_does_not_extend_the_keep_time(org, clock, monkeypatch):
    from datetime import timedelta

    from django.utils import timezone

    raw = user_key(org.desk)
    assert api_key_use(raw, KeyScope.API) is not None
    read_at = organisation._kept_keys[key_hash(raw)][0]
    later = timezone.now() + timedelta(minutes=2)
    monkeypatch.setattr(organisation.timezone, "now", lambda: later)
    clock[0] += 2
    assert api_key_use(raw, KeyScope.API) is not None  # records the use again
    assert ApiKey.objects.get(key_hash=key_hash(raw)).last_used_at == later
    assert organisation._kept_keys[key_hash(raw)][0] == read_at
