"""HTTP preconditions and idempotency for the API: `ETag`/`If-Match` on carts and
`Idempotency-Key` on POSTs. HTTP semantics only; the services decide everything else."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from functools import wraps

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from ninja import Header
from ninja.decorators import decorate_view
from ninja.errors import HttpError

from cartshare.accounts.idempotency import idempotency_answer_store, idempotency_key_take
from cartshare.accounts.models import Customer, IdempotentRequest
from cartshare.api.auth import bearer_auth
from cartshare.api.errors import problem_response
from cartshare.carts.models import MAX_VERSION, Cart
from cartshare.common.errors import ErrorCode
from cartshare.common.sealing import seal, unseal

ETAG_PATTERN = re.compile(r'^\s*(?:W/)?"(\d{1,10})"\s*$')
IDEMPOTENCY_KEY_PATTERN = re.compile(r"^[\x21-\x7e]{1,255}$")
REPLAYED_HEADERS = ("Content-Type", "ETag", "Location")
FINGERPRINT_SALT = "cartshare.api.idempotency.fingerprint"
SEALING_PURPOSE = "idempotent response"


# Header parameters, declared by the operations that use them (validated and documented).
IfMatch = Header(
    None,
    alias="If-Match",
    description=(
        'The cart\'s ETag, like "7". Writes to the cart itself (name, note, delete, checkout): '
        "refused with 412 if stale. Writes to one line (add, change, remove an item): a stale "
        "ETag is applied when that line did not change since that version, and refused with "
        "412 (`conflict`: who changed it to what) when it did. Optional everywhere."
    ),
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
        raise HttpError(412, _('If-Match must be the cart\'s current ETag, like "7".'))
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
    the database."""
    parts = (request.method or "").encode(), request.get_full_path().encode()
    message = b"\0".join((*parts, _canonical_body(request.body)))
    return salted_hmac(FINGERPRINT_SALT, message, algorithm="sha256").hexdigest()


def _sealed(response: HttpResponse) -> bytes:
    """The response's body and replayed headers, encrypted: a first response may hold a share
    link's URL or other secrets, and the database must not hold them in the clear."""
    headers = {name: response[name] for name in REPLAYED_HEADERS if response.has_header(name)}
    plain = json.dumps({"content": response.content.decode("latin-1"), "headers": headers})
    return seal(plain.encode(), purpose=SEALING_PURPOSE)


def _replay(request: HttpRequest, stored: IdempotentRequest) -> HttpResponse:
    plain = unseal(bytes(stored.sealed_response), purpose=SEALING_PURPOSE)
    if plain is None:  # sealed with a key that is gone: the first response cannot be given
        message = _("This Idempotency-Key's first response can no longer be read; use a new key.")
        return problem_response(
            request,
            status=422,
            detail=message,
            errors={"Idempotency-Key": [message]},
            code=ErrorCode.IDEMPOTENCY_KEY_REUSED,
        )
    opened = json.loads(plain)
    response = HttpResponse(opened["content"].encode("latin-1"), status=stored.status_code)
    for name, value in opened["headers"].items():
        response[name] = value
    response["Idempotent-Replayed"] = "true"
    return response


def _repeat_answer(
    request: HttpRequest, stored: IdempotentRequest, fingerprint: str
) -> HttpResponse:
    if stored.fingerprint != fingerprint:
        message = _("This Idempotency-Key was used with another request; use a new key.")
        return problem_response(
            request,
            status=422,
            detail=message,
            errors={"Idempotency-Key": [message]},
            code=ErrorCode.IDEMPOTENCY_KEY_REUSED,
        )
    return _replay(request, stored)


def _idempotent_run(run: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Wraps an operation's run: a repeat with the same key and body (the same JSON value, in
    any key order) gets the first (2xx) response again, without the work being done twice; the
    same key with another body gets 422. Keys are per caller and kept 24 hours, in the database
    and in the same transaction as the work (`IdempotentRequest`): a request that failed in
    any way (a refusal, a crash, the database going away before the commit) leaves neither
    its work nor its key, so a retry does the work once; one that committed leaves both."""

    @wraps(run)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        key = request.headers.get("Idempotency-Key")
        if key is None:
            return run(request, *args, **kwargs)
        if not IDEMPOTENCY_KEY_PATTERN.match(key):
            message = _("Idempotency-Key must be 1 to 255 visible ASCII characters.")
            return problem_response(
                request, status=422, detail=message, errors={"Idempotency-Key": [message]}
            )
        customer = bearer_auth(request)
        if not isinstance(customer, Customer):  # ninja answers 401 itself
            return run(request, *args, **kwargs)
        key_hash = hashlib.sha256(key.encode()).hexdigest()
        fingerprint = _fingerprint(request)
        with transaction.atomic():
            record, taken = idempotency_key_take(
                customer=customer, key_hash=key_hash, fingerprint=fingerprint
            )
            if not taken:
                return _repeat_answer(request, record, fingerprint)
            response = run(request, *args, **kwargs)
            if 200 <= response.status_code < 300:
                idempotency_answer_store(
                    record=record, status_code=response.status_code, sealed=_sealed(response)
                )
            else:  # refused or failed: nothing of it is kept, the key included
                transaction.set_rollback(True)
        return response

    return wrapper


idempotent = decorate_view(_idempotent_run)
