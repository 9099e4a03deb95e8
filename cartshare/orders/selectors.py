"""Reading orders: the person who placed an order and the owner of its cart see it."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from cartshare.common.errors import NotFound
from cartshare.orders.models import Order, OrderLine

ORDER_NOT_FOUND = "This order does not exist or is not yours to see."


def orders_for(customer) -> QuerySet[Order]:
    """Orders I placed and orders placed from my carts, newest first, lines prefetched."""
    if customer is None or not customer.is_authenticated:
        return Order.objects.none()
    return (
        Order.objects.filter(Q(placed_by_id=customer.pk) | Q(owner_id=customer.pk))
        .select_related("placed_by", "owner", "cart")
        .prefetch_related(Prefetch("lines", queryset=OrderLine.objects.order_by("id")))
        .order_by("-created_at", "-id")
    )


def order_get_for(customer, order_id: object) -> Order:
    """By id (API) or by reference ("CS-2026-000042", pages); NotFound for anyone else."""
    orders = orders_for(customer)
    text = str(order_id).strip()
    if text.isdecimal():
        order = orders.filter(pk=int(text)).first()
    else:
        order = orders.filter(reference__iexact=text).first() if text else None
    if order is None:
        raise NotFound(ORDER_NOT_FOUND)
    return order


def order_for_cart_visible_to(customer, cart_id: object) -> Order | None:
    """The order placed from this cart, if the customer may see it (for "view the order" links)."""
    return orders_for(customer).filter(cart_uuid=cart_id).first()
