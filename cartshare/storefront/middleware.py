"""Every response under /share/ keeps the link to itself and out of caches and search engines,
and link opens are rate-limited per client address (spec §5; the API does the same for
/api/v1/shared/ in `cartshare.api.middleware`, counted together with these)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from cartshare.common.errors import RateLimited
from cartshare.common.headers import share_headers_set
from cartshare.common.ratelimit import ensure_share_open_allowed
from cartshare.storefront.errors import link_problem_page

SHARE_PREFIX = "/share/"


class ShareLinkMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(SHARE_PREFIX):
            return self.get_response(request)
        try:
            ensure_share_open_allowed(request)
        except RateLimited as error:
            return share_headers_set(link_problem_page(request, error))
        return share_headers_set(self.get_response(request))
