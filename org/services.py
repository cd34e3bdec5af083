"""Writes to the organisation: units, users, roles and API tokens, each audited."""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction

from audit.services import audit_record
from org.models import ApiToken, Unit, User


@transaction.atomic
def unit_create(
    *,
    actor: User | None,
    parent: Unit | None,
    kind: str,
    code: str,
    name_ar: str,
    name_fr: str,
    city: str,
    latitude: float | None = None,
    longitude: float | None = None,
    area_geojson: dict | None = None,
) -> Unit:
    unit = Unit.objects.create(
        parent=parent,
        kind=kind,
        code=code,
        name_ar=name_ar,
        name_fr=name_fr,
        city=city,
        latitude=latitude,
        longitude=longitude,
        area_geojson=area_geojson,
    )
    unit.path = f"{parent.path if parent else '/'}{unit.pk}/"
    unit.depth = parent.depth + 1 if parent else 0
    unit.save(update_fields=["path", "depth"])
    audit_record(
        actor=actor,
        action="unit.create",
        obj=unit,
        after={"code": code, "kind": kind, "parent": parent.pk if parent else None},
    )
    return unit


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    username: str,
    password: str,
    unit: Unit,
    roles: list[str],
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    is_staff: bool = False,
) -> User:
    user = User(
        username=username,
        unit=unit,
        roles=sorted(set(roles)),
        first_name=first_name,
        last_name=last_name,
        email=email,
        is_staff=is_staff,
    )
    user.set_password(password)
    user.save()
    audit_record(
        actor=actor, action="user.create", obj=user, after={"username": username, "unit": unit.pk, "roles": user.roles}
    )
    return user


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, actor: User, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token and return it with its clear value, which is never stored."""
    raw = "amn_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, key_hash=hash_token(raw))
    audit_record(actor=actor, action="api_token.create", obj=token, after={"user": user.pk, "name": name})
    return token, raw
