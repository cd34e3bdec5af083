"""The tables the generated history is written to, their COPY columns, and values in COPY's text format."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from audit.models import AuditRecord
from cases.models import Case, CaseEvent, Complainant

GENERATED = "generated"
ACTOR_SUFFIX = " (generated)"
CHUNK = 20_000  # complaints per COPY batch (and per progress step)

CASE_COLUMNS = [
    "id",
    "reference",
    "tracking_code_enc",
    "tracking_code_hash",
    "channel",
    "external_reference",
    "category_id",
    "sensitivity",
    "description",
    "address",
    "latitude",
    "longitude",
    "priority",
    "state",
    "assigned_unit_id",
    "assigned_officer_id",
    "proposed_unit_id",
    "created_by_id",
    "created_at",
    "updated_at",
    "state_entered_at",
    "state_due_at",
    "paused_state_remaining",
    "clock_budget",
    "clock_elapsed",
    "clock_running_since",
    "closure_due_at",
    "overdue",
    "escalation_level",
    "first_action_at",
    "prosecutor_office",
    "prosecutor_reference",
    "referred_at",
    "instructions_at",
    "outcome",
    "closed_at",
    "closed_within_deadline",
    "reopen_count",
    "version",
    "closing_report",
]
EVENT_COLUMNS = ["id", "case_id", "kind", "at", "actor_id", "transition", "from_state", "to_state", "note", "data"]
COMPLAINANT_COLUMNS = [
    "id",
    "case_id",
    "anonymous",
    "full_name_enc",
    "cnie_enc",
    "cnie_hash",
    "phone_enc",
    "phone_hash",
    "language",
    "email_enc",
    "notify_consent",
    "notify_channel",
]
AUDIT_COLUMNS = [
    "id",
    "at",
    "actor_id",
    "actor_label",
    "action",
    "object_type",
    "object_id",
    "before",
    "after",
    "nonce",
    "entry_mac",
    "position",
    "prev_mac",
    "mac",
]
TABLES = {
    "case": Case._meta.db_table,
    "event": CaseEvent._meta.db_table,
    "complainant": Complainant._meta.db_table,
    "audit": AuditRecord._meta.db_table,
}
# Line 19: incidents and calls.
TIMESTAMP_COLUMNS = [
    "received_at",
    "triaged_at",
    "dispatched_at",
    "en_route_at",
    "on_scene_at",
    "resolved_at",
    "closed_at",
]
INCIDENT_COLUMNS = [
    "id", *TIMESTAMP_COLUMNS, "reference", "category_id", "group", "priority", "state", "wilaya_id", "area_id",
    "district_id", "latitude", "longitude", "address", "description", "patrol_id", "outcome", "outcome_note", "case_id",
    "call_count", "last_call_at", "created_by_id", "version", "proposal", "requeue_note",
]  # fmt: skip
CALL_COLUMNS = [
    "id", *TIMESTAMP_COLUMNS, "reference", "incident_id", "wilaya_id", "caller_number_enc", "caller_number_hash",
    "language", "category_id", "answers", "priority", "description", "address", "latitude", "longitude", "state",
    "received_by_id", "case_id",
]  # fmt: skip


@dataclass
class Stats:
    cases: int = 0
    events: int = 0
    complainants: int = 0
    audit: int = 0
    seconds: float = 0.0
    index_seconds: float = 0.0


def esc(value: str) -> str:
    """A text value in COPY's text format."""
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def ts(value: datetime | None) -> str:
    return "\\N" if value is None else value.isoformat(" ")


def opt(value: Any) -> str:
    return "\\N" if value is None else str(value)
