"""Headers both front doors send on every response whose address holds a share token."""

from __future__ import annotations

from django.http import HttpResponse

SHARE_HEADERS = {
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex",
    "Cache-Control": "no-store",
}
# The one exception to `no-store`: a preview link's card (the image chats show beside the
# link), which holds no personal data and is fetched by every chat that shows the link. Kept
# briefly, by the fetching client only (`private`: no shared cache keeps an address holding a
# token), so a revoked link's card is gone within minutes.
BRIEFLY_CACHED = "private, max-age=300"


def share_headers_set(response: HttpResponse, *, token_in_address: bool = True) -> HttpResponse:
    """Keep the link to itself (no Referer), out of caches and out of search engines. A share
    page whose address holds no token (the link's own page, /share/join/<id>) keeps the site's
    referrer policy, so that its forms post with our Origin (`no-referrer` makes browsers send
    `Origin: null`, which the CSRF check refuses). A response that says `BRIEFLY_CACHED`
    keeps it."""
    for header, value in SHARE_HEADERS.items():
        if header == "Referrer-Policy" and not token_in_address:
            continue
        if header == "Cache-Control" and response.get(header) == BRIEFLY_CACHED:
            continue
        response[header] = value
    return response
