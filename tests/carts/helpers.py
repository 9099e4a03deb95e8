"""Helpers for the cart page tests."""

from django.contrib.messages import get_messages

from cartshare.carts.models import Cart


def snapshot(cart: Cart) -> tuple:
    """Everything a failed request must leave as it was."""
    cart = Cart.objects.get(pk=cart.pk)
    items = tuple(cart.items.order_by("product__sku").values_list("product__sku", "quantity"))
    return (cart.name, cart.note, cart.version, cart.status, items)


def messages_of(response) -> list[str]:
    """The flash messages the request queued (before or without following the redirect)."""
    return [str(message) for message in get_messages(response.wsgi_request)]
