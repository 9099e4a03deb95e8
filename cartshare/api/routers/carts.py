"""Carts and their items. Every cart response carries `ETag: "<version>"`; writes accept
`If-Match` and POSTs `Idempotency-Key`. A stale `If-Match` on a cart write: 412, nothing
changed; on a line write: applied if that line did not change since, else 412 with the
`conflict` (the services decide: `carts.conflicts`)."""

import uuid

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema, Status

from cartshare.api.auth import caller
from cartshare.api.conditional import (
    IdempotencyKey,
    IfMatch,
    expected_version,
    idempotent,
    with_etag,
)
from cartshare.api.pagination import Page, PageParams, paginate
from cartshare.api.schemas import (
    CartCreateIn,
    CartItemAddIn,
    CartItemUpdateIn,
    CartOut,
    CartPage,
    CartStatusName,
    CartUpdateIn,
    ListedAccessName,
    Problem,
    cart_out_json,
)
from cartshare.carts import services
from cartshare.carts.models import Cart
from cartshare.carts.selectors import (
    CartRow,
    CartSeen,
    cart_get_for,
    cart_lines,
    cart_rows_for,
    cart_seen_by,
)
from cartshare.sharing.models import AccessLevel

router = Router(tags=["carts"])

WRITE_ERRORS = {403: Problem, 404: Problem, 409: Problem, 412: Problem}


def _cart_response(
    request: HttpRequest, response: HttpResponse, cart: Cart, *, status: int = 200
) -> Status[CartSeen]:
    """The cart as the caller sees it, from an instance loaded (with its items) by
    `cart_get_for` and kept up to date by the service that changed it."""
    with_etag(response, cart)
    return Status(status, cart_seen_by(caller(request), cart))


def _reloaded(request: HttpRequest, cart_id: uuid.UUID) -> Cart:
    """After a change to the items: the cart loaded again, with its items."""
    return cart_get_for(caller(request), cart_id)


class CartFilters(Schema):
    status: CartStatusName | None = Field(None, description="Only carts in this status.")
    access: list[ListedAccessName] | None = Field(
        None,
        description="Only carts where my level is one of these (repeat it: "
        "`access=FULL_ACCESS&access=CONTRIBUTOR`); OWNER: my own carts.",
    )


@router.get("/carts", response=CartPage, summary="My carts and the carts shared with me")
def list_carts(
    request: HttpRequest, page: Query[PageParams], filters: Query[CartFilters]
) -> Page[CartRow]:
    levels = {AccessLevel(name) for name in filters.access} if filters.access else None
    rows = cart_rows_for(caller(request), status=filters.status, levels=levels)
    return paginate(request, rows, page)


@router.post("/carts", response={201: CartOut, 409: Problem}, summary="Create a cart")
@idempotent
def create_cart(
    request: HttpRequest,
    response: HttpResponse,
    payload: CartCreateIn,
    idempotency_key: str | None = IdempotencyKey,
) -> Status[CartSeen]:
    cart = services.cart_create(owner=caller(request), name=payload.name, note=payload.note)
    return _cart_response(request, response, _reloaded(request, cart.pk), status=201)


@router.get("/carts/{cart_id}", response={200: CartOut, 404: Problem}, summary="A cart")
def get_cart(request: HttpRequest, response: HttpResponse, cart_id: uuid.UUID) -> HttpResponse:
    """The items as plain lines (`cart_lines`, one query), not model instances, written by the
    declared shape without validating each one (`cart_out_json`): up to 1,000."""
    cart = cart_get_for(caller(request), cart_id, with_items=False)
    with_etag(response, cart)
    response.content = cart_out_json(cart_seen_by(caller(request), cart, lines=cart_lines(cart)))
    return response


