"""Share links (spec §5) over the API: the owner lists, gets or creates and revokes a cart's
links; anyone opens one with `GET /shared/{token}`, company users accept internal ones, and any
customer copies the items into a cart of their own. The rules are in
`cartshare.sharing.link_services`, `cartshare.sharing.link_visits` and the policy; opening is
rate-limited per client, together with the /share/ pages, by the API middleware (429 with
`Retry-After`).

`GET /shared/{token}` is the most frequent request of the whole service (one owner, many
viewers), so it is answered without ninja's response validation: a fixed number of queries,
plain dicts of plain values, one `json.dumps`. Its documented shape is `SharedCartViewOut`, and
`tests/api/test_share_links_api.py` validates real answers against it."""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from ninja import Path, Query, Router, Status

from cartshare.access.policies import Actor, CartAction, level_allows
from cartshare.api.auth import (
    OPTIONAL_AUTH_OPENAPI,
    caller,
    caller_or_anonymous,
    optional_bearer_auth,
)
from cartshare.api.conditional import IdempotencyKey, etag_for, idempotent
from cartshare.api.pagination import PageParams, paginate
from cartshare.api.presenters import cart_payload, with_etag
from cartshare.api.schemas import (
    CartOut,
    Problem,
    SharedCartViewOut,
    ShareLinkAcceptOut,
    ShareLinkCreateIn,
    ShareLinkOut,
    ShareLinkPage,
)
from cartshare.carts.models import CartTotals
from cartshare.carts.selectors import active_cart_id, cart_get_for, cart_lines, cart_with_items
from cartshare.sharing import link_services, link_visits
from cartshare.sharing.models import ShareLink
from cartshare.sharing.tokens import base_url_for, share_link_url

router = Router(tags=["share links"])

# Any string: a token of the wrong shape is simply unknown (404), like on the /share/ pages.
Token = Path(
    ...,
    description="The last part of the link's URL (43 characters of A-Z, a-z, 0-9, - and _).",
)
OPEN_ERRORS = {401: Problem, 403: Problem, 404: Problem, 410: Problem, 429: Problem}
USE_ERRORS = {**OPEN_ERRORS, 409: Problem}


def share_link_payload(link: ShareLink, url: str | None) -> dict[str, Any]:
    try:
        stats = link.stats
    except ObjectDoesNotExist:
        stats = None
    return {
        "id": link.pk,
        "cart_id": link.cart_id,
        "share_option": link.share_option,
        "url": url,
        "expires_at": link.expires_at,
        "revoked_at": link.revoked_at,
        "created_at": link.created_at,
        "open_count": stats.open_count if stats else 0,
        "last_opened_at": stats.last_opened_at if stats else None,
    }


@router.get(
    "/carts/{cart_id}/share-links",
    response={200: ShareLinkPage, 403: Problem, 404: Problem},
    summary="The cart's links, newest first, revoked and expired ones included (owner)",
)
def list_share_links(
    request: HttpRequest, cart_id: uuid.UUID, page: Query[PageParams]
) -> dict[str, Any]:
    cart = cart_get_for(caller(request), cart_id)
    result = paginate(
        request, link_services.share_links_for_cart(cart=cart, actor=caller(request)), page
    )
    base_url = base_url_for(request)
    result["results"] = [
        share_link_payload(link, share_link_url(link, base_url)) for link in result["results"]
    ]
    return result


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
) -> Status[dict[str, Any]]:
    """422 for an option the owner may not use (B2C owners: PREVIEW only) or an expiry that is
    not in the future; 409 once the cart is ordered. An expired current link is replaced."""
    cart = cart_get_for(caller(request), cart_id)
    link, url, created = link_services.share_link_get_or_create(
        cart=cart,
        actor=caller(request),
        share_option=payload.share_option,
        expires_at=payload.expires_at,
        base_url=base_url_for(request),
    )
    return Status(201 if created else 200, share_link_payload(link, url))


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


def shared_view_payload(visit: link_visits.ShareLinkVisit, actor: Actor) -> dict[str, Any]:
    """`{share_option, cart}`: the cart as the link shows it to `actor`. A PREVIEW cart has the
    owner's name only and no note; otherwise the Cart at the level the visitor has once they
    accept (`is_active` says whether it is their active cart now). Items are plain rows."""
    cart = visit.cart
    lines = cart_lines(cart)
    totals = CartTotals.of(lines)
    level = visit.level_once_accepted
    shown: dict[str, Any] = {
        "id": cart.pk,
        "name": cart.name,
        "access": level.value,
        "status": cart.status,
        "version": cart.version,
        "currency": cart.currency,
        "items": [
            {
                "id": line.id,
                "sku": line.sku,
                "name": line.name,
                "quantity": line.quantity,
                "unit_price": line.unit_price,
                "total_price": line.total_price,
            }
            for line in lines
        ],
        "totals": {
            "item_count": totals.item_count,
            "quantity": totals.quantity,
            "subtotal": totals.subtotal,
            "grand_total": totals.grand_total,
        },
        "created_at": cart.created_at,
        "updated_at": cart.updated_at,
    }
    if level_allows(level, CartAction.SEE_DETAILS):
        shown["owner"] = {"id": cart.owner_id, "name": cart.owner.name}
        shown["note"] = cart.note
        shown["is_active"] = active_cart_id(actor) == cart.pk  # type: ignore[arg-type]
    else:
        shown["owner"] = {"name": cart.owner.name}
        shown["is_active"] = False
    return {"share_option": visit.link.share_option, "cart": shown}


@router.get(
    "/shared/{token}",
    auth=optional_bearer_auth,
    openapi_extra=OPTIONAL_AUTH_OPENAPI,
    response={200: SharedCartViewOut, **OPEN_ERRORS},
    summary="Open a link: the preview, or the cart as I see it once I accept the link",
)
def open_shared_cart(request: HttpRequest, token: str = Token) -> HttpResponse:
    """Anonymous or with a token. 404 unknown, 410 revoked, expired or cart deleted (the
    `detail` says whom to ask); internal links: 401 anonymous, 403 outside the owner's
    business unit. Changes nothing but the link's open count."""
    actor = caller_or_anonymous(request)
    visit = link_visits.share_link_visit(token=token, actor=actor)
    body = json.dumps(shared_view_payload(visit, actor), cls=DjangoJSONEncoder)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["ETag"] = etag_for(visit.cart.version)
    return response


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
) -> dict[str, Any]:
    """Company users of the owner's business unit. A grant is never lowered; the owner's own
    link only makes the cart active. 422 for a preview link (nothing to accept), 409 for an
    ordered cart (nobody joins it any more)."""
    level, accepted = link_visits.share_link_accept(token=token, actor=caller(request))
    cart = cart_with_items(accepted)
    with_etag(response, cart)
    return {"permission": level.value, "cart": cart_payload(cart, caller(request))}


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
) -> Status[dict[str, Any]]:
    """Any customer the link opens for (anyone for a preview link). The new cart is named
    "Copy of …" and has the shared cart's currency."""
    copy = link_visits.share_link_copy(token=token, actor=caller(request))
    cart = cart_with_items(copy)
    with_etag(response, cart)
    return Status(201, cart_payload(cart, caller(request)))
