"""`GET /healthz` and `GET /readyz` at the site root, for load balancers and orchestrators
(../shared/API.md, "Health"). Answered by a middleware near the top of MIDDLEWARE, before the
host check, the HTTPS redirect, sessions, CSRF, authentication and rate limits: a probe costs
no session lookup, may use the server's address as its Host, and is never rate-limited.

- `/healthz`: 200 while the process serves; touches nothing else (no database).
- `/readyz`: 200 when the database answers `SELECT 1` (and Redis a read, when `REDIS_URL` is
  set), else 503; the body says which check failed, never why (the log does)."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, connections
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger("cartshare.health")

HEALTH_PATH = "/healthz"
READY_PATH = "/readyz"
PROBE_METHODS = {"GET", "HEAD"}
CACHE_PROBE_KEY = "cartshare:readyz"


def database_answers() -> bool:
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        logger.warning("readyz: the database does not answer: %s", error)
        return False
    return True


def redis_answers() -> bool:
    try:
        caches["default"].get(CACHE_PROBE_KEY)
    except Exception as error:  # redis-py's ConnectionError, TimeoutError, ...
        logger.warning("readyz: Redis does not answer: %s", error)
        return False
    return True


def readiness() -> tuple[bool, dict[str, str]]:
    checks = {"database": database_answers()}
    if settings.REDIS_URL:
        checks["redis"] = redis_answers()
    ready = all(checks.values())
    return ready, {name: "ok" if ok else "unavailable" for name, ok in checks.items()}


def _json(body: dict[str, object], status: int) -> HttpResponse:
    response = HttpResponse(json.dumps(body), status=status, content_type="application/json")
    response["Cache-Control"] = "no-store"
    return response


def health_response(request: HttpRequest) -> HttpResponse | None:
    """The probe's answer, or None when the request is not a probe."""
    if request.path_info not in {HEALTH_PATH, READY_PATH}:
        return None
    if request.method not in PROBE_METHODS:
        response = _json({"status": "method not allowed"}, 405)
        response["Allow"] = ", ".join(sorted(PROBE_METHODS))
        return response
    if request.path_info == HEALTH_PATH:
        return _json({"status": "ok"}, 200)
    ready, checks = readiness()
    if ready:
        return _json({"status": "ok", "checks": checks}, 200)
    return _json({"status": "unavailable", "checks": checks}, 503)


class HealthCheckMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return health_response(request) or self.get_response(request)
