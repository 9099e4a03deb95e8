"""Reading notifications: the caller's own, newest first, with the actor and cart loaded."""

from __future__ import annotations

from django.db.models import QuerySet

from cartshare.accounts.models import Customer
from cartshare.notifications.models import Notification


def notifications_of(customer: Customer, *, unread_only: bool = False) -> QuerySet[Notification]:
    found = Notification.objects.filter(recipient=customer).select_related("actor", "cart")
    if unread_only:
        found = found.filter(read_at__isnull=True)
    return found.order_by("-created_at", "-id")


def unread_count(customer: Customer) -> int:
    return Notification.objects.filter(recipient=customer, read_at__isnull=True).count()
