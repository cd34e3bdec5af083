"""Settings of the Open311 GeoReport v2 endpoint, read from AMANE_* environment variables.

Each value may be overridden on django.conf.settings under the same name (tests use pytest-django's
`settings` fixture); the functions below read settings first, then the environment default.
"""

from __future__ import annotations

from django.conf import settings

from core.env import env_int, env_str

# The jurisdiction_id this endpoint answers to; any other value is refused with a 404.
AMANE_OPEN311_JURISDICTION = env_str("AMANE_OPEN311_JURISDICTION", "amane")
# The contact line of the discovery document.
AMANE_OPEN311_CONTACT = env_str(
    "AMANE_OPEN311_CONTACT", "DGSN — Direction Générale de la Sûreté Nationale, open311@dgsn.invalid"
)
# Where a partner asks for an API key (discovery's key_service).
AMANE_OPEN311_KEY_SERVICE = env_str("AMANE_OPEN311_KEY_SERVICE", "mailto:open311@dgsn.invalid")
# Username of the service account through which partner requests are filed.
AMANE_OPEN311_ACCOUNT = env_str("AMANE_OPEN311_ACCOUNT", "open311")
# Default and largest page_size of GET requests (the spec: "Default query limit is a span of 90 days
# or first 1000 requests returned"); a larger page_size is answered with the largest page.
AMANE_OPEN311_PAGE_SIZE = env_int("AMANE_OPEN311_PAGE_SIZE", 1000)
AMANE_OPEN311_PAGE_SIZE_MAX = env_int("AMANE_OPEN311_PAGE_SIZE_MAX", 1000)
# Widest start_date..end_date window of GET requests, in days (the specification says 90).
AMANE_OPEN311_MAX_RANGE_DAYS = env_int("AMANE_OPEN311_MAX_RANGE_DAYS", 90)


# Requests per minute: per partner key (GET and POST), per client address for reads without a key.
AMANE_OPEN311_RATE_KEY = env_str("AMANE_OPEN311_RATE_KEY", "600/60")
AMANE_OPEN311_RATE_ANONYMOUS = env_str("AMANE_OPEN311_RATE_ANONYMOUS", "120/60")
# H3 resolution of the public feed's places (9: cells of about 0.1 km²).
AMANE_OPEN311_FEED_H3_RESOLUTION = env_int("AMANE_OPEN311_FEED_H3_RESOLUTION", 9)


def get(name: str):
    return getattr(settings, name, globals()[name])
