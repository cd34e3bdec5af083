"""The demo organisation: the central directorate, six wilayas with their areas, districts, duty
services, command rooms, communication cells and routing desks, and a member of staff for every
role."""

from __future__ import annotations

from dataclasses import dataclass, field

from demo import data
from org.choices import KeyScope, Role, UnitKind
from org.models import Unit, User
from org.services import api_key_create, partner_create, unit_create, user_create

# The units every wilaya has beside its territory: (kind, code suffix, Arabic, French, offset).
# The district whose staff have the short logins (desk.rabat, inv.rabat, chief.rabat).
SHOWCASE_DISTRICT = "RBT-RB-D1"
WILAYA_SERVICES = (
    (UnitKind.DUTY, "PERM", "مصلحة المداومة", "Service de permanence", 0.0008),
    (UnitKind.COMMAND_ROOM, "CMD", "قاعة القيادة والتنسيق", "Salle de commandement et de coordination", 0.0012),
    (UnitKind.COMMUNICATION, "COM", "خلية التواصل الجهوية", "Cellule régionale de communication", 0.0016),
    # Complaints routing cannot place (an address naming only the city) wait here to be sent on.
    (UnitKind.ROUTING_DESK, "ORI", "خلية التوجيه", "Cellule d'orientation", 0.0020),
)
# Complaints that name no city at all (an online report "near the mosque").
NATIONAL_ROUTING_DESK = data.Place(
    "DGSN-ORI", "خلية التوجيه الوطنية", "Cellule nationale d'orientation", 34.0088, -6.8545
)


@dataclass
class Staff:
    """Who works a unit's complaints in the demo."""

    chief: User
    inv: User
    desk: User | None = None


@dataclass
class Organisation:
    """Handles on what was built, for the loaders that follow."""

    admin: User
    oversight: User
    staff: dict[int, Staff] = field(default_factory=dict)
    districts: list[tuple[data.Wilaya, data.Area, data.District, Unit]] = field(default_factory=list)
    wilaya_staff: dict[str, dict[str, User]] = field(default_factory=dict)


