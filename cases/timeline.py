"""The case page's timeline: events as rows to display, labels and details in the reader's language."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from cases import selectors
from cases.choices import EventKind, InstructionKind, Outcome, RevealPurpose, State
from cases.models import Case, Offence
from cases.workflow import TRANSITIONS
from org.models import Unit, User

PERSONAL_FIELDS = {"full_name": _("Name"), "cnie": _("CNIE"), "phone": _("Phone")}


@dataclass(frozen=True)
class _Context:
    units: dict[Any, str]
    offences: dict[str, str]
    linked: dict[Any, str]
    by_reference: set[str]


def _offence_labels(case: Case, events: list[Any]) -> dict[str, str]:
    """The qualifications named on the timeline, in the reader's language: the case's own (already
    loaded with it), any other from the reference list in one query."""
    codes = {e.data.get("offence") for e in events if e.transition == "qualify"} - {None}
    labels = {case.offence.code: case.offence.label} if case.offence else {}
    if codes - set(labels):
        labels |= {o.code: o.label for o in Offence.objects.filter(code__in=codes - set(labels))}
    return labels


def timeline_rows(user: User, case: Case) -> list[dict[str, Any]]:
    """Timeline events as rows to display: labels resolved, details in the user's language. A link
    names the other complaint only when the reader may open it."""
    events = list(selectors.case_timeline(case))
    linked = selectors.linked_references(user, events)
    by_reference = set(linked.values())
    unit_ids = {e.data.get(k) for e in events if e.kind == EventKind.TRANSFER for k in ("from_unit", "to_unit")}
    unit_ids |= {e.data.get("unit") for e in events if e.kind == EventKind.ESCALATION}
    units = {u.pk: u.display_name for u in Unit.objects.filter(pk__in=unit_ids - {None})} if unit_ids else {}
    ctx = _Context(units, _offence_labels(case, events), linked, by_reference)
    rows = []
    for e in events:
        t = TRANSITIONS.get(e.transition)
        details = _details(e, ctx)
        rows.append(
            {
                "event": e,
                "title": t.label if t else EventKind(e.kind).label,
                "from_label": State(e.from_state).label if e.from_state else "",
                "to_label": State(e.to_state).label if e.to_state and e.from_state else "",
                "details": details,
            }
        )
    return rows


def _details(e: Any, ctx: _Context) -> list[tuple[Any, Any]]:
    """The lines under one event: what it changed, in the reader's language."""
    details: list[tuple[Any, Any]] = []
    d = e.data or {}
    units, offences, linked, by_reference = ctx.units, ctx.offences, ctx.linked, ctx.by_reference
    if e.kind == EventKind.TRANSFER:
        details = [
            (_("From"), units.get(d.get("from_unit"), "—")),
            (_("To"), units.get(d.get("to_unit"), "—")),
        ]
    elif e.transition == "refer":
        details = [
            (_("Prosecutor's office"), d.get("prosecutor_office", "")),
            (_("Prosecutor's reference"), d.get("prosecutor_reference", "")),
        ]
    elif e.transition == "record_instructions" and d.get("kind") in InstructionKind.values:
        details = [(_("Instruction"), InstructionKind(d["kind"]).label)]
    elif e.kind == EventKind.INSTRUCTION_EXECUTED:
        kind = d.get("kind")
        details = [
            (_("Instruction"), InstructionKind(kind).label if kind in InstructionKind.values else "—"),
            (_("On time"), _("yes") if d.get("on_time") else _("no")),
        ]
    elif e.transition == "close" and d.get("outcome") in Outcome.values:
        details = [(_("Outcome"), Outcome(d["outcome"]).label)]
    elif e.transition == "qualify" and d.get("offence"):
        details = [(_("Legal qualification"), offences.get(d["offence"], d["offence"]))]
    elif e.kind == EventKind.ASSIGNMENT:
        details = [(_("Officer"), d.get("name") or _("Nobody (unit)"))]
        if d.get("self"):
            details.append((_("Assigned"), _("The investigator took the complaint")))
    elif e.kind == EventKind.ATTACHMENT:
        details = [(_("File"), d.get("name", ""))]
    elif e.kind == EventKind.LINK:
        other = linked.get(d.get("other_id")) or (d.get("other") if d.get("other") in by_reference else None)
        details = [(_("Complaint"), other or _("a complaint you cannot open"))]
    elif e.kind == EventKind.ESCALATION:
        # The unit in the reader's language (the event also keeps the French name it was written with).
        details = [(_("Level"), d.get("level", "")), (_("Unit"), units.get(d.get("unit"), d.get("unit_name", "")))]
    elif e.kind == EventKind.PERSONAL_DATA_READ:
        purpose = d.get("purpose", "")
        details = [
            (_("Fields"), ", ".join(str(PERSONAL_FIELDS.get(f, f)) for f in d.get("fields", []))),
            (_("Purpose"), RevealPurpose(purpose).label if purpose in RevealPurpose.values else purpose),
        ]
    return details
