"""Reads of the digital-identity app."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from identity.models import Citizen

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


def citizen_identity(citizen: Citizen) -> dict[str, Any]:
    """The decrypted identity of a citizen, as the provider asserted it at the last sign-in.

    Returns {"given_name", "family_name", "full_name", "cnie", "assurance_level", "language"}.
    This decrypts personal data: a caller that DISPLAYS it must log the read in its own audit
    trail (for instance the case timeline); copying it into a complaint record needs no extra log.
    """
    given, family = citizen.given_name, citizen.family_name
    return {
        "given_name": given,
        "family_name": family,
        "full_name": f"{given} {family}".strip(),
        "cnie": citizen.cnie,
        "assurance_level": citizen.assurance_level,
        "language": citizen.language,
    }
