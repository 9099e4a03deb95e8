"""Checkout and orders. The checkout service locks the cart row, so of two concurrent checkouts
exactly one creates an order; a checkout repeated with the same Idempotency-Key gets the first
201 again (the idempotency layer) instead of a 409."""

import uuid

from django.http import HttpRequest
from ninja import Body, Field, Query, Router, Schema, Status
from pydantic import AwareDatetime

from cartshare.api.auth import caller
from cartshare.api.conditional import IdempotencyKey, IfMatch, expected_version, idempotent
from cartshare.api.pagination import Page, PageParams, paginate
from cartshare.api.schemas import CheckoutIn, OrderOut, OrderPage, Problem
from cartshare.carts.selectors import cart_get_for
from cartshare.orders import selectors as order_selectors
from cartshare.orders import services as order_services
from cartshare.orders.models import Order

router = Router(tags=["orders"])


@router.post(
    "/carts/{cart_id}/checkout",
    response={201: OrderOut, 403: Problem, 404: Problem, 409: Problem, 412: Problem},
    summary="Place the order (owner, full access); 409 when empty or already ordered",
)
@idempotent
def checkout_cart(
    request: HttpRequest,
    cart_id: uuid.UUID,
    # Optional, and documented as an object: `Body[CheckoutIn | None]` would also promise that
    # a JSON `null` is accepted (ninja passes None when there is no body).
    payload: Body[CheckoutIn] = None,  # type: ignore[assignment]
    if_match: str | None = IfMatch,
    idempotency_key: str | None = IdempotencyKey,
) -> Status[Order]:
    """Send `If-Match` with the ETag of the cart you showed the buyer: if the cart changed since,
    the answer is 412 and nothing is ordered. The body is optional."""
    cart = cart_get_for(caller(request), cart_id)
    order = order_services.cart_checkout(
        cart=cart,
        actor=caller(request),
        expected_version=expected_version(if_match),
        purchase_order_number=payload.purchase_order_number if payload else "",
    )
    return Status(201, order_selectors.order_get_for(caller(request), order.pk))


class OrderFilters(Schema):
    created_after: AwareDatetime | None = Field(
        None, description="Only orders placed at or after this time (with a time zone)."
    )
    created_before: AwareDatetime | None = Field(
        None, description="Only orders placed before this time (with a time zone)."
    )


@router.get("/orders", response=OrderPage, summary="Orders I placed or that came from my carts")
def list_orders(
    request: HttpRequest, page: Query[PageParams], filters: Query[OrderFilters]
) -> Page[Order]:
    orders = order_selectors.orders_for(
        caller(request),
        created_after=filters.created_after,
        created_before=filters.created_before,
    )
    return paginate(request, orders, page)


@router.get("/orders/{order_id}", response={200: OrderOut, 404: Problem}, summary="An order")
def get_order(request: HttpRequest, order_id: int) -> Order:
    return order_selectors.order_get_for(caller(request), order_id)
