"""Interventions reported by another service than a caller: the communication cell reads of an
emergency in the press and puts it on its wilaya's board. No call exists, so the incident has no
call and no caller's number; it waits on the board like any triaged incident, marked with where it
came from in its description, and is dispatched, merged or closed by the command room as usual."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.services import audit_record
from core.errors import PermissionDenied, ValidationFailed
from core.geo import validate_point
from emergency.choices import IncidentState
from emergency.models import CallCategory, Incident
from emergency.services.base import publish_incident
from emergency.services.calls import ADDRESS_MAX, DESCRIPTION_MAX, _locate, assign_incident_reference
from org import access
from org.choices import UnitKind
from org.models import Unit, User


@transaction.atomic
def incident_report(
    *,
    actor: User,
    wilaya: Unit,
    category: str,
    description: str,
    address: str = "",
    latitude: float | None = None,
    longitude: float | None = None,
) -> Incident:
    """A waiting incident on `wilaya`'s board, created on the actor's service's behalf (audited as
    `incident.report`). The caller checks that the actor may act about this place."""
    if not access.allows(list(actor.roles or []), access.LINE19_REPORT):
        raise PermissionDenied(_("Your role does not allow opening line-19 interventions."))
    found = CallCategory.objects.filter(code=category, active=True).first()
    description, address = (description or "").strip(), (address or "").strip()
    errors = {}
    if found is None:
        errors["category"] = _("Unknown category.")
    if not description or len(description) > DESCRIPTION_MAX:
        errors["description"] = _("Describe the facts.")
    if len(address) > ADDRESS_MAX:
        errors["address"] = _("The address is too long.")
    if wilaya.kind != UnitKind.WILAYA:
        errors["wilaya"] = _("Choose a wilaya.")
    if errors or found is None:
        raise ValidationFailed(_("The intervention cannot be opened: correct the marked fields."), fields=errors)
    validate_point(latitude, longitude)
    now = timezone.now()
    district, area = _locate(wilaya, latitude, longitude)
    incident = Incident.objects.create(
        category=found,
        group=found.group,
        priority=found.base_priority,
        state=IncidentState.TRIAGED,
        wilaya=wilaya,
        area=area,
        district=district,
        latitude=latitude,
        longitude=longitude,
        address=address,
        description=description,
        call_count=0,
        last_call_at=now,
        received_at=now,
        triaged_at=now,
        created_by=actor,
    )
    assign_incident_reference(incident)
    audit_record(
        actor=actor,
        action="incident.report",
        obj=incident,
        after={"reference": incident.reference, "category": found.code, "wilaya": wilaya.pk},
    )
    publish_incident(incident)
    return incident
