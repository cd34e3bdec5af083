"""Signing keys of the platform: generated into var/ on first use, readable by the owner only.

Two key files: `identity_idp_key.pem` signs the local demo provider's ID tokens and
`identity_ttp_key.pem` signs the trusted-third-party answers. Each is published as a JWKS.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from functools import lru_cache
from pathlib import Path

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings
from jwt.algorithms import RSAAlgorithm

IDP_KEY_FILE = "identity_idp_key.pem"
TTP_KEY_FILE = "identity_ttp_key.pem"


def _load_or_create(path: Path) -> bytes:
    if path.exists():
        return path.read_bytes()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    # O_EXCL: two workers starting at once must not write two different keys.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_bytes()
    with os.fdopen(fd, "wb") as fh:
        fh.write(pem)
    return pem


@lru_cache(maxsize=8)
def _private_key(path: str) -> rsa.RSAPrivateKey:
    key = serialization.load_pem_private_key(_load_or_create(Path(path)), password=None)
    assert isinstance(key, rsa.RSAPrivateKey)
    return key


def private_key(filename: str) -> rsa.RSAPrivateKey:
    return _private_key(str(Path(settings.VAR_DIR) / filename))


def public_jwk(filename: str) -> dict:
    """The public key as a JWK with its RFC 7638 thumbprint as `kid`."""
    jwk = json.loads(RSAAlgorithm.to_jwk(private_key(filename).public_key()))
    canonical = json.dumps({k: jwk[k] for k in ("e", "kty", "n")}, separators=(",", ":"), sort_keys=True)
    kid = base64.urlsafe_b64encode(hashlib.sha256(canonical.encode()).digest()).rstrip(b"=").decode()
    return {**jwk, "kid": kid, "use": "sig", "alg": "RS256"}


def jwks(filename: str) -> dict:
    return {"keys": [public_jwk(filename)]}


def sign(filename: str, claims: dict) -> str:
    return jwt.encode(claims, private_key(filename), algorithm="RS256", headers={"kid": public_jwk(filename)["kid"]})
