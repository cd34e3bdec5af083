"""Every write to complaints, by sub-domain: intake, workflow, records (notes, attachments, links,
reads of personal data, receipts) and escalation (the deadline sweep). Each runs in one transaction
with its audit record. Callers import from `cases.services`; the sub-modules are how the code is
kept, not an API.
"""

from cases.services.base import DESCRIPTION_MAX, Upload, snapshot
from cases.services.escalation import deadlines_sweep
from cases.services.intake import (
    ComplainantInput,
    IntakeInput,
    complaint_register,
    complaint_register_idempotent,
    idempotency_keys_purge,
    intake_problems,
    intake_suggestions,
)
from cases.services.prosecutor import instruction_execute, instructions_sweep
from cases.services.records import (
    attachment_read,
    case_add_note,
    case_attach,
    case_link,
    complainant_reveal,
    receipt_issue,
)
from cases.services.results import result_quantity, result_record, result_validate, result_withdraw
from cases.services.workflow import TransitionInput, case_assign, case_transition

__all__ = [
    "DESCRIPTION_MAX",
    "ComplainantInput",
    "IntakeInput",
    "TransitionInput",
    "Upload",
    "attachment_read",
    "case_add_note",
    "case_assign",
    "case_attach",
    "case_link",
    "case_transition",
    "complainant_reveal",
    "complaint_register",
    "complaint_register_idempotent",
    "deadlines_sweep",
    "idempotency_keys_purge",
    "instruction_execute",
    "instructions_sweep",
    "intake_problems",
    "intake_suggestions",
    "receipt_issue",
    "result_quantity",
    "result_record",
    "result_validate",
    "result_withdraw",
    "snapshot",
]
