"""What a refused request must leave as it was, as values to compare before and after."""

from cartshare.accounts.models import Customer
from cartshare.activity.models import CartActivity
from cartshare.carts.models import Cart, CartItem
from cartshare.sharing.models import CartShare


def snapshot() -> dict:
    """Every cart, item, grant and active cart, and the size of the activity log."""
    return {
        "carts": sorted(
            Cart.objects.values_list("pk", "owner_id", "name", "note", "status", "version")
        ),
        "items": sorted(CartItem.objects.values_list("pk", "cart_id", "product_id", "quantity")),
        "shares": sorted(CartShare.objects.values_list("cart_id", "company_user_id", "permission")),
        "active_carts": sorted(Customer.objects.values_list("pk", "active_cart_id")),
        "activity": CartActivity.objects.count(),
    }
