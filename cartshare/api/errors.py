"""Every error under /api/ becomes application/problem+json (RFC 9457) here, and only here:
domain errors from the services, ninja's parsing and validation errors, and anything unexpected
(logged with the request id, which the body carries)."""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

import redis
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from ninja.errors import AuthenticationError, HttpError, ValidationError

from cartshare.api.schemas import LineConflictOut, Problem
from cartshare.carts.conflicts import LineConflict
from cartshare.common.database import (
    RETRY_AFTER_SECONDS,
    UNAVAILABLE_MESSAGE,
    store_unavailable,
)
from cartshare.common.errors import DomainError, ErrorCode, StaleVersion
from cartshare.common.headers import SHARE_HEADERS

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise
    from ninja import NinjaAPI

logger = logging.getLogger("cartshare.api")

PROBLEM_CONTENT_TYPE = "application/problem+json"
TYPE_PREFIX = "urn:cartshare:problem:"
# Headers a problem response keeps from the response it replaces.
KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate", "ETag")

# Titles and details follow the request's language (Accept-Language); `code`, `type` and field
# names never do. The OpenAPI document is written in English (`CartshareAPI`).
TITLES: dict[int, StrOrPromise] = {
    400: gettext_lazy("Malformed request"),
    401: gettext_lazy("Authentication required"),
    403: gettext_lazy("Not allowed"),
    404: gettext_lazy("Not found"),
    405: gettext_lazy("Method not allowed"),
    409: gettext_lazy("Conflict with the current state"),
    410: gettext_lazy("Gone"),
    412: gettext_lazy("Precondition failed"),
    413: gettext_lazy("Request body too large"),
    415: gettext_lazy("Unsupported media type"),
    422: gettext_lazy("Validation failed"),
    429: gettext_lazy("Too many requests"),
    500: gettext_lazy("Internal server error"),
    503: gettext_lazy("Service unavailable"),
}


@dataclass(frozen=True)
class ProblemCode:
    """One documented `code`: the status it comes with and what a client can do about it."""

    status: int
    title: StrOrPromise  # in the language of the request
    meaning: str  # documentation (docs/api.md, the OpenAPI examples): English


