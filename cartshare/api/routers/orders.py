"""Checkout and orders. NOT MOUNTED YET: needs the `discuss` branch's cartshare/orders
(services cart_checkout(cart=, actor=, expected_version=), selectors orders_for(customer) and
order_get_for(customer, order_id)). A checkout repeated with the same Idempotency-Key creates one
order (the idempotency layer replays the first 201; the service's select_for_update makes two
concurrent checkouts create exactly one)."""

import uuid

from django.http import HttpRequest
from ninja import Query, Router, Status

from cartshare.api.auth import caller
from cartshare.api.conditional import IdempotencyKey, IfMatch, expected_version, idempotent
from cartshare.api.pagination import PageParams, paginate
from cartshare.api.schemas import OrderOut, OrderPage, Problem
from cartshare.carts.selectors import cart_get_for
from cartshare.orders import selectors as order_selectors
from cartshare.orders import services as order_services

router = Router(tags=["orders"])


def order_payload(order) -> dict:
    lines = list(order.lines.all())
    subtotal = sum(line.unit_price * line.quantity for line in lines)
    return {
        "id": order.pk,
        "reference": order.reference,
        "cart_id": order.cart_id,
        "placed_by": {"id": order.placed_by_id, "name": order.placed_by.name},
        "items": [
            {
                "sku": line.sku,
                "name": line.name,
                "quantity": line.quantity,
                "unit_price": line.unit_price,
                "total_price": line.unit_price * line.quantity,
            }
            for line in lines
        ],
        "totals": {
            "item_count": len(lines),
            "quantity": sum(line.quantity for line in lines),
            "subtotal": subtotal,
            "grand_total": order.grand_total if hasattr(order, "grand_total") else subtotal,
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
def cart_checkout(
    request: HttpRequest,
    cart_id: uuid.UUID,
    if_match: str | None = IfMatch,
    idempotency_key: str | None = IdempotencyKey,
):
    cart = cart_get_for(caller(request), cart_id)
    order = order_services.cart_checkout(
        cart=cart, actor=caller(request), expected_version=expected_version(if_match)
    )
    return Status(201, order_payload(order))


@router.get("/orders", response=OrderPage, summary="Orders I placed or that came from my carts")
def order_list(request: HttpRequest, page: Query[PageParams]):
    result = paginate(request, order_selectors.orders_for(caller(request)), page)
    result["results"] = [order_payload(order) for order in result["results"]]
    return result


@router.get("/orders/{order_id}", response={200: OrderOut, 404: Problem}, summary="An order")
def order_detail(request: HttpRequest, order_id: int):
    return order_payload(order_selectors.order_get_for(caller(request), order_id))
