"""Headers both front doors send on every response whose address holds a share token."""

from __future__ import annotations

from django.http import HttpResponse

SHARE_HEADERS = {
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex",
    "Cache-Control": "no-store",
}


def share_headers_set(response: HttpResponse) -> HttpResponse:
    """Keep the link to itself (no Referer), out of caches and out of search engines."""
    for header, value in SHARE_HEADERS.items():
        response[header] = value
    return response