# Every code a problem can carry, with its status: docs/api.md ("Problem codes") lists the same,
# the OpenAPI document's Problem.code is this enum (tests/api/test_openapi_document.py).
PROBLEM_CODES: dict[ErrorCode, ProblemCode] = {
    ErrorCode.MALFORMED_REQUEST: ProblemCode(
        400, gettext_lazy("Malformed request"), "The body is not a JSON object in UTF-8."
    ),
    ErrorCode.AUTHENTICATION_REQUIRED: ProblemCode(
        401,
        gettext_lazy("Authentication required"),
        "No access token, or one that is unknown or revoked.",
    ),
    ErrorCode.INVALID_CREDENTIALS: ProblemCode(
        401, gettext_lazy("Invalid credentials"), "`POST /access-tokens`: wrong e-mail or password."
    ),
    ErrorCode.FORBIDDEN: ProblemCode(
        403,
        gettext_lazy("Not allowed"),
        "The caller sees the object, but their level does not allow this.",
    ),
    ErrorCode.LINK_OTHER_UNIT: ProblemCode(
        403,
        gettext_lazy("Link for another business unit"),
        "An internal link of another business unit.",
    ),
    ErrorCode.NOT_FOUND: ProblemCode(
        404,
        gettext_lazy("Not found"),
        "Unknown, or not visible to the caller (the two look alike).",
    ),
    ErrorCode.METHOD_NOT_ALLOWED: ProblemCode(
        405,
        gettext_lazy("Method not allowed"),
        "The `Allow` header lists the methods of the address.",
    ),
    ErrorCode.CONFLICT: ProblemCode(
        409,
        gettext_lazy("Conflict with the current state"),
        "The object's state refuses the change.",
    ),
    ErrorCode.CART_ORDERED: ProblemCode(
        409,
        gettext_lazy("Cart already ordered"),
        "The cart is ordered: no more changes, sharing or checkout.",
    ),
    ErrorCode.CART_EMPTY: ProblemCode(
        409, gettext_lazy("Cart is empty"), "Checkout of a cart without items."
    ),
    ErrorCode.CART_NOT_FILLABLE: ProblemCode(
        409, gettext_lazy("Cart cannot be filled"), "Activating a cart the caller may only read."
    ),
    ErrorCode.LAST_CART: ProblemCode(
        409,
        gettext_lazy("Last own cart"),
        "Deleting the owner's last cart: every customer keeps one.",
    ),
    ErrorCode.CART_FULL: ProblemCode(
        409, gettext_lazy("Cart is full"), "Adding a product past the number of lines a cart holds."
    ),
    ErrorCode.PRODUCT_UNAVAILABLE: ProblemCode(
        409,
        gettext_lazy("Product no longer sold"),
        "Checkout with products that are no longer sold.",
    ),
    ErrorCode.ALREADY_SHARED: ProblemCode(
        409, gettext_lazy("Already shared"), "The colleague has a grant already: PATCH it instead."
    ),
    ErrorCode.ACCESS_REQUEST_PENDING: ProblemCode(
        409,
        gettext_lazy("Access request pending"),
        "One of the caller's requests for the cart is pending.",
    ),
    ErrorCode.ACCESS_REQUEST_CLOSED: ProblemCode(
        409,
        gettext_lazy("Access request closed"),
        "The request was answered, withdrawn or has lapsed.",
    ),
    ErrorCode.LINK_REVOKED: ProblemCode(
        410, gettext_lazy("Link revoked"), "The share link was turned off (409 when changing it)."
    ),
    ErrorCode.LINK_EXPIRED: ProblemCode(
        410, gettext_lazy("Link expired"), "The share link has expired."
    ),
    ErrorCode.CART_DELETED: ProblemCode(
        410, gettext_lazy("Cart deleted"), "The link's cart was deleted."
    ),
    ErrorCode.GONE: ProblemCode(410, gettext_lazy("Gone"), "It existed, and is no longer usable."),
    ErrorCode.STALE_VERSION: ProblemCode(
        412,
        gettext_lazy("Stale version"),
        "`If-Match` is not the cart's current ETag: nothing changed; `current_version` and the "
        "ETag header give the version now.",
    ),
    ErrorCode.BODY_TOO_LARGE: ProblemCode(
        413, gettext_lazy("Request body too large"), "Larger than `CARTSHARE_API_MAX_BODY_BYTES`."
    ),
    ErrorCode.UNSUPPORTED_MEDIA_TYPE: ProblemCode(
        415, gettext_lazy("Unsupported media type"), "Send `Content-Type: application/json`."
    ),
    ErrorCode.VALIDATION_ERROR: ProblemCode(
        422,
        gettext_lazy("Validation failed"),
        "A value breaks a rule; `errors` maps each field to messages.",
    ),
    ErrorCode.IDEMPOTENCY_KEY_REUSED: ProblemCode(
        422,
        gettext_lazy("Idempotency key reused"),
        "The `Idempotency-Key` came with another request, or its first answer is gone.",
    ),
    ErrorCode.RATE_LIMITED: ProblemCode(
        429,
        gettext_lazy("Too many requests"),
        "Wait the seconds `Retry-After` says, then try again.",
    ),
    ErrorCode.INTERNAL_ERROR: ProblemCode(
        500, gettext_lazy("Internal server error"), "A bug: quote `request_id` when you report it."
    ),
    ErrorCode.SERVICE_UNAVAILABLE: ProblemCode(
        503,
        gettext_lazy("Service unavailable"),
        "Storage does not answer; nothing was done. `Retry-After`.",
    ),
}

