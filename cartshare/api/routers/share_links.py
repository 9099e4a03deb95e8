"""Share links and opening them. NOT MOUNTED YET: needs the `links` branch's links service module
in cartshare/sharing (imported here as `cartshare.sharing.links`; adjust the import to its real
name) with share_links_list, share_link_get_or_create, share_link_revoke, share_link_resolve,
share_link_accept and share_link_copy. The service rate-limits opening links per client
(CARTSHARE_SHARE_RATE_LIMIT, 429 with `retry_after`), like the pages."""

import uuid

from django.http import HttpRequest, HttpResponse
from ninja import Path, Query, Router, Status

from cartshare.api.auth import OPTIONAL_AUTH_OPENAPI, caller, optional_bearer_auth
from cartshare.api.conditional import IdempotencyKey, idempotent
from cartshare.api.pagination import PageParams, paginate
from cartshare.api.presenters import cart_payload, preview_cart_payload, with_etag
from cartshare.api.schemas import (
    CartOut,
    Problem,
    SharedCartViewOut,
    ShareLinkAcceptOut,
    ShareLinkCreateIn,
    ShareLinkOut,
    ShareLinkPage,
)
from cartshare.carts.selectors import cart_get_for
from cartshare.common.ratelimit import client_address
from cartshare.sharing import links as link_services
from cartshare.sharing.models import AccessLevel

router = Router(tags=["share links"])

Token = Path(..., min_length=16, max_length=128, pattern=r"^[A-Za-z0-9_-]+$")
LINK_ERRORS = {403: Problem, 404: Problem, 410: Problem, 429: Problem}


def share_link_payload(link) -> dict:
    return {
        "id": link.pk,
        "cart_id": link.cart_id,
        "share_option": link.share_option,
        "url": link.url,
        "expires_at": link.expires_at,
        "revoked_at": link.revoked_at,
        "created_at": link.created_at,
    }


@router.get(
    "/carts/{cart_id}/share-links",
    response={200: ShareLinkPage, 403: Problem, 404: Problem},
    summary="The cart's links, revoked and expired ones included (owner)",
)
def share_link_list(request: HttpRequest, cart_id: uuid.UUID, page: Query[PageParams]):
    cart = cart_get_for(caller(request), cart_id)
    links = link_services.share_links_list(cart=cart, actor=caller(request), request=request)
    result = paginate(request, links, page)
    result["results"] = [share_link_payload(link) for link in result["results"]]
    return result


@router.post(
    "/carts/{cart_id}/share-links",
    response={200: ShareLinkOut, 201: ShareLinkOut, 403: Problem, 404: Problem, 409: Problem},
    summary="The current link for an option: 200 if it existed, 201 if created (owner)",
)
@idempotent
def share_link_create(
    request: HttpRequest,
    cart_id: uuid.UUID,
    payload: ShareLinkCreateIn,
    idempotency_key: str | None = IdempotencyKey,
):
    """422 for an option the owner may not use (B2C owners: PREVIEW only)."""
    cart = cart_get_for(caller(request), cart_id)
    link, created = link_services.share_link_get_or_create(
        cart=cart,
        actor=caller(request),
        share_option=payload.share_option,
        expires_at=payload.expires_at,
        request=request,
    )
    return Status(201 if created else 200, share_link_payload(link))


@router.delete(
    "/share-links/{link_id}",
    response={204: None, 403: Problem, 404: Problem},
    summary="Revoke a link: it stops working at once (owner)",
)
def share_link_revoke(request: HttpRequest, link_id: int):
    link_services.share_link_revoke(link_id=link_id, actor=caller(request))
    return Status(204, None)


@router.get(
    "/shared/{token}",
    auth=optional_bearer_auth,
    openapi_extra=OPTIONAL_AUTH_OPENAPI,
    response={200: SharedCartViewOut, 401: Problem, **LINK_ERRORS},
    summary="Open a link: the preview, or the cart as seen after accepting",
)
def shared_open(request: HttpRequest, response: HttpResponse, token: str = Token):
    """404 unknown, 410 revoked or expired; internal links: 401 anonymous, 403 outside the
    owner's business unit."""
    resolved = link_services.share_link_resolve(
        token=token, actor=caller(request), client=client_address(request)
    )
    cart = resolved.cart
    with_etag(response, cart)
    if resolved.share_option == AccessLevel.PREVIEW:
        return {"share_option": resolved.share_option, "cart": preview_cart_payload(cart)}
    return {"share_option": resolved.share_option, "cart": cart_payload(cart, caller(request))}


@router.post(
    "/shared/{token}/accept",
    response={200: ShareLinkAcceptOut, **LINK_ERRORS},
    summary="Join an internal link: the grant is created or raised, the cart made active",
)
@idempotent
def shared_accept(
    request: HttpRequest,
    response: HttpResponse,
    token: str = Token,
    idempotency_key: str | None = IdempotencyKey,
):
    accepted = link_services.share_link_accept(
        token=token, actor=caller(request), client=client_address(request)
    )
    cart = cart_get_for(caller(request), accepted.cart.pk)
    with_etag(response, cart)
    return {"permission": accepted.permission, "cart": cart_payload(cart, caller(request))}


@router.post(
    "/shared/{token}/copy",
    response={201: CartOut, **LINK_ERRORS},
    summary="Copy the shared cart's items into a new cart of mine",
)
@idempotent
def shared_copy(
    request: HttpRequest,
    response: HttpResponse,
    token: str = Token,
    idempotency_key: str | None = IdempotencyKey,
):
    copy = link_services.share_link_copy(
        token=token, actor=caller(request), client=client_address(request)
    )
    cart = cart_get_for(caller(request), copy.pk)
    with_etag(response, cart)
    return Status(201, cart_payload(cart, caller(request)))
