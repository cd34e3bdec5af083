"""Reads of complaints, every one already narrowed to what the user may see.

`access_q(user, act)` is the only place where the access policy of `org.access` becomes a query:
the scopes of the user's roles for the act, narrowed for protected categories and complaints
against officers. `visible_cases` (open), `listed_cases` (lists and counts) and `may` start from it.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.selectors import personal_data_reads
from cases.choices import Channel, EventKind, Sensitivity, State
from cases.models import (
    Attachment,
    Case,
    CaseEvent,
    CaseLink,
    Category,
    Complainant,
    Instruction,
    Offence,
    OperationalResult,
    ProsecutorOffice,
)
from cases.references import REFERENCE_RE
from cases.routing import place_district
from core import crypto
from core.errors import NotFound
from core.geo import bbox_around, haversine_m
from org import access
from org.choices import Role, UnitKind
from org.models import Unit, User
from org.selectors import jurisdiction_unit_ids, wilaya_of

# Extra scopes that apps above `cases` define (the oversight app: complaints linked to a grievance
# the user handles). They register a function user -> Q here at start-up, since `cases` cannot
# import them.
SCOPE_HOOKS: dict[str, Callable[[User], Q]] = {}
NOTHING = Q(pk__in=[])


def _scope_q(user: User, scope: str) -> Q:
    """The complaints in one scope of the access policy, for this user."""
    unit = user.unit
    assert unit is not None  # checked by access_q
    if scope == access.REGISTERED:
        return Q(created_by=user)
    if scope == access.REGISTERED_TODAY:
        today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
        return Q(created_by=user, created_at__gte=today)
    if scope == access.ASSIGNED:
        return Q(assigned_officer=user)
    if scope == access.UNIT:
        return Q(assigned_unit_id=unit.pk)
    if scope == access.UNIT_INTAKE:
        return Q(assigned_unit_id=unit.pk, state=State.RECEIVED, assigned_officer__isnull=True)
    if scope == access.JURISDICTION:
        # A list of unit ids (resolved once per request), not a join on the units' paths: the
        # planner can then read the complaints' indexes in list order and stop after one page.
        return Q(assigned_unit_id__in=jurisdiction_unit_ids(user))
    if scope == access.WILAYA_CALLS:
        wilaya = wilaya_of(unit)
        if wilaya is None:
            return NOTHING
        return Q(channel=Channel.LINE19, created_by__unit__path__startswith=wilaya.path)
    if scope == access.AGAINST_OFFICER:
        return Q(sensitivity=Sensitivity.AGAINST_OFFICER)
    if scope == access.NATIONAL:
        return Q()
    hook = SCOPE_HOOKS.get(scope)
    return hook(user) if hook is not None else NOTHING


def access_q(user: User, act: str) -> Q:
    """The complaints on which `user` may do `act` (org.access.POLICY), as one filter.

    Normal complaints: any scope of the act. Protected ones: only what the user registered or is
    assigned, or a chief's jurisdiction. Against an officer: only the Inspectorate's scopes (and
    the service account that filed it, so that the citizen's own reopening still works).
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active or user.unit_id is None:
        return NOTHING
    scopes = access.scopes_for(user.roles, act)
    if not scopes:
        return NOTHING

    def union(allowed: set[str]) -> Q:
        q = NOTHING
        for scope in sorted(allowed):
            q |= _scope_q(user, scope)
        return q

    normal = union(scopes - {access.AGAINST_OFFICER})
    protected_scopes = scopes & access.PROTECTED_SCOPES
    if user.has_role(*access.PROTECTED_CHIEF_ROLES):
        protected_scopes |= scopes & {access.JURISDICTION}
    against = scopes & {access.AGAINST_OFFICER}
    if user.has_role(Role.INSPECTOR):
        against |= scopes & {access.JURISDICTION}
    if user.has_role(Role.PORTAL):
        against |= scopes & {access.REGISTERED}
    return (
        (Q(sensitivity=Sensitivity.NORMAL) & normal)
        | (Q(sensitivity=Sensitivity.PROTECTED) & union(protected_scopes))
        | (Q(sensitivity=Sensitivity.AGAINST_OFFICER) & union(against))
    )


def cases_for(user: User, act: str) -> QuerySet[Case]:
    return Case.objects.filter(access_q(user, act))


def visible_cases(user: User) -> QuerySet[Case]:
    """The complaints the user may open (the case page, the API record, its timeline)."""
    return cases_for(user, access.OPEN)


def listed_cases(user: User) -> QuerySet[Case]:
    """The complaints that appear in the user's lists, counts and suggestions."""
    return cases_for(user, access.LIST)


def deidentified_cases(user: User) -> QuerySet[Case]:
    """Complaints an analyst may count and study: rows without name, CNIE, phone or free text, and
    never a protected case or a complaint against an officer (the policy gives analysts no scope
    through which those are seen)."""
    return cases_for(user, access.DEIDENTIFIED).filter(sensitivity=Sensitivity.NORMAL)


def acts_allowed(user: User, case: Case, acts: tuple[str, ...]) -> dict[str, bool]:
    """Which of `acts` the user may do on this complaint, in one query (the case page's buttons)."""
    annotations = {
        f"can_{i}": ExpressionWrapper(access_q(user, act), output_field=BooleanField()) for i, act in enumerate(acts)
    }
    row = Case.objects.filter(pk=case.pk).annotate(**annotations).values(*annotations).first() or {}
    return {act: bool(row.get(f"can_{i}")) for i, act in enumerate(acts)}


def may(user: User, act: str, case: Case) -> bool:
    """Whether `user` may do `act` on this complaint (one indexed query)."""
    return cases_for(user, act).filter(pk=case.pk).exists()


def case_get(user: User, reference: str, *, for_update: bool = False) -> Case:
    """One case by reference; missing and forbidden are the same 404."""
    qs = visible_cases(user).select_related("category", "assigned_unit", "assigned_officer", "created_by", "offence")
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


# What a list row shows (the queue, "my cases"): never the description nor the category's
# procedure texts, which made rows 5.5 KB wide and sorts spill to disk.
LIST_FIELDS = (
    "id",
    "reference",
    "state",
    "created_at",
    "state_due_at",
    "closure_due_at",
    "clock_running_since",
    "overdue",
    "category__id",
    "category__code",
    "category__name_ar",
    "category__name_fr",
    "category__name_en",
    "assigned_unit__id",
    "assigned_unit__name_ar",
    "assigned_unit__name_fr",
    "assigned_officer__id",
    "assigned_officer__username",
    "assigned_officer__first_name",
    "assigned_officer__last_name",
)
# Contains-search looks at this many of the newest visible complaints only; a full reference
# (exact) or its beginning (prefix) is found by index whatever its age.
CONTAINS_WINDOW = 10_000
REFERENCE_PREFIX_RE = re.compile(r"^[A-Z]{1,3}(-\d{0,4}(-\d{0,6}(-[A-Z]?)?)?)?$")


def reference_search(qs: QuerySet[Case], text: str) -> QuerySet[Case]:
    """Complaints whose reference matches what was typed: a whole reference exactly, its beginning
    ("CAS-2026-00") by the prefix index, anything else within the CONTAINS_WINDOW newest."""
    q = text.strip().upper()
    if REFERENCE_RE.match(q):
        return qs.filter(reference=q)
    if REFERENCE_PREFIX_RE.match(q):
        return qs.filter(reference__startswith=q)
    newest = qs.order_by("-created_at", "-id").values("pk")[:CONTAINS_WINDOW]
    return qs.filter(pk__in=newest, reference__contains=q)


def case_list(user: User, filters: CaseFilters | None = None, *, mine: bool = False) -> QuerySet[Case]:
    """The unit queue (or "my cases") with its filters, narrow rows, newest first, ready to page
    (`cases.paging.keyset_page`). "Open" is `state <> 'closed'`, the condition of the partial
    indexes `case_open_recent` and `case_unit_open_recent`."""
    f = filters or CaseFilters()
    qs = listed_cases(user).select_related("category", "assigned_unit", "assigned_officer").only(*LIST_FIELDS)
    if mine:
        qs = qs.filter(Q(assigned_officer=user) | Q(assigned_officer__isnull=True, created_by=user))
    if f.state:
        qs = qs.filter(state=f.state) if f.state != "open" else qs.exclude(state=State.CLOSED)
    if f.category:
        # A scalar subquery (an InitPlan, evaluated once), not a join that could change the plan.
        qs = qs.filter(category_id=Subquery(Category.objects.filter(code=f.category).values("id")[:1]))
    if f.channel:
        qs = qs.filter(channel=f.channel)
    if f.overdue is not None:
        qs = qs.filter(overdue=f.overdue)
    if f.officer:
        qs = qs.filter(assigned_officer_id=f.officer)
    if f.unit:
        qs = qs.filter(assigned_unit_id=f.unit)
    if f.q:
        qs = reference_search(qs, f.q)
    return qs.order_by("-created_at", "-id")


def case_timeline(case: Case) -> QuerySet[CaseEvent]:
    return case.events.select_related("actor").order_by("at", "id")


def linked_references(user: User, events: list[CaseEvent]) -> dict[int, str]:
    """For the link events of a timeline, the reference of each other case the reader may open
    (one query); a case outside the reader's reach is simply absent, so its reference is never
    shown. Older link events named the other case by reference: those are checked the same way."""
    ids = {e.data.get("other_id") for e in events if e.kind == EventKind.LINK} - {None}
    refs = {e.data.get("other") for e in events if e.kind == EventKind.LINK and e.data.get("other")}
    if not ids and not refs:
        return {}
    rows = visible_cases(user).filter(Q(pk__in=ids) | Q(reference__in=refs)).values_list("pk", "reference")
    return dict(rows)


def active_categories() -> QuerySet[Category]:
    return Category.objects.filter(active=True).order_by("code")


# The active categories, kept in the process like the unit tree (org.selectors.unit_tree): every
# intake names one, and the list is a few dozen rows that change a few times a year. Dropped at once
# when a category is saved or deleted in the process (signals in cases/apps.py), re-read at most
# CATEGORIES_SECONDS later in the others. Callers must not modify the categories it returns.
CATEGORIES_SECONDS = 60.0
_categories: dict[str, Any] = {"read_at": -CATEGORIES_SECONDS, "by_code": {}}


def active_category(code: str) -> Category | None:
    """The active category of this code (kept in the process; see above), or None."""
    now = time.monotonic()
    if now - _categories["read_at"] >= CATEGORIES_SECONDS:
        _categories["by_code"] = {c.code: c for c in active_categories()}
        _categories["read_at"] = now
    found: Category | None = _categories["by_code"].get(code)
    return found


def categories_changed(**_kwargs: Any) -> None:
    """Forget the kept categories (one was saved or deleted; tests call it between tests)."""
    _categories["read_at"] = -CATEGORIES_SECONDS
    _categories["by_code"] = {}


def active_offences() -> QuerySet[Offence]:
    """The reference list of offences a complaint can be qualified with, in the list's own order
    (the usual ones first, "other" and "no offence" last)."""
    return Offence.objects.filter(active=True).order_by("id")


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
    qs = listed_cases(user).filter(q).select_related("category", "assigned_unit")
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
    qs = listed_cases(user).filter(
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


def case_links_visible(user: User, case: Case) -> list[Case]:
    """Complaints linked to this one that the user may open (links across jurisdictions stay hidden).

    The linked ids first (one UNION of two indexed lookups), then the visible ones among them: the
    former OR of two joins walked the reader's whole jurisdiction even for a case with no link."""
    out_ids = CaseLink.objects.filter(from_case=case).values_list("to_case_id", flat=True)
    in_ids = CaseLink.objects.filter(to_case=case).values_list("from_case_id", flat=True)
    ids = list(out_ids.union(in_ids))
    if not ids:
        return []
    return list(visible_cases(user).filter(pk__in=ids).select_related("category").order_by("-created_at"))


def attachment_get(user: User, reference: str, pk: int) -> Attachment:
    """One attachment of a visible case; missing and forbidden are the same 404."""
    case = case_get(user, reference)
    att = case.attachments.filter(pk=pk).select_related("case").first()
    if att is None:
        raise NotFound(_("No such attachment."))
    return att


def instruction_get(user: User, reference: str, pk: int) -> Instruction:
    """One prosecutor's instruction of a case the user may open; missing and forbidden: one 404."""
    case = case_get(user, reference)
    instruction = case.instructions.filter(pk=pk).select_related("case").first()
    if instruction is None:
        raise NotFound(_("No such instruction."))
    return instruction


def result_get(user: User, reference: str, pk: int) -> OperationalResult:
    """One operational result of a case the user may open; missing and forbidden: one 404."""
    case = case_get(user, reference)
    result = case.results.filter(pk=pk).select_related("case").first()
    if result is None:
        raise NotFound(_("No such result."))
    return result


def case_results(case: Case) -> list[OperationalResult]:
    """The results recorded on a case the caller has already opened, oldest first."""
    return list(case.results.select_related("recorded_by", "validated_by").order_by("occurred_on", "id"))


def unit_results(unit: Unit, start: date, end: date) -> dict[str, Decimal]:
    """Validated results of the unit and every unit below it, dated in [start, end), summed per
    kind. Only normal complaints count (like the analysts' indicators: the annual review shows one
    set of figures to chiefs and analysts alike)."""
    rows = (
        OperationalResult.objects.filter(
            validated_at__isnull=False,
            occurred_on__gte=start,
            occurred_on__lt=end,
            unit__path__startswith=unit.path,
            case__sensitivity=Sensitivity.NORMAL,
        )
        .values("kind")
        .annotate(total=Sum("quantity"))
        .order_by()
    )
    return {row["kind"]: row["total"] or Decimal(0) for row in rows}


def prosecutor_offices() -> QuerySet[ProsecutorOffice]:
    """The offices a referral may name (the reference list, active ones)."""
    return ProsecutorOffice.objects.filter(active=True).order_by("city", "level", "code")


def public_unit(case: Case) -> Unit:
    """The unit a citizen is told about (receipt, tracking): the handling unit, except that a
    complaint against an officer names the district of its place (or the counter that took it),
    never the Inspectorate."""
    if case.sensitivity != Sensitivity.AGAINST_OFFICER:
        return case.assigned_unit
    place = place_district(case.latitude, case.longitude)
    if place is not None:
        return place
    registrar = case.created_by.unit if case.created_by and case.created_by.unit else None
    if registrar is not None and registrar.kind != UnitKind.INSPECTORATE:
        return registrar
    return Unit.objects.filter(kind=UnitKind.CENTRAL).order_by("path").first() or case.assigned_unit


@dataclass
class OfficerReads:
    """One officer's reads of personal data in a period (the chief's and the Inspectorate's report)."""

    officer: User
    reads: int
    lookups: int
    files: int
    last: datetime


def read_reporters(user: User) -> QuerySet[User]:
    """The staff whose reads of personal data `user` may review: their jurisdiction's officers for a
    unit chief, everyone for the Inspectorate; nobody for other roles."""
    scopes = access.scopes_for(user.roles, access.READS_REPORT)
    if access.NATIONAL in scopes:
        return User.objects.filter(unit__isnull=False)
    if access.JURISDICTION in scopes and user.unit is not None:
        return User.objects.filter(unit__path__startswith=user.unit.path)
    return User.objects.none()


def reads_by_officer(user: User, *, since: datetime, until: datetime) -> list[OfficerReads]:
    """Per officer: how many times they displayed a complainant, looked a person up, opened a file."""
    officers = {u.pk: u for u in read_reporters(user).select_related("unit")}
    if not officers:
        return []
    rows: dict[int, OfficerReads] = {}
    for rec in personal_data_reads(officers, since=since, until=until).only("actor_id", "action", "at"):
        if rec.actor_id is None:
            continue
        row = rows.setdefault(rec.actor_id, OfficerReads(officers[rec.actor_id], 0, 0, 0, rec.at))
        if rec.action == "personal_data.lookup":
            row.lookups += 1
        elif rec.action == "attachment.read":
            row.files += 1
        else:
            row.reads += 1
    return sorted(rows.values(), key=lambda r: (-(r.reads + r.lookups + r.files), r.officer.username))


def reads_of_officer(user: User, officer_id: int, *, since: datetime, until: datetime) -> list[dict[str, Any]]:
    """One officer's reads in the period, each with the complaint's reference only when `user` may
    open that complaint (the report never names a case its reader may not see)."""
    if not read_reporters(user).filter(pk=officer_id).exists():
        raise NotFound(_("No such officer in your jurisdiction."))
    records = list(personal_data_reads([officer_id], since=since, until=until)[:500])
    case_ids = {int(r.object_id) for r in records if r.object_type == "cases.case" and r.object_id.isdigit()}
    case_ids |= {int((r.after or {}).get("case", 0)) for r in records if r.action == "attachment.read"}
    openable = dict(visible_cases(user).filter(pk__in=case_ids).values_list("pk", "reference"))
    out = []
    for r in records:
        after = r.after or {}
        case_id = int(r.object_id) if r.object_id.isdigit() and r.object_type == "cases.case" else after.get("case")
        out.append(
            {
                "at": r.at,
                "action": r.action,
                "reference": openable.get(case_id or 0, ""),
                "fields": after.get("fields", []),
                "purpose": after.get("purpose", ""),
                "found": len(after.get("found", [])),
            }
        )
    return out
