"""Reads of grievances, narrowed to the reader: the liaisons handle them nationally (DESIGN.md,
"Access: need to know"); nobody else lists or opens them."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from core.errors import NotFound
from org import access
from org.models import User
from oversight.models import AnnualReport, Grievance, GrievanceComplaint


def handles_grievances(user: User) -> bool:
    return bool(
        getattr(user, "is_authenticated", False) and user.is_active and access.allows(user.roles, access.GRIEVANCES)
    )


def grievances_for(user: User) -> QuerySet[Grievance]:
    if not handles_grievances(user):
        return Grievance.objects.none()
    return Grievance.objects.all()


def annual_reports_for(user: User) -> QuerySet[AnnualReport]:
    """The interlocutor's annual reports: the liaisons' (national), nobody else's."""
    if not handles_grievances(user):
        return AnnualReport.objects.none()
    return AnnualReport.objects.all()


def annual_report_get(user: User, year: int) -> AnnualReport:
    """One year's report; missing and forbidden are the same 404."""
    found = annual_reports_for(user).filter(year=year).first()
    if found is None:
        raise NotFound(_("No annual report for this year."))
    return found


def grievance_get(user: User, reference: str) -> Grievance:
    """One grievance by reference; missing and forbidden are the same 404."""
    found = grievances_for(user).select_related("inquiry_unit").filter(reference=reference.strip().upper()).first()
    if found is None:
        raise NotFound(_("No grievance with this reference."))
    return found


def grievance_list(user: User, *, state: str = "", body: str = "") -> QuerySet[Grievance]:
    qs = grievances_for(user).select_related("inquiry_unit")
    if state == "open":
        qs = qs.exclude(state="closed")
    elif state:
        qs = qs.filter(state=state)
    if body:
        qs = qs.filter(body=body)
    return qs.order_by("answer_due_at", "id")


def grievance_cases_q(user: User) -> Q:
    """The `grievance` scope of the access policy: complaints linked to a grievance the user handles
    (a liaison handles them all)."""
    if not handles_grievances(user):
        return Q(pk__in=[])
    return Q(pk__in=GrievanceComplaint.objects.values("case_id"))