# The code of a problem that has nothing more specific to say: one per status.
GENERIC_CODES: dict[int, ErrorCode] = {
    400: ErrorCode.MALFORMED_REQUEST,
    401: ErrorCode.AUTHENTICATION_REQUIRED,
    403: ErrorCode.FORBIDDEN,
    404: ErrorCode.NOT_FOUND,
    405: ErrorCode.METHOD_NOT_ALLOWED,
    409: ErrorCode.CONFLICT,
    410: ErrorCode.GONE,
    412: ErrorCode.STALE_VERSION,
    413: ErrorCode.BODY_TOO_LARGE,
    415: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
    422: ErrorCode.VALIDATION_ERROR,
    429: ErrorCode.RATE_LIMITED,
    500: ErrorCode.INTERNAL_ERROR,
    503: ErrorCode.SERVICE_UNAVAILABLE,
}

DETAILS: dict[int, StrOrPromise] = {
    400: gettext_lazy("The request could not be understood."),
    401: gettext_lazy("Send a valid access token: Authorization: Bearer <access_token>."),
    403: gettext_lazy("You are not allowed to do this."),
    404: gettext_lazy("There is nothing at this address, or it is not visible to you."),
    405: gettext_lazy("This method is not allowed here; the Allow header lists the ones that are."),
    413: gettext_lazy("The request body is too large."),
    500: gettext_lazy("Something went wrong on our side. Quote the request id when you report it."),
}


def problem_type(code: ErrorCode) -> str:
    return TYPE_PREFIX + code.value


def generic_code(status: int) -> ErrorCode:
    return GENERIC_CODES.get(status) or (
        ErrorCode.INTERNAL_ERROR if status >= 500 else ErrorCode.MALFORMED_REQUEST
    )


def request_id_of(request: HttpRequest) -> str:
    """The id the API middleware gave the request (one is made up if it did not run)."""
    request_id = getattr(request, "request_id", None)
    if not isinstance(request_id, str):
        request_id = uuid.uuid4().hex
        setattr(request, "request_id", request_id)  # noqa: B010 (HttpRequest declares none)
    return request_id


def problem_response(
    request: HttpRequest,
    *,
    status: int,
    detail: StrOrPromise | None = None,
    errors: dict[str, list[str]] | None = None,
    headers: dict[str, str] | None = None,
    current_version: int | None = None,
    conflict: LineConflictOut | None = None,
    code: ErrorCode | None = None,
) -> HttpResponse:
    """The Problem (`cartshare.api.schemas.Problem`); `current_version` and `conflict` only
    for a 412; `code` by default the generic one of the status."""
    code = code or generic_code(status)
    known = PROBLEM_CODES.get(code)
    problem = Problem(
        type=problem_type(code),
        code=code.value,
        title=str(known.title if known else TITLES.get(status) or _phrase(status)),
        status=status,
        detail=str(detail or DETAILS.get(status) or _phrase(status)),
        errors=errors or {},
        request_id=request_id_of(request),
        current_version=current_version,
        conflict=conflict,
    )
    body = problem.model_dump(exclude_none=True)
    response = HttpResponse(
        json.dumps(body), status=status, content_type=f"{PROBLEM_CONTENT_TYPE}; charset=utf-8"
    )
    for name, value in (headers or {}).items():
        response[name] = value
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="cartshare"'
    return response


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return _("Error")


def is_problem(response: HttpResponse) -> bool:
    return response.get("Content-Type", "").startswith(PROBLEM_CONTENT_TYPE)


