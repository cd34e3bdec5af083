"""Background work of the cases app (Django Tasks API, database backend)."""

from __future__ import annotations

from django.conf import settings
from django_tasks import task

from cases.services import deadlines_sweep, idempotency_keys_purge, instructions_sweep
from core.periodic import periodic
from jobs.policy import retry


@periodic(every=lambda: settings.PERIODIC_INTERVAL_SECONDS)
@retry(max_attempts=3, base_delay=30)
@task()
def sweep_deadlines() -> dict[str, int]:
    """Mark overdue complaints and late prosecutor's instructions and escalate them; safe to run at
    any time, any number of times."""
    stats = deadlines_sweep()
    late = instructions_sweep()
    return {**stats, "instructions_overdue": late["overdue"], "instruction_escalations": late["escalations"]}


@periodic(every=lambda: 3600)
@task()
def purge_idempotency_keys() -> int:
    """Forget the Idempotency-Keys older than AMANE_IDEMPOTENCY_KEY_HOURS (the complaints stay)."""
    return idempotency_keys_purge()
