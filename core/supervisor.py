"""A small process supervisor for the entry points: start programs, restart the ones that exit, stop
them all cleanly.

`manage.py serve` (production) and `manage.py run_demo` (`make run`) run the web server, the task
worker, the periodic sweep and the audit sealer side by side. Each program:

- starts in a session of its own, so that a Ctrl-C in the terminal reaches the supervisor only, which
  then stops the programs in order (no half-stopped children printing tracebacks);
- is restarted when it exits, after a delay that doubles from 1 s up to a minute while it keeps
  failing and starts again from 1 s once it has run for a minute;
- except in its first seconds: a program that exits right after the supervisor started it (bad
  configuration, port in use, missing command) stops everything, with a non-zero exit status.

SIGTERM or SIGINT stops the programs (SIGTERM, then SIGKILL after `stop_timeout` seconds) and the
supervisor exits 0; a second SIGINT kills at once.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import IO, Any

BACKOFF_START = 1.0
BACKOFF_MAX = 60.0
HEALTHY_AFTER = 60.0  # seconds of running after which a program's backoff starts over
STARTUP_WINDOW = 5.0  # an exit within this many seconds of the first start is fatal
POLL = 0.2
PR_SET_PDEATHSIG = 1
# Loaded here, not in the forked child (which may only call it: see `_die_with_supervisor`).
_LIBC = ctypes.CDLL(None, use_errno=True) if sys.platform.startswith("linux") else None


def _die_with_supervisor() -> None:
    """In the child between fork and exec: SIGTERM when the supervisor dies, even by SIGKILL (the
    programs live in sessions of their own, so nothing else would stop them)."""
    if _LIBC is not None:
        _LIBC.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


@dataclass
class Program:
    """One supervised command line. `log`: a file to append its output to; None: the supervisor's
    own stdout, each line prefixed with the program's name."""

    name: str
    argv: list[str]
    log: Path | None = None
    env: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0
    restarts: int = 0
    backoff: float = BACKOFF_START
    due_at: float = 0.0  # when a program waiting to restart starts again


class Supervisor:
    def __init__(
        self,
        programs: list[Program],
        *,
        stop_timeout: float = 20.0,
        say: Callable[[str], None] = print,
        cwd: Path | None = None,
    ):
        self.programs = programs
        self.stop_timeout = stop_timeout
        self.say = say
        self.cwd = cwd
        self.stopping = False
        self.interrupts = 0
        self.started = time.monotonic()

    # -- signals
    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        if signum == signal.SIGINT:
            self.interrupts += 1
        self.stopping = True

    def install_signal_handlers(self) -> None:
        signal.signal(signal.SIGTERM, self._on_signal)
        signal.signal(signal.SIGINT, self._on_signal)

    # -- programs
    def start(self, program: Program) -> None:
        out: IO[Any] | int
        if program.log is not None:
            program.log.parent.mkdir(parents=True, exist_ok=True)
            out = program.log.open("ab")
        else:
            out = subprocess.PIPE
        program.process = subprocess.Popen(  # noqa: S603 (argv built by the entry points)
            program.argv,
            cwd=self.cwd,
            env={**os.environ, **program.env},
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_die_with_supervisor,  # only a prctl call (libc loaded before the fork)
        )
        if program.log is None:
            threading.Thread(target=self._relay, args=(program, program.process), daemon=True).start()
        elif not isinstance(out, int):
            out.close()  # the child holds its own descriptor
        program.started_at = time.monotonic()

    def _relay(self, program: Program, process: subprocess.Popen[bytes]) -> None:
        """Copy a program's output to ours, one prefixed line at a time."""
        assert process.stdout is not None
        for raw in process.stdout:
            self.say(f"[{program.name}] {raw.decode(errors='replace').rstrip()}")

    def _exited(self, program: Program, code: int) -> bool:
        """Handle an exit; True when it is fatal (it happened right after the first start)."""
        now = time.monotonic()
        if program.restarts == 0 and now - program.started_at < STARTUP_WINDOW:
            self.say(f"{program.name} exited with status {code} right after starting: stopping everything.")
            return True
        if now - program.started_at >= HEALTHY_AFTER:
            program.backoff = BACKOFF_START
        program.due_at = now + program.backoff
        self.say(f"{program.name} exited with status {code}; restarting in {program.backoff:.0f} s.")
        program.backoff = min(program.backoff * 2, BACKOFF_MAX)
        return False

    def run(self) -> int:
        """Start every program and supervise until a signal (0) or a fatal start (1)."""
        self.install_signal_handlers()
        for program in self.programs:
            self.start(program)
        status = 0
        while not self.stopping:
            time.sleep(POLL)
            for program in self.programs:
                if self.stopping:
                    break
                process = program.process
                if process is not None and (code := process.poll()) is not None:
                    program.process = None
                    if self._exited(program, code):
                        self.stopping, status = True, 1
                elif process is None and time.monotonic() >= program.due_at:
                    program.restarts += 1
                    self.start(program)
        self.stop()
        return status

    def stop(self) -> None:
        """SIGTERM to every program at once, then SIGKILL to what is left after `stop_timeout`
        (the web server finishes the requests in flight within its own graceful timeout)."""
        running = [p for p in self.programs if p.process is not None and p.process.poll() is None]
        for program in running:
            with_signal(program, signal.SIGTERM)
        deadline = time.monotonic() + self.stop_timeout
        for program in running:
            assert program.process is not None
            while program.process.poll() is None and time.monotonic() < deadline and self.interrupts < 2:
                time.sleep(POLL / 2)
            if program.process.poll() is None:
                self.say(f"{program.name} did not stop in time: killed.")
                with_signal(program, signal.SIGKILL)
                program.process.wait()


def with_signal(program: Program, signum: int) -> None:
    """Signal the program's whole session (a server's own workers included)."""
    if program.process is None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(program.process.pid, signum)