def as_problem(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Turn an error response made elsewhere (Django's 404 and 500, ninja's 405) into a problem."""
    headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
    return problem_response(request, status=response.status_code, headers=headers)


# pydantic's own messages by error type, for a language other than English (English keeps
# pydantic's words exactly); the values come from the error's context.
PYDANTIC_MESSAGES: dict[str, StrOrPromise] = {
    "missing": gettext_lazy("Field required"),
    "string_type": gettext_lazy("Input should be a valid string"),
    "int_type": gettext_lazy("Input should be a valid integer"),
    "int_parsing": gettext_lazy(
        "Input should be a valid integer, unable to parse string as an integer"
    ),
    "int_from_float": gettext_lazy(
        "Input should be a valid integer, got a number with a fractional part"
    ),
    "bool_type": gettext_lazy("Input should be a valid boolean"),
    "bool_parsing": gettext_lazy("Input should be a valid boolean, unable to interpret input"),
    "less_than_equal": gettext_lazy("Input should be less than or equal to %(le)s"),
    "greater_than_equal": gettext_lazy("Input should be greater than or equal to %(ge)s"),
    "less_than": gettext_lazy("Input should be less than %(lt)s"),
    "greater_than": gettext_lazy("Input should be greater than %(gt)s"),
    "list_type": gettext_lazy("Input should be a valid list"),
    "dict_type": gettext_lazy("Input should be a valid dictionary"),
    "model_type": gettext_lazy("Input should be a valid dictionary"),
    "model_attributes_type": gettext_lazy("Input should be a valid dictionary"),
    "datetime_type": gettext_lazy("Input should be a valid datetime"),
    "datetime_parsing": gettext_lazy("Input should be a valid datetime"),
    "datetime_from_date_parsing": gettext_lazy("Input should be a valid datetime"),
    "uuid_type": gettext_lazy("Input should be a valid UUID"),
    "uuid_parsing": gettext_lazy("Input should be a valid UUID"),
    "literal_error": gettext_lazy("Input should be %(expected)s"),
    "enum": gettext_lazy("Input should be %(expected)s"),
    "string_pattern_mismatch": gettext_lazy("String should match pattern '%(pattern)s'"),
    "extra_forbidden": gettext_lazy("Extra inputs are not permitted"),
}


def _speaks_english() -> bool:
    return (translation.get_language() or "en").split("-")[0] == "en"


def validation_message(error: dict[str, Any]) -> str:
    """One pydantic error in the request's language (ours: the text of our own ValueError)."""
    message = str(error.get("msg") or _("Invalid value."))
    if _speaks_english():
        return message
    kind, context = str(error.get("type")), error.get("ctx") or {}
    if kind == "value_error" and context.get("error"):
        return str(context["error"])
    if kind in {"string_too_short", "string_too_long", "too_short", "too_long"}:
        return _length_message(kind, context) or message
    template = PYDANTIC_MESSAGES.get(kind)
    if template is None:
        return message
    try:
        return str(template) % {name: str(value) for name, value in context.items()}
    except (KeyError, TypeError, ValueError):
        return message


def _length_message(kind: str, context: dict[str, Any]) -> str | None:
    limit = context.get("min_length" if kind.endswith("short") else "max_length")
    if not isinstance(limit, int):
        return None
    facts = {"limit": limit}
    if kind == "string_too_short":
        text = ngettext(
            "String should have at least %(limit)s character",
            "String should have at least %(limit)s characters",
            limit,
        )
    elif kind == "string_too_long":
        text = ngettext(
            "String should have at most %(limit)s character",
            "String should have at most %(limit)s characters",
            limit,
        )
    elif kind == "too_short":
        text = ngettext(
            "List should have at least %(limit)s item",
            "List should have at least %(limit)s items",
            limit,
        )
    else:
        text = ngettext(
            "List should have at most %(limit)s item",
            "List should have at most %(limit)s items",
            limit,
        )
    return text % facts


def validation_errors(errors: list[dict[str, Any]]) -> dict[str, list[str]]:
    """ninja/pydantic errors → {field: [messages]}. The field is the dotted path inside the
    body, query, path or header (`items.0.quantity`, `limit`, `If-Match`)."""
    result: dict[str, list[str]] = {}
    for error in errors:
        location = [str(part) for part in error.get("loc", ())]
        if location and location[0] == "body":
            location = location[2:] or location[1:]  # drop "body" and the parameter's name
        elif location and location[0] in {"query", "path", "header", "cookie", "form"}:
            location = location[1:]
        field = ".".join(location) or "body"
        result.setdefault(field, []).append(validation_message(error))
    return result


def domain_error_response(request: HttpRequest, error: DomainError) -> HttpResponse:
    headers: dict[str, str] = {}
    current_version = None
    conflict = None
    retry_after = getattr(error, "retry_after", None)
    if retry_after is not None:
        headers["Retry-After"] = str(int(retry_after))
    if isinstance(error, StaleVersion):
        headers["ETag"] = f'"{error.current_version}"'
        current_version = error.current_version
    if isinstance(error, LineConflict):
        conflict = LineConflictOut.model_validate(error.change)
    return problem_response(
        request,
        status=error.status,
        detail=error.message,
        errors=error.errors,
        headers=headers,
        current_version=current_version,
        conflict=conflict,
        code=error.code,
    )


def _in_the_path(error: dict[str, Any]) -> bool:
    location: Sequence[object] = error.get("loc") or ()
    return bool(location) and location[0] == "path"


def _validation_error(request: HttpRequest, error: ValidationError) -> HttpResponse:
    """422 naming the fields; but an id in the address that is not even of the right shape
    (`/carts/not-a-uuid`) names nothing that exists: 404, as for any unknown address."""
    if any(_in_the_path(detail) for detail in error.errors):
        return problem_response(request, status=404)
    errors = validation_errors(error.errors)
    fields = ", ".join(sorted(errors))
    return problem_response(
        request,
        status=422,
        detail=_("Some values are not valid (%(fields)s); `errors` says why.") % {"fields": fields},
        errors=errors,
    )


def _http_error(request: HttpRequest, error: HttpError) -> HttpResponse:
    detail = str(error) if not isinstance(error, AuthenticationError) else None
    if error.status_code == 400 and str(error).startswith("Cannot parse request body"):
        detail = _("The request body must be a JSON object, encoded in UTF-8.")
    headers = {}
    wait = getattr(error, "wait", None)
    if error.status_code == 429 and wait is not None:
        headers["Retry-After"] = str(max(1, int(wait)))
    return problem_response(request, status=error.status_code, detail=detail, headers=headers)


def _not_found(request: HttpRequest, error: Http404) -> HttpResponse:
    return problem_response(request, status=404)


def unexpected_error(request: HttpRequest, error: Exception) -> HttpResponse:
    request_id = request_id_of(request)
    logger.error(
        "Unexpected error in %s %s [request_id=%s]",
        request.method,
        request.path,
        request_id,
        exc_info=(type(error), error, error.__traceback__),
    )
    return problem_response(request, status=500)


def unavailable_problem(request: HttpRequest) -> HttpResponse:
    """503 while the database or Redis does not answer (spec §14): nothing was done, retry
    later. Sent with the headers of an address that holds a share token, which it may (no
    cache, no Referer, not indexed)."""
    return problem_response(
        request,
        status=503,
        detail=UNAVAILABLE_MESSAGE,
        headers={"Retry-After": str(RETRY_AFTER_SECONDS), **SHARE_HEADERS},
    )


def _store_error(
    request: HttpRequest, error: OperationalError | InterfaceError | redis.RedisError
) -> HttpResponse:
    """A database or Redis that does not answer is a 503; any other error of theirs is a bug
    (500)."""
    if store_unavailable(error):
        logger.warning(
            "Storage unavailable in %s %s [request_id=%s]: %s",
            request.method,
            request.path,
            request_id_of(request),
            error,
        )
        return unavailable_problem(request)
    return unexpected_error(request, error)


def install_error_handlers(api: NinjaAPI) -> None:
    """The one mapping from exceptions to HTTP for the API front door. (ninja 1.7 types a
    handler's exception as `E | type[E]`; it is always passed the instance.)"""
    api.add_exception_handler(DomainError, domain_error_response)  # type: ignore[arg-type]
    api.add_exception_handler(ValidationError, _validation_error)  # type: ignore[arg-type]
    api.add_exception_handler(HttpError, _http_error)  # type: ignore[arg-type]
    api.add_exception_handler(Http404, _not_found)  # type: ignore[arg-type]
    api.add_exception_handler(OperationalError, _store_error)  # type: ignore[arg-type]
    api.add_exception_handler(InterfaceError, _store_error)  # type: ignore[arg-type]
    api.add_exception_handler(redis.RedisError, _store_error)  # type: ignore[arg-type]
    api.add_exception_handler(Exception, unexpected_error)  # type: ignore[arg-type]
