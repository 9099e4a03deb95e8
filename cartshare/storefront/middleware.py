"""Every response under /share/ keeps the link to itself and out of caches and search engines,
and link opens are rate-limited per client address (spec §5; the API does the same for
/api/v1/shared/ in `cartshare.api.middleware`, counted together with these).
`Referrer-Policy: no-referrer` is on every response whose address holds a token, and nothing on
those pages loosens it."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from cartshare.common.errors import RateLimited
from cartshare.common.headers import share_headers_set
from cartshare.common.ratelimit import ensure_share_open_allowed
from cartshare.storefront.errors import link_problem_page

SHARE_PREFIX = "/share/"
# The link's own page (storefront/views/links.py): its address holds the link's id, no token.
TOKEN_FREE_PREFIX = "/share/join/"


def address_holds_token(path: str) -> bool:
    """Whether a share token is in this address: its page gets `Referrer-Policy: no-referrer`,
    so a form on it would post `Origin: null`, which the CSRF check refuses; such a page shows
    no form that posts (the header's language switcher is left out; the visitor's browser
    language or earlier choice applies)."""
    return path.startswith(SHARE_PREFIX) and not path.startswith(TOKEN_FREE_PREFIX)


class ShareLinkMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(SHARE_PREFIX):
            return self.get_response(request)
        token_in_address = address_holds_token(request.path)
        try:
            ensure_share_open_allowed(request)
        except RateLimited as error:
            response = link_problem_page(request, error)
        else:
            response = self.get_response(request)
        return share_headers_set(response, token_in_address=token_in_address)
