"""The fields of each Open311 document, named exactly as GeoReport v2 names them.

What leaves here is public: no complainant data, no officer, no internal note, no judicial step. The
description and the exact place of a request are the citizen's own words and whereabouts, so they go
back only to the partner that filed the request; anyone else gets the public feed's row: open or
closed with a plain note, the hour, the area, the centre of an H3 cell of about 0.1 km².
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import h3
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cases.choices import State
from cases.models import Case, Category
from open311 import conf
from open311.attributes import attributes_for
from open311.render import w3c
from org.choices import UnitKind
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
    """The Service Discovery document. The endpoint's url has no trailing slash, as in the spec's
    example (`http://open311.mycity.gov/v2`): clients append "/services.xml" to it. The discovery
    document has no field for the jurisdiction_id, so the contact line names it."""
    contact = _("%(contact)s. jurisdiction_id: %(jurisdiction)s (optional: this endpoint serves one jurisdiction).") % {
        "contact": conf.get("AMANE_OPEN311_CONTACT"),
        "jurisdiction": conf.get("AMANE_OPEN311_JURISDICTION"),
    }
    return {
        "changeset": CHANGESET,
        "contact": str(contact),
        "key_service": conf.get("AMANE_OPEN311_KEY_SERVICE"),
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": base_url.rstrip("/") + reverse("open311:root").rstrip("/"),
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


def _hour(moment: datetime | None) -> datetime | None:
    """The public feed says when to the hour, never to the second."""
    return moment.replace(minute=0, second=0, microsecond=0) if moment else None


def _cell_centre(lat: float | None, lon: float | None) -> tuple[float | None, float | None]:
    """The centre of the H3 cell (about 0.1 km² at resolution 9) holding the place."""
    if lat is None or lon is None:
        return None, None
    cell = h3.latlng_to_cell(lat, lon, conf.get("AMANE_OPEN311_FEED_H3_RESOLUTION"))
    centre_lat, centre_lon = h3.cell_to_latlng(cell)
    return round(centre_lat, 6), round(centre_lon, 6)


def _area_name(case: Case) -> str:
    """The handling unit at the level of its area (a district is not named in public)."""
    unit = case.assigned_unit
    parent = unit.parent
    return (parent if parent is not None and unit.kind != UnitKind.AREA else unit).display_name


def request_row(case: Case, partner: Partner | None) -> dict[str, Any]:
    """A request as the spec lays it out. The partner who filed it sees it in full; anyone else sees
    the public feed's row: the category, open or closed with a plain note, the hour, the area, a
    generalised place, and no text, address or judicial step."""
    closed = case.state == State.CLOSED
    if _owned_by(case, partner):
        return {
            **_row_frame(case),
            "status_notes": str(State(case.state).label),
            "description": case.description,
            "agency_responsible": case.assigned_unit.display_name,
            "requested_datetime": w3c(case.created_at),
            "updated_datetime": w3c(case.updated_at),
            "expected_datetime": w3c(case.closure_due_at),
            "address": case.address,
            "lat": case.latitude,
            "long": case.longitude,
        }
    lat, lon = _cell_centre(case.latitude, case.longitude)
    return {
        **_row_frame(case),
        "status_notes": str(_("Closed.") if closed else _("Being handled by the police.")),
        "description": "",
        "agency_responsible": _area_name(case),
        "requested_datetime": w3c(_hour(case.created_at)),
        "updated_datetime": w3c(_hour(case.updated_at)),
        "expected_datetime": None,
        "address": "",
        "lat": lat,
        "long": lon,
    }


def _row_frame(case: Case) -> dict[str, Any]:
    """The fields of a row in the specification's order, with what every reader sees."""
    return dict.fromkeys(
        [
            "service_request_id",
            "status",
            "status_notes",
            "service_name",
            "service_code",
            "description",
            "agency_responsible",
            "service_notice",
            "requested_datetime",
            "updated_datetime",
            "expected_datetime",
            "address",
            "address_id",
            "zipcode",
            "lat",
            "long",
            "media_url",
        ],
        "",
    ) | {
        "service_request_id": case.reference,
        "status": "closed" if case.state == State.CLOSED else "open",
        "service_name": case.category.name,
        "service_code": case.category.code,
    }
