"""Share-link tokens and URLs (spec §5): made, hashed, encrypted and turned into URLs here.

Tokens are `secrets.token_urlsafe(32)` (256 bits). The database keeps only their sha256, to find
a link, and a Fernet encryption of them, so the owner can copy the URL again. The Fernet key is
derived (HKDF-SHA256) from `CARTSHARE_LINK_KEY`, or from `SECRET_KEY` (and
`SECRET_KEY_FALLBACKS`) when that is empty. A database dump alone yields no working link;
changing the key leaves every link working but makes the owner create a new one to copy it.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.http import HttpRequest

from cartshare.sharing.models import ShareLink

TOKEN_BYTES = 32  # 256 bits from the OS's CSPRNG; token_urlsafe makes 43 characters of it
MAX_TOKEN_LENGTH = 128  # longer strings are not tokens: refused before hashing
SHARE_PATH = "/share/"


def token_new() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _link_secrets() -> tuple[str, ...]:
    dedicated: str = getattr(settings, "CARTSHARE_LINK_KEY", "")
    if dedicated:
        return (dedicated,)
    return (settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", []))


@lru_cache(maxsize=4)
def _fernet_for(link_secrets: tuple[str, ...]) -> MultiFernet:
    def key(secret: str) -> Fernet:
        derived = HKDF(
            algorithm=SHA256(), length=32, salt=None, info=b"cartshare share-link token"
        ).derive(secret.encode())
        return Fernet(base64.urlsafe_b64encode(derived))

    return MultiFernet([key(secret) for secret in link_secrets])


def _fernet() -> MultiFernet:
    return _fernet_for(_link_secrets())


def token_encrypt(token: str) -> str:
    return _fernet().encrypt(token.encode()).decode()


def base_url_for(request: HttpRequest) -> str:
    """`CARTSHARE_BASE_URL` when configured, else the scheme and host the request came to."""
    configured: str = settings.CARTSHARE_BASE_URL
    return (configured or request.build_absolute_uri("/")).rstrip("/")


def url_for_token(token: str, base_url: str) -> str:
    return f"{base_url.rstrip('/')}{SHARE_PATH}{token}"


def share_link_url(link: ShareLink, base_url: str) -> str | None:
    """The link's absolute URL, or None when its token can no longer be decrypted (the key
    changed): the link still works for whoever has it, but the owner needs a new one to copy."""
    try:
        token = _fernet().decrypt(link.token_encrypted.encode()).decode()
    except InvalidToken:
        return None
    return url_for_token(token, base_url)
