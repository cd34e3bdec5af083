"""The demo organisation's kinds of places: a unit to create, a district, an area, a wilaya.

Places are real (wilayas, préfectures de police / sûretés, neighbourhoods, streets, approximate
coordinates of the neighbourhood); nothing here is written to the database: the loaders build
everything through the services.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

DEMO_PASSWORD = "amane-demo-only"  # noqa: S105  (published demo password, shown by `make run`; 12+ characters for the validators)
# Every account the demo loader creates has an e-mail at this domain (reserved: .invalid never
# resolves), which is how the production check finds the accounts that may still have the password.
DEMO_EMAIL_DOMAIN = "demo.amane.invalid"


@dataclass(frozen=True)
class Place:
    """A unit to create: code, names, city and coordinates (lat, lon)."""

    code: str
    name_ar: str
    name_fr: str
    lat: float
    lon: float


@dataclass(frozen=True)
class District(Place):
    # Street-level addresses in the neighbourhood: (Arabic, French).
    streets: tuple[tuple[str, str], ...] = ()
    # Optional territory, (lon, lat) ring as GeoJSON has it.
    polygon: tuple[tuple[float, float], ...] = ()


@dataclass(frozen=True)
class Area(Place):
    districts: tuple[District, ...] = ()


@dataclass(frozen=True)
class Wilaya(Place):
    city: str = ""
    city_ar: str = ""
    slug: str = ""
    prosecutor_ar: str = ""
    areas: tuple[Area, ...] = field(default_factory=tuple)


CENTRAL = Place("DGSN", "المديرية العامة للأمن الوطني", "Direction générale de la Sûreté nationale", 34.0084, -6.8539)
INSPECTORATE = Place(
    "IGSN", "المفتشية العامة للأمن الوطني", "Inspection générale de la Sûreté nationale", 34.0095, -6.8480
)
CENTRAL_COMMUNICATION = Place(
    "DGSN-COM", "خلية التواصل المركزية", "Cellule centrale de communication", 34.0080, -6.8530
)


# English names of the demo units, from their French names: (pattern, English template).
_ENGLISH = (
    (r"^Arrondissement de police (?P<p>.+)$", "{p} police district"),
    (r"^Préfecture de police (?:de |d'|d’)?(?P<p>.+)$", "{p} police prefecture"),
    (r"^Sûreté préfectorale (?:de |d'|d’)?(?P<p>.+)$", "{p} prefectural security"),
    (r"^Wilaya de sûreté (?:de |d'|d’)?(?P<p>.+)$", "{p} regional security command (wilaya)"),
    (r"^Service de permanence - (?P<p>.+)$", "Duty service - {p}"),
    (r"^Salle de commandement et de coordination - (?P<p>.+)$", "Command and coordination room - {p}"),
    (r"^Cellule régionale de communication - (?P<p>.+)$", "Regional communication cell - {p}"),
    (r"^Direction générale de la Sûreté nationale$", "General Directorate of National Security"),
    (r"^Inspection générale de la Sûreté nationale$", "General Inspectorate of National Security"),
    (r"^Cellule centrale de communication$", "Central communication cell"),
    (r"^Cellule d'orientation - (?P<p>.+)$", "Routing desk - {p}"),
    (r"^Cellule nationale d'orientation$", "National routing desk"),
)


def english_name(name_fr: str) -> str:
    """The English name of a demo unit (place names stay as Morocco spells them in Latin script)."""
    for pattern, template in _ENGLISH:
        match = re.match(pattern, name_fr)
        if match:
            return template.format(**match.groupdict())
    raise ValueError(f"no English name for the demo unit {name_fr!r}")
