"""Reads of the digital-identity app."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from identity.models import Citizen, TtpConsent
from org.choices import KeyScope
from org.models import ApiKey, Partner

SESSION_KEY = "citizen_id"

# Fictional citizens (names in Arabic for the token, in Latin letters for the page; CNIE numbers
# are made up and follow the card's format).
LOCAL_IDP_CITIZENS = [
    {"sub": "demo-0001", "given_name": "فاطمة الزهراء", "family_name": "العلوي",
     "latin": "Fatima Zahra El Alaoui", "cnie": "BE123456", "acr": "substantial"},
    {"sub": "demo-0002", "given_name": "يوسف", "family_name": "بناني",
     "latin": "Youssef Bennani", "cnie": "BK654321", "acr": "high"},
    {"sub": "demo-0003", "given_name": "خديجة", "family_name": "التازي",
     "latin": "Khadija Tazi", "cnie": "BH234567", "acr": "substantial"},
    {"sub": "demo-0004", "given_name": "محمد", "family_name": "العمراني",
     "latin": "Mohamed El Amrani", "cnie": "BJ345678", "acr": "low"},
    {"sub": "demo-0005", "given_name": "سلمى", "family_name": "الإدريسي",
     "latin": "Salma Idrissi", "cnie": "BE987654", "acr": "high"},
]  # fmt: skip
LOCAL_IDP_BY_SUB = {c["sub"]: c for c in LOCAL_IDP_CITIZENS}


def current_citizen(request: HttpRequest) -> Citizen | None:
    """The citizen signed in on this session (separate from staff authentication), or None."""
    # One query per request: the answer is kept on the request.
    if hasattr(request, "_identity_citizen"):
        return request._identity_citizen  # type: ignore[no-any-return]
    citizen = None
    citizen_id = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    if isinstance(citizen_id, int):
        citizen = Citizen.objects.filter(pk=citizen_id).first()
    request._identity_citizen = citizen  # type: ignore[attr-defined]
    return citizen


def ttp_partners() -> list[Partner]:
    """Partners a citizen may consent to: active, holding a valid identity-check ("ttp") key."""
    now = timezone.now()
    keys = ApiKey.objects.filter(partner__active=True, revoked_at__isnull=True, expires_at__gt=now).select_related(
        "partner"
    )
    return sorted({k.partner for k in keys if KeyScope.TTP in k.scopes and k.partner}, key=lambda p: p.name)


def consents_of(citizen: Citizen) -> QuerySet[TtpConsent]:
    return TtpConsent.objects.filter(citizen=citizen).select_related("partner").order_by("-given_at")
