"""Reading the activity log. Who may read it, and which entries, is the policy's
(`activities_visible_to`: owner and grantees, never a preview; the access requests' entries only
for whoever answers them, and the requester's own)."""

from __future__ import annotations

from django.core.paginator import Page
from django.db.models import QuerySet

from cartshare.access.policies import Actor, CartAction, activities_visible_to, can
from cartshare.activity.models import CartActivity
from cartshare.carts.models import Cart
from cartshare.common.paging import page_get

ACTIVITIES_PER_PAGE = 20


def activity_visible_to(customer: Actor | None, cart: Cart) -> bool:
    """Owner and grantees (read-only included) see the log; link previewers do not."""
    return can(customer, CartAction.COMMENT, cart)


def activity_list(customer: Actor | None, cart: Cart) -> QuerySet[CartActivity]:
    """Newest first, actors joined, what `customer` may read: for the API's cursor pagination."""
    return activities_visible_to(customer, cart)


def activities_for_cart(
    customer: Actor | None,
    cart: Cart,
    page: int | str | None = 1,
    *,
    per_page: int = ACTIVITIES_PER_PAGE,
) -> Page:
    """One page of the log; an invalid or too-high page number gives the nearest real page."""
    return page_get(activity_list(customer, cart), page, per_page)
