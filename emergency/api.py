"""REST endpoints of line 19 (calls, incidents, patrols), scoped to the caller's jurisdiction."""

from ninja import Router

router = Router(tags=["line 19"])
