"""Share links (spec §5) over the API: the owner lists, gets or creates and revokes a cart's
links; anyone opens one with `GET /shared/{token}`, company users accept internal ones, and any
customer copies the items into a cart of their own. The rules are in
`cartshare.sharing.link_services`, `cartshare.sharing.link_visits` and the policy; opening is
rate-limited per client, together with the /share/ pages, by the API middleware (429 with
`Retry-After`).

`GET /shared/{token}` is the most frequent request of the whole service (one owner, many
viewers): a fixed number of queries, the items as plain rows (`cart_lines`), read by
`SharedCartViewOut` whose items and totals pydantic-core validates without Python per field
(`cartshare.api.schemas`)."""

from __future__ import annotations

import uuid

from django.http import HttpRequest, HttpResponse
from ninja import Path, Query, Router, Status

from cartshare.access.policies import Actor, CartAction, level_allows
from cartshare.accounts.models import Customer
from cartshare.api.auth import (
    OPTIONAL_AUTH_OPENAPI,
    caller,
    caller_or_anonymous,
    optional_bearer_auth,
)
from cartshare.api.conditional import IdempotencyKey, idempotent, with_etag
from cartshare.api.pagination import Page, PageParams, paginate
from cartshare.api.schemas import (
    Accepted,
    CartOut,
    LinkView,
    Problem,
    SharedCartViewOut,
    ShareLinkAcceptOut,
    ShareLinkCreateIn,
    ShareLinkOut,
    ShareLinkPage,
)
from cartshare.carts.selectors import (
    CartSeen,
    active_cart_id,
    cart_get_for,
    cart_seen_by,
    cart_with_items,
)
from cartshare.sharing import link_services, link_visits
from cartshare.sharing.models import ShareLink
from cartshare.sharing.tokens import base_url_for

router = Router(tags=["share links"])

# Any string: a token of the wrong shape is simply unknown (404), like on the /share/ pages.
Token = Path(
    ...,
    description="The last part of the link's URL (43 characters of A-Z, a-z, 0-9, - and _).",
)
OPEN_ERRORS = {401: Problem, 403: Problem, 404: Problem, 410: Problem, 429: Problem}
USE_ERRORS = {**OPEN_ERRORS, 409: Problem}


@router.get(
    "/carts/{cart_id}/share-links",
    response={200: ShareLinkPage, 403: Problem, 404: Problem},
    summary="The cart's links, newest first, revoked and expired ones included (owner)",
)
def list_share_links(
    request: HttpRequest, cart_id: uuid.UUID, page: Query[PageParams]
) -> Page[ShareLink]:
    cart = cart_get_for(caller(request), cart_id)
    links = link_services.share_links_for_cart(cart=cart, actor=caller(request))
    return paginate(request, links, page)


@router.post(
    "/carts/{cart_id}/share-links",
    response={200: ShareLinkOut, 201: ShareLinkOut, 403: Problem, 404: Problem, 409: Problem},
    summary="The cart's current link for an option: 200 if it existed, 201 if created (owner)",
)
@idempotent
def create_share_link(
    request: HttpRequest,
    cart_id: uuid.UUID,
    payload: ShareLinkCreateIn,
    idempotency_key: str | None = IdempotencyKey,
) -> Status[ShareLink]:
    """422 for an option the owner may not use (B2C owners: PREVIEW only) or an expiry that is
    not in the future; 409 once the cart is ordered. An expired current link is replaced."""
    cart = cart_get_for(caller(request), cart_id)
    link, _, created = link_services.share_link_get_or_create(
        cart=cart,
        actor=caller(request),
        share_option=payload.share_option,
        expires_at=payload.expires_at,
        base_url=base_url_for(request),
    )
    return Status(201 if created else 200, link)


@router.delete(
    "/share-links/{link_id}",
    response={204: None, 403: Problem, 404: Problem},
    summary="Revoke a link: it stops working at once, for everyone (owner)",
)
def revoke_share_link(request: HttpRequest, link_id: int) -> Status[None]:
    """Revoking a revoked link, or the link of an ordered cart, is fine (204)."""
    link = link_services.share_link_get_for(actor=caller(request), link_id=link_id)
    link_services.share_link_revoke(link=link, actor=caller(request))
    return Status(204, None)


# --- Opening a link -----------------------------------------------------------------------------


def _link_view(opening: link_visits.ShareLinkOpening, actor: Actor) -> LinkView:
    """The cart as the link shows it to `actor`: at the level they have once they accept it;
    whether it is their active cart only where that level may see the details (a preview
    says nothing about the visitor)."""
    level = opening.level_once_accepted
    is_active = False
    if level_allows(level, CartAction.SEE_DETAILS) and isinstance(actor, Customer):
        is_active = active_cart_id(actor) == opening.cart.pk
    seen = CartSeen(
        cart=opening.cart,
        level=level,
        is_active=is_active,
        items=opening.items,
        totals=opening.totals,
    )
    return LinkView(opening=opening, cart=seen)


@router.get(
    "/shared/{token}",
    auth=optional_bearer_auth,
    openapi_extra=OPTIONAL_AUTH_OPENAPI,
    response={200: SharedCartViewOut, **OPEN_ERRORS},
    summary="Open a link: the preview, or the cart as I see it once I accept the link",
)
def open_shared_cart(request: HttpRequest, response: HttpResponse, token: str = Token) -> LinkView:
    """Anonymous or with a token. 404 unknown, 410 revoked, expired or cart deleted (the
    `detail` says whom to ask); internal links: 401 anonymous, 403 outside the owner's
    business unit. Changes nothing but the link's open count."""
    actor = caller_or_anonymous(request)
    opening = link_visits.share_link_open(token=token, actor=actor)
    with_etag(response, opening.cart)
    return _link_view(opening, actor)


@router.post(
    "/shared/{token}/accept",
    response={200: ShareLinkAcceptOut, 422: Problem, **USE_ERRORS},
    summary="Accept an internal link: the grant is created or raised, the cart made active",
)
@idempotent
def accept_share_link(
    request: HttpRequest,
    response: HttpResponse,
    token: str = Token,
    idempotency_key: str | None = IdempotencyKey,
) -> Accepted:
    """Company users of the owner's business unit. A grant is never lowered; the owner's own
    link only makes the cart active. 422 for a preview link (nothing to accept), 409 for an
    ordered cart (nobody joins it any more)."""
    level, accepted = link_visits.share_link_accept(token=token, actor=caller(request))
    cart = cart_with_items(accepted)
    with_etag(response, cart)
    return Accepted(level=level, cart=cart_seen_by(caller(request), cart))


@router.post(
    "/shared/{token}/copy",
    response={201: CartOut, **USE_ERRORS},
    summary="Copy the shared cart's items into a new cart of mine, now my active cart",
)
@idempotent
def copy_shared_cart(
    request: HttpRequest,
    response: HttpResponse,
    token: str = Token,
    idempotency_key: str | None = IdempotencyKey,
) -> Status[CartSeen]:
    """Any customer the link opens for (anyone for a preview link). The new cart is named
    "Copy of …" and has the shared cart's currency."""
    copy = link_visits.share_link_copy(token=token, actor=caller(request))
    cart = cart_with_items(copy)
    with_etag(response, cart)
    return Status(201, cart_seen_by(caller(request), cart))
