"""The active cart is always one you can fill, and the shop says when it moved on (spec §2).

Detected on read, on every storefront page a customer opens (GET): the active cart is resolved
as the header shows it (`carts.selectors.active_cart_id`, memoised for the page). When the stored
choice can no longer be filled (a grant stopped counting without any service running, say the
grantee moved to another unit), the one service `carts.services.active_cart_move_on` chooses
and stores the next cart, so "Add to cart" keeps going to the same cart from then on. When the
active cart differs from the one this session last showed and that one cannot be filled any
more, a message says why and which cart "Add to cart" fills now. A cart the person switched
away from themselves (still fillable) gets no message."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.contrib import messages
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse

from cartshare.access.policies import access_level, can_fill
from cartshare.accounts.models import Customer
from cartshare.carts.models import Cart
from cartshare.carts.selectors import active_cart_id
from cartshare.carts.services import active_cart_move_on
from cartshare.common.database import database_unavailable
from cartshare.orders.models import Order

SEEN_KEY = "active_cart_seen"  # {"id": str, "name": str}: the active cart this session showed
SKIPPED_PREFIXES = ("/api/", "/static/", "/admin/", "/share/", "/_bench/")


def moved_on_reason(customer: Customer, old_id: str, old_name: str) -> str | None:
    """Why the cart `old_id` is no longer the active cart, or None when it still could be
    (the person chose another one themselves)."""
    old = Cart.objects.filter(pk=old_id).first()
    if old is None:
        return f"“{old_name}” was deleted"
    if can_fill(customer, old):
        return None
    if old.is_ordered:
        order = Order.objects.filter(cart_id=old.pk).only("placed_by_id", "placed_by_name")
        placed = order.first()
        if placed is None:
            return f"“{old.name}” was ordered"
        who = "you" if placed.placed_by_id == customer.pk else placed.placed_by_name
        return f"“{old.name}” was ordered by {who}"
    level = access_level(customer, old)
    if level is None:
        return f"“{old.name}” is no longer shared with you"
    return f"your access to “{old.name}” is now {level.label.lower()}"


def _seen_record(resolved: uuid.UUID | None) -> dict[str, str | None]:
    name = (
        Cart.objects.filter(pk=resolved).values_list("name", flat=True).first()
        if resolved is not None
        else None
    )
    return {"id": str(resolved) if resolved else None, "name": name or ""}


def active_cart_remember(request: HttpRequest, customer: Customer) -> None:
    """At log-in: the active cart this session starts with (so pages cost no extra query until
    it changes)."""
    request.session[SEEN_KEY] = _seen_record(active_cart_id(customer))


def active_cart_check(request: HttpRequest, customer: Customer) -> None:
    """Store the next cart when the stored one cannot be filled, and tell the person once."""
    resolved = active_cart_id(customer)
    if customer.active_cart_id != resolved:
        active_cart_move_on(
            cart_id=customer.active_cart_id, customer_ids=[customer.pk], actor=customer
        )
        resolved = active_cart_id(customer)
    seen = request.session.get(SEEN_KEY)
    if isinstance(seen, dict) and seen.get("id") == (str(resolved) if resolved else None):
        return
    record = _seen_record(resolved)
    if isinstance(seen, dict) and isinstance(seen.get("id"), str):
        reason = moved_on_reason(customer, seen["id"], str(seen.get("name", "")))
        if reason is not None and record["name"]:
            messages.info(
                request,
                f"{reason[:1].upper()}{reason[1:]}; “Add to cart” now fills “{record['name']}”.",
            )
    request.session[SEEN_KEY] = record


class ActiveCartMiddleware:
    """Runs `active_cart_check` for the pages (GET) of logged-in customers."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "GET" and not request.path.startswith(SKIPPED_PREFIXES):
            try:
                user = getattr(request, "user", None)
                if isinstance(user, Customer) and user.is_active:
                    active_cart_check(request, user)
            except DatabaseError as error:
                # The check is a courtesy: while the database does not answer, the page itself
                # answers 503 (config.outage), without a session looked up or a name shown.
                if not database_unavailable(error):
                    raise
        return self.get_response(request)
