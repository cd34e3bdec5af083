"""`manage.py audit_sealer`: the long-running sealer (one per deployment; a second one waits its turn).

Loops on `seal_pending()` with a short sleep, so a committed record is sealed within about
`AMANE_AUDIT_SEALER_INTERVAL_MS` (250 ms) plus one batch, and checkpoints are signed on their cadence.
A database that goes away (restart, failover) is waited for, not fatal.
"""

from __future__ import annotations

import logging
import signal
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import DatabaseError, InterfaceError, connections

from audit.checkpoints import last_checkpoint
from audit.services import seal_pending

log = logging.getLogger("audit.sealer")


class Command(BaseCommand):
    help = "Seal committed audit records into the keyed chain and sign checkpoints (runs until stopped)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Seal what is pending, checkpoint, and exit.")

    def handle(self, *args: Any, once: bool = False, verbosity: int = 1, **options: Any) -> None:
        if once:
            result = seal_pending(checkpoint=True)
            self.stdout.write(f"sealed {result.sealed}; chain at position {result.position}")
            return
        stop = {"now": False}

        def request_stop(signum: int, frame: Any) -> None:
            stop["now"] = True

        signal.signal(signal.SIGTERM, request_stop)
        signal.signal(signal.SIGINT, request_stop)
        if verbosity >= 1:
            self.stdout.write(f"audit sealer running (pause {settings.AUDIT_SEALER_INTERVAL_MS} ms when idle)")
        while not stop["now"]:
            sealed = self._step(verbosity)
            if sealed == 0:
                time.sleep(settings.AUDIT_SEALER_INTERVAL_MS / 1000)

    def _step(self, verbosity: int) -> int:
        """One pass; a database that went away or a full disk is logged and retried, never fatal."""
        try:
            result = seal_pending()
        except (DatabaseError, InterfaceError) as exc:
            log.warning("audit sealer: database unavailable (%s); retrying", exc)
            connections.close_all()
            time.sleep(1.0)
            return 0
        except OSError as exc:  # the checkpoint could not be written; the records are sealed
            log.error("audit sealer: checkpoint not written (%s); retrying", exc)
            time.sleep(1.0)
            return 0
        if result.sealed and result.checkpoint is None:
            self._check_tail(result.position)
        if verbosity >= 2 and result.sealed:
            self.stdout.write(f"sealed {result.sealed}, chain at {result.position}")
        return result.sealed

    def _check_tail(self, position: int) -> None:
        """Sealing below the last checkpoint means the tail was cut: say so once (audit_verify tells more)."""
        last = last_checkpoint()
        cut = last is not None and position < last.position
        if last is not None and cut and not getattr(self, "warned", False):
            log.error(
                "audit chain ends at %s, before its last checkpoint %s: run audit_verify", position, last.position
            )
        self.warned = cut
