"""API access tokens: issued for e-mail and password, random (256 bits), stored hashed, expiring
and revocable. The credentials are checked (and rate-limited) by accounts.authentication."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connections, router, transaction
from django.utils import timezone

from cartshare.accounts.authentication import (  # noqa: F401 (raised here, for callers)
    InvalidCredentials,
    TooManyAttempts,
    customer_authenticate,
)
from cartshare.accounts.models import AccessToken, Customer
from cartshare.common.rows import WithRelated, column, quote

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


# The token with its customer, in SQL of our own (common/rows.py): every API request with a
# bearer token runs it, and compiling the queryset cost ten times running it.
_TOKEN_WITH_CUSTOMER = WithRelated.of(AccessToken, "customer")
_TOKENS, _CUSTOMERS = quote(AccessToken._meta.db_table), quote(Customer._meta.db_table)
_LIVE = (
    f"WHERE {_TOKENS}.{quote(column(AccessToken, 'token_hash'))} = %s "
    f"AND {_TOKENS}.{quote(column(AccessToken, 'revoked_at'))} IS NULL "
    f"AND {_TOKENS}.{quote(column(AccessToken, 'expires_at'))} > %s "
    f"AND {_CUSTOMERS}.{quote(column(Customer, 'is_active'))} = %s"
)


def _live_token(hash_: str, now: datetime) -> AccessToken | None:
    """The token with this hash (unique) if it is neither revoked nor expired and its customer
    is active, with the customer loaded: what the ORM's `select_related` would give."""
    connection = connections[router.db_for_read(AccessToken)]
    expires_at = AccessToken._meta.get_field("expires_at")
    is_active = Customer._meta.get_field("is_active")
    params = [
        hash_,
        expires_at.get_db_prep_value(now, connection),
        is_active.get_db_prep_value(True, connection),
    ]
    token = _TOKEN_WITH_CUSTOMER.first(_LIVE, params)
    assert token is None or isinstance(token, AccessToken)
    return token


def access_token_authenticate(raw: str) -> AccessToken | None:
    """The live token for `raw` (with its customer loaded), or None: unknown, expired, revoked,
    or belonging to an inactive customer."""
    if not raw or len(raw) > 200:
        return None
    now = timezone.now()
    token = _live_token(access_token_hash(raw), now)
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
