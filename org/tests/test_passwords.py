"""Passwords: Django's validators refuse weak ones in the user's language; Argon2 hashes them and
an older PBKDF2 hash is rewritten at the next sign-in."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import make_password
from django.utils import translation

from amane import settings as project_settings
from core.errors import ValidationFailed
from org.choices import Role
from org.models import User
from org.services import user_create
from org.tests.factories import PASSWORD


@pytest.mark.parametrize(
    ("password", "french"),
    [
        ("Short-pw1", "trop court"),  # under 12 characters
        ("1q2w3e4r5t6y", "trop courant"),  # in the list of common passwords
        ("839201746253", "entièrement numérique"),  # digits only
        ("karima.benali", "trop semblable"),  # the username
    ],
)
def test_weak_passwords_are_refused_with_a_translated_reason(org, password, french):
    with translation.override("fr"), pytest.raises(ValidationFailed) as refused:
        user_create(actor=None, username="karima.benali", password=password, unit=org.district, roles=[])
    assert french in str(refused.value.message)
    assert refused.value.fields["password"]
    with translation.override("ar"), pytest.raises(ValidationFailed) as in_arabic:
        user_create(actor=None, username="karima.benali", password=password, unit=org.district, roles=[])
    assert str(in_arabic.value.message) != str(refused.value.message)
    assert any("\u0600" <= ch <= "\u06ff" for ch in str(in_arabic.value.message))
    assert not User.objects.filter(username="karima.benali").exists()


def test_a_strong_password_is_accepted(org):
    user = user_create(
        actor=None, username="karima.benali", password="brume-atlas-cèdre-41", unit=org.district, roles=[]
    )
    assert user.check_password("brume-atlas-cèdre-41")


def test_argon2_hashes_and_an_old_pbkdf2_hash_is_upgraded_at_sign_in(client, org, settings):
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    assert settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    user = user_create(actor=None, username="veteran", password=PASSWORD, unit=org.district, roles=[Role.INVESTIGATOR])
    assert user.password.startswith("argon2$argon2id$")
    User.objects.filter(pk=user.pk).update(password=make_password(PASSWORD, hasher="pbkdf2_sha256"))
    assert client.post("/login/", {"username": "veteran", "password": PASSWORD}).status_code == 302
    assert User.objects.get(pk=user.pk).password.startswith("argon2$argon2id$")
