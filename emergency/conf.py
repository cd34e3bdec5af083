"""Settings of line 19, read from AMANE_* environment variables with safe defaults."""

from __future__ import annotations

from core.env import env_int, env_str
from emergency.choices import PatrolKind, Priority


def _pairs(raw: str) -> dict[str, float]:
    out: dict[str, float] = {}
    for item in raw.split(","):
        if "=" in item:
            k, v = item.split("=", 1)
            try:
                out[k.strip()] = float(v)
            except ValueError:
                continue
    return out


def response_targets_minutes() -> dict[str, float]:
    """Target response time (call received → patrol on scene) for each priority, in minutes."""
    defaults = {Priority.P1: 10.0, Priority.P2: 20.0, Priority.P3: 45.0, Priority.P4: 90.0}
    given = _pairs(env_str("AMANE_RESPONSE_TARGETS_MINUTES", "P1=10,P2=20,P3=45,P4=90"))
    return {str(p): given.get(str(p), float(d)) for p, d in defaults.items()}


def patrol_speeds_kmh() -> dict[str, float]:
    """Average urban speed of each kind of patrol, for the arrival estimate."""
    defaults = {PatrolKind.CAR: 30.0, PatrolKind.MOTORBIKE: 35.0, PatrolKind.FOOT: 5.0}
    given = _pairs(env_str("AMANE_PATROL_SPEEDS_KMH", "car=30,motorbike=35,foot=5"))
    return {str(k): max(given.get(str(k), float(d)), 1.0) for k, d in defaults.items()}


def road_factor() -> float:
    """Ratio of road distance to straight-line distance in a city (1.4 is the usual figure)."""
    try:
        return max(float(env_str("AMANE_ROAD_DISTANCE_FACTOR", "1.4")), 1.0)
    except ValueError:
        return 1.4


def call_max_age_hours() -> int:
    """How old a call may be when it is recorded (a call written down during an outage and typed in
    later): older ones are refused, since they would skew the response times."""
    return max(env_int("AMANE_CALL_MAX_AGE_HOURS", 24), 1)


def grouping_radius_m() -> int:
    """A call closer than this to an open incident is proposed to the dispatcher as the same event."""
    return env_int("AMANE_CALL_GROUPING_RADIUS_M", 300)


def grouping_window_minutes() -> int:
    """...when they come within this many minutes of the incident's last call."""
    return env_int("AMANE_CALL_GROUPING_WINDOW_MINUTES", 20)


def suggestion_count() -> int:
    """How many patrols the dispatch suggestion lists."""
    return env_int("AMANE_DISPATCH_SUGGESTIONS", 5)


def ack_seconds() -> int:
    """An assignment the patrol has not acknowledged within this many seconds raises an alarm on the
    board (AMANE_DISPATCH_ACK_SECONDS, default 120)."""
    return max(env_int("AMANE_DISPATCH_ACK_SECONDS", 120), 10)
