"""The life of one generated complaint: its acts, with the demo's delays, up to now or to where it stalls."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from cases.choices import Outcome, State
from demo.history.reference import Cat
from demo.loaders.complaints import DELAYS

# Share of complaints that stall in an open state whatever their age (the backlog of overdue cases).
STALL = 0.06


@dataclass
class Life:
    """What happened to one complaint: its acts (time, act, actor, extra) and where it stands."""

    acts: list[tuple[datetime, str, int | None, dict[str, Any]]]
    state: str
    state_entered: datetime
    officer: int | None
    outcome: str = ""
    referred_at: datetime | None = None
    instructions_at: datetime | None = None
    first_action_at: datetime | None = None
    closed_at: datetime | None = None
    paused: float = 0.0  # seconds the clock stood still before the current state


def _delay(rng: random.Random, act: str) -> timedelta:
    lo, hi = DELAYS[act]
    return timedelta(hours=rng.uniform(lo, hi))


def _steps(rng: random.Random, cat: Cat) -> list[tuple[str, str | None]]:
    """The acts a complaint goes through, with the state each one leads to (None: no transition)."""
    steps: list[tuple[str, str | None]] = [("assign", None), ("qualify", State.QUALIFIED)]
    steps.append(("investigate", State.UNDER_INVESTIGATION))
    if rng.random() < 0.2:
        steps.append(("note", None))
    if rng.random() < 0.1:
        steps += [
            ("request_information", State.AWAITING_COMPLAINANT),
            ("information_received", State.UNDER_INVESTIGATION),
        ]
    if cat.prosecutor or rng.random() < 0.12:
        steps += [("refer", State.REFERRED), ("record_instructions", State.INSTRUCTIONS_RECEIVED)]
    steps.append(("close", State.CLOSED))
    return steps


def _act_extra(rng: random.Random, life: Life, act: str, officer: int | None, t: datetime) -> dict[str, Any]:
    """What an act records besides its transition, noting on `life` what it changes."""
    extra: dict[str, Any] = {}
    if act == "assign":
        life.officer = officer
        extra = {"officer": officer}
    elif act == "close":
        life.outcome = rng.choices(
            (Outcome.SOLVED, Outcome.UNFOUNDED, Outcome.WITHDRAWN, Outcome.REFERRED_COMPETENT), (55, 20, 15, 10)
        )[0]
        extra = {"outcome": life.outcome}
    elif act == "refer":
        life.referred_at = t
        extra = {"prosecutor_reference": f"{rng.randrange(1, 9999)}/{t.year}"}
    elif act == "record_instructions":
        life.instructions_at = t
    return extra


def draw_life(
    rng: random.Random,
    now: datetime,
    cat: Cat,
    created: datetime,
    workers: list[int],
    chiefs: list[int],
    stall: float = STALL,
) -> Life:
    officer = rng.choice(workers) if workers else None
    chief = rng.choice(chiefs) if chiefs else officer
    life = Life(acts=[], state=State.RECEIVED, state_entered=created, officer=None)
    stall_at = rng.randrange(1, 6) if rng.random() < stall else 99
    t = created
    for n, (act, to_state) in enumerate(_steps(rng, cat), start=1):
        if n >= stall_at:
            break
        t = t + _delay(rng, act)
        if t > now:
            break
        actor = chief if act in ("assign", "close") else officer
        extra = _act_extra(rng, life, act, officer, t)
        if to_state is not None:
            if life.state in (State.AWAITING_COMPLAINANT, State.REFERRED):
                life.paused += (t - life.state_entered).total_seconds()
            if life.first_action_at is None:
                life.first_action_at = t
            life.acts.append((t, act, actor, {"from": life.state, "to": to_state, **extra}))
            life.state, life.state_entered = to_state, t
        else:
            life.acts.append((t, act, actor, extra))
    if life.state == State.CLOSED:
        life.closed_at = life.state_entered
    return life
