"""`{% load access_requests %}{% access_requests_panel cart %}`: access requests on the cart page
and the share page (spec §11). The owner sees the pending requests and answers them; a grantee
who may ask for more ("Ask for edit access") gets the form, or their pending request."""

from __future__ import annotations

from django import template
from django.template import Context

from cartshare.access.policies import CartAction, can, can_decide_access_requests, grant_levels
from cartshare.carts.models import Cart
from cartshare.sharing.access_requests import (
    access_request_offer,
    access_requests_pending_for_cart,
)
from cartshare.sharing.models import AccessRequest
from cartshare.sharing.selectors import SharingCounts

register = template.Library()


def _pending(context: Context, cart: Cart) -> list[AccessRequest]:
    """The pending requests; none read when the page's sharing counts say there are none."""
    counts = context.get("sharing_counts")
    if (
        isinstance(counts, SharingCounts)
        and context.get("cart") is cart
        and counts.pending_requests == 0
    ):
        return []
    return access_requests_pending_for_cart(cart)


@register.inclusion_tag("storefront/sharing/access_requests.html", takes_context=True)
def access_requests_panel(context: Context, cart: Cart) -> dict[str, object]:
    request = context["request"]
    user = request.user
    deciding = can_decide_access_requests(user, cart)
    return {
        "cart": cart,
        "deciding": deciding,
        "pending": _pending(context, cart) if deciding else [],
        "can_approve": can(user, CartAction.SHARE, cart),
        "levels": [(level.value, level.label) for level in grant_levels()],
        "offer": None if deciding else access_request_offer(actor=user, cart=cart),
        "next": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }
