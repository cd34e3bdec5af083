"""Indicators of the sense of security (DESIGN.md "Indicators"): `registry.INDICATORS`, filled by
`definitions` (importing this package registers them)."""

from analytics.indicators import definitions  # noqa: F401  (registers the indicators)
from analytics.indicators.registry import INDICATORS, Indicator, of_family

__all__ = ["INDICATORS", "Indicator", "of_family"]
