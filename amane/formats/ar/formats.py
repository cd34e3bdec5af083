# Day first, 24-hour clock (see amane/formats/__init__.py); the months are Morocco's (core/dates.py).
from amane.formats.common import *  # noqa: F403

DATETIME_FORMAT = "j F Y، H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
