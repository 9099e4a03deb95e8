"""`{% share_summary cart %}`: the cart page's one line about sharing ("Shared with 2 people ·
1 link"), which opens the share dialog (the share page, or a dialog over the cart with
JavaScript). The owner sees who and how many links; a grantee who shared it and their level."""

from django import template
from django.template import Context
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cartshare.access.policies import CartAction, access_level, allowed_actions
from cartshare.carts.models import Cart
from cartshare.sharing.selectors import SharingCounts, cart_sharing_counts
from cartshare.storefront.wording import level_in_sentence

register = template.Library()


def sharing_counts_of(context: Context, cart: Cart) -> SharingCounts:
    """The cart's sharing counts (one query), once per page: the cart page hands them over as
    `sharing_counts` with its `cart`; the access requests panel reads them too."""
    counts = context.get("sharing_counts")
    if isinstance(counts, SharingCounts) and context.get("cart") is cart:
        return counts
    return cart_sharing_counts(cart)


@register.inclusion_tag("storefront/sharing/summary.html", takes_context=True)
def share_summary(context: Context, cart: Cart) -> dict[str, object]:
    user = context["request"].user
    actions = allowed_actions(user, cart)
    parts: list[str] = []
    if CartAction.SEE_SHARING in actions:
        counts = sharing_counts_of(context, cart)
        people, links = counts.people, counts.links
        shared = ngettext("Shared with %(count)s person", "Shared with %(count)s people", people)
        parts.append(shared % {"count": people} if people else _("Only you"))
        made = ngettext("%(count)s link", "%(count)s links", links) % {"count": links}
        parts.append(made if links else _("no link"))
        if pending := counts.pending_requests:
            asked = ngettext("%(count)s request", "%(count)s requests", pending)
            parts.append(asked % {"count": pending})
    elif (level := access_level(user, cart)) is not None:
        text = _("%(owner)s's cart · yours: %(level)s")
        parts.append(text % {"owner": cart.owner.name, "level": level_in_sentence(level)})
    return {
        "cart": cart,
        "summary": " · ".join(parts),
        "is_owner": CartAction.SEE_SHARING in actions,
    }
