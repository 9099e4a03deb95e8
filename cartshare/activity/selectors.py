"""Reading the activity log. Callers hand in a cart the viewer may discuss (owner or grantee,
never a preview: the policy's COMMENT action); `activity_visible_to` asks the policy."""

from __future__ import annotations

from django.core.paginator import Page
from django.db.models import QuerySet

from cartshare.access.policies import Actor, CartAction, can
from cartshare.activity.models import CartActivity
from cartshare.carts.models import Cart
from cartshare.common.paging import page_get

ACTIVITIES_PER_PAGE = 20


def activity_visible_to(customer: Actor | None, cart: Cart) -> bool:
    """Owner and grantees (read-only included) see the log; link previewers do not."""
    return can(customer, CartAction.COMMENT, cart)


def activity_list(cart: Cart) -> QuerySet[CartActivity]:
    """Newest first, actors joined: for the API's cursor pagination."""
    return (
        CartActivity.objects.filter(cart=cart)
        .select_related("actor")
        .order_by("-created_at", "-id")
    )


def activities_for_cart(
    cart: Cart, page: int | str | None = 1, *, per_page: int = ACTIVITIES_PER_PAGE
) -> Page:
    """One page of the log; an invalid or too-high page number gives the nearest real page."""
    return page_get(activity_list(cart), page, per_page)
