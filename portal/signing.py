"""Signed survey links: a closed complaint's id signed with the site key, valid for a set time.

The link carries no personal data and no reference: only a signed, timestamped case id.
"""

from __future__ import annotations

from django.core import signing

from portal import conf

SURVEY_SALT = "portal.survey.v1"


def survey_token(case_id: int) -> str:
    return signing.dumps({"c": case_id}, salt=SURVEY_SALT)


def survey_case_id(token: str) -> int | None:
    """The case id a survey link is for, or None when it is forged, expired or malformed."""
    try:
        payload = signing.loads(token, salt=SURVEY_SALT, max_age=conf.survey_max_age_seconds())
        return int(payload["c"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
