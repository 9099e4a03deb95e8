"""Every error under /api/ becomes application/problem+json (RFC 9457) here, and only here:
domain errors from the services, ninja's parsing and validation errors, and anything unexpected
(logged with the request id, which the body carries)."""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Sequence
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

import redis
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from ninja.errors import AuthenticationError, HttpError, ValidationError

from cartshare.api.schemas import LineConflictOut, Problem
from cartshare.carts.conflicts import LineConflict
from cartshare.common.database import (
    RETRY_AFTER_SECONDS,
    UNAVAILABLE_MESSAGE,
    store_unavailable,
)
from cartshare.common.errors import DomainError, StaleVersion
from cartshare.common.headers import SHARE_HEADERS

if TYPE_CHECKING:
    from ninja import NinjaAPI

logger = logging.getLogger("cartshare.api")

PROBLEM_CONTENT_TYPE = "application/problem+json"
TYPE_PREFIX = "urn:cartshare:problem:"
# Headers a problem response keeps from the response it replaces.
KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate", "ETag")

TITLES = {
    400: "Malformed request",
    401: "Authentication required",
    403: "Not allowed",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict with the current state",
    410: "Gone",
    412: "Precondition failed",
    413: "Request body too large",
    415: "Unsupported media type",
    422: "Validation failed",
    429: "Too many requests",
    500: "Internal server error",
    503: "Service unavailable",
}

DETAILS = {
    400: "The request could not be understood.",
    401: "Send a valid access token: Authorization: Bearer <access_token>.",
    403: "You are not allowed to do this.",
    404: "There is nothing at this address, or it is not visible to you.",
    405: "This method is not allowed here; the Allow header lists the ones that are.",
    413: "The request body is too large.",
    500: "Something went wrong on our side. Quote the request id when you report it.",
}


def request_id_of(request: HttpRequest) -> str:
    """The id the API middleware gave the request (one is made up if it did not run)."""
    request_id = getattr(request, "request_id", None)
    if not isinstance(request_id, str):
        request_id = uuid.uuid4().hex
        setattr(request, "request_id", request_id)  # noqa: B010 (HttpRequest declares none)
    return request_id


def _slug(status: int) -> str:
    try:
        return HTTPStatus(status).phrase.lower().replace(" ", "-").replace("'", "")
    except ValueError:
        return "error"


def problem_response(
    request: HttpRequest,
    *,
    status: int,
    detail: str | None = None,
    errors: dict[str, list[str]] | None = None,
    headers: dict[str, str] | None = None,
    current_version: int | None = None,
    conflict: LineConflictOut | None = None,
) -> HttpResponse:
    """The Problem (`cartshare.api.schemas.Problem`); `current_version` and `conflict` only
    for a 412."""
    problem = Problem(
        type=TYPE_PREFIX + _slug(status),
        title=TITLES.get(status) or _phrase(status),
        status=status,
        detail=detail or DETAILS.get(status) or _phrase(status),
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
        return "Error"


def is_problem(response: HttpResponse) -> bool:
    return response.get("Content-Type", "").startswith(PROBLEM_CONTENT_TYPE)


def as_problem(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Turn an error response made elsewhere (Django's 404 and 500, ninja's 405) into a problem."""
    headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
    return problem_response(request, status=response.status_code, headers=headers)


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
        result.setdefault(field, []).append(str(error.get("msg", "Invalid value.")))
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
        detail=f"Some values are not valid ({fields}); `errors` says why.",
        errors=errors,
    )


def _http_error(request: HttpRequest, error: HttpError) -> HttpResponse:
    detail = str(error) if not isinstance(error, AuthenticationError) else None
    if error.status_code == 400 and str(error).startswith("Cannot parse request body"):
        detail = "The request body must be a JSON object, encoded in UTF-8."
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
