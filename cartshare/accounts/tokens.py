"""API access tokens: issued for e-mail and password, random (256 bits), stored hashed, expiring
and revocable. The credentials are checked (and rate-limited) by accounts.authentication."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from cartshare.accounts.authentication import (  # noqa: F401 (raised here, for callers)
    InvalidCredentials,
    TooManyAttempts,
    customer_authenticate,
)
from cartshare.accounts.models import AccessToken, Customer

TOKEN_PREFIX = "cs_"
TOKEN_BYTES = 32  # 256 bits from the operating system's CSPRNG
DEFAULT_TTL_SECONDS = 86_400
LAST_USED_RESOLUTION = timedelta(minutes=1)


@dataclass(frozen=True)
class IssuedAccessToken:
    """The raw token exists only here, once: the database keeps its hash."""

    raw: str
    token: AccessToken
    expires_in: int


def access_token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


def access_token_ttl() -> int:
    return int(getattr(settings, "CARTSHARE_ACCESS_TOKEN_TTL", DEFAULT_TTL_SECONDS))


def access_token_create(*, email: str, password: str, client: str) -> IssuedAccessToken:
    """A new token for the customer with these credentials (accounts.authentication: rate-limited,
    e-mail matched without regard to case). Inactive customers get none. The credentials are
    checked before the transaction opens, so a refusal's count is never rolled back."""
    customer = customer_authenticate(client, email, password)
    raw = TOKEN_PREFIX + secrets.token_urlsafe(TOKEN_BYTES)
    ttl = access_token_ttl()
    with transaction.atomic():
        token = AccessToken.objects.create(
            customer=customer,
            token_hash=access_token_hash(raw),
            expires_at=timezone.now() + timedelta(seconds=ttl),
        )
    return IssuedAccessToken(raw=raw, token=token, expires_in=ttl)


def access_token_authenticate(raw: str) -> AccessToken | None:
    """The live token for `raw` (with its customer loaded), or None: unknown, expired, revoked,
    or belonging to an inactive customer."""
    if not raw or len(raw) > 200:
        return None
    now = timezone.now()
    token = (
        AccessToken.objects.select_related("customer")
        .filter(
            token_hash=access_token_hash(raw),
            revoked_at__isnull=True,
            expires_at__gt=now,
            customer__is_active=True,
        )
        .first()
    )
    if token is None:
        return None
    if token.last_used_at is None or token.last_used_at < now - LAST_USED_RESOLUTION:
        AccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def access_token_revoke(*, token: AccessToken) -> None:
    """The token stops working at once. Revoking twice changes nothing."""
    AccessToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    token.refresh_from_db(fields=["revoked_at"])


def access_tokens_revoke_all(*, customer: Customer) -> int:
    """Every live token of the customer stops working at once; answers how many did."""
    return AccessToken.objects.filter(customer=customer, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
