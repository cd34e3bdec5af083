"""Duplicate suggestions at intake: same person (by keyed hash) and similar complaints nearby."""

from __future__ import annotations

from django.utils.translation import gettext as _

from cases import selectors
from cases.choices import State
from core.errors import DomainError
from core.validators import normalize_cnie, normalize_phone


def intake_suggestions(
    user, *, cnie: str = "", phone: str = "", latitude=None, longitude=None, category: str = "", exclude_id=None
) -> list[dict]:
    """What the intake form shows while the officer types. Invalid partial input suggests nothing."""
    found: dict[str, dict] = {}

    def clean(fn, raw):
        try:
            return fn(raw) if raw and raw.strip() else ""
        except DomainError:
            return ""

    cnie_n, phone_n = clean(normalize_cnie, cnie), clean(normalize_phone, phone)
    for case in selectors.earlier_cases_of_person(user, cnie=cnie_n, phone=phone_n, exclude_id=exclude_id):
        found[case.reference] = _row(case, _("Same person"), None)
    if latitude is not None and longitude is not None:
        cat = selectors.active_categories().filter(code=category).first() if category else None
        for case, distance in selectors.similar_cases_nearby(
            user, latitude=latitude, longitude=longitude, category=cat, exclude_id=exclude_id
        ):
            found.setdefault(case.reference, _row(case, _("Similar complaint nearby"), distance))
    return list(found.values())


def _row(case, reason, distance):
    return {
        "reference": case.reference,
        "category_name": case.category.name,
        "created_at": case.created_at,
        "state_label": str(State(case.state).label),
        "reason": str(reason),
        "distance_m": distance,
    }
