"""Log-in: the session remembers the active cart it starts with (storefront/active_cart.py)."""

from __future__ import annotations

from django.http import HttpRequest

from cartshare.accounts.models import Customer


def remember_active_cart(
    sender: type, request: HttpRequest | None, user: object, **kwargs: object
) -> None:
    from cartshare.storefront.active_cart import active_cart_remember

    if request is not None and hasattr(request, "session") and isinstance(user, Customer):
        active_cart_remember(request, user)
