"""Guards every request under /api/: gives it a request id, refuses oversized bodies (413), and
makes sure every error leaving the API is problem+json (unknown paths, 405s, crashes included)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from cartshare.api.errors import (
    as_problem,
    domain_error_response,
    is_problem,
    problem_response,
    request_id_of,
)
from cartshare.common.errors import RateLimited
from cartshare.common.headers import share_headers_set
from cartshare.common.locales import number_format
from cartshare.common.ratelimit import ensure_share_open_allowed

logger = logging.getLogger("cartshare.api")

API_PREFIX = "/api/"
SHARED_PREFIX = "/api/v1/shared/"
DEFAULT_MAX_BODY_BYTES = 64 * 1024
METHODS_WITH_BODY = {"POST", "PUT", "PATCH", "DELETE"}


def max_body_bytes() -> int:
    return int(getattr(settings, "CARTSHARE_API_MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES))


def body_too_large(request: HttpRequest) -> bool:
    limit = max_body_bytes()
    declared = request.META.get("CONTENT_LENGTH") or ""
    if declared.strip().isdigit():
        return int(declared) > limit
    if request.method not in METHODS_WITH_BODY:
        return False
    try:  # no Content-Length (chunked under ASGI): read it, bounded by Django's own cap
        return len(request.body) > limit
    except RequestDataTooBig:
        return True


class ApiMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path_info.startswith(API_PREFIX):
            return self.get_response(request)
        request_id = request_id_of(request)
        is_link_open = request.path_info.startswith(SHARED_PREFIX)
        if body_too_large(request):
            response = problem_response(
                request,
                status=413,
                detail=_("The request body is larger than %(limit)s bytes.")
                % {"limit": number_format(max_body_bytes())},
            )
        else:
            try:
                if is_link_open:
                    ensure_share_open_allowed(request)
            except RateLimited as error:
                response = domain_error_response(request, error)
            else:
                response = self.get_response(request)
        if response.status_code >= 400 and not is_problem(response):
            if response.status_code >= 500:
                logger.error(
                    "Server error %s in %s %s [request_id=%s]",
                    response.status_code,
                    request.method,
                    request.path,
                    request_id,
                )
            response = as_problem(request, response)
        response["X-Request-ID"] = request_id
        if response.status_code == 204 and response.has_header("Content-Type"):
            del response["Content-Type"]  # no content, so no type of it
        if is_link_open:
            share_headers_set(response)
        return response
