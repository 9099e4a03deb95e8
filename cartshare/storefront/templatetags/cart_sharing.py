"""`{% share_summary cart %}`: the cart page's one line about sharing ("Shared with 2 people ·
1 link"), which opens the share dialog (the share page, or a dialog over the cart with
JavaScript). The owner sees who and how many links; a grantee who shared it and their level."""

from django import template
from django.template import Context

from cartshare.access.policies import CartAction, access_level, allowed_actions
from cartshare.carts.models import Cart
from cartshare.sharing.access_requests import access_requests_for_cart
from cartshare.sharing.models import AccessRequestStatus
from cartshare.sharing.selectors import cart_shares_list, share_links_current

register = template.Library()


def _count(number: int, word: str, plural: str = "") -> str:
    return f"{number} {word if number == 1 else plural or word + 's'}"


@register.inclusion_tag("storefront/sharing/summary.html", takes_context=True)
def share_summary(context: Context, cart: Cart) -> dict[str, object]:
    user = context["request"].user
    actions = allowed_actions(user, cart)
    parts: list[str] = []
    if CartAction.SEE_SHARING in actions:
        people = len(cart_shares_list(cart))
        links = sum(1 for link in share_links_current(cart).values() if not link.is_expired())
        parts.append(f"Shared with {_count(people, 'person', 'people')}" if people else "Only you")
        parts.append(_count(links, "link") if links else "no link")
        pending = access_requests_for_cart(cart).filter(status=AccessRequestStatus.PENDING).count()
        if pending:
            parts.append(_count(pending, "request"))
    elif (level := access_level(user, cart)) is not None:
        parts.append(f"{cart.owner.name}'s cart · yours: {level.label.lower()}")
    return {
        "cart": cart,
        "summary": " · ".join(parts),
        "is_owner": CartAction.SEE_SHARING in actions,
    }
