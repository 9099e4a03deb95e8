"""`{% cart_sharing_panel cart %}`: the cart page's sharing box (owner: who has access and a link
to the share page; grantee: who shared it, my level, and a link to dismiss it)."""

from django import template
from django.template import Context

from cartshare.access.policies import CartAction, access_level, allowed_actions
from cartshare.carts.models import Cart
from cartshare.sharing.selectors import cart_shares_list

register = template.Library()


@register.inclusion_tag("storefront/sharing/panel.html", takes_context=True)
def cart_sharing_panel(context: Context, cart: Cart) -> dict[str, object]:
    user = context["request"].user
    actions = allowed_actions(user, cart)
    level = access_level(user, cart)
    return {
        "cart": cart,
        "can_share": CartAction.SHARE in actions,
        "can_unshare": CartAction.UNSHARE in actions,
        "can_see_sharing": CartAction.SEE_SHARING in actions,
        "can_dismiss": CartAction.DISMISS in actions,
        "shares": cart_shares_list(cart) if CartAction.SEE_SHARING in actions else [],
        "level": level,
    }
