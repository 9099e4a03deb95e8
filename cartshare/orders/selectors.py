"""Reading orders: the person who placed an order and the owner of its cart see it."""

from __future__ import annotations

import uuid
from datetime import datetime

from django.db.models import Prefetch, QuerySet

from cartshare.access.policies import Actor, orders_visible_to
from cartshare.common.errors import NotFound
from cartshare.orders.models import Order, OrderLine

ORDER_NOT_FOUND = "This order does not exist or is not yours to see."


def orders_for(
    customer: Actor | None,
    *,
    created_after: datetime | None = None,
    created_before: datetime | None = None,
) -> QuerySet[Order]:
    """Orders I placed and orders placed from my carts, newest first, lines prefetched;
    optionally only those placed at or after `created_after` and before `created_before`."""
    orders = orders_visible_to(customer)
    if created_after is not None:
        orders = orders.filter(created_at__gte=created_after)
    if created_before is not None:
        orders = orders.filter(created_at__lt=created_before)
    return (
        orders.select_related("placed_by", "owner", "cart")
        .prefetch_related(Prefetch("lines", queryset=OrderLine.objects.order_by("id")))
        .order_by("-created_at", "-id")
    )


def order_get_for(customer: Actor | None, order_id: object) -> Order:
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


def order_for_cart_visible_to(customer: Actor | None, cart_id: uuid.UUID) -> Order | None:
    """The order placed from this cart, if the customer may see it (for "view the order" links)."""
    return orders_for(customer).filter(cart_uuid=cart_id).first()
