"""Writes of the Open311 endpoint: the service account and filing a request (partners and their
keys are `org.Partner` / `org.ApiKey`).

A partner's request becomes a complaint through `cases.services.complaint_register`, filed by the
Open311 service account with the channel "online"; the partner's name goes into the complaint's
external reference and into a `ServiceRequest` row that also holds the token the spec allows.
"""

from __future__ import annotations

import math
import secrets
from dataclasses import dataclass, field
from urllib.parse import urlparse

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from audit.services import audit_record
from cases.choices import Channel
from cases.models import Category
from cases.services import ComplainantInput, IntakeInput, complaint_register
from core.errors import ValidationFailed
from core.geo import validate_point
from core.validators import normalize_phone
from open311 import conf
from open311.attributes import answers_as_text
from open311.models import ServiceRequest
from open311.selectors import public_category
from org.choices import Role
from org.models import Partner, User
from org.services import service_account


def open311_account() -> User:
    """The service account that files partners' requests (portal role only, no password)."""
    return service_account(username=conf.get("AMANE_OPEN311_ACCOUNT"), roles=[Role.PORTAL], first_name="Open311")


@dataclass
class RequestInput:
    """The form fields of POST requests (the spec's names), as strings."""

    service_code: str = ""
    lat: str = ""
    long: str = ""
    address_string: str = ""
    address_id: str = ""
    email: str = ""
    device_id: str = ""
    account_id: str = ""
    first_name: str = ""
    last_name: str = ""
    phone: str = ""
    description: str = ""
    media_url: str = ""
    language: str = "ar"
    attributes: dict[str, list[str]] = field(default_factory=dict)


def _coordinate(raw: str, name: str) -> float | None:
    if not raw.strip():
        return None
    try:
        value = float(raw)
    except ValueError:
        value = float("nan")
    if not math.isfinite(value):  # NaN or infinite: not a place
        raise ValidationFailed(_("%(name)s is not a number.") % {"name": name}, fields={name: _("Invalid.")})
    return value


def _media_url(raw: str) -> str:
    url = raw.strip()
    if not url:
        return ""
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc or len(url) > 500:
        raise ValidationFailed(_("media_url is not a web address."), fields={"media_url": _("Invalid.")})
    return url


def _description(category: Category, data: RequestInput) -> str:
    """The partner's text, then the answers and the media address. The spec lists description among
    the optional arguments: without one, the complaint says so (in Arabic, the service's working
    language) and the officer reads the category and the answers."""
    text = (data.description or "").strip()
    extra = [e for e in (answers_as_text(category.code, data.attributes), _media_url(data.media_url)) if e]
    if not text:
        with override("ar"):
            text = str(_("Filed through Open311 without a description (category: %(name)s).") % {"name": category.name})
    return "\n\n".join([text, *extra])


@transaction.atomic
def request_submit(*, partner: Partner, data: RequestInput) -> ServiceRequest:
    """File a partner's request as an online complaint and remember which partner filed it.

    The citizen's name and phone become the complainant (encrypted by the intake); without a name
    the complaint is anonymous, which the category must allow. A named requester's phone or e-mail
    (encrypted) is used to inform them of progress, as the partner collected it for. device_id and
    account_id are not kept: the case does not need them.
    """
    if not data.service_code.strip():
        raise ValidationFailed(_("service_code is required."), fields={"service_code": _("Required.")})
    category = public_category(data.service_code.strip())  # the spec's 404 when it is not a service here
    lat, lon = _coordinate(data.lat, "lat"), _coordinate(data.long, "long")
    if lat is None and lon is None and not data.address_string.strip() and not data.address_id.strip():
        raise ValidationFailed(
            _("Give a location: lat and long, address_string or address_id."), fields={"lat": _("Required.")}
        )
    validate_point(lat, lon)
    full_name = " ".join(p.strip() for p in (data.first_name, data.last_name) if p.strip())
    phone = normalize_phone(data.phone) if data.phone.strip() and full_name else ""
    email = data.email.strip() if full_name else ""
    description = _description(category, data)
    address = data.address_string.strip() or data.address_id.strip()
    account = open311_account()
    case = complaint_register(
        actor=account,
        data=IntakeInput(
            channel=Channel.ONLINE,
            category=category,
            description=description,
            # The partner collected the phone or e-mail to keep the requester informed: consent.
            complainant=ComplainantInput(
                anonymous=not full_name,
                full_name=full_name,
                phone=phone,
                email=email,
                consent=bool(phone or email),
                language=data.language,
            ),
            address=address,
            latitude=lat,
            longitude=lon,
            external_reference=f"open311:{partner.name}",
        ),
    )
    now = timezone.now()
    row = ServiceRequest.objects.create(case=case, partner=partner, token=secrets.token_urlsafe(24), created_at=now)
    audit_record(
        actor=account,
        action="open311.request_create",
        obj=row,
        after={"partner": partner.name, "case": case.reference, "service_code": category.code},
    )
    row.tracking_code = case.tracking_code  # type: ignore[attr-defined]
    return row
