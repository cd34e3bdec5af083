"""Reads of the Open311 endpoint. Confidential complaints never enter any of them.

Partners may file in every category of "normal" sensitivity (`public_categories()`); the public
feed (`feed_cases()`) shows only the categories opted in with `Category.public_feed`. Protected
cases (domestic violence, sexual offences, minors) and complaints against officers are absent
everywhere, so asking for one answers the same 404 as a reference that never existed; a request of a
category outside the feed answers only to the partner who filed it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _

from cases.choices import Sensitivity, State
from cases.models import Case, Category
from cases.selectors import active_categories
from core.errors import NotFound, ValidationFailed
from core.validators import sane_instant
from open311 import conf
from open311.models import ServiceRequest
from org.choices import KeyScope
from org.models import Partner
from org.services.throttle import api_key_authenticate


def partner_for_key(raw: str, *, address: str) -> Partner | None:
    """The partner whose valid key with the "open311" scope this api_key is, or None (failed keys
    are throttled per client address: `org.services.throttle`)."""
    key = api_key_authenticate(raw, KeyScope.OPEN311, address=address)
    return key.partner if key is not None else None


def public_categories() -> QuerySet[Category]:
    return active_categories().filter(sensitivity=Sensitivity.NORMAL)


def public_category(code: str) -> Category:
    category = public_categories().filter(code=code).first()
    if category is None:
        raise NotFound(_("No service with this service_code."))
    return category


def _normal_cases() -> QuerySet[Case]:
    # The case keeps the sensitivity of the category it was filed under; a later change of
    # category is covered by testing the current category too.
    return (
        Case.objects.filter(sensitivity=Sensitivity.NORMAL, category__sensitivity=Sensitivity.NORMAL)
        .select_related("category", "assigned_unit", "assigned_unit__parent", "open311_request")
        .order_by("-created_at", "-id")
    )


def feed_cases() -> QuerySet[Case]:
    """The public feed: only categories opted in (`Category.public_feed`: nuisances in public
    space), never an offence against a person, a protected case or a complaint against an officer."""
    return _normal_cases().filter(category__public_feed=True)


def request_get(service_request_id: str, partner: Partner | None) -> Case:
    """One request: from the public feed, or — whatever its category — to the partner who filed it.
    Anything else is the same 404 as an unknown id."""
    reference = service_request_id.strip().upper()
    case = feed_cases().filter(reference=reference).first()
    if case is None and partner is not None:
        case = _normal_cases().filter(reference=reference, open311_request__partner=partner).first()
    if case is None:
        raise NotFound(_("No service request with this service_request_id."))
    return case


def token_get(token: str) -> ServiceRequest:
    row = ServiceRequest.objects.select_related("case", "case__category").filter(token=token.strip()).first()
    if row is None or row.case.sensitivity != Sensitivity.NORMAL or row.case.category.sensitivity != Sensitivity.NORMAL:
        raise NotFound(_("No service request with this token."))
    return row


@dataclass
class RequestFilters:
    """The spec's filters of GET requests, already validated."""

    ids: list[str] = field(default_factory=list)
    service_codes: list[str] = field(default_factory=list)
    start: datetime | None = None
    end: datetime | None = None
    statuses: list[str] = field(default_factory=list)
    page: int = 1
    page_size: int = 1000


def _parse_moment(raw: str, name: str, *, end: bool = False) -> datetime:
    """A W3C datetime (2026-03-01T10:00:00+01:00 or ...Z); a bare date is the start (or end) of the
    day in Morocco; a naive time is read in Morocco's time zone."""
    # A "+01:00" offset sent unencoded in a query string arrives as " 01:00".
    value = re.sub(r"(T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?) (\d{2}:?\d{2})$", r"\1+\2", raw.strip())
    moment = None
    try:
        moment = parse_datetime(value)
        if moment is None:
            day = parse_date(value)
            if day is not None:
                moment = datetime.combine(day, datetime.max.time() if end else datetime.min.time())
    except ValueError:
        moment = None
    if moment is None:
        raise ValidationFailed(
            _("%(name)s is not a W3C date and time (for example 2026-03-01T10:00:00+01:00).") % {"name": name},
            fields={name: _("Invalid date.")},
        )
    try:
        return sane_instant(moment)
    except ValueError:
        raise ValidationFailed(
            _("%(name)s is outside the dates this service can answer for.") % {"name": name},
            fields={name: _("Invalid date.")},
        ) from None


