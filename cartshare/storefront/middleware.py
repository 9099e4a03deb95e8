"""Every response under /share/ (pages) and /api/v1/shared/ (API) keeps the link to itself and
out of caches and search engines, and link opens are rate-limited per client address, pages and
API counted together (spec §5). `Referrer-Policy: no-referrer` is on every response whose address
holds a token; nothing on those pages loosens it."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from cartshare.common.ratelimit import client_address, rate_limit_hit

SHARE_PREFIXES = ("/share/", "/api/v1/shared/")
# The link's own page (/share/join/<link id>, storefront/views/links.py) holds no token in its
# address; it keeps the site's referrer policy, so that its forms post with our Origin.
TOKEN_FREE_PREFIX = "/share/join/"
SHARE_HEADERS = {
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex",
    "Cache-Control": "no-store",
}
RATE_LIMIT_MESSAGE = (
    "Too many links were opened from your network in a short time. "
    "Wait {seconds} seconds, then try again."
)


class ShareLinkMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(SHARE_PREFIXES):
            return self.get_response(request)
        decision = rate_limit_hit(
            scope="share", key=client_address(request), rate=settings.CARTSHARE_SHARE_RATE_LIMIT
        )
        if decision.allowed:
            response = self.get_response(request)
        else:
            response = self._too_many(request, decision.retry_after)
        token_free = request.path.startswith(TOKEN_FREE_PREFIX)
        for header, value in SHARE_HEADERS.items():
            if not (token_free and header == "Referrer-Policy"):
                response[header] = value
        return response

    @staticmethod
    def _too_many(request: HttpRequest, retry_after: int) -> HttpResponse:
        message = RATE_LIMIT_MESSAGE.format(seconds=retry_after)
        if request.path.startswith("/api/"):
            response = JsonResponse(
                {  # the API's problem shape (cartshare/api/errors.py)
                    "type": "urn:cartshare:problem:too-many-requests",
                    "title": "Too many requests",
                    "status": 429,
                    "detail": message,
                    "errors": {},
                    "request_id": getattr(request, "request_id", ""),
                },
                status=429,
                content_type="application/problem+json",
            )
        else:
            response = render(
                request,
                "storefront/links/problem.html",
                {"title": "Slow down a little", "message": message, "status": 429},
                status=429,
            )
        response["Retry-After"] = str(retry_after)
        return response
