"""`manage.py load_demo`: the demo organisation, its staff and complaints, built through the services."""

import io
import itertools
import re

import pytest
from django.core.management import call_command

from audit.models import AuditRecord
from audit.services import audit_verify
from cases.models import Case, Complainant
from core import crypto
from core.env import BASE_DIR
from core.geo import in_morocco
from demo.banner import LOGINS, banner
from demo.data import DEMO_PASSWORD
from org.choices import Role, UnitKind
from org.models import Unit, User

WILAYAS = {"CAS", "RBT", "FES", "MRK", "TNG", "AGA"}


HISTORY = 60  # a small imported past (the default is sized for `make run`: demo/tests/test_demo_past.py)


@pytest.fixture
def demo(db):
    call_command("load_demo", cases=40, history=HISTORY, no_line19=True, verbosity=0)


def test_organisation(demo):
    central = Unit.objects.get(code="DGSN", kind=UnitKind.CENTRAL)
    assert Unit.objects.filter(code="IGSN", kind=UnitKind.INSPECTORATE, parent=central).exists()
    national_desk = Unit.objects.get(kind=UnitKind.ROUTING_DESK, parent=central)
    assert User.objects.filter(unit=national_desk, is_active=True).exists()
    assert Unit.objects.filter(kind=UnitKind.COMMUNICATION, parent=central).exists()
    wilayas = {u.code: u for u in Unit.objects.filter(kind=UnitKind.WILAYA)}
    assert set(wilayas) == WILAYAS
    for code, wilaya in wilayas.items():
        assert wilaya.parent == central
        children = Unit.objects.filter(parent=wilaya)
        kinds = [u.kind for u in children]
        assert kinds.count(UnitKind.AREA) == 2, code
        assert UnitKind.DUTY in kinds and UnitKind.COMMAND_ROOM in kinds and UnitKind.COMMUNICATION in kinds, code
        desk = children.get(kind=UnitKind.ROUTING_DESK)
        assert any(Role.UNIT_CHIEF in u.roles for u in desk.members.filter(is_active=True)), code
        for area in children.filter(kind=UnitKind.AREA):
            districts = Unit.objects.filter(parent=area, kind=UnitKind.DISTRICT)
            assert 2 <= districts.count() <= 3, area.code
            for d in districts:
                assert d.code.startswith(code) and d.reference_prefix == code
                assert d.name_ar and d.name_fr and re.search(r"[\u0600-\u06FF]", d.name_ar)
    for unit in Unit.objects.all():
        assert unit.latitude is not None and in_morocco(unit.latitude, unit.longitude), unit.code
    assert Unit.objects.filter(kind=UnitKind.DISTRICT, area_geojson__isnull=False).count() >= 2


def test_staff(demo):
    users = list(User.objects.select_related("unit"))
    held = {r for u in users for r in u.roles}
    # Every human role has demo users; the portal service account is created by the portal itself.
    assert held >= set(Role.values) - {Role.PORTAL}
    by_name = {u.username: u for u in users}
    for name in ("desk.rabat", "inv.rabat", "chief.rabat", "chief.wilaya.rabat", "inspector", "admin"):
        assert by_name[name].check_password(DEMO_PASSWORD), name
    # The password `make run` and the README publish is the one the demo users have.
    assert f"(password: {DEMO_PASSWORD})" in banner("127.0.0.1:8000")
    assert f"password is `{DEMO_PASSWORD}`" in " ".join((BASE_DIR / "README.md").read_text().split())
    assert by_name["desk.rabat"].unit == by_name["inv.rabat"].unit == by_name["chief.rabat"].unit
    assert by_name["desk.rabat"].unit.kind == UnitKind.DISTRICT and by_name["desk.rabat"].unit.code.startswith("RBT")
    assert by_name["chief.wilaya.rabat"].unit.code == "RBT"
    assert by_name["inspector"].unit.kind == UnitKind.INSPECTORATE
    assert by_name["admin"].is_staff and by_name["admin"].has_role(Role.ADMINISTRATOR)
    for district in Unit.objects.filter(kind=UnitKind.DISTRICT):
        roles = {r for u in users if u.unit_id == district.pk for r in u.roles}
        assert {Role.FRONT_DESK, Role.INVESTIGATOR, Role.UNIT_CHIEF} <= roles, district.code


def test_cases(demo):
    from demo.loaders.oversight import OFFICER_COMPLAINTS

    cases = list(Case.objects.select_related("assigned_unit"))
    # The year of complaints against officers and the imported past come on top.
    assert len(cases) == 40 + HISTORY + OFFICER_COMPLAINTS
    assert len({c.state for c in cases}) >= 5
    assert {c.channel for c in cases} >= {"counter", "online"}
    for c in cases:
        assert c.latitude is not None and in_morocco(c.latitude, c.longitude), c.reference
        assert c.reference[:3] in WILAYAS | {"IGS"}
    rows = Complainant.objects.filter(anonymous=False)
    assert rows.exists()
    for row in rows:
        cnie = crypto.decrypt(row.cnie_enc)
        assert re.fullmatch(r"[A-Z]{1,2}\d{6}", cnie)
        assert cnie not in row.cnie_enc
        phone = crypto.decrypt(row.phone_enc)
        assert phone == "" or (re.fullmatch(r"\+212[67]\d{8}", phone) and phone not in row.phone_enc)


