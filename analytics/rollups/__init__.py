"""Rollups kept current from the records: `refresh()` (the periodic task, incremental) and `rebuild()`
(`manage.py analytics_rebuild`, from scratch). Both compute rows with the same functions, so a rebuilt
table equals the incrementally kept one (tested)."""

from analytics.rollups.engine import rebuild, refresh

__all__ = ["rebuild", "refresh"]
