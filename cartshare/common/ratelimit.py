"""Fixed-window rate limits that every worker process shares: counted in Redis when the cache is
Redis (REDIS_URL), else in the database table `accounts_ratelimitcounter`. Counting is atomic on
both (INCR+EXPIRE; an upsert), see docs/decisions/authentication-and-rate-limits.md.

While Redis does not answer, the counting falls back to the database table (and keeps off Redis
for `REDIS_REST_SECONDS` in this process): a limit still holds, and link opens and log-ins go on
working (docs/decisions/database-outages.md, "Redis")."""

from __future__ import annotations

import hashlib
import logging
import secrets
import time
from dataclasses import dataclass

import redis
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.db import DatabaseError, connection, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils.translation import ngettext

from cartshare.accounts.models import RateLimitCounter
from cartshare.common.database import redis_unavailable
from cartshare.common.errors import RateLimited

logger = logging.getLogger("cartshare.ratelimit")

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class Rate:
    limit: int
    period: int


class InvalidRate(ValueError):
    pass


def rate_parse(text: str) -> Rate | None:
    """'60/m' -> Rate(60, 60); 'off' (or empty) -> None, meaning no limit."""
    text = (text or "").strip().lower()
    if text in {"", "off", "none", "0"}:
        return None
    try:
        count, unit = text.split("/")
        limit, period = int(count), PERIODS[unit.strip()[:1]]
    except (ValueError, KeyError) as error:
        raise InvalidRate(
            f"Rate limit {text!r} is not of the form N/s, N/m, N/h or N/d."
        ) from error
    if limit < 1:
        raise InvalidRate(f"Rate limit {text!r} must allow at least one request.")
    return Rate(limit, period)


@dataclass(frozen=True)
class RateDecision:
    allowed: bool
    retry_after: int


def _bucket(scope: str, key: str, window: int) -> str:
    digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()
    return f"ratelimit:{scope}:{digest}:{window}"


def _row_bucket(bucket: str) -> str:
    """The database row's name for a bucket: 64 hex digits."""
    return hashlib.sha256(bucket.encode()).hexdigest()


def _redis_client() -> redis.Redis | None:
    """A client of the Redis the cache uses, or None when the cache is not Redis: counters are
    kept where the cache is, so that every worker shares them."""
    backend = caches["default"]
    if not isinstance(backend, RedisCache):
        return None
    location: object = settings.CACHES["default"]["LOCATION"]
    if isinstance(location, list | tuple):
        location = location[0]
    url = str(location).split(",")[0]
    client = _REDIS_CLIENTS.get(url)
    if client is None:
        timeout = settings.REDIS_TIMEOUT_SECONDS
        client = _REDIS_CLIENTS[url] = redis.Redis.from_url(
            url, socket_connect_timeout=timeout, socket_timeout=timeout
        )
    return client


_REDIS_CLIENTS: dict[str, redis.Redis] = {}
# After Redis failed to answer, this process counts in the database for this long before it
# asks Redis again: during an outage a request does not wait for a timeout each time.
REDIS_REST_SECONDS = 2.0
_redis_resting_until = 0.0
_TABLE = "accounts_ratelimitcounter"
_UPSERT = (
    f"INSERT INTO {_TABLE} (bucket, count, window_ends) VALUES (%s, %s, %s) "
    f"ON CONFLICT (bucket) DO UPDATE SET count = {_TABLE}.count + excluded.count "
    "RETURNING count"
)
_CLEANUP_EVERY = 50  # one new window in ~50 also deletes the ended ones


def _count(bucket: str, delta: int, window_ends: int, now: float) -> int:
    """Add `delta` to the window's counter at once and answer the new count: INCR+EXPIRE in one
    MULTI on Redis, one upsert in the database. Both are atomic across processes, and both are
    kept whatever happens to the request's transaction: Redis has none, and the database write
    is made outside of any transaction (see `_in_database`). A Redis that does not answer
    hands the count to the database (see the module's docstring)."""
    global _redis_resting_until
    client = _redis_client()
    if client is not None and time.monotonic() >= _redis_resting_until:
        try:
            return _in_redis(client, bucket, delta, window_ends)
        except redis.RedisError as error:
            if not redis_unavailable(error):
                raise
            logger.warning("Redis does not answer; rate limits are counted in the database")
            _redis_resting_until = time.monotonic() + REDIS_REST_SECONDS
    if delta < 0:  # a refund: never below zero, never a new row
        RateLimitCounter.objects.filter(bucket=_row_bucket(bucket), count__gte=-delta).update(
            count=F("count") + delta
        )
        return 0
    return _in_database(bucket, delta, window_ends, now)


