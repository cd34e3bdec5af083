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
from core.http import page_errors, role_required
from org import access
from org.selectors import StaffRequest

PERIODS = (7, 30, 90)
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
