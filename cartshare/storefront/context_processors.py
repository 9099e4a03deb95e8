"""What every storefront page needs in its header: the active cart's name and size."""

from django.db.models import Count, Sum
from django.http import HttpRequest


def shop(request: HttpRequest) -> dict[str, object]:
    """Lazy: the active cart is looked up only when a template uses it."""
    from cartshare.accounts.models import Customer
    from cartshare.carts.models import Cart
    from cartshare.carts.selectors import active_cart_id

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

    def unread_notifications() -> int:
        from cartshare.notifications.selectors import unread_count

        user = request.user
        return unread_count(user) if user.is_authenticated else 0

    return {"header_cart": header_cart, "unread_notifications": unread_notifications}
