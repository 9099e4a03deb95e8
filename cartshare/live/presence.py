"""Presence: who else has the cart open (spec §13). A viewer is a customer with an open event
stream of the cart touched within the last `PRESENCE_SECONDS`; several tabs are one viewer.
Only people who can see the cart through their own level ever appear or see anyone: the
streams refuse preview visitors, and `viewers_of` is asked by the stream (after the policy) and
by `GET /carts/{id}/presence` (after `cart_get_for`)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Min
from django.utils import timezone

from cartshare.live.bus import cart_changed
from cartshare.live.models import CartViewer

PRESENCE_SECONDS = 30


@dataclass(frozen=True)
class Viewer:
    id: int
    name: str
    since: datetime


def viewers_of(cart_id: uuid.UUID) -> list[Viewer]:
    """Everyone with the cart open now, longest first (one query)."""
    fresh = timezone.now() - timedelta(seconds=PRESENCE_SECONDS)
    rows = (
        CartViewer.objects.filter(cart_id=cart_id, seen_at__gte=fresh, customer__is_active=True)
        .values("customer_id", "customer__name")
        .annotate(since=Min("since"))
        .order_by("since", "customer_id")
    )
    return [Viewer(row["customer_id"], row["customer__name"], row["since"]) for row in rows]


def viewer_arrive(cart_id: uuid.UUID, customer_id: int) -> uuid.UUID:
    viewer = CartViewer.objects.create(cart_id=cart_id, customer_id=customer_id)
    cart_changed(cart_id, access=False)  # the others' streams send the new presence
    return viewer.pk


def viewer_touch(stream_id: uuid.UUID) -> None:
    CartViewer.objects.filter(pk=stream_id).update(seen_at=timezone.now())


def viewer_leave(stream_id: uuid.UUID, cart_id: uuid.UUID) -> None:
    stale = timezone.now() - timedelta(seconds=PRESENCE_SECONDS * 4)
    CartViewer.objects.filter(pk=stream_id).delete()
    CartViewer.objects.filter(cart_id=cart_id, seen_at__lt=stale).delete()  # died elsewhere
    cart_changed(cart_id, access=False)
