"""Staff pages that report on complaints rather than work them: who read whose personal data.

For the unit chief (officers of their jurisdiction) and the Inspectorate (everyone): per officer,
how often they displayed a complainant's identity, looked a person up by CNIE or phone, or opened
a file, and then each read with its fields and purpose. A complaint the reader may not open is not
named.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from cases import selectors
from cases.choices import RevealPurpose
from cases.judicial import judicial_indicator
from core.http import page_errors, role_required
from org import access
from org.selectors import StaffRequest

PERIODS = (7, 30, 90)
JUDICIAL_PERIODS = (30, 90, 365)
REVIEWERS = access.roles_for(access.READS_REPORT)


def _period(request: HttpRequest) -> tuple[int, datetime, datetime]:
    raw = request.GET.get("days", "30")
    days = int(raw) if raw.isdigit() and int(raw) in PERIODS else 30
    until = timezone.now()
    return days, until - timedelta(days=days), until


@login_required
@page_errors
@role_required(*REVIEWERS)
@require_safe
def reads(request: StaffRequest) -> HttpResponse:
    days, since, until = _period(request)
    rows = selectors.reads_by_officer(request.user, since=since, until=until)
    return render(request, "cases/reads.html", {"rows": rows, "days": days, "periods": PERIODS})


@login_required
@page_errors
@role_required(*REVIEWERS)
@require_safe
def officer_reads(request: StaffRequest, officer_id: int) -> HttpResponse:
    days, since, until = _period(request)
    rows = selectors.reads_of_officer(request.user, officer_id, since=since, until=until)
    purposes = dict(RevealPurpose.choices)
    for row in rows:
        row["purpose_label"] = purposes.get(row["purpose"], row["purpose"])
    officer = selectors.read_reporters(request.user).get(pk=officer_id)
    context = {"rows": rows, "officer": officer, "days": days, "periods": PERIODS}
    return render(request, "cases/officer_reads.html", context)


@login_required
@page_errors
@role_required(*access.roles_for(access.JUDICIAL_METRICS))
@require_safe
def judicial(request: StaffRequest) -> HttpResponse:
    """The judicial-file indicator of the reader's jurisdiction: referral → instructions → executed."""
    raw = request.GET.get("days", "90")
    days = int(raw) if raw.isdigit() and int(raw) in JUDICIAL_PERIODS else 90
    now = timezone.now()
    rows = judicial_indicator(request.user, since=now - timedelta(days=days), until=now, now=now)
    return render(request, "cases/judicial.html", {"rows": rows, "days": days, "periods": JUDICIAL_PERIODS})
