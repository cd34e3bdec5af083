"""The generated access test: every route of the URL configuration × every role × the reader's
relation to the records (own unit / parent / sibling / national) × a complaint of each sensitivity
→ the expected answer, and whether the complainant's personal data may appear in it.

The expectations below are written from DESIGN.md's table "Access: need to know", not computed from
`org.access` (a test that read the policy it checks would prove nothing). A route of the URL
configuration that is missing from ROUTES fails `test_every_route_is_in_the_table`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from cases.models import Case
from cases.services import ComplainantInput, case_assign, case_attach, complaint_register
from cases.tests.factories import intake
from org.choices import Role
from org.services import user_create
from org.tests.factories import PASSWORD, build_org

pytestmark = pytest.mark.django_db

RELATIONS = ("own", "parent", "sibling", "national")
ROLES = [r for r in Role.values if r != Role.PORTAL]
SENSITIVITIES = {"normal": "theft", "protected": "domestic_violence", "against_officer": "officer_misconduct"}
# The complainant of every case: none of this may appear where the reader may not reveal it.
NAME, CNIE, PHONE = "زينب المختلقة", "ZZ987654", "+212699887766"
PERSONAL = (NAME, CNIE, PHONE, "ZZ987654".lower())

# ------------------------------------------------------------------ expectations (DESIGN.md)
# Who may OPEN a complaint of each sensitivity. The complaint is registered at the own district by
# `registrar` (a desk officer), assigned to `assigned` (an investigator of that district), and
# received today. Readers are users of each role placed in the own district, its area (parent), the
# sibling district and the central directorate (national); inspectors see complaints against
# officers nationwide and, as chiefs, the protected ones of their jurisdiction.
CHIEFS_SEE = {"own": True, "parent": True, "sibling": False, "national": True}


def sees(who: str, sensitivity: str) -> bool:
    role, _dot, relation = who.partition("@")
    if who in ("registrar", "assigned"):
        return sensitivity != "against_officer"
    if role == Role.INSPECTOR:
        return sensitivity == "against_officer" or CHIEFS_SEE[relation]
    if sensitivity == "against_officer":
        return False
    if role == Role.UNIT_CHIEF:
        return CHIEFS_SEE[relation]
    if role == Role.INVESTIGATOR:
        return sensitivity == "normal" and relation == "own"  # their unit's cases, not protected ones
    return False


def reveals(who: str, sensitivity: str) -> bool:
    """Display the complainant: the registrar (the day of intake), the assigned officer, chiefs."""
    role, _dot, _relation = who.partition("@")
    if role == Role.INVESTIGATOR:  # only the cases assigned to them
        return False
    return sees(who, sensitivity)


def works(who: str, sensitivity: str) -> bool:
    """Notes, files, transitions: those who open it, except that a desk officer works only what they
    registered (the registrar does)."""
    return sees(who, sensitivity)


def opens_files(who: str, sensitivity: str) -> bool:
    return reveals(who, sensitivity)


def assigns(who: str, sensitivity: str) -> bool:
    role = who.partition("@")[0]
    return role in (Role.UNIT_CHIEF, Role.INSPECTOR) and sees(who, sensitivity)


ROLE_PAGES = {
    "board": {Role.DISPATCHER, Role.UNIT_CHIEF},
    "panel": {Role.DISPATCHER, Role.UNIT_CHIEF, Role.ANALYST},
    "keys": {Role.ADMINISTRATOR},
    "users": {Role.ADMINISTRATOR},
    "outbox": {Role.ADMINISTRATOR},
    "reads": {Role.UNIT_CHIEF, Role.INSPECTOR},
    # The communication cell registers citizens' demands published in the press for the unit
    # (channel "press"), as the liaison registers what the Ombudsman forwards; it opens none.
    "intake": {
        Role.FRONT_DESK,
        Role.INVESTIGATOR,
        Role.UNIT_CHIEF,
        Role.DISPATCHER,
        Role.OVERSIGHT,
        Role.INSPECTOR,
        Role.COMMUNICATION,
    },
    "patrol": {Role.PATROL},
    "deidentified": {Role.ANALYST},
    "indicators": {Role.UNIT_CHIEF, Role.ANALYST, Role.INSPECTOR},
    "blackspots": {Role.UNIT_CHIEF, Role.ANALYST},
    "patrol_plan": {Role.UNIT_CHIEF, Role.ANALYST, Role.DISPATCHER},
    "judicial": {Role.UNIT_CHIEF, Role.ANALYST},
    "review": {Role.UNIT_CHIEF, Role.ANALYST},
    "oversight": {Role.OVERSIGHT},
    "officers": {Role.INSPECTOR},
    "watch": {Role.COMMUNICATION},  # media items, verifications, communiqués (DESIGN.md)
    "facts": {Role.UNIT_CHIEF},  # the cell's requests for facts to the chief's units
    "media": {Role.COMMUNICATION},
}


def indicators_of_own_district(records: bool = False) -> Callable:
    """A dashboard (or its exports) of the own district: chiefs, analysts and the Inspectorate of a
    jurisdiction holding it; a sibling gets the same 404 as a missing unit. Records behind a
    figure: never for analysts (aggregates only)."""

    def expect(world: World, who: str, sensitivity: str | None) -> set[int]:
        if who == "anonymous":
            return {302}
        role, _dot, relation = who.partition("@")
        if role not in ROLE_PAGES["indicators"]:
            return {403}
        if records and role == Role.ANALYST:
            return {404}
        return {200} if CHIEFS_SEE.get(relation) else {404}

    return expect


REVIEW_YEAR = 2026


def review_of_own_district(chief_above: set[int], head: set[int] | None = None, reads: bool = False) -> Callable:
    """The annual review of the own district (DESIGN.md: chiefs and analysts, "annual review and
    roadmap", for their jurisdiction): a sibling, and every other role, gets the 404 of a missing
    review. Reads: 200. Writes: `head` for the district's own chief, `chief_above` for the chiefs
    of the area and the central unit, 403 for analysts (they read only)."""

    def expect(world: World, who: str, sensitivity: str | None) -> set[int]:
        if who == "anonymous":
            return {302}
        role, _dot, relation = who.partition("@")
        if role not in ROLE_PAGES["review"] or not CHIEFS_SEE.get(relation):
            return {404}
        if reads:
            return {200}
        if role == Role.ANALYST:
            return {403}
        return (head or {403}) if relation == "own" else chief_above

    return expect


def on_missing_review_record(world: World, who: str, sensitivity: str | None) -> set[int]:
    return {302} if who == "anonymous" else {404}


# ------------------------------------------------------------------ the world


@dataclass
class World:
    org: Any
    users: dict[str, Any] = field(default_factory=dict)
    cases: dict[str, Case] = field(default_factory=dict)
    clients: dict[str, Client] = field(default_factory=dict)
    attachments: dict[str, int] = field(default_factory=dict)

    def client(self, who: str) -> Client:
        if who not in self.clients:
            c = Client()
            if who != "anonymous":
                c.force_login(self.users[who])
            self.clients[who] = c
        return self.clients[who]


def build_world() -> World:
    o = build_org()
    w = World(org=o)
    units = {"own": o.district, "parent": o.area, "sibling": o.sibling, "national": o.central}
    for role in ROLES:
        for relation, unit in units.items():
            w.users[f"{role}@{relation}"] = user_create(
                actor=None, username=f"{role}.{relation}", password=PASSWORD, unit=unit, roles=[role]
            )
    w.users["registrar"] = user_create(
        actor=None, username="registrar", password=PASSWORD, unit=o.district, roles=[Role.FRONT_DESK]
    )
    w.users["assigned"] = user_create(
        actor=None, username="assigned", password=PASSWORD, unit=o.district, roles=[Role.INVESTIGATOR]
    )
    w.users["norole"] = o.norole
    for sensitivity, category in SENSITIVITIES.items():
        case = complaint_register(
            actor=w.users["registrar"],
            data=intake(category, complainant=ComplainantInput(full_name=NAME, cnie=CNIE, phone=PHONE)),
        )
        worker = o.inspector
        if sensitivity != "against_officer":
            case = case_assign(case=case, actor=o.chief, officer=w.users["assigned"])
            worker = o.chief
        w.attachments[case.reference] = case_attach(case=case, actor=worker, upload=_named(PDF, "doc.pdf")).pk
        w.cases[sensitivity] = case
    return w


def readers() -> list[str]:
    return [*(f"{r}@{rel}" for r in ROLES for rel in RELATIONS), "registrar", "assigned", "norole", "anonymous"]


# ------------------------------------------------------------------ routes

GRV = "GRV-2026-999999-Z"
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class Route:
    """How to call a route, and what each reader must get. `expect(world, who, sensitivity)` gives
    the accepted statuses; `shows_personal(who, sensitivity)` says whether personal data may appear."""

    method: str
    path: Callable[[World, Case | None], str]
    expect: Callable[[World, str, str | None], set[int]]
    data: Callable[[World, Case | None], Any] | None = None
    json: bool = False
    per_case: bool = False
    shows_personal: Callable[[str, str | None], bool] = lambda who, s: False


def staff(statuses: set[int], api: bool = False) -> Callable[[World, str, str | None], set[int]]:
    """Any signed-in member of staff gets `statuses`; anonymous: the login page (or 401 on the API)."""

    def expect(world: World, who: str, sensitivity: str | None) -> set[int]:
        if who == "anonymous":
            return {401} if api else {302}
        return statuses

    return expect


def for_roles(page: str, ok: set[int], api: bool = False, denied: set[int] | None = None) -> Callable:
    def expect(world: World, who: str, sensitivity: str | None) -> set[int]:
        if who == "anonymous":
            return {401} if api else {302}
        role = (
            who.partition("@")[0]
            if "@" in who
            else {"registrar": Role.FRONT_DESK, "assigned": Role.INVESTIGATOR}.get(who, "")
        )
        return ok if role in ROLE_PAGES[page] else (denied or {403})

    return expect


def on_case(allowed: Callable[[str, str], bool], ok: set[int], api: bool = False) -> Callable:
    """A route about one complaint: `ok` when allowed; 403 when the reader may open the complaint but
    not do this; 404 (alike for missing and forbidden) otherwise."""

    def expect(world: World, who: str, sensitivity: str | None) -> set[int]:
        assert sensitivity is not None
        if who == "anonymous":
            return {401} if api else {302}
        if who == "norole":
            return {404}
        if allowed(who, sensitivity):
            return ok
        return {403} if sees(who, sensitivity) else {404}

    return expect


def public(statuses: set[int]) -> Callable:
    return lambda world, who, sensitivity: statuses


def ref(world: World, case: Case | None) -> str:
    assert case is not None
    return case.reference


def upload(world: World, case: Case | None) -> dict[str, Any]:
    return {"file": _named(PDF, "note.pdf")}


def _named(content: bytes, name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def officer_reads_expect(world: World, who: str, sensitivity: str | None) -> set[int]:
    if who == "anonymous":
        return {302}
    role, _dot, relation = who.partition("@")
    if role == Role.INSPECTOR:
        return {200}
    if role == Role.UNIT_CHIEF:
        return {200} if CHIEFS_SEE[relation] else {404}
    return {403}


ROUTES: dict[str, Route] = {
    # --- staff pages
    "login": Route("get", lambda w, c: "/login/", public({200})),
    "logout": Route("post", lambda w, c: "/logout/", public({302})),
    "set_language": Route("post", lambda w, c: "/i18n/setlang/", public({302}), data=lambda w, c: {"language": "fr"}),
    "cases:my_cases": Route("get", lambda w, c: "/cases/", staff({200})),
    "cases:queue": Route("get", lambda w, c: "/cases/queue/", staff({200})),
    "cases:intake": Route("get", lambda w, c: "/cases/new/", for_roles("intake", {200})),
    "cases:suggestions": Route(
        "post", lambda w, c: "/cases/new/suggestions/", for_roles("intake", {200}), data=lambda w, c: {"cnie": CNIE}
    ),
    "cases:reads": Route("get", lambda w, c: "/cases/reads/", for_roles("reads", {200})),
    "cases:officer_reads": Route("get", lambda w, c: f"/cases/reads/{w.users['registrar'].pk}/", officer_reads_expect),
    "cases:judicial": Route("get", lambda w, c: "/cases/judicial/", for_roles("judicial", {200})),
    # No instruction exists in this world: missing, like forbidden, is a 404 for every reader.
    "cases:execute_instruction": Route(
        "post",
        lambda w, c: f"/cases/{ref(w, c)}/instructions/999999/execute/",
        lambda w, who, s: {302} if who == "anonymous" else {404},
        data=lambda w, c: {"report": "x"},
        per_case=True,
    ),
    "cases:result_add": Route(
        "post",
        lambda w, c: f"/cases/{ref(w, c)}/results/",
        on_case(works, {302}),
        data=lambda w, c: {"kind": "arrests", "quantity": "1", "occurred_on": "2026-01-02"},
        per_case=True,
    ),
    # No result exists in this world: missing, like forbidden, is a 404 for every reader.
    "cases:result_validate": Route(
        "post",
        lambda w, c: f"/cases/{ref(w, c)}/results/999999/validate/",
        lambda w, who, s: {302} if who == "anonymous" else {404},
        per_case=True,
    ),
    "cases:result_withdraw": Route(
        "post",
        lambda w, c: f"/cases/{ref(w, c)}/results/999999/withdraw/",
        lambda w, who, s: {302} if who == "anonymous" else {404},
        per_case=True,
    ),
    "cases:detail": Route("get", lambda w, c: f"/cases/{ref(w, c)}/", on_case(sees, {200}), per_case=True),
    "cases:registered": Route(
        "get", lambda w, c: f"/cases/{ref(w, c)}/registered/", on_case(sees, {200}), per_case=True
    ),
    "cases:receipt": Route("get", lambda w, c: f"/cases/{ref(w, c)}/receipt.pdf", on_case(sees, {200}), per_case=True),
    "cases:reveal": Route(
        "post",
        lambda w, c: f"/cases/{ref(w, c)}/reveal/",
        on_case(reveals, {200}),
        data=lambda w, c: {"purpose": "contact", "show": ["full_name", "cnie", "phone"]},
        per_case=True,
        shows_personal=reveals,
    ),
    "cases:transition": Route(
        "post",
        lambda w, c: f"/cases/{ref(w, c)}/transition/",
        on_case(works, {422}),
        data=lambda w, c: {"transition": "no_such_action"},
        per_case=True,
    ),
    "cases:note": Route(
        "post",
        lambda w, c: f"/cases/{ref(w, c)}/note/",
        on_case(works, {302}),
        data=lambda w, c: {"note": "ملاحظة للاختبار"},
        per_case=True,
    ),
    "cases:assign": Route(
        "post",
        lambda w, c: f"/cases/{ref(w, c)}/assign/",
        on_case(assigns, {302, 422}),
        data=lambda w, c: {"officer": w.users["assigned"].pk, "version": Case.objects.get(pk=c.pk).version if c else 0},
        per_case=True,
    ),
    "cases:attach": Route(
        "post", lambda w, c: f"/cases/{ref(w, c)}/attach/", on_case(works, {302}), data=upload, per_case=True
    ),
    "cases:attachment": Route(
        "get",
        lambda w, c: f"/cases/{ref(w, c)}/attachments/{w.attachments[ref(w, c)]}/",
        on_case(opens_files, {200}),
        per_case=True,
    ),
    "login_verify": Route("get", lambda w, c: "/login/verify/", staff({302})),
    "account:home": Route("get", lambda w, c: "/account/", staff({200})),
    "account:enrol": Route("get", lambda w, c: "/account/2fa/enrol/", staff({200})),
    "account:recovery_codes": Route("get", lambda w, c: "/account/2fa/recovery-codes/", staff({302})),
    "account:recovery_codes_new": Route("post", lambda w, c: "/account/2fa/recovery-codes/new/", staff({422})),
    "account:sign_out_everywhere": Route("post", lambda w, c: "/account/sign-out-everywhere/", staff({302})),
    "org:user_second_factor_reset": Route(
        "get", lambda w, c: f"/org/users/{w.users['registrar'].pk}/2fa/reset", for_roles("users", {200})
    ),
    "org:keys": Route("get", lambda w, c: "/org/keys/", for_roles("keys", {200})),
    "org:key_revoke": Route("post", lambda w, c: "/org/keys/999999/revoke/", for_roles("keys", {404})),
    "emergency:board": Route("get", lambda w, c: "/emergency/board/", for_roles("board", {200})),
    "emergency:stream": Route("get", lambda w, c: "/emergency/stream/", for_roles("board", {200})),
    "emergency:patrol": Route("get", lambda w, c: "/emergency/patrol/", for_roles("patrol", {200})),
    "emergency:patrol_report": Route(
        "post",
        lambda w, c: "/emergency/patrol/report/",
        for_roles("patrol", {404}),
        data=lambda w, c: {"incident": "999999", "status": "en_route"},
    ),
    "emergency:patrol_status": Route(
        "post", lambda w, c: "/emergency/patrol/status/", for_roles("patrol", {403}), data=lambda w, c: {"status": "x"}
    ),
    "emergency:panel": Route("get", lambda w, c: "/emergency/panel/", for_roles("panel", {200})),
    # --- indicators (analytics) and open data
    "analytics:home": Route("get", lambda w, c: "/analytics/", for_roles("indicators", {200})),
    "analytics:unit": Route("get", lambda w, c: f"/analytics/units/{w.org.district.pk}/", indicators_of_own_district()),
    "analytics:records": Route(
        "get", lambda w, c: f"/analytics/units/{w.org.district.pk}/records/open/", indicators_of_own_district(True)
    ),
    "analytics:export": Route(
        "get", lambda w, c: f"/analytics/units/{w.org.district.pk}/export/units.xlsx", indicators_of_own_district()
    ),
    "analytics:report": Route(
        "get", lambda w, c: f"/analytics/units/{w.org.district.pk}/report.pdf?lang=fr", indicators_of_own_district()
    ),
    # --- the annual review (analytics): pages of a unit are 404 outside the jurisdiction and for
    # roles without the review; the roll-up is the viewer's own jurisdiction
    "review:index": Route("get", lambda w, c: "/review/", for_roles("review", {200})),
    # the annual communiqué: the central communication cell only (a national watch); wilaya and
    # district cells and every other reader get the 404 of a missing page
    # No annual draft exists in this world: the director would get the 404 of a missing one too
    # (analytics/tests/test_annual_communique.py checks the director's 200 and everyone else's 404).
    "review:communique_approve": Route(
        "get",
        lambda w, c: "/review/communique/999999/approve/",
        lambda w, who, s: {302} if who == "anonymous" else {404},
    ),
    "review:communique": Route(
        "get",
        lambda w, c: "/review/communique/",
        lambda w, who, s: {302} if who == "anonymous" else {200} if who == "communication@national" else {404},
    ),
    "review:shortfalls": Route(
        "get",
        lambda w, c: f"/review/shortfalls/{REVIEW_YEAR}/",
        lambda w, who, s: (
            {302} if who == "anonymous" else {200} if who.partition("@")[0] in ROLE_PAGES["review"] else {404}
        ),
    ),
    "review:detail": Route(
        "get",
        lambda w, c: f"/review/units/{w.org.district.pk}/{REVIEW_YEAR}/",
        review_of_own_district(set(), reads=True),
    ),
    "review:objectives": Route(
        "get",
        lambda w, c: f"/review/units/{w.org.district.pk}/{REVIEW_YEAR}/objectives/",
        review_of_own_district(set(), reads=True),
    ),
    "review:save": Route(
        "post",
        lambda w, c: f"/review/units/{w.org.district.pk}/{REVIEW_YEAR}/save/",
        review_of_own_district({403}, head={302}),
        data=lambda w, c: {"challenges": "نقص الموارد"},
    ),
    # Nothing submitted in this world: a chief above is refused with the 409 of "not submitted".
    "review:freeze": Route(
        "post",
        lambda w, c: f"/review/units/{w.org.district.pk}/{REVIEW_YEAR}/freeze/",
        review_of_own_district({409}),
        data=lambda w, c: {"comment": "ملاحظة"},
    ),
    "review:target_set": Route(
        "post",
        lambda w, c: f"/review/units/{w.org.district.pk}/{REVIEW_YEAR}/objectives/target/",
        review_of_own_district({302}),
        data=lambda w, c: {"metric": "received", "comparator": "gte", "target": "5"},
    ),
    "review:project_add": Route(
        "post",
        lambda w, c: f"/review/units/{w.org.district.pk}/{REVIEW_YEAR}/objectives/project/",
        review_of_own_district({302}),
        data=lambda w, c: {"title": "مداومة", "m1_text": "المقر", "m1_due": f"{REVIEW_YEAR}-06-30"},
    ),
    "review:objective_remove": Route(
        "post", lambda w, c: "/review/objectives/999999/remove/", on_missing_review_record
    ),
    "review:milestone_done": Route("post", lambda w, c: "/review/milestones/999999/done/", on_missing_review_record),
    "open_data:index": Route("get", lambda w, c: "/open-data/", public({200})),
    "open_data:monthly": Route("get", lambda w, c: "/open-data/monthly.json", public({200})),
    # --- black spots: aggregates of the reader's jurisdiction only (a cell outside it is just empty)
    "blackspots:map": Route("get", lambda w, c: "/blackspots/", for_roles("blackspots", {200})),
    "blackspots:cell": Route(
        "get", lambda w, c: "/blackspots/cell/8939a864a77ffff/?period=week", for_roles("blackspots", {200})
    ),
    "blackspots:plan": Route("get", lambda w, c: "/blackspots/plan/", for_roles("patrol_plan", {200})),
    "blackspots:plan_pdf": Route("get", lambda w, c: "/blackspots/plan.pdf", for_roles("patrol_plan", {200})),
    "blackspots:layer": Route("get", lambda w, c: "/blackspots/layer/", for_roles("patrol_plan", {200})),
    # --- the media desk (the communication cell's; anyone else gets the 404 of a missing page; no
    # media record exists in this world, so a record's page is a 404 for every reader) and the
    # chiefs' requests for facts; the public communiqués, for anyone
    "media:inbox": Route("get", lambda w, c: "/watch/", for_roles("watch", {200}, denied={404})),
    "media:event": Route("get", lambda w, c: "/watch/events/999999/", for_roles("watch", {404}, denied={404})),
    **{
        f"media:event_{act}": Route(
            "post", lambda w, c, act=act: f"/watch/events/999999/{act}/", for_roles("watch", {404}, denied={404})
        )
        for act in ("correct", "complaint", "intervention", "facts", "verify")
    },
    "media:verification_conclude": Route(
        "post", lambda w, c: "/watch/verifications/999999/conclude/", for_roles("watch", {404}, denied={404})
    ),
    "media:rebuttal_draft": Route(
        "post", lambda w, c: "/watch/verifications/999999/rebuttal/", for_roles("watch", {404}, denied={404})
    ),
    "media:communiques": Route("get", lambda w, c: "/watch/communiques/", for_roles("watch", {200}, denied={404})),
    "media:communique_new": Route(
        "get", lambda w, c: "/watch/communiques/new/", for_roles("watch", {200}, denied={404})
    ),
    "media:communique": Route(
        "get", lambda w, c: "/watch/communiques/999999/", for_roles("watch", {404}, denied={404})
    ),
    "media:communique_publish": Route(
        "post", lambda w, c: "/watch/communiques/999999/publish/", for_roles("watch", {404}, denied={404})
    ),
    "media:facts": Route("get", lambda w, c: "/watch/facts/", for_roles("facts", {200}, denied={404})),
    "media:fact_answer": Route(
        "post", lambda w, c: "/watch/facts/999999/answer/", for_roles("facts", {404}, denied={404})
    ),
    "communiques:list": Route("get", lambda w, c: "/communiques/", public({200})),
    "communiques:feed": Route("get", lambda w, c: "/communiques/feed/", public({200})),
    "communiques:detail": Route("get", lambda w, c: "/communiques/COM-2026-9999/", public({404})),
    "communiques:pdf": Route("get", lambda w, c: "/communiques/COM-2026-9999/pdf/", public({404})),
    # --- the oversight liaison (grievances are national and the liaison's only; no grievance
    # exists in this world, so a liaison gets the 404 of a missing one, anyone else the 403)
    "oversight:list": Route("get", lambda w, c: "/oversight/", for_roles("oversight", {200})),
    "oversight:new": Route("get", lambda w, c: "/oversight/new/", for_roles("oversight", {200})),
    "oversight:detail": Route("get", lambda w, c: f"/oversight/{GRV}/", for_roles("oversight", {404})),
    "oversight:act": Route(
        "post",
        lambda w, c: f"/oversight/{GRV}/act/",
        for_roles("oversight", {404}),
        data=lambda w, c: {"transition": "send"},
    ),
    "oversight:link": Route(
        "post",
        lambda w, c: f"/oversight/{GRV}/link/",
        for_roles("oversight", {404}),
        data=lambda w, c: {"reference": "x"},
    ),
    "oversight:follow_up": Route(
        "post", lambda w, c: f"/oversight/{GRV}/follow-up/", for_roles("oversight", {404}), data=lambda w, c: {}
    ),
    "oversight:reveal": Route(
        "post", lambda w, c: f"/oversight/{GRV}/reveal/", for_roles("oversight", {404}), data=lambda w, c: {}
    ),
    "oversight:letter": Route("get", lambda w, c: f"/oversight/{GRV}/letter.pdf", for_roles("oversight", {404})),
    "oversight:reports": Route("get", lambda w, c: "/oversight/reports/", for_roles("oversight", {200})),
    "oversight:report": Route("get", lambda w, c: "/oversight/reports/2025/", for_roles("oversight", {404})),
    "oversight:report_freeze": Route(
        "post", lambda w, c: "/oversight/reports/2025/freeze/", for_roles("oversight", {404})
    ),
    "oversight:report_pdf": Route(
        "get", lambda w, c: "/oversight/reports/2025/report-ar.pdf", for_roles("oversight", {404})
    ),
    # --- the Inspectorate's findings on officers: inspectors only (the officer's chain of command
    # is refused; oversight/tests/test_officers.py checks every surface of a real case)
    "oversight:officer_complaints": Route("get", lambda w, c: "/oversight/officers/", for_roles("officers", {200})),
    "oversight:officer_record": Route(
        "get", lambda w, c: f"/oversight/officers/{w.users['assigned'].pk}/", for_roles("officers", {200})
    ),
    "oversight:officer_complaint": Route(
        "get",
        lambda w, c: f"/oversight/officers/complaints/{w.cases['against_officer'].reference}/",
        for_roles("officers", {200}, denied={404}),
    ),
    "oversight:officer_complaint_conclude": Route(
        "post",
        lambda w, c: f"/oversight/officers/complaints/{w.cases['against_officer'].reference}/conclude/",
        for_roles("officers", {409}, denied={404}),
        data=lambda w, c: {},
    ),
    # --- the media watch's ingestion: communication officers only; anyone else gets the 404 of a
    # page that does not exist (no source in the world: an edit is a 404 for the officers too; the
    # confirmation without a pasted item sends back to the paste form)
    "media_sources:sources": Route("get", lambda w, c: "/watch/sources/", for_roles("media", {200}, denied={404})),
    "media_sources:source_edit": Route(
        "get", lambda w, c: "/watch/sources/999999/edit/", for_roles("media", {404}, denied={404})
    ),
    "media_sources:paste": Route("get", lambda w, c: "/watch/paste/", for_roles("media", {200}, denied={404})),
    "media_sources:pasted": Route("get", lambda w, c: "/watch/paste/done/", for_roles("media", {302}, denied={404})),
    "media_sources:import": Route("get", lambda w, c: "/watch/import/", for_roles("media", {200}, denied={404})),
    # --- citizen portal (public, or the citizen's own session)
    "portal:home": Route("get", lambda w, c: "/", public({200})),
    "portal:file": Route("get", lambda w, c: "/file/", public({200})),
    "portal:filed": Route("get", lambda w, c: "/file/done/", public({302})),
    "portal:receipt": Route("get", lambda w, c: "/file/receipt.pdf", public({404})),
    "portal:track": Route("get", lambda w, c: "/track/", public({200})),
    "portal:my": Route("get", lambda w, c: "/my/", public({302})),
    "portal:consents": Route("get", lambda w, c: "/my/consents/", public({302})),
    "portal:consent_withdraw": Route("post", lambda w, c: "/my/consents/C-2345/withdraw/", public({302})),
    "portal:reopen": Route("post", lambda w, c: f"/my/{ref(w, c)}/reopen/", public({302}), per_case=True),
    "portal:survey": Route("get", lambda w, c: "/survey/not-a-token/", public({404})),
    "portal:outbox": Route("get", lambda w, c: "/outbox/", for_roles("outbox", {200})),
    "portal:language": Route("get", lambda w, c: "/lang/fr/", public({302})),
    # --- identity
    "identity:login": Route("get", lambda w, c: "/identity/login/", public({302, 503})),
    "identity:callback": Route("get", lambda w, c: "/identity/callback/", public({400})),
    "identity:logout": Route("post", lambda w, c: "/identity/logout/", public({302})),
    "identity:ttp_verify": Route(
        "post", lambda w, c: "/identity/ttp/verify", public({401}), json=True, data=lambda w, c: {}
    ),
    "identity:ttp_jwks": Route("get", lambda w, c: "/identity/ttp/jwks.json", public({200})),
    "idp:discovery": Route("get", lambda w, c: "/idp/.well-known/openid-configuration", public({404})),
    "idp:jwks": Route("get", lambda w, c: "/idp/jwks.json", public({404})),
    "idp:authorize": Route("get", lambda w, c: "/idp/authorize", public({404})),
    "idp:token": Route("post", lambda w, c: "/idp/token", public({404})),
    # --- Open311 (public reads; a complaint of a category outside the feed is never there)
    "open311:root": Route("get", lambda w, c: "/open311/v2/", public({302})),
    "open311:openapi": Route("get", lambda w, c: "/open311/v2/openapi.json", public({200})),
    "open311:discovery": Route("get", lambda w, c: "/open311/v2/discovery.json", public({200})),
    "open311:services": Route("get", lambda w, c: "/open311/v2/services.json", public({200})),
    "open311:service_definition": Route("get", lambda w, c: "/open311/v2/services/theft.json", public({200})),
    "open311:requests": Route("get", lambda w, c: "/open311/v2/requests.json", public({200})),
    "open311:request": Route(
        "get", lambda w, c: f"/open311/v2/requests/{ref(w, c)}.json", public({404}), per_case=True
    ),
    "open311:token": Route("get", lambda w, c: "/open311/v2/tokens/nothing.json", public({404})),
    "open311:unknown": Route("get", lambda w, c: "/open311/v2/nothing", public({404})),
    # --- the API
    "api:openapi-json": Route("get", lambda w, c: "/api/openapi.json", public({200})),
    "api:openapi-view": Route("get", lambda w, c: "/api/docs", public({200})),
    "api:api-root": Route("get", lambda w, c: "/api/", public({404})),
    "api:list_categories": Route("get", lambda w, c: "/api/categories", staff({200}, api=True)),
    "api:create_case": Route(
        "post",
        lambda w, c: "/api/cases",
        for_roles("intake", {201}, api=True),
        json=True,
        data=lambda w, c: {
            "channel": "counter",
            "category": "nuisance",
            "description": "ضجيج",
            "anonymous": True,
            "latitude": 34.0236,
            "longitude": -6.8341,
        },
    ),
    "api:list_cases": Route("get", lambda w, c: "/api/cases", staff({200}, api=True)),
    "api:deidentified": Route(
        "get", lambda w, c: "/api/cases/deidentified", for_roles("deidentified", {200}, api=True)
    ),
    "api:suggestions": Route(
        "post",
        lambda w, c: "/api/cases/suggestions",
        for_roles("intake", {200}, api=True),
        json=True,
        data=lambda w, c: {"cnie": CNIE},
    ),
    "api:propose_route": Route(
        "get",
        lambda w, c: "/api/routing/propose?category=theft&latitude=34.0236&longitude=-6.8341",
        staff({200}, api=True),
    ),
    "api:get_case": Route("get", lambda w, c: f"/api/cases/{ref(w, c)}", on_case(sees, {200}, api=True), per_case=True),
    "api:case_events": Route(
        "get", lambda w, c: f"/api/cases/{ref(w, c)}/events", on_case(sees, {200}, api=True), per_case=True
    ),
    "api:case_complainant": Route(
        "post",
        lambda w, c: f"/api/cases/{ref(w, c)}/complainant",
        on_case(reveals, {200}, api=True),
        json=True,
        data=lambda w, c: {"purpose": "contact"},
        per_case=True,
        shows_personal=reveals,
    ),
    "api:transition_case": Route(
        "post",
        lambda w, c: f"/api/cases/{ref(w, c)}/transitions",
        on_case(works, {422}, api=True),
        json=True,
        data=lambda w, c: {"transition": "no_such_action"},
        per_case=True,
    ),
    "api:attach": Route(
        "post",
        lambda w, c: f"/api/cases/{ref(w, c)}/attachments",
        on_case(works, {201}, api=True),
        data=upload,
        per_case=True,
    ),
    "api:create_call": Route(
        "post",
        lambda w, c: "/api/emergency/calls",
        for_roles("board", {201}, api=True),
        json=True,
        data=lambda w, c: {"category": "fight", "address": "حسان", "latitude": 34.0236, "longitude": -6.8341},
    ),
    "api:list_calls": Route("get", lambda w, c: "/api/emergency/calls", staff({200}, api=True)),
    "api:close_call": Route(
        "post",
        lambda w, c: "/api/emergency/calls/999999/close",
        staff({403, 404}, api=True),
        json=True,
        data=lambda w, c: {"outcome": "duplicate"},
    ),
    "api:open_complaint": Route(
        "post",
        lambda w, c: "/api/emergency/calls/999999/complaint",
        staff({403, 404}, api=True),
        json=True,
        data=lambda w, c: {},
    ),
    "api:list_incidents": Route("get", lambda w, c: "/api/emergency/incidents", staff({200}, api=True)),
    "api:get_incident": Route("get", lambda w, c: "/api/emergency/incidents/999999", staff({404}, api=True)),
    "api:incident_suggestions": Route(
        "get", lambda w, c: "/api/emergency/incidents/999999/suggestions", staff({404}, api=True)
    ),
    "api:dispatch_options": Route(
        "get", lambda w, c: "/api/emergency/incidents/999999/dispatch-options", staff({404}, api=True)
    ),
    "api:dispatch": Route(
        "post",
        lambda w, c: "/api/emergency/incidents/999999/dispatch",
        staff({404}, api=True),
        json=True,
        data=lambda w, c: {"patrol_id": 1},
    ),
    "api:report": Route(
        "post",
        lambda w, c: "/api/emergency/incidents/999999/report",
        staff({404}, api=True),
        json=True,
        data=lambda w, c: {"status": "en_route"},
    ),
    # Grouping, pre-emption and callers' numbers: about one incident (404 alike for missing and
    # forbidden); the number search is for the command room (dispatchers, chiefs standing in).
    "api:preempt": Route(
        "post",
        lambda w, c: "/api/emergency/incidents/999999/preempt",
        staff({404}, api=True),
        json=True,
        data=lambda w, c: {"patrol_id": 1, "reason": "P1"},
    ),
    "api:merge": Route(
        "post",
        lambda w, c: "/api/emergency/incidents/999999/merge",
        staff({404}, api=True),
        json=True,
        data=lambda w, c: {"into_id": 1},
    ),
    "api:keep_apart": Route(
        "post",
        lambda w, c: "/api/emergency/incidents/999999/keep-apart",
        staff({404}, api=True),
        json=True,
        data=lambda w, c: {},
    ),
    "api:split_call": Route(
        "post",
        lambda w, c: "/api/emergency/calls/999999/split",
        staff({404}, api=True),
        json=True,
        data=lambda w, c: {},
    ),
    "api:callers": Route(
        "post",
        lambda w, c: "/api/emergency/incidents/999999/callers",
        staff({404}, api=True),
        json=True,
        data=lambda w, c: {},
    ),
    "api:search_calls": Route(
        "post",
        lambda w, c: "/api/emergency/calls/search",
        for_roles("board", {200}, api=True),
        json=True,
        data=lambda w, c: {"number": "0661234567"},
    ),
    "api:close_incident": Route(
        "post",
        lambda w, c: "/api/emergency/incidents/999999/close",
        staff({404}, api=True),
        json=True,
        data=lambda w, c: {},
    ),
    "api:board": Route("get", lambda w, c: "/api/emergency/board", for_roles("board", {200}, api=True)),
    "api:my_patrol_status": Route(
        "post",
        lambda w, c: "/api/emergency/patrols/me/status",
        staff({403}, api=True),
        json=True,
        data=lambda w, c: {"status": "available"},
    ),
    "api:list_patrols": Route("get", lambda w, c: "/api/emergency/patrols", staff({200}, api=True)),
    "api:response_times": Route(
        "get", lambda w, c: "/api/emergency/metrics/response-times", for_roles("panel", {200}, api=True)
    ),
    "api:readiness": Route("get", lambda w, c: "/api/emergency/metrics/readiness", for_roles("panel", {200}, api=True)),
}


def url_names() -> set[str]:
    """Every named route of the URL configuration, with its namespace."""

    def walk(patterns: list[Any], namespace: str) -> set[str]:
        names: set[str] = set()
        for p in patterns:
            if isinstance(p, URLResolver):
                inner = f"{namespace}:{p.namespace}" if namespace and p.namespace else (p.namespace or namespace)
                names |= walk(p.url_patterns, inner)
            elif isinstance(p, URLPattern) and p.name:
                names.add(f"{namespace}:{p.name}" if namespace else p.name)
        return names

    return walk(get_resolver().url_patterns, "")


def test_every_route_is_in_the_table():
    """A route added without its line in ROUTES (and so without its access expectations) fails here."""
    missing = url_names() - set(ROUTES)
    assert missing == set(), f"routes without access expectations: {sorted(missing)}"
    assert set(ROUTES) - url_names() == set()


def call(world: World, who: str, route: Route, case: Case | None) -> Any:
    client = world.client(who)
    path = route.path(world, case)
    data = route.data(world, case) if route.data else None
    if route.method == "get":
        return client.get(path)
    if route.json:
        return client.post(path, data or {}, content_type="application/json")
    return client.post(path, data or {})


def body_of(response: Any) -> str:
    """The answer's text. A file is read to its end (the test client then finishes the request
    cleanly); an event stream never ends, so only its status is checked."""
    if getattr(response, "streaming", False):
        if response.get("Content-Type", "").startswith("text/event-stream"):
            return ""
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_route_answers_each_reader_as_the_policy_says(name, settings):
    """GIVEN the test organisation, a reader of every role in every relation, and a complaint of
    each sensitivity WHEN each reader calls the route THEN the status is the expected one, and the
    complainant's name, CNIE and phone appear only where the reader may reveal them."""
    settings.AMANE_LIVE_BACKEND = "memory"
    # Forty readers from one test address: the public rate limits are not what is tested here.
    settings.AMANE_RATE_LOGIN = settings.AMANE_RATE_TRACKING = settings.AMANE_RATE_FILING = "100000/600"
    settings.AMANE_OPEN311_RATE_ANONYMOUS = settings.AMANE_OPEN311_RATE_KEY = "100000/60"
    world = build_world()
    route = ROUTES[name]
    wrong: list[str] = []
    for who in readers():
        for sensitivity, case in world.cases.items() if route.per_case else [(None, None)]:
            response = call(world, who, route, case)
            expected = route.expect(world, who, sensitivity)
            text = body_of(response)
            if response.status_code not in expected:
                wrong.append(f"{who} {sensitivity or ''}: {response.status_code} not in {sorted(expected)}")
            leaked = [p for p in PERSONAL if p in text]
            if leaked and not (response.status_code == 200 and route.shows_personal(who, sensitivity or "")):
                wrong.append(f"{who} {sensitivity or ''}: personal data in the answer {leaked}")
            for other, other_case in world.cases.items():
                if other_case.reference in text and not sees(who, other) and who != "anonymous":
                    if route.per_case and other == sensitivity and response.status_code == 404:
                        continue  # the 404 does not echo the address it was given (checked below)
                    wrong.append(f"{who}: names the {other} complaint it may not open")
    assert wrong == [], "\n".join(wrong)