def _positive_int(raw: str, name: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if not 1 <= value <= 1_000_000:
        raise ValidationFailed(
            _("%(name)s must be a whole number from 1 to 1000000.") % {"name": name}, fields={name: _("Invalid.")}
        )
    return value


def parse_request_filters(params: QueryDict) -> RequestFilters:
    """Validate the query string of GET requests; any bad value is a 400, never ignored."""
    f = RequestFilters(page_size=conf.get("AMANE_OPEN311_PAGE_SIZE"))
    f.ids = [p.strip().upper() for p in params.get("service_request_id", "").split(",") if p.strip()][:200]
    f.service_codes = [p.strip() for p in params.get("service_code", "").split(",") if p.strip()][:50]
    f.statuses = [p.strip().lower() for p in params.get("status", "").split(",") if p.strip()]
    unknown = sorted(set(f.statuses) - {"open", "closed"})
    if unknown:
        raise ValidationFailed(
            _("Unknown status %(status)s: use open or closed.") % {"status": ", ".join(unknown)},
            fields={"status": _("Invalid.")},
        )
    if params.get("start_date", "").strip():
        f.start = _parse_moment(params.get("start_date", ""), "start_date")
    if params.get("end_date", "").strip():
        f.end = _parse_moment(params.get("end_date", ""), "end_date", end=True)
    max_days = conf.get("AMANE_OPEN311_MAX_RANGE_DAYS")
    if f.start and f.end:
        if f.end < f.start:
            raise ValidationFailed(_("end_date is before start_date."), fields={"end_date": _("Invalid.")})
        if f.end - f.start > timedelta(days=max_days):
            raise ValidationFailed(
                _("The date range is too wide: at most %(days)s days.") % {"days": max_days},
                fields={"end_date": _("Range too wide.")},
            )
    if params.get("page", "").strip():
        f.page = _positive_int(params.get("page", ""), "page")
    if params.get("page_size", "").strip():
        f.page_size = _positive_int(params.get("page_size", ""), "page_size")
    # Capped, not refused: a client asking for more than the endpoint gives gets the largest page.
    f.page_size = min(f.page_size, conf.get("AMANE_OPEN311_PAGE_SIZE_MAX"))
    return f


def requests_list(filters: RequestFilters) -> list[Case]:
    """One page of public service requests, newest first.

    As the specification says, service_request_id overrides every other filter. Without dates the
    window is the last 90 days; with one date it is the 90 days after the start or before the end.
    """
    qs = feed_cases()
    if filters.ids:
        qs = qs.filter(reference__in=filters.ids)
    else:
        window = timedelta(days=conf.get("AMANE_OPEN311_MAX_RANGE_DAYS"))
        if filters.start is not None:
            start = filters.start
            end = filters.end or start + window
        else:
            end = filters.end or timezone.now()
            start = end - window
        qs = qs.filter(created_at__gte=start, created_at__lte=end)
        if filters.service_codes:
            qs = qs.filter(category__code__in=filters.service_codes)
        wanted = set(filters.statuses)
        if wanted == {"closed"}:
            qs = qs.filter(state=State.CLOSED)
        elif wanted == {"open"}:
            qs = qs.exclude(state=State.CLOSED)
    offset = (filters.page - 1) * filters.page_size
    return list(qs[offset : offset + filters.page_size])
