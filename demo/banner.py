"""What `make run` prints once the demo answers: the addresses and the demo logins, once."""

from __future__ import annotations

from demo.data import DEMO_PASSWORD

# The accounts worth trying first, with what each shows (all made by `load_demo`).
LOGINS = (
    ("desk.rabat", "front-desk officer, Rabat district"),
    ("inv.rabat", "investigator, same district"),
    ("chief.rabat", "chief of that district"),
    ("chief.wilaya.rabat", "chief of the Rabat wilaya"),
    ("director", "central unit chief: the annual review of the wilayas (/review/)"),
    ("inspector", "Inspectorate (complaints against officers)"),
    ("dispatch.rabat", "dispatcher, Rabat command room (line-19 board)"),
    ("patrol.rabat.1", "patrol officer (phone page /emergency/patrol/)"),
    ("com.rabat", "communication officer, Rabat cell (media watch /watch/)"),
    ("com.dgsn", "communication officer, central cell (all wilayas)"),
    ("admin", "administrator (API keys /org/keys/, notification outbox /outbox/)"),
)


def banner(bind: str) -> str:
    """The text, for a server listening at `bind` (host:port; a wildcard host shows as 127.0.0.1)."""
    host, _, port = bind.rpartition(":")
    if host in {"", "0.0.0.0", "[::]"}:  # noqa: S104 (shown to the user, not listened on)
        host = "127.0.0.1"
    base = f"http://{host}:{port}"
    width = max(len(name) for name, _ in LOGINS) + 2
    logins = "\n".join(f"    {name:<{width}}{what}" for name, what in LOGINS)
    return f"""
  Amane is running (demo data, simulated line-19 calls in Rabat).
  Staff:             {base}/cases/      (line-19 board: {base}/emergency/board/)
  Citizen portal:    {base}/        (communiqués: {base}/communiques/)
  API documentation: {base}/api/docs
  Demo logins (password: {DEMO_PASSWORD}):
{logins}
  Citizens sign in on the portal through the demo identity provider (fictional people).
  Logs: var/log/   Stop: Ctrl-C
"""
