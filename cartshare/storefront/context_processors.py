"""What every storefront page needs in its header: the active cart's name and size, and the
carts "Add to cart" may fill (the product pages' cart picker)."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from django.db.models import Count, Sum
from django.http import HttpRequest

if TYPE_CHECKING:
    from cartshare.carts.models import Cart


def shop(request: HttpRequest) -> dict[str, object]:
    """Lazy: each is looked up only when a template uses it, and once per page."""
    from cartshare.accounts.models import Customer
    from cartshare.carts.models import Cart
    from cartshare.carts.selectors import active_cart_id, carts_to_fill

    @cache
    def header_cart() -> Cart | None:
        user = request.user
        if not isinstance(user, Customer):
            return None
        cart_id = active_cart_id(user)
        if cart_id is None:
            return None
        return (
            Cart.objects.filter(pk=cart_id)
            .annotate(item_count=Count("items"), quantity_sum=Sum("items__quantity"))
            .only("id", "name", "owner_id")
            .first()
        )

    @cache
    def fillable_carts() -> list[Cart]:
        user = request.user
        return carts_to_fill(user) if isinstance(user, Customer) else []

    def unread_notifications() -> int:
        from cartshare.notifications.selectors import unread_count

        user = request.user
        return unread_count(user) if user.is_authenticated else 0

    from cartshare.storefront.middleware import address_holds_token

    return {
        # No form that posts where the address holds a share token (the language switcher).
        "address_holds_token": address_holds_token(request.path),
        "header_cart": header_cart,
        "fillable_carts": fillable_carts,
        "unread_notifications": unread_notifications,
    }
