"""Fixed-window rate limits kept in Django's cache, so every worker process shares the counters
(database cache by default, Redis when REDIS_URL is set)."""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.core.cache import cache
from django.http import HttpRequest

from cartshare.common.errors import RateLimited

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


def rate_limit_hit(*, scope: str, key: str, rate: str) -> RateDecision:
    """Count one hit of `key` in `scope`; refuse it when the window's limit is used up."""
    parsed = rate_parse(rate)
    if parsed is None:
        return RateDecision(True, 0)
    now = time.time()
    window = int(now // parsed.period)
    cache_key = f"ratelimit:{scope}:{key}:{window}"
    cache.add(cache_key, 0, timeout=parsed.period + 1)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=parsed.period + 1)
        count = 1
    retry_after = max(1, int((window + 1) * parsed.period - now))
    return RateDecision(count <= parsed.limit, retry_after)


def client_address(request: HttpRequest) -> str:
    """The client's address. Behind a proxy, configure it to set REMOTE_ADDR (uvicorn
    --proxy-headers with --forwarded-allow-ips), so that clients cannot spoof it."""
    return request.META.get("REMOTE_ADDR", "unknown")


SHARE_OPEN_SCOPE = "share"
SHARE_OPEN_MESSAGE = (
    "Too many links were opened from your network in a short time. "
    "Wait {seconds} seconds, then try again."
)


def ensure_share_open_allowed(request: HttpRequest) -> None:
    """Link opens are limited per client address, pages and API counted together (spec §5):
    RateLimited (429) past `CARTSHARE_SHARE_RATE_LIMIT`."""
    from django.conf import settings

    decision = rate_limit_hit(
        scope=SHARE_OPEN_SCOPE,
        key=client_address(request),
        rate=settings.CARTSHARE_SHARE_RATE_LIMIT,
    )
    if not decision.allowed:
        raise RateLimited(
            SHARE_OPEN_MESSAGE.format(seconds=decision.retry_after),
            retry_after=decision.retry_after,
        )