def test_audit_chain_and_idempotence(demo):
    assert audit_verify().problems == []
    assert not AuditRecord.objects.filter(position__isnull=True).exists()  # load_demo sealed its past
    times = list(AuditRecord.objects.order_by("position").values_list("at", flat=True))
    assert all(a <= b for a, b in itertools.pairwise(times))
    before = (Unit.objects.count(), User.objects.count(), Case.objects.count(), AuditRecord.objects.count())
    out = io.StringIO()
    call_command("load_demo", cases=40, history=HISTORY, stdout=out)
    assert out.getvalue() == ""  # `make run` the second time: nothing to say
    call_command("load_demo", cases=40, history=HISTORY, stdout=out, verbosity=2)
    assert "already loaded" in out.getvalue()
    assert before == (Unit.objects.count(), User.objects.count(), Case.objects.count(), AuditRecord.objects.count())


def test_line19_patrols_roster_and_history(db):
    """GIVEN an empty database WHEN the demo is loaded with line 19 THEN every wilaya's command room
    has patrols on a roster and past calls grouped into incidents, and a second run adds nothing."""
    from emergency.models import Call, Incident, Patrol, RosterShift

    call_command("load_demo", cases=5, history=0, verbosity=0)
    rooms = Unit.objects.filter(kind=UnitKind.COMMAND_ROOM)
    assert rooms.count() == len(WILAYAS)
    assert {p.wilaya.code for p in Patrol.objects.select_related("wilaya")} == WILAYAS
    assert RosterShift.objects.filter(officers__username="patrol.rabat.1").exists()
    assert Call.objects.count() >= Incident.objects.count() > 0
    before = (Patrol.objects.count(), Call.objects.count())
    call_command("load_demo", cases=5, history=0, verbosity=0)
    assert before == (Patrol.objects.count(), Call.objects.count())


def test_banner_names_accounts_the_demo_has(demo):
    """What `make run` prints: the addresses and each login once, every one a real demo account."""
    text = banner("0.0.0.0:8000")
    assert "http://127.0.0.1:8000/cases/" in text and "http://127.0.0.1:8000/api/docs" in text
    assert text.count(DEMO_PASSWORD) == 1
    for username, _ in LOGINS:
        assert text.count(f" {username} ") == 1
        assert User.objects.filter(username=username, is_active=True).exists(), username


def test_no_demo_complaint_sits_where_nobody_can_act(demo):
    from cases.selectors import may
    from cases.workflow import OPEN_STATES, WORKERS
    from org import access

    staff = [u for u in User.objects.filter(is_active=True, unit__isnull=False) if u.has_role(*WORKERS)]
    open_cases = list(Case.objects.filter(state__in=OPEN_STATES))
    assert open_cases
    stranded = [
        c.reference for c in open_cases if not any(may(u, access.WORK, c) and may(u, access.ASSIGN, c) for u in staff)
    ]
    assert stranded == []


def test_a_year_of_oversight(demo):
    """The demo has a year of grievances from the three bodies and complaints against officers with
    findings, so that the annual report and the indicators are not empty."""
    from cases.models import Referral
    from oversight.models import Allegation, Grievance, OfficerComplaint
    from oversight.report import annual_figures

    bodies = set(Grievance.objects.values_list("body", flat=True))
    assert bodies == {"ombudsman", "cndh", "inpplc"}
    assert Grievance.objects.filter(state="closed", closure="answered").count() > 40
    assert OfficerComplaint.objects.count() == 40 and Allegation.objects.exclude(finding="").exists()
    assert Allegation.objects.filter(finding="sustained").exists()
    year = Grievance.objects.latest("received_at").received_at.year
    assert annual_figures(year)["grievances"]["total"] > 0
    assert not Referral.objects.filter(office__isnull=True).exists()  # every demo referral names its office


def test_communiques_published_and_a_draft(demo):
    """The central cell's statement and last year's annual communiqué are published; Rabat's draft waits."""
    from django.utils import timezone

    from media.models import Communique

    statement = Communique.objects.get(state="published", kind="statement")
    assert statement.number.startswith("COM-") and statement.drafted_by.username == "com.dgsn"
    annual = Communique.objects.get(state="published", kind="annual")
    assert str(timezone.localdate().year - 1) in annual.title_fr and annual.drafted_by.username == "com.dgsn"
    assert "Plaintes reçues par les services" in annual.body_fr
    assert Communique.objects.get(state="draft").drafted_by.username == "com.rabat"
    assert {"com.rabat", "com.dgsn"} <= {name for name, _what in LOGINS}


def test_media_watch(demo):
    """The communication cells find press and social items grouped into events, each cell its wilaya's."""
    from media.models import Event, Item, Source
    from media.selectors import events_for

    assert Item.objects.count() >= 25 and Event.objects.filter(items_count__gte=3).count() >= 4
    assert not Source.objects.filter(kind="feed", active=True).exists()  # never polled offline
    casa = events_for(User.objects.get(username="com.casablanca"))
    national = events_for(User.objects.get(username="com.dgsn"))
    assert casa.filter(items_count__gte=4).exists()
    assert 0 < casa.count() < national.count() == Event.objects.count()
    rabat = events_for(User.objects.get(username="com.rabat"))
    assert not set(casa.values_list("pk", flat=True)) & set(rabat.values_list("pk", flat=True))