class OrganisationLoader:
    """Builds the tree through `unit_create` / `user_create`, so every unit and user is audited."""

    def __init__(self) -> None:
        self._people = 0
        self._admin: User | None = None

    def unit(self, parent: Unit | None, kind: str, place: data.Place, city: str, **kw: object) -> Unit:
        return unit_create(
            actor=self._admin,
            parent=parent,
            kind=kind,
            code=place.code,
            name_ar=place.name_ar,
            name_fr=place.name_fr,
            name_en=data.english_name(place.name_fr),
            city=city,
            latitude=place.lat,
            longitude=place.lon,
            **kw,  # type: ignore[arg-type]
        )

    def user(self, username: str, unit: Unit, *roles: str, is_staff: bool = False) -> User:
        """A fictional officer with the published demo password."""
        i = self._people
        self._people += 1
        first = data.FIRST_NAMES[i % len(data.FIRST_NAMES)]
        last = data.LAST_NAMES[(i * 7 + i // len(data.LAST_NAMES)) % len(data.LAST_NAMES)]
        return user_create(
            actor=self._admin,
            username=username,
            password=data.DEMO_PASSWORD,
            unit=unit,
            roles=list(roles),
            first_name=first,
            last_name=last,
            email=f"{username}@{data.DEMO_EMAIL_DOMAIN}",
            is_staff=is_staff,
        )

    def load(self) -> Organisation:
        central = self.unit(None, UnitKind.CENTRAL, data.CENTRAL, "Rabat")
        self._admin = self.user("admin", central, Role.ADMINISTRATOR, is_staff=True)
        self.user("analyst", central, Role.ANALYST)
        org = Organisation(admin=self._admin, oversight=self.user("oversight", central, Role.OVERSIGHT))
        igsn = self.unit(central, UnitKind.INSPECTORATE, data.INSPECTORATE, "Rabat")
        inspector = self.user("inspector", igsn, Role.INSPECTOR)
        org.staff[igsn.pk] = Staff(chief=inspector, inv=self.user("inspector.2", igsn, Role.INSPECTOR))
        desk = self.unit(central, UnitKind.ROUTING_DESK, NATIONAL_ROUTING_DESK, "Rabat")
        self.user("routing.national", desk, Role.UNIT_CHIEF)
        com = self.unit(central, UnitKind.COMMUNICATION, data.CENTRAL_COMMUNICATION, "Rabat")
        self.user("com.dgsn", com, Role.COMMUNICATION)
        for w in data.WILAYAS:
            self._wilaya(org, central, w)
        # A fictional bank, so that citizens can try the identity-check consent in the portal.
        bank = partner_create(actor=self._admin, name="Banque fictive Al Amal (démo)")
        api_key_create(actor=self._admin, name="ttp", scopes=[KeyScope.TTP], partner=bank)
        return org

    def _wilaya(self, org: Organisation, central: Unit, w: data.Wilaya) -> None:
        wu = self.unit(central, UnitKind.WILAYA, w, w.city)
        ws = {"chief": self.user(f"chief.wilaya.{w.slug}", wu, Role.UNIT_CHIEF)}
        self.user(f"analyst.{w.slug}", wu, Role.ANALYST)
        for kind, suffix, ar, fr, offset in WILAYA_SERVICES:
            place = data.Place(
                f"{w.code}-{suffix}",
                f"{ar} - {w.name_ar}",
                f"{fr} - {w.city}",
                round(w.lat + offset, 4),
                round(w.lon - offset, 4),
            )
            self._service_staff(ws, w, kind, self.unit(wu, kind, place, w.city))
        org.wilaya_staff[w.code] = ws
        for a in w.areas:
            au = self.unit(wu, UnitKind.AREA, a, w.city)
            ws[f"chief.{a.code}"] = self.user(f"chief.{a.code.lower()}", au, Role.UNIT_CHIEF)
            for d in a.districts:
                du = self.unit(au, UnitKind.DISTRICT, d, w.city, area_geojson=_territory(d))
                name = "rabat" if d.code == SHOWCASE_DISTRICT else d.code.lower()
                org.staff[du.pk] = Staff(
                    desk=self.user(f"desk.{name}", du, Role.FRONT_DESK),
                    inv=self.user(f"inv.{name}", du, Role.INVESTIGATOR),
                    chief=self.user(f"chief.{name}", du, Role.UNIT_CHIEF),
                )
                org.districts.append((w, a, d, du))

    def _service_staff(self, ws: dict[str, User], w: data.Wilaya, kind: str, unit: Unit) -> None:
        """The duty officer, the dispatcher and two patrol officers, the communication officer."""
        if kind == UnitKind.DUTY:
            ws["duty"] = self.user(f"duty.{w.slug}", unit, Role.FRONT_DESK)
        elif kind == UnitKind.COMMAND_ROOM:
            ws["dispatcher"] = self.user(f"dispatch.{w.slug}", unit, Role.DISPATCHER)
            self.user(f"patrol.{w.slug}.1", unit, Role.PATROL)
            self.user(f"patrol.{w.slug}.2", unit, Role.PATROL)
        elif kind == UnitKind.ROUTING_DESK:
            # A chief: sends complaints on to the competent unit (transfer), or works them.
            ws["routing"] = self.user(f"routing.{w.slug}", unit, Role.UNIT_CHIEF)
        else:
            self.user(f"com.{w.slug}", unit, Role.COMMUNICATION)


def _territory(d: data.District) -> dict | None:
    if not d.polygon:
        return None
    return {
        "type": "Feature",
        "properties": {"name": d.name_fr},
        "geometry": {"type": "Polygon", "coordinates": [[list(p) for p in d.polygon]]},
    }
