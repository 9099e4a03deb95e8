"""Headers both front doors send on every response whose address holds a share token."""

from __future__ import annotations

from django.http import HttpResponse

SHARE_HEADERS = {
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex",
    "Cache-Control": "no-store",
}


def share_headers_set(response: HttpResponse, *, token_in_address: bool = True) -> HttpResponse:
    """Keep the link to itself (no Referer), out of caches and out of search engines. A share
    page whose address holds no token (the link's own page, /share/join/<id>) keeps the site's
    referrer policy, so that its forms post with our Origin (`no-referrer` makes browsers send
    `Origin: null`, which the CSRF check refuses)."""
    for header, value in SHARE_HEADERS.items():
        if token_in_address or header != "Referrer-Policy":
            response[header] = value
    return response
