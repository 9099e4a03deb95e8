"""API access tokens: issued for e-mail and password, random (256 bits), stored hashed, expiring
and revocable. Failed credential attempts are rate-limited per client."""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from cartshare.accounts.models import AccessToken
from cartshare.common.errors import DomainError
from cartshare.common.ratelimit import rate_limit_hit

TOKEN_PREFIX = "cs_"
TOKEN_BYTES = 32  # 256 bits from the operating system's CSPRNG
DEFAULT_TTL_SECONDS = 86_400
LAST_USED_RESOLUTION = timedelta(minutes=1)
LOGIN_SCOPE = "login"


class InvalidCredentials(DomainError):
    """Wrong e-mail or password, or an inactive account: the three are indistinguishable."""

    status = 401


class TooManyAttempts(DomainError):
    """Too many failed attempts from this client; `retry_after` says how many seconds to wait."""

    status = 429

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


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


def _blocked_key(client: str) -> str:
    return f"{LOGIN_SCOPE}-blocked:{client}"


def _ensure_not_blocked(client: str) -> None:
    """Once a client used up its failed attempts, every attempt (right or wrong) is refused until
    the window ends; otherwise a guesser would still learn when a password is right."""
    until = cache.get(_blocked_key(client))
    if until is not None and until > time.time():
        raise TooManyAttempts(
            "Too many failed log-in attempts. Wait a moment and try again.",
            retry_after=max(1, int(until - time.time()) + 1),
        )


def _count_failure(client: str) -> None:
    rate = getattr(settings, "CARTSHARE_LOGIN_RATE_LIMIT", "10/m")
    decision = rate_limit_hit(scope=LOGIN_SCOPE, key=client, rate=rate)
    if not decision.allowed:
        cache.set(
            _blocked_key(client), time.time() + decision.retry_after, decision.retry_after + 1
        )
        raise TooManyAttempts(
            "Too many failed log-in attempts. Wait a moment and try again.",
            retry_after=decision.retry_after,
        )


@transaction.atomic
def access_token_create(*, email: str, password: str, client: str) -> IssuedAccessToken:
    """A new token for the customer with these credentials. Inactive customers get none."""
    _ensure_not_blocked(client)
    customer = authenticate(request=None, email=email.strip().lower(), password=password)
    if customer is None:
        _count_failure(client)
        raise InvalidCredentials("The e-mail address or the password is not correct.")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(TOKEN_BYTES)
    ttl = access_token_ttl()
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
