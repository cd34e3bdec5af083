"""Need to know: the access policy, declared once as data (like the workflows).

For each role, each act on each kind of record is allowed within a list of scopes. Selectors and
services read this table (`scopes_for`, `allows`); nothing else decides who sees what. A role
absent from an act's row may not do it at all (the record answers 404 like a missing one, lists do
not show it, counts do not count it).

Scopes (the reader's relation to the record):

| scope | meaning |
| --- | --- |
| `registered` | records the user registered themselves |
| `registered_today` | ...on the current day (the counter reads back what it just typed) |
| `assigned` | records assigned to the user |
| `unit` | records assigned to the user's own unit |
| `unit_intake` | the intake queue of the user's unit: received, not yet assigned to an officer |
| `jurisdiction` | the user's unit and every unit below it |
| `wilaya_calls` | complaints opened from line-19 calls of the user's wilaya |
| `grievance` | complaints linked to a grievance the user handles (oversight) |
| `against_officer` | complaints against officers, nationwide (the Inspectorate) |
| `wilaya` | line-19 records of the user's wilaya (command rooms) |
| `own_mission` | the patrol's current mission only |
| `national` | everything of that kind |

Two rules narrow every row for complaints (DESIGN.md, "Access: need to know"): a protected
category (domestic violence, sexual offences, minors) is seen only through `registered`,
`assigned` and a chief's `jurisdiction`; a complaint against an officer is seen only through
`against_officer` (and the Inspectorate's own `jurisdiction`), never by the officer's chain of
command. Where this table departs from DESIGN.md, the reason is written next to the row.
"""

from __future__ import annotations

from org.choices import Role

REGISTERED = "registered"
REGISTERED_TODAY = "registered_today"
ASSIGNED = "assigned"
UNIT = "unit"
UNIT_INTAKE = "unit_intake"
JURISDICTION = "jurisdiction"
WILAYA_CALLS = "wilaya_calls"
GRIEVANCE = "grievance"
AGAINST_OFFICER = "against_officer"
WILAYA = "wilaya"
OWN_MISSION = "own_mission"
NATIONAL = "national"

# Acts on complaints.
LIST = "complaint.list"  # appear in lists, counts and suggestions
OPEN = "complaint.open"  # the case page / API record, its timeline and links
REVEAL = "complaint.reveal"  # decrypt the complainant (always with a purpose, always logged)
FILES = "complaint.attachments"  # download attachments (may hold personal data: logged)
WORK = "complaint.work"  # transitions, notes, attachments added, links
ASSIGN = "complaint.assign"  # give the case to an officer, transfer it
REGISTER = "complaint.register"  # intake (scope: where the actor stands)
DEIDENTIFIED = "complaint.deidentified"  # rows without name, CNIE, phone or free text

# Acts on other records.
LINE19_READ = "line19.read"  # calls, incidents, patrols on the board and through the API
LINE19_DISPATCH = "line19.dispatch"  # take calls, dispatch, close
LINE19_METRICS = "line19.metrics"  # response times and readiness (aggregates)
READS_REPORT = "personal_data.reads_report"  # who read whose personal data, per officer
KEYS = "org.keys"  # API keys of staff and partners
OUTBOX = "portal.outbox"  # the notification outbox (addresses masked)
INDICATORS = "analytics.indicators"  # dashboards, exports and reports of a jurisdiction (aggregates)
BLACKSPOTS = "analytics.blackspots"  # the black-spot map: aggregates of normal complaints and line 19
PATROL_PLAN = "analytics.patrol_plan"  # the shift's patrol plan (forecast cells) and its presence
GRIEVANCES = "oversight.grievances"  # grievances forwarded by the Ombudsman, the INPPLC, the CNDH
OFFICER_FINDINGS = "oversight.officer_findings"  # findings on complaints against officers, officers' records
JUDICIAL_METRICS = "judicial.metrics"  # referral → instructions → executed, per unit (aggregates)
MEDIA_WATCH = "media.watch"  # press and social items, events, verifications, communiqué drafts
MEDIA_FACTS = "media.facts"  # the cell's requests for facts to a unit, and their answers
LINE19_REPORT = "line19.report"  # open an intervention on the board on another service's behalf
# The annual review and the roadmap (DESIGN.md: analysts and directors do "annual review and
# roadmap"): objectives, achieved figures, the head's texts and the level above's comment, for the
# units of the jurisdiction. Chiefs read and write (who writes what is decided by the unit: the
# head writes their own unit's review, a chief above sets objectives and freezes); analysts read.
REVIEW = "analytics.review"

_CHIEF_CASES = [JURISDICTION]

