"""HTTP preconditions and idempotency for the API: `ETag`/`If-Match` on carts and
`Idempotency-Key` on POSTs. HTTP semantics only; the services decide everything else."""

from __future__ import annotations

import hashlib
import re
from functools import wraps

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from ninja import Header
from ninja.decorators import decorate_view
from ninja.errors import HttpError

from cartshare.api.auth import bearer_auth
from cartshare.api.errors import problem_response

MAX_VERSION = 2**31 - 1
ETAG_PATTERN = re.compile(r'^\s*(?:W/)?"(\d{1,10})"\s*$')
IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60
IN_PROGRESS_TTL_SECONDS = 60
IDEMPOTENCY_KEY_PATTERN = re.compile(r"^[\x21-\x7e]{1,255}$")
REPLAYED_HEADERS = ("Content-Type", "ETag", "Location")


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


def expected_version(if_match: str | None) -> int | None:
    """The cart version an `If-Match` asks for; None without the header or for `*`. A value that
    can never match a cart's ETag is refused the way a stale one is: 412, nothing changed."""
    if if_match is None or if_match.strip() == "*":
        return None
    found = ETAG_PATTERN.match(if_match)
    if found is None or int(found.group(1)) > MAX_VERSION:
        raise HttpError(412, 'If-Match must be the cart\'s current ETag, like "7".')
    return int(found.group(1))


def _fingerprint(request: HttpRequest) -> str:
    digest = hashlib.sha256()
    for part in (request.method or "", request.get_full_path(), request.body):
        digest.update(part if isinstance(part, bytes) else part.encode())
        digest.update(b"\0")
    return digest.hexdigest()


def _replay(stored: dict) -> HttpResponse:
    response = HttpResponse(stored["content"], status=stored["status"])
    for name, value in stored["headers"].items():
        response[name] = value
    response["Idempotent-Replayed"] = "true"
    return response


def _idempotent_run(run):
    """Wraps an operation's run: a repeat with the same key and body gets the first (2xx)
    response again, without the work being done twice; the same key with another body gets 422.
    Keys are per caller and kept 24 hours in Django's cache, which every worker shares."""

    @wraps(run)
    def wrapper(request: HttpRequest, *args, **kwargs):
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
            return _replay(stored)
        try:
            response = run(request, *args, **kwargs)
        except BaseException:
            cache.delete(cache_key)
            raise
        if 200 <= response.status_code < 300:
            headers = {
                name: response[name] for name in REPLAYED_HEADERS if response.has_header(name)
            }
            stored = {
                "fingerprint": fingerprint,
                "status": response.status_code,
                "content": response.content,
                "headers": headers,
            }
            cache.set(cache_key, stored, IDEMPOTENCY_TTL_SECONDS)
        else:  # failures change nothing, so a retry may do the work
            cache.delete(cache_key)
        return response

    return wrapper


idempotent = decorate_view(_idempotent_run)
