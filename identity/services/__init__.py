"""Every write of the digital-identity app, by sub-domain: citizens (sign-in, identity reads), the
trusted-third-party check (consents, checks, signed answers), the local demo provider's codes.
Callers import from `identity.services`."""

from identity.services.citizens import (
    CitizenIdentity,
    IdentityPurpose,
    citizen_identity_read,
    citizen_sign_in,
    citizen_sign_out,
    nonce_consume,
)
from identity.services.idp import idp_code_issue, idp_code_redeem
from identity.services.ttp import (
    TtpRequest,
    partner_authenticate,
    signed_answer,
    ttp_check,
    ttp_consent_give,
    ttp_consent_withdraw,
    ttp_issuer,
)

__all__ = [
    "CitizenIdentity",
    "IdentityPurpose",
    "TtpRequest",
    "citizen_identity_read",
    "citizen_sign_in",
    "citizen_sign_out",
    "idp_code_issue",
    "idp_code_redeem",
    "nonce_consume",
    "partner_authenticate",
    "signed_answer",
    "ttp_check",
    "ttp_consent_give",
    "ttp_consent_withdraw",
    "ttp_issuer",
]