@router.patch(
    "/carts/{cart_id}", response={200: CartOut, **WRITE_ERRORS}, summary="Rename, change the note"
)
def update_cart(
    request: HttpRequest,
    response: HttpResponse,
    cart_id: uuid.UUID,
    payload: CartUpdateIn,
    if_match: str | None = IfMatch,
) -> Status[CartSeen]:
    cart = cart_get_for(caller(request), cart_id)
    services.cart_update(
        cart=cart,
        actor=caller(request),
        name=payload.name,
        note=payload.note,
        expected_version=expected_version(if_match),
    )
    return _cart_response(request, response, cart)


@router.delete(
    "/carts/{cart_id}",
    response={204: None, **WRITE_ERRORS},
    summary="Delete a cart (owner; never the last own cart: 409)",
)
def delete_cart(
    request: HttpRequest, cart_id: uuid.UUID, if_match: str | None = IfMatch
) -> Status[None]:
    cart = cart_get_for(caller(request), cart_id)
    services.cart_delete(
        cart=cart, actor=caller(request), expected_version=expected_version(if_match)
    )
    return Status(204, None)


@router.post(
    "/carts/{cart_id}/activate",
    response={200: CartOut, 404: Problem, 409: Problem},
    summary="Make this my active cart",
    description=(
        "Any caller who can see the cart may ask (404 otherwise); only a cart they can fill "
        "becomes active: a read-only or ordered cart is refused with 409 and the reason."
    ),
)
@idempotent
def activate_cart(
    request: HttpRequest,
    response: HttpResponse,
    cart_id: uuid.UUID,
    idempotency_key: str | None = IdempotencyKey,
) -> Status[CartSeen]:
    cart = cart_get_for(caller(request), cart_id)
    services.cart_activate(cart=cart, actor=caller(request))
    return _cart_response(request, response, cart)


@router.post(
    "/carts/{cart_id}/items",
    response={201: CartOut, **WRITE_ERRORS},
    summary="Add a product (adding a SKU already in the cart raises its quantity)",
    description="Owner, full access and contributors; the new line records who added it.",
)
@idempotent
def add_cart_item(
    request: HttpRequest,
    response: HttpResponse,
    cart_id: uuid.UUID,
    payload: CartItemAddIn,
    if_match: str | None = IfMatch,
    idempotency_key: str | None = IdempotencyKey,
) -> Status[CartSeen]:
    cart = cart_get_for(caller(request), cart_id)
    services.cart_item_add(
        cart=cart,
        actor=caller(request),
        sku=payload.sku,
        quantity=payload.quantity,
        expected_version=expected_version(if_match),
    )
    return _cart_response(request, response, _reloaded(request, cart_id), status=201)


@router.patch(
    "/carts/{cart_id}/items/{item_id}",
    response={200: CartOut, **WRITE_ERRORS},
    summary="Change an item's quantity and/or note",
    description=(
        "Owner and full access: any line; a contributor: the lines they added (403). "
        "At least one of `quantity` and `note` (422 otherwise)."
    ),
)
def update_cart_item(
    request: HttpRequest,
    response: HttpResponse,
    cart_id: uuid.UUID,
    item_id: int,
    payload: CartItemUpdateIn,
    if_match: str | None = IfMatch,
) -> Status[CartSeen]:
    cart = cart_get_for(caller(request), cart_id)
    services.cart_item_update(
        cart=cart,
        actor=caller(request),
        item_id=item_id,
        quantity=payload.quantity,
        note=payload.note,
        expected_version=expected_version(if_match),
    )
    return _cart_response(request, response, _reloaded(request, cart_id))


@router.delete(
    "/carts/{cart_id}/items/{item_id}",
    response={200: CartOut, **WRITE_ERRORS},
    summary="Remove an item",
    description="Owner and full access: any line; a contributor: the lines they added (403).",
)
def remove_cart_item(
    request: HttpRequest,
    response: HttpResponse,
    cart_id: uuid.UUID,
    item_id: int,
    if_match: str | None = IfMatch,
) -> Status[CartSeen]:
    cart = cart_get_for(caller(request), cart_id)
    services.cart_item_remove(
        cart=cart,
        actor=caller(request),
        item_id=item_id,
        expected_version=expected_version(if_match),
    )
    return _cart_response(request, response, _reloaded(request, cart_id))
