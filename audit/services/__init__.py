"""Writing to the audit log, sealing it, verifying it.

`audit_record` runs inside the service's own transaction (the record commits or rolls back with the
change it describes) and only inserts; `seal_pending` is the sealer's step (`manage.py audit_sealer`
loops on it); `audit_verify` checks the chain against the signed checkpoints.
"""

from audit.services.record import audit_record
from audit.services.seal import SealResult, seal_pending
from audit.services.verify import Verification, VerifyProblem, audit_verify

__all__ = ["SealResult", "Verification", "VerifyProblem", "audit_record", "audit_verify", "seal_pending"]
