"""Data tables of the demo: real places, invented people, what they report.

The loaders read them as `data.WILAYAS`, `data.FIRST_NAMES`...; nothing here touches the database.
"""

from demo.data.complaints import (
    CLOSING_REPORTS,
    DESCRIPTIONS,
    INSTRUCTION_NOTES,
    ITEMS,
    NOTES,
    OFFENCE_OF_CATEGORY,
    REOPEN_NOTES,
    REQUEST_NOTES,
    TIMES,
    TRANSFER_NOTES,
)
from demo.data.line19 import (
    PLACES,
)
from demo.data.people import (
    CNIE_PREFIXES,
    FIRST_NAMES,
    LAST_NAMES,
)
from demo.data.places import (
    CENTRAL,
    CENTRAL_COMMUNICATION,
    DEMO_EMAIL_DOMAIN,
    DEMO_PASSWORD,
    INSPECTORATE,
    Area,
    District,
    Place,
    Wilaya,
    english_name,
)
from demo.data.wilayas import (
    WILAYAS,
)

__all__ = [
    "CENTRAL",
    "CENTRAL_COMMUNICATION",
    "CLOSING_REPORTS",
    "CNIE_PREFIXES",
    "DEMO_EMAIL_DOMAIN",
    "DEMO_PASSWORD",
    "DESCRIPTIONS",
    "FIRST_NAMES",
    "INSPECTORATE",
    "INSTRUCTION_NOTES",
    "ITEMS",
    "LAST_NAMES",
    "NOTES",
    "OFFENCE_OF_CATEGORY",
    "PLACES",
    "REOPEN_NOTES",
    "REQUEST_NOTES",
    "TIMES",
    "TRANSFER_NOTES",
    "WILAYAS",
    "Area",
    "District",
    "Place",
    "Wilaya",
    "english_name",
]
