"""Reading notifications: the caller's own, newest first, with the actor and cart loaded."""

from __future__ import annotations

from django.db.models import QuerySet
from django.urls import reverse

from cartshare.access.policies import CartAction, people_allowed
from cartshare.accounts.models import Customer
from cartshare.carts.models import Cart
from cartshare.notifications.models import Notification, NotificationKind


def notifications_of(customer: Customer, *, unread_only: bool = False) -> QuerySet[Notification]:
    found = Notification.objects.filter(recipient=customer).select_related("actor", "cart")
    if unread_only:
        found = found.filter(read_at__isnull=True)
    return found.order_by("-created_at", "-id")


def notification_path(notification: Notification) -> str:
    """Where a notification leads (the page's link, the API's `url`): the cart, except for the
    answer to one's access request, which leads to that answer (a declined requester may not
    see the cart); the notifications page when it names no cart."""
    if notification.cart_id is None:
        return reverse("storefront:notification_list")
    if notification.kind == NotificationKind.ACCESS_DECIDED:
        return reverse("storefront:my_access_request", args=[notification.cart_id])
    return reverse("storefront:cart_detail", args=[notification.cart_id])


def unread_count(customer: Customer) -> int:
    return Notification.objects.filter(recipient=customer, read_at__isnull=True).count()


def mention_candidates(*, cart: Cart, actor: Customer, prefix: str, limit: int = 8) -> list[str]:
    """Names that "@" can suggest in a comment on `cart`: the people who may read its
    discussion (the policy's scope), not the writer, matching the prefix of their name or of any
    word of it."""
    prefix = prefix.strip().casefold()
    people = people_allowed(cart, CartAction.COMMENT).exclude(pk=actor.pk).order_by("name", "pk")
    names = [person.name for person in people if person.name]
    return [
        name
        for name in names
        if not prefix
        or name.casefold().startswith(prefix)
        or any(word.startswith(prefix) for word in name.casefold().split())
    ][:limit]