def _in_redis(client: redis.Redis, bucket: str, delta: int, window_ends: int) -> int:
    key = caches["default"].make_key(bucket)
    pipe = client.pipeline(transaction=True)
    pipe.incrby(key, delta)
    pipe.expireat(key, window_ends + 1)
    count, _ = pipe.execute()
    return int(count)


def _in_database(bucket: str, delta: int, window_ends: int, now: float) -> int:
    """The upsert, committed at once when no transaction is open. Every caller that counts
    failures (accounts.authentication) does so outside of transactions, so a rolled-back
    request cannot undo its count; inside a transaction (tests, or a caller's atomic block) the
    count lives and dies with it. Ended windows are deleted in a savepoint of their own, so a
    failed cleanup never breaks the caller's transaction."""
    with connection.cursor() as cursor:
        cursor.execute(_UPSERT, [_row_bucket(bucket), delta, window_ends])
        (count,) = cursor.fetchone()
    if count == delta and secrets.randbelow(_CLEANUP_EVERY) == 0:
        rate_limit_windows_delete_ended(now)
    return int(count)


def rate_limit_windows_delete_ended(now: float | None = None) -> int:
    """Deletes the database's counters of ended windows; answers how many. In a savepoint when
    a transaction is open (the deletion is then part of it), committed at once when none is; a
    failure (another worker deleting the same rows: theirs will do) is swallowed either way
    without breaking the caller's transaction."""
    moment = int(time.time() if now is None else now)
    try:
        with transaction.atomic():
            deleted, _ = RateLimitCounter.objects.filter(window_ends__lt=moment).delete()
    except DatabaseError:
        return 0
    return deleted


def rate_limit_hit(*, scope: str, key: str, rate: str) -> RateDecision:
    """Count one hit of `key` in `scope`; refuse it when the window's limit is used up. The
    counting is atomic, so parallel requests in several workers never get past the limit."""
    parsed = rate_parse(rate)
    if parsed is None:
        return RateDecision(True, 0)
    now = time.time()
    window = int(now // parsed.period)
    window_ends = (window + 1) * parsed.period
    count = _count(_bucket(scope, key, window), 1, window_ends, now)
    retry_after = max(1, int(window_ends - now))
    return RateDecision(count <= parsed.limit, retry_after)


def rate_limit_refund(*, scope: str, key: str, rate: str) -> None:
    """Take back one hit of the current window (a log-in attempt counted before the password
    was checked turned out right)."""
    parsed = rate_parse(rate)
    if parsed is None:
        return
    now = time.time()
    window = int(now // parsed.period)
    _count(_bucket(scope, key, window), -1, (window + 1) * parsed.period, now)


def client_address(request: HttpRequest) -> str:
    """The client's address. Behind a proxy, configure it to set REMOTE_ADDR (uvicorn
    --proxy-headers with --forwarded-allow-ips), so that clients cannot spoof it."""
    return request.META.get("REMOTE_ADDR", "unknown")


SHARE_OPEN_SCOPE = "share"


def share_open_refusal(seconds: int) -> str:
    return ngettext(
        "Too many links were opened from your network in a short time. "
        "Wait %(seconds)s second, then try again.",
        "Too many links were opened from your network in a short time. "
        "Wait %(seconds)s seconds, then try again.",
        seconds,
    ) % {"seconds": seconds}


def ensure_share_open_allowed(request: HttpRequest) -> None:
    """Link opens are limited per client address, pages and API counted together (spec §5):
    RateLimited (429) past `CARTSHARE_SHARE_RATE_LIMIT`."""
    decision = rate_limit_hit(
        scope=SHARE_OPEN_SCOPE,
        key=client_address(request),
        rate=settings.CARTSHARE_SHARE_RATE_LIMIT,
    )
    if not decision.allowed:
        raise RateLimited(
            share_open_refusal(decision.retry_after),
            retry_after=decision.retry_after,
        )
