"""The fields of each Open311 document, named exactly as GeoReport v2 names them.

What leaves here is public: no complainant data, no officer, no internal note. The description and
the exact place of a request are the citizen's own words and whereabouts, so they go back only to the
partner that filed the request; anyone else gets an empty description, no address and coordinates
rounded to about a hundred metres.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cases.choices import State
from cases.models import Case, Category
from open311 import conf
from open311.attributes import attributes_for
from open311.render import w3c
from org.models import Partner

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-11-23T00:00:00+01:00"
FORMATS = ["text/xml", "application/json"]

GROUPS = {
    "assault": _("Offences against persons"),
    "threats": _("Offences against persons"),
    "missing_person": _("Offences against persons"),
    "theft": _("Offences against property"),
    "fraud": _("Offences against property"),
    "cybercrime": _("Offences against property"),
    "drugs": _("Public order"),
    "nuisance": _("Public order"),
    "traffic_accident": _("Public order"),
    "lost_documents": _("Administrative declarations"),
}


def discovery(base_url: str) -> dict[str, Any]:
    return {
        "changeset": CHANGESET,
        "contact": conf.get("AMANE_OPEN311_CONTACT"),
        "key_service": conf.get("AMANE_OPEN311_KEY_SERVICE"),
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": base_url.rstrip("/") + reverse("open311:root"),
                "changeset": CHANGESET,
                "type": "production",
                "formats": FORMATS,
            }
        ],
    }


def service_row(category: Category) -> dict[str, Any]:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": str(
            _("Complaint: %(name)s. Closure deadline: %(days)s days.")
            % {"name": category.name, "days": category.closure_days}
        ),
        "metadata": bool(attributes_for(category.code)),
        "type": "realtime",
        "keywords": ",".join(dict.fromkeys([category.code, category.name_ar, category.name_fr, category.name_en])),
        "group": str(GROUPS.get(category.code, _("Complaints"))),
    }


def _owned_by(case: Case, partner: Partner | None) -> bool:
    row = getattr(case, "open311_request", None)
    return partner is not None and row is not None and row.partner_id == partner.pk


def request_row(case: Case, partner: Partner | None) -> dict[str, Any]:
    owner = _owned_by(case, partner)
    lat, lon = case.latitude, case.longitude
    if not owner and lat is not None and lon is not None:
        lat, lon = round(lat, 3), round(lon, 3)
    return {
        "service_request_id": case.reference,
        "status": "closed" if case.state == State.CLOSED else "open",
        "status_notes": str(State(case.state).label),
        "service_name": case.category.name,
        "service_code": case.category.code,
        "description": case.description if owner else "",
        "agency_responsible": case.assigned_unit.display_name,
        "service_notice": "",
        "requested_datetime": w3c(case.created_at),
        "updated_datetime": w3c(case.updated_at),
        "expected_datetime": w3c(case.closure_due_at),
        "address": case.address if owner else "",
        "address_id": "",
        "zipcode": "",
        "lat": lat,
        "long": lon,
        "media_url": "",
    }
