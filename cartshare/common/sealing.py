"""Sealing secrets that must be kept for a while but never readable from a dump: Fernet
(AES-128-CBC + HMAC-SHA256) with a key derived (HKDF-SHA256) from `SECRET_KEY` for each purpose,
`SECRET_KEY_FALLBACKS` accepted when opening, so rotating the key as Django documents it keeps
what was sealed readable."""

from __future__ import annotations

import base64
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings


@lru_cache(maxsize=8)
def _fernet_for(purpose: str, secrets: tuple[str, ...]) -> MultiFernet:
    def key(secret: str) -> Fernet:
        derived = HKDF(
            algorithm=SHA256(), length=32, salt=None, info=f"cartshare {purpose}".encode()
        ).derive(secret.encode())
        return Fernet(base64.urlsafe_b64encode(derived))

    return MultiFernet([key(secret) for secret in secrets])


def _fernet(purpose: str) -> MultiFernet:
    secrets = (settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", []))
    return _fernet_for(purpose, secrets)


def seal(data: bytes, *, purpose: str) -> bytes:
    """`data` encrypted and authenticated for `purpose` (one key per purpose)."""
    return _fernet(purpose).encrypt(data)


def unseal(sealed: bytes, *, purpose: str) -> bytes | None:
    """What `seal` sealed, or None when it was sealed with another key or altered."""
    try:
        return _fernet(purpose).decrypt(sealed)
    except (InvalidToken, TypeError, ValueError):
        return None
