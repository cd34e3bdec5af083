"""Reads of complaints, every one already narrowed to what the user may see.

`visible_cases(user)` is the only place where visibility is decided: the jurisdiction (the user's
unit and all below), the protection of sensitive categories and the Inspectorate's exclusivity
over complaints against officers. Everything else starts from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.choices import Sensitivity, State
from cases.models import Attachment, Case, CaseEvent, Category, Complainant
from core import crypto
from core.errors import NotFound
from core.geo import bbox_around, haversine_m
from org.choices import Role
from org.models import User


def visibility_q(user: User) -> Q:
    if not user.is_authenticated or not user.is_active or user.unit_id is None or not user.roles:
        return Q(pk__in=[])
    unit = user.unit
    if unit is None:
        return Q(pk__in=[])
    in_jurisdiction = Q(assigned_unit__path__startswith=unit.path)
    visible = in_jurisdiction & Q(sensitivity=Sensitivity.NORMAL)
    protected = in_jurisdiction & Q(sensitivity=Sensitivity.PROTECTED)
    if not user.has_role(Role.UNIT_CHIEF, Role.INSPECTOR):
        protected &= Q(assigned_officer=user) | Q(created_by=user)
    visible |= protected
    if user.has_role(Role.INSPECTOR):
        # The Inspectorate is national: it sees every complaint against an officer, and only it.
        visible |= Q(sensitivity=Sensitivity.AGAINST_OFFICER)
    return visible


def visible_cases(user: User) -> QuerySet[Case]:
    return Case.objects.filter(visibility_q(user))


def case_get(user: User, reference: str, *, for_update: bool = False) -> Case:
    """One case by reference; missing and forbidden are the same 404."""
    qs = visible_cases(user).select_related("category", "assigned_unit", "assigned_officer", "created_by")
    case = qs.filter(reference=reference.strip().upper()).first()
    if case is None:
        raise NotFound(_("No complaint with this reference in your jurisdiction."))
    return case


def case_get_for_receipt(user: User, reference: str, registered_ids: list[int]) -> Case:
    """The receipt may also be printed by the officer who just registered the case.

    A complaint against an officer goes straight to the Inspectorate, so the counter officer
    cannot open it afterwards; the session remembers what they registered so that they can still
    hand the receipt over.
    """
    try:
        return case_get(user, reference)
    except NotFound:
        case = (
            Case.objects.select_related("category", "assigned_unit")
            .filter(reference=reference.strip().upper(), pk__in=registered_ids or [], created_by=user)
            .first()
        )
        if case is None:
            raise
        return case


@dataclass
class CaseFilters:
    state: str = ""
    category: str = ""
    channel: str = ""
    overdue: bool | None = None
    officer: int | None = None
    unit: int | None = None
    q: str = ""


def case_list(user: User, filters: CaseFilters | None = None, *, mine: bool = False) -> QuerySet[Case]:
    """The unit queue (or "my cases") with its filters, ready to page."""
    f = filters or CaseFilters()
    qs = visible_cases(user).select_related("category", "assigned_unit", "assigned_officer")
    if mine:
        qs = qs.filter(Q(assigned_officer=user) | Q(assigned_officer__isnull=True, created_by=user))
    if f.state:
        qs = qs.filter(state=f.state) if f.state != "open" else qs.exclude(state=State.CLOSED)
    if f.category:
        qs = qs.filter(category__code=f.category)
    if f.channel:
        qs = qs.filter(channel=f.channel)
    if f.overdue is not None:
        qs = qs.filter(overdue=f.overdue)
    if f.officer:
        qs = qs.filter(assigned_officer_id=f.officer)
    if f.unit:
        qs = qs.filter(assigned_unit_id=f.unit)
    if f.q:
        qs = qs.filter(reference__icontains=f.q.strip())
    return qs.order_by("-created_at", "-id")


def case_timeline(case: Case) -> QuerySet[CaseEvent]:
    return case.events.select_related("actor").order_by("at", "id")


def active_categories() -> QuerySet[Category]:
    return Category.objects.filter(active=True).order_by("code")


@dataclass
class ComplainantView:
    anonymous: bool
    full_name: str
    cnie: str
    phone: str
    language: str


def complainant_decrypted(case: Case) -> ComplainantView | None:
    """Decrypt the complainant. Callers must log the read (see services.complainant_reveal)."""
    c = Complainant.objects.filter(case=case).first()
    if c is None:
        return None
    return ComplainantView(
        anonymous=c.anonymous,
        full_name=crypto.decrypt(c.full_name_enc),
        cnie=crypto.decrypt(c.cnie_enc),
        phone=crypto.decrypt(c.phone_enc),
        language=c.language,
    )


def earlier_cases_of_person(
    user: User, *, cnie: str = "", phone: str = "", exclude_id: int | None = None
) -> QuerySet[Case]:
    """Visible complaints by the same person, found by the keyed hashes (no decryption)."""
    q = Q()
    if cnie:
        q |= Q(complainant__cnie_hash=crypto.keyed_hash("cnie", cnie))
    if phone:
        q |= Q(complainant__phone_hash=crypto.keyed_hash("phone", phone))
    if not q:
        return Case.objects.none()
    qs = visible_cases(user).filter(q).select_related("category", "assigned_unit")
    if exclude_id:
        qs = qs.exclude(pk=exclude_id)
    return qs.order_by("-created_at")[:10]


def similar_cases_nearby(
    user: User, *, latitude: float, longitude: float, category: Category | None = None, exclude_id: int | None = None
) -> list[tuple[Case, int]]:
    """Visible complaints near the place in recent days, nearest first, with their distance (m)."""
    radius = settings.DUPLICATE_RADIUS_M
    since = timezone.now() - timedelta(days=settings.DUPLICATE_WINDOW_DAYS)
    min_lat, max_lat, min_lon, max_lon = bbox_around(latitude, longitude, radius)
    qs = visible_cases(user).filter(
        created_at__gte=since, latitude__range=(min_lat, max_lat), longitude__range=(min_lon, max_lon)
    )
    if category is not None:
        qs = qs.filter(category=category)
    if exclude_id:
        qs = qs.exclude(pk=exclude_id)
    found = []
    for case in qs.select_related("category", "assigned_unit")[:200]:
        if case.latitude is None or case.longitude is None:
            continue
        d = haversine_m(latitude, longitude, case.latitude, case.longitude)
        if d <= radius:
            found.append((case, round(d)))
    found.sort(key=lambda pair: pair[1])
    return found[:10]


def case_links_visible(user: User, case: Case) -> QuerySet[Case]:
    """Complaints linked to this one that the user may open (links across jurisdictions stay hidden)."""
    return (
        visible_cases(user)
        .filter(Q(links_in__from_case=case) | Q(links_out__to_case=case))
        .select_related("category")
        .distinct()
        .order_by("-created_at")
    )


def attachment_get(user: User, reference: str, pk: int) -> Attachment:
    """One attachment of a visible case; missing and forbidden are the same 404."""
    case = case_get(user, reference)
    att = case.attachments.filter(pk=pk).select_related("case").first()
    if att is None:
        raise NotFound(_("No such attachment."))
    return att
