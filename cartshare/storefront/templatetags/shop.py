"""Template filters for money, quantities and cart choices."""

from django import template
from django.utils.translation import gettext as _

from cartshare.access.policies import Actor, owns
from cartshare.carts.models import Cart
from cartshare.common.money import money_format

register = template.Library()


@register.filter
def money(minor_units: int | None, currency: str = "EUR") -> str:
    """1299, "EUR" -> "€12.99" (integer arithmetic, never floats)."""
    return money_format(minor_units, currency)


@register.filter
def cart_choice(cart: Cart, actor: Actor) -> str:
    """A cart as a choice in the "Add to cart fills" pickers: its name, and who shared it when
    the actor is not its owner (the policy says who owns)."""
    if owns(actor, cart):
        return cart.name
    return _("%(cart)s (shared by %(owner)s)") % {"cart": cart.name, "owner": cart.owner.name}
