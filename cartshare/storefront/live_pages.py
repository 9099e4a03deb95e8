"""What `storefront/live.js` asks of the pages that follow a cart (spec §13: the cart page, the
preview page, the share page): an `ETag` for its re-reads, so that a client polling instead of
holding a stream gets `304 Not Modified` while nothing changed.

Only live.js's own re-reads (`X-Live-Refresh: 1`, which also leaves the flash messages for the
next real page) get an ETag or a 304: an ordinary visit always renders, so a browser never
shows a cached page without the message a redirect left for it. The ETag is a digest of what
the page shows changing with: the cart's version, status and last change, the newest entry of
its activity log (every service records one: items, notes, comments, grants, links), the
caller and their level (the policy's answer), the language the page is written in (the same
version in English and in German are two pages: a 304 never crosses languages), and for a
link's preview the link itself. When
the page would answer something other than 200 (no access, a dead link), there is no ETag and
the view answers as it always does (404, 410), which live.js shows in place."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable

from django.db.models import Max
from django.http import HttpRequest
from django.utils import translation

from cartshare.access.policies import CartAction, access_level, can
from cartshare.carts.models import Cart
from cartshare.common.errors import DomainError
from cartshare.sharing.link_visits import share_link_get_usable, share_link_resolve
from cartshare.sharing.models import ShareLink

LIVE_REFRESH_HEADER = "X-Live-Refresh"


def is_live_refresh(request: HttpRequest) -> bool:
    return request.method in ("GET", "HEAD") and request.headers.get(LIVE_REFRESH_HEADER) == "1"


def _digest(*parts: object) -> str:
    text = "\x1f".join(str(part) for part in (translation.get_language(), *parts))
    return '"' + hashlib.sha256(text.encode()).hexdigest()[:32] + '"'


def _cart_state(request: HttpRequest, cart: Cart) -> tuple[object, ...]:
    actor = request.user if request.user.is_authenticated else None
    level = access_level(actor, cart)
    last = cart.activities.aggregate(last=Max("id"))["last"]
    active = getattr(actor, "active_cart_id", None)  # the page's "Active" pill
    return (cart.pk, cart.version, cart.status, cart.updated_at.isoformat(), last, active, level)


def cart_etag_for(action: CartAction, page: str) -> Callable[..., str | None]:
    """The ETag function (`condition(etag_func=...)`) of a page that needs `action` on the
    cart: VIEW for the cart page, SHARE_PAGE_ACTION for the share page. None when the policy
    says no, so that the view answers its 403 or 404 as always."""

    def etag(request: HttpRequest, cart_id: uuid.UUID, **_: object) -> str | None:
        if not is_live_refresh(request) or not request.user.is_authenticated:
            return None
        cart = Cart.objects.select_related("owner").filter(pk=cart_id).first()
        if cart is None or not can(request.user, action, cart):
            return None
        # The cart page's page of lines (`?page=N`): each page is its own page.
        lines_page = request.GET.get("page", "")
        return _digest(page, action.value, lines_page, *_cart_state(request, cart))

    return etag


# What the share page (`views.sharing.cart_share`, the share dialog) asks of the policy to open:
# VIEW, since a grantee sees their own access there (the parts each caller sees are asked
# one by one). The view and its ETag both use this, so a 304 never goes to someone the page
# would refuse, nor is an ETag refused to someone it shows.
SHARE_PAGE_ACTION = CartAction.VIEW

cart_page_etag = cart_etag_for(CartAction.VIEW, "cart")
share_page_etag = cart_etag_for(SHARE_PAGE_ACTION, "share")


def _link_etag(request: HttpRequest, link: ShareLink) -> str | None:
    if link.cart is None:
        return None
    state = _cart_state(request, link.cart)
    return _digest("preview", link.pk, link.expires_at, link.revoked_at, request.user.pk, *state)


def preview_token_etag(request: HttpRequest, token: str) -> str | None:
    """For `/share/<token>` (an anonymous preview). A dead link has none: the view says why."""
    if not is_live_refresh(request):
        return None
    try:
        link = share_link_resolve(token)
    except DomainError:
        return None
    return _link_etag(request, link)


def preview_join_etag(request: HttpRequest, link_id: int) -> str | None:
    """For `/share/join/<link id>` (a logged-in visitor's preview)."""
    if not is_live_refresh(request) or not request.user.is_authenticated:
        return None
    try:
        link = share_link_get_usable(link_id)
    except DomainError:
        return None
    return _link_etag(request, link)
