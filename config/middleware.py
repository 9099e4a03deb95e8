"""What both front doors (pages and API) share: the access log (tokens masked), the
Content-Security-Policy, input hygiene, and keeping private answers out of caches."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterable

from django.http import HttpRequest, HttpResponse, HttpResponseBase, QueryDict
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from cartshare.api.errors import problem_response
from cartshare.api.middleware import API_PREFIX
from cartshare.common.errors import DomainError, InvalidInput, NotFound
from cartshare.common.logmask import mask_tokens

access_logger = logging.getLogger("cartshare.access")

GetResponse = Callable[[HttpRequest], HttpResponse]

NUL = "\x00"
# Marked for the catalog here, translated where each answer is made.
NUL_MESSAGE = gettext_noop(
    "The request contains a NUL character (\\0), which no field accepts. Remove it and try again."
)
NOT_FOUND_MESSAGE = gettext_noop("There is nothing at this address.")
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _in_query_dict(data: QueryDict) -> list[str]:
    return [key for key, values in data.lists() if NUL in key + "".join(values)]


def _json_fields_with_nul(value: object, path: str = "") -> list[str]:
    if isinstance(value, str):
        return [path or "body"] if NUL in value else []
    items: Iterable[tuple[object, object]]
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = ((str(index), item) for index, item in enumerate(value))
    else:
        return []
    found: list[str] = []
    for key, item in items:
        name = f"{path}.{key}" if path else str(key)
        found += [name] if NUL in str(key) else _json_fields_with_nul(item, name)
    return found


def fields_with_nul(request: HttpRequest) -> list[str] | None:
    """The fields (query or body) whose text holds a NUL character ([] for the path), or None
    when there is none. PostgreSQL refuses NUL in text, so letting one through would end in a
    500 there (and only there)."""
    if NUL in request.path:
        return []
    if in_query := _in_query_dict(request.GET):
        return in_query
    if request.method in {"GET", "HEAD", "OPTIONS"}:
        return None
    content_type = request.content_type or ""
    is_api = request.path_info.startswith(API_PREFIX)
    if content_type.startswith(FORM_TYPES) and not is_api:  # the API reads JSON only
        try:
            return _in_query_dict(request.POST) or None
        except Exception:  # a broken form body: Django's own handling answers for it later
            return None
    if content_type == "application/json" and b"\\u0000" in request.body.lower():
        try:
            return _json_fields_with_nul(json.loads(request.body)) or None
        except ValueError:
            return None  # malformed JSON: the API answers 400 for that itself
    return None


class RefuseNulCharactersMiddleware:
    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        fields = fields_with_nul(request)
        if fields is None:
            return self.get_response(request)
        is_api = request.path_info.startswith(API_PREFIX)
        if not fields:  # in the address: no page or resource has such a name
            if is_api:
                return problem_response(request, status=404, detail=_(NOT_FOUND_MESSAGE))
            return _page(request, NotFound(_(NOT_FOUND_MESSAGE)), _("Not found"))
        if is_api:  # a validation failure naming the fields, as for any other
            errors = {field: [_(NUL_MESSAGE)] for field in fields}
            return problem_response(request, status=422, detail=_(NUL_MESSAGE), errors=errors)
        error = InvalidInput(_(NUL_MESSAGE))
        error.status = 400
        return _page(request, error, _("That input cannot be used"))


def _page(request: HttpRequest, error: DomainError, title: str) -> HttpResponse:
    return render(
        request, "storefront/error.html", {"title": title, "error": error}, status=error.status
    )


class NoStoreForPrivateResponses:
    """`Cache-Control: no-store` on every API response (they hold carts, share-link URLs or
    access tokens; the few public ones are cheap to make again) and on every page served to a
    logged-in customer (their carts, the owner's share links). Browsers, proxies and shared
    computers then keep no copy. A response that says how it may be cached keeps its own say."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Cache-Control" not in response and (
            request.path_info.startswith(API_PREFIX) or _logged_in(request)
        ):
            response["Cache-Control"] = "no-store"
        return response


def _logged_in(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


class AccessLogMiddleware:
    """One line per request on the `cartshare.access` logger, in place of the server's own
    access log (which `make run` and `config.serve` turn off, since it writes share-link tokens
    in clear): client, method, address with tokens masked, protocol, status, duration. First in
    MIDDLEWARE, so static files and refusals by other middleware are logged too."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not access_logger.isEnabledFor(logging.INFO):
            return self.get_response(request)
        started = time.perf_counter()
        response = self.get_response(request)
        access_logger.info(
            '%s "%s %s %s" %s %.1fms',
            request.META.get("REMOTE_ADDR") or "-",
            request.method,
            mask_tokens(request.get_full_path()),
            request.META.get("SERVER_PROTOCOL") or "HTTP/1.1",
            response.status_code,
            (time.perf_counter() - started) * 1000,
        )
        return response


# Our own origin only, no inline script or style anywhere (scripts and styles are static files,
# small data for scripts rides in data- attributes), no framing, no plugins. The API docs
# (Swagger UI from ninja's static files) and the back office run under it too.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "img-src 'self' data:",
        "style-src 'self'",
        "script-src 'self'",
        "object-src 'none'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    )
)


class ContentSecurityPolicyMiddleware:
    """`Content-Security-Policy` on every response (Django 5.2 has none built in). A response
    that brings its own policy keeps it."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
        return response


class LanguageMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware (the language from the `set_language` cookie, else from
    Accept-Language; no URL prefixes), and `Vary: Cookie` beside its `Vary: Accept-Language`:
    the language cookie chooses the language too, so no cache may hand a page in one language
    to a request that asked for the other (docs/decisions/i18n.md)."""

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        response = super().process_response(request, response)
        patch_vary_headers(response, ("Cookie",))
        return response
