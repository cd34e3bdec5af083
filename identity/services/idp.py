"""The local demo identity provider's authorization codes (single-use, short-lived, bound to PKCE)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from audit.services import audit_record
from identity.models import IdpAuthorizationCode

IDP_CODE_TTL_SECONDS = 60


def _code_hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


@transaction.atomic
def idp_code_issue(*, subject: str, client_id: str, redirect_uri: str, code_challenge: str, nonce: str) -> str:
    """Issue a single-use authorization code bound to the PKCE challenge; returns it in clear."""
    code = secrets.token_urlsafe(32)
    IdpAuthorizationCode.objects.filter(expires_at__lt=timezone.now() - timedelta(hours=1)).delete()
    row = IdpAuthorizationCode.objects.create(
        code_hash=_code_hash(code),
        client_id=client_id,
        redirect_uri=redirect_uri,
        code_challenge=code_challenge,
        nonce=nonce,
        subject=subject,
        expires_at=timezone.now() + timedelta(seconds=IDP_CODE_TTL_SECONDS),
    )
    audit_record(actor=None, action="identity.idp_code_issued", obj=row, after={"subject": subject})
    return code


@transaction.atomic
def idp_code_redeem(*, code: str, client_id: str, redirect_uri: str, code_verifier: str) -> IdpAuthorizationCode | None:
    """Spend a code and return it if every check passes, else None (the token endpoint's invalid_grant).

    Unknown, used or expired codes, another client or address, and a wrong PKCE verifier are all
    refused. A known code is spent by any attempt, right or wrong, so a stolen code cannot be
    retried with another verifier; hence this returns None instead of raising (which would roll
    the spending back).
    """
    row = IdpAuthorizationCode.objects.select_for_update().filter(code_hash=_code_hash(code or "")).first()
    if row is None or row.used_at is not None or row.expires_at < timezone.now():
        return None
    row.used_at = timezone.now()
    row.save(update_fields=["used_at"])
    challenge = base64.urlsafe_b64encode(hashlib.sha256((code_verifier or "").encode()).digest()).rstrip(b"=")
    ok = (
        row.client_id == client_id
        and row.redirect_uri == redirect_uri
        and 43 <= len(code_verifier or "") <= 128
        and hmac.compare_digest(challenge, row.code_challenge.encode())
    )
    audit_record(actor=None, action="identity.idp_code_redeemed", obj=row, after={"accepted": ok})
    return row if ok else None
