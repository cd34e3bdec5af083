# Day first, 24-hour clock (see amane/formats/__init__.py).
from amane.formats.common import *  # noqa: F403

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
