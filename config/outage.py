"""While the database (or Redis, when configured) does not answer, every request that needs it
gets a 503 with `Retry-After` (spec §14): a page in the shop's look, or a problem+json under
/api/. Never a 500, never a stack trace.

Decided in one place, `cartshare.common.database.store_unavailable`, and turned into a
response here for the two ways an exception leaves Django's stack:

- raised by a view (its decorators and templates included):
  `DatabaseUnavailableMiddleware.process_exception`;
- raised by a middleware (the session or the database cache of a rate limit): Django turns it
  into its 500 handler, `server_error` below, which is `handler500` in config/urls.py.

The API's own views are covered by its exception handler (`cartshare/api/errors.py`). Every
other database or Redis error is a bug and stays a 500."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.views import defaults

from cartshare.api.errors import unavailable_problem
from cartshare.api.middleware import API_PREFIX
from cartshare.common.database import store_unavailable
from cartshare.storefront.errors import unavailable_page

logger = logging.getLogger("cartshare.outage")


def unavailable_response(request: HttpRequest, error: BaseException) -> HttpResponse:
    logger.warning("Storage unavailable in %s %s: %s", request.method, request.path, error)
    if request.path_info.startswith(API_PREFIX):
        return unavailable_problem(request)
    return unavailable_page(request)


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if store_unavailable(exception):
            return unavailable_response(request, exception)
        return None  # Django's own handling: a bug is a 500


def server_error(request: HttpRequest) -> HttpResponse:
    """`handler500`: Django calls it while it handles the exception, so `sys.exc_info()` names
    it. A database or Redis that does not answer gets the 503; anything else Django's 500
    page."""
    error = sys.exc_info()[1]
    if error is not None and store_unavailable(error):
        return unavailable_response(request, error)
    return defaults.server_error(request)