POLICY: dict[str, dict[str, list[str]]] = {
    Role.FRONT_DESK: {
        LIST: [REGISTERED, UNIT_INTAKE],
        OPEN: [REGISTERED, UNIT_INTAKE],
        REVEAL: [REGISTERED_TODAY],
        FILES: [REGISTERED],
        WORK: [REGISTERED],  # add a note or a document brought later to what they registered
        REGISTER: [UNIT],
    },
    Role.INVESTIGATOR: {
        LIST: [ASSIGNED, UNIT],
        OPEN: [ASSIGNED, UNIT],
        REVEAL: [ASSIGNED],
        FILES: [ASSIGNED],
        WORK: [ASSIGNED, UNIT],
        REGISTER: [UNIT],
    },
    Role.UNIT_CHIEF: {
        LIST: _CHIEF_CASES,
        OPEN: _CHIEF_CASES,
        REVEAL: _CHIEF_CASES,
        FILES: _CHIEF_CASES,
        WORK: _CHIEF_CASES,
        ASSIGN: _CHIEF_CASES,
        REGISTER: [UNIT],
        LINE19_READ: [JURISDICTION],
        LINE19_DISPATCH: [JURISDICTION],  # the chief of a command room stands in for a dispatcher
        LINE19_METRICS: [JURISDICTION],
        READS_REPORT: [JURISDICTION],
        INDICATORS: [JURISDICTION],
        BLACKSPOTS: [JURISDICTION],
        PATROL_PLAN: [JURISDICTION],
        JUDICIAL_METRICS: [JURISDICTION],
        # The communication cell asks a unit for the facts behind a press story; the unit's chiefs
        # (and those above them) answer.
        MEDIA_FACTS: [JURISDICTION],
        REVIEW: [JURISDICTION],
    },
    Role.DISPATCHER: {
        # No list: a dispatcher opens the complaint a call led to, from the call.
        OPEN: [WILAYA_CALLS],
        REGISTER: [WILAYA],
        LINE19_READ: [WILAYA],
        LINE19_DISPATCH: [WILAYA],
        LINE19_METRICS: [WILAYA],
        PATROL_PLAN: [WILAYA],  # the plan's layer on the board
    },
    Role.PATROL: {
        LINE19_READ: [OWN_MISSION],
    },
    Role.OVERSIGHT: {
        # The liaison registers what the Ombudsman, the INPPLC and the CNDH forward, so they also
        # follow what they registered until the oversight app links it to a grievance.
        LIST: [GRIEVANCE, REGISTERED],
        OPEN: [GRIEVANCE, REGISTERED],
        REVEAL: [GRIEVANCE, REGISTERED],
        REGISTER: [NATIONAL],
        GRIEVANCES: [NATIONAL],
    },
    Role.INSPECTOR: {
        LIST: [AGAINST_OFFICER, JURISDICTION],
        OPEN: [AGAINST_OFFICER, JURISDICTION],
        REVEAL: [AGAINST_OFFICER, JURISDICTION],
        FILES: [AGAINST_OFFICER, JURISDICTION],
        WORK: [AGAINST_OFFICER, JURISDICTION],
        ASSIGN: [AGAINST_OFFICER, JURISDICTION],
        REGISTER: [NATIONAL],
        READS_REPORT: [NATIONAL],
        INDICATORS: [JURISDICTION],
        OFFICER_FINDINGS: [NATIONAL],
    },
    # A wilaya's communication cell watches the events placed in its wilaya; the central cell, all.
    Role.COMMUNICATION: {
        MEDIA_WATCH: [WILAYA],
        # A citizens' demand published in the press is a complaint like one brought to the counter:
        # the cell registers it (channel "press") for the responsible unit, as the oversight liaison
        # registers what the Ombudsman forwards. Registering gives no LIST nor OPEN: the officer does
        # not then read the complaint (need to know), the unit works it.
        REGISTER: [WILAYA],
        # ...and an emergency it reads about becomes an intervention on its wilaya's line-19 board,
        # created on the cell's behalf (no call, no read of the board).
        LINE19_REPORT: [WILAYA],
    },
    Role.ANALYST: {
        DEIDENTIFIED: [JURISDICTION],
        LINE19_METRICS: [JURISDICTION],
        INDICATORS: [JURISDICTION],
        BLACKSPOTS: [JURISDICTION],
        PATROL_PLAN: [JURISDICTION],
        JUDICIAL_METRICS: [JURISDICTION],
        REVIEW: [JURISDICTION],  # read only: the review is written by chiefs
    },
    Role.ADMINISTRATOR: {
        KEYS: [NATIONAL],
        OUTBOX: [NATIONAL],
    },
    # The citizen portal's and partners' service account files complaints and reopens the ones
    # it filed on the citizen's behalf; it reads nothing else.
    Role.PORTAL: {
        OPEN: [REGISTERED],
        WORK: [REGISTERED],
        REGISTER: [NATIONAL],
    },
}

# Scopes through which a protected complaint may still be seen (the assigned officer, the one
# who registered it, and chiefs of its jurisdiction — including the Inspectorate's own chiefs).
PROTECTED_SCOPES = frozenset({REGISTERED, REGISTERED_TODAY, ASSIGNED})
PROTECTED_CHIEF_ROLES = frozenset({Role.UNIT_CHIEF, Role.INSPECTOR})


def scopes_for(roles: list[str], act: str) -> set[str]:
    """Every scope in which a user holding `roles` may do `act` (empty: not at all)."""
    out: set[str] = set()
    for role in roles:
        out.update(POLICY.get(role, {}).get(act, ()))
    return out


def allows(roles: list[str], act: str) -> bool:
    return bool(scopes_for(roles, act))


def roles_for(act: str) -> tuple[str, ...]:
    """The roles that may do `act` in some scope (for page guards: `role_required(*roles_for(act))`)."""
    return tuple(role for role, acts in POLICY.items() if acts.get(act))
