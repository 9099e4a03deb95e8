"""Template filters for money, dates, numbers, quantities and cart choices, in the active
language (cartshare.common.locales)."""

import datetime
from decimal import Decimal

from django import template
from django.utils.translation import gettext as _

from cartshare.access.policies import Actor, owns
from cartshare.carts.models import Cart
from cartshare.common.locales import date_format, datetime_format, number_format
from cartshare.common.money import money_format

register = template.Library()


@register.filter
def money(minor_units: int | None, currency: str = "EUR") -> str:
    """1299, "EUR" -> "€12.99" (en), "12,99 €" (de); Decimal arithmetic, never floats."""
    return money_format(minor_units, currency)


@register.filter
def shop_date(value: datetime.date | None) -> str:
    """The day: "Dec 1, 2026" (en), "1. Dez. 2026" (de)."""
    return date_format(value)


@register.filter
def shop_datetime(value: datetime.datetime | None, arg: str = "") -> str:
    """A moment: "Dec 1, 2026, 14:05" (en), "1. Dez. 2026, 14:05" (de); `|shop_datetime:"zone"`
    adds the time zone ("… 14:05 UTC")."""
    return datetime_format(value, zone=arg == "zone")


@register.filter
def shop_number(value: int | Decimal | None) -> str:
    """A count: 12345 -> "12,345" (en), "12.345" (de)."""
    return number_format(value)


@register.filter
def cart_choice(cart: Cart, actor: Actor) -> str:
    """A cart as a choice in the "Add to cart fills" pickers: its name, and who shared it when
    the actor is not its owner (the policy says who owns)."""
    if owns(actor, cart):
        return cart.name
    return _("%(cart)s (shared by %(owner)s)") % {"cart": cart.name, "owner": cart.owner.name}
