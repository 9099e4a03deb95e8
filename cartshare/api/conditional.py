"""HTTP preconditions and idempotency for the API: `ETag`/`If-Match` on carts and
`Idempotency-Key` on POSTs. HTTP semantics only; the services decide everything else."""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Callable
from functools import wraps

import redis
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.crypto import salted_hmac
from ninja import Header
from ninja.decorators import decorate_view
from ninja.errors import HttpError

from cartshare.api.auth import bearer_auth
from cartshare.api.errors import problem_response
from cartshare.carts.models import Cart
from cartshare.common.database import redis_unavailable
from cartshare.common.sealing import seal, unseal

logger = logging.getLogger("cartshare.api")

MAX_VERSION = 2**31 - 1
ETAG_PATTERN = re.compile(r'^\s*(?:W/)?"(\d{1,10})"\s*$')
IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60
IN_PROGRESS_TTL_SECONDS = 60
IDEMPOTENCY_KEY_PATTERN = re.compile(r"^[\x21-\x7e]{1,255}$")
REPLAYED_HEADERS = ("Content-Type", "ETag", "Location")
FINGERPRINT_SALT = "cartshare.api.idempotency.fingerprint"
SEALING_PURPOSE = "idempotent response"


# Header parameters, declared by the operations that use them (validated and documented).
IfMatch = Header(
    None, alias="If-Match", description='The cart\'s ETag, like "7": refused with 412 if stale.'
)
IdempotencyKey = Header(
    None,
    alias="Idempotency-Key",
    max_length=255,
    description="Repeat with the same key and body: the first response, the work done once.",
)


def etag_for(version: int) -> str:
    return f'"{version}"'


def with_etag(response: HttpResponse, cart: Cart) -> None:
    response["ETag"] = etag_for(cart.version)


def expected_version(if_match: str | None) -> int | None:
    """The cart version an `If-Match` asks for; None without the header or for `*`. A value that
    can never match a cart's ETag is refused the way a stale one is: 412, nothing changed."""
    if if_match is None or if_match.strip() == "*":
        return None
    found = ETAG_PATTERN.match(if_match)
    if found is None or int(found.group(1)) > MAX_VERSION:
        raise HttpError(412, 'If-Match must be the cart\'s current ETag, like "7".')
    return int(found.group(1))


def _canonical_body(body: bytes) -> bytes:
    """A JSON body as its parsed value (key order and spacing do not count); anything else as
    its bytes."""
    try:
        parsed = json.loads(body)
    except ValueError:
        return b"raw:" + body
    return b"json:" + json.dumps(parsed, sort_keys=True, separators=(",", ":")).encode()


def _fingerprint(request: HttpRequest) -> str:
    """What makes a repeat the same request: method, address and body. Keyed with SECRET_KEY,
    so a stored fingerprint reveals nothing about a body (a password, say) to whoever reads
    the cache."""
    parts = (request.method or "").encode(), request.get_full_path().encode()
    message = b"\0".join((*parts, _canonical_body(request.body)))
    return salted_hmac(FINGERPRINT_SALT, message, algorithm="sha256").hexdigest()


def _sealed(response: HttpResponse) -> bytes:
    """The response's body and replayed headers, encrypted: a first response may hold a share
    link's URL or other secrets, and the cache (a database table, or Redis) must not."""
    headers = {name: response[name] for name in REPLAYED_HEADERS if response.has_header(name)}
    plain = json.dumps({"content": response.content.decode("latin-1"), "headers": headers})
    return seal(plain.encode(), purpose=SEALING_PURPOSE)


def _replay(request: HttpRequest, stored: dict) -> HttpResponse:
    plain = unseal(stored.get("sealed", b""), purpose=SEALING_PURPOSE)
    if plain is None:  # sealed with a key that is gone: the first response cannot be given
        message = "This Idempotency-Key's first response can no longer be read; use a new key."
        return problem_response(
            request, status=422, detail=message, errors={"Idempotency-Key": [message]}
        )
    opened = json.loads(plain)
    response = HttpResponse(opened["content"].encode("latin-1"), status=stored["status"])
    for name, value in opened["headers"].items():
        response[name] = value
    response["Idempotent-Replayed"] = "true"
    return response


def _idempotent_run(run: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Wraps an operation's run: a repeat with the same key and body (the same JSON value, in
    any key order) gets the first (2xx) response again, without the work being done twice; the
    same key with another body gets 422. Keys are per caller and kept 24 hours in Django's
    cache, which every worker shares; what is kept of the response is encrypted (`_sealed`)."""

    @wraps(run)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        key = request.headers.get("Idempotency-Key")
        if key is None:
            return run(request, *args, **kwargs)
        if not IDEMPOTENCY_KEY_PATTERN.match(key):
            message = "Idempotency-Key must be 1 to 255 visible ASCII characters."
            return problem_response(
                request, status=422, detail=message, errors={"Idempotency-Key": [message]}
            )
        customer = bearer_auth(request)
        if customer is None:  # ninja answers 401 itself
            return run(request, *args, **kwargs)
        cache_key = f"idempotency:{customer.pk}:{hashlib.sha256(key.encode()).hexdigest()}"
        fingerprint = _fingerprint(request)
        if not cache.add(
            cache_key, {"fingerprint": fingerprint, "pending": True}, IN_PROGRESS_TTL_SECONDS
        ):
            stored = cache.get(cache_key) or {}
            if stored.get("fingerprint") != fingerprint:
                message = "This Idempotency-Key was used with another request; use a new key."
                return problem_response(
                    request, status=422, detail=message, errors={"Idempotency-Key": [message]}
                )
            if stored.get("pending"):
                return problem_response(
                    request,
                    status=409,
                    detail="A request with this Idempotency-Key is still being processed.",
                    headers={"Retry-After": "1"},
                )
            return _replay(request, stored)
        try:
            response = run(request, *args, **kwargs)
        except BaseException:
            cache.delete(cache_key)
            raise
        if 200 <= response.status_code < 300:
            stored = {
                "fingerprint": fingerprint,
                "status": response.status_code,
                "sealed": _sealed(response),
            }
            try:
                cache.set(cache_key, stored, IDEMPOTENCY_TTL_SECONDS)
            except redis.RedisError as error:  # the work is done: its answer is not withheld
                if not redis_unavailable(error):
                    raise
                logger.warning("Idempotency-Key not kept, Redis does not answer: %s", error)
        else:  # failures change nothing, so a retry may do the work
            cache.delete(cache_key)
        return response

    return wrapper


idempotent = decorate_view(_idempotent_run)
