"""Every write to the organisation, by sub-domain: units, users, partners and keys
(`organisation`); sign-in throttling (`throttle`); the second factor (`second_factor`); staff
sessions (`sessions`). Each write runs in one transaction with its audit record. Callers import from
`org.services`; the sub-modules are how the code is kept, not an API.
"""

from org.services.organisation import (
    KEY_DEFAULT_DAYS,
    KEY_MAX_DAYS,
    api_key_create,
    api_key_revoke,
    api_key_use,
    key_hash,
    partner_create,
    password_check,
    service_account,
    unit_create,
    user_create,
)

__all__ = [
    "KEY_DEFAULT_DAYS",
    "KEY_MAX_DAYS",
    "api_key_create",
    "api_key_revoke",
    "api_key_use",
    "key_hash",
    "partner_create",
    "password_check",
    "service_account",
    "unit_create",
    "user_create",
]
