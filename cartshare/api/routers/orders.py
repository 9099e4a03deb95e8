"""Checkout and orders. The checkout service locks the cart row, so of two concurrent checkouts
exactly one creates an order; a checkout repeated with the same Idempotency-Key gets the first
201 again (the idempotency layer) instead of a 409."""

import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Body, Query, Router, Status

from cartshare.api.auth import caller
from cartshare.api.conditional import IdempotencyKey, IfMatch, expected_version, idempotent
from cartshare.api.pagination import PageParams, paginate
from cartshare.api.schemas import CheckoutIn, OrderOut, OrderPage, Problem
from cartshare.carts.selectors import cart_get_for
from cartshare.orders import selectors as order_selectors
from cartshare.orders import services as order_services
from cartshare.orders.models import Order

router = Router(tags=["orders"])


def order_payload(order: Order) -> dict[str, Any]:
    """An order is a frozen copy: names and prices as they were when it was placed."""
    lines = list(order.lines.all())
    return {
        "id": order.pk,
        "reference": order.reference,
        "cart_id": order.cart_uuid,
        "cart_name": order.cart_name,
        "placed_by": {"id": order.placed_by_id, "name": order.placed_by_name},
        "purchase_order_number": order.purchase_order_number,
        "items": [
            {
                "sku": line.sku,
                "name": line.name,
                "quantity": line.quantity,
                "unit_price": line.unit_price,
                "total_price": line.total_price,
            }
            for line in lines
        ],
        "totals": {
            "item_count": order.item_count,
            "quantity": order.quantity,
            "subtotal": order.subtotal,
            "grand_total": order.grand_total,
        },
        "currency": order.currency,
        "created_at": order.created_at,
    }


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
) -> Status[dict[str, Any]]:
    """Send `If-Match` with the ETag of the cart you showed the buyer: if the cart changed since,
    the answer is 412 and nothing is ordered. The body is optional."""
    cart = cart_get_for(caller(request), cart_id)
    order = order_services.cart_checkout(
        cart=cart,
        actor=caller(request),
        expected_version=expected_version(if_match),
        purchase_order_number=payload.purchase_order_number if payload else "",
    )
    return Status(201, order_payload(order_selectors.order_get_for(caller(request), order.pk)))


@router.get("/orders", response=OrderPage, summary="Orders I placed or that came from my carts")
def list_orders(request: HttpRequest, page: Query[PageParams]) -> dict[str, Any]:
    result = paginate(request, order_selectors.orders_for(caller(request)), page)
    result["results"] = [order_payload(order) for order in result["results"]]
    return result


@router.get("/orders/{order_id}", response={200: OrderOut, 404: Problem}, summary="An order")
def get_order(request: HttpRequest, order_id: int) -> dict[str, Any]:
    return order_payload(order_selectors.order_get_for(caller(request), order_id))
