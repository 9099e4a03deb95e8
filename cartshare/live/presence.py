"""Presence: who else has the cart open (spec §13). A viewer is a customer with an open event
stream of the cart touched within the last `PRESENCE_SECONDS`; several tabs are one viewer.
Only people who can see the cart through their own level ever appear or see anyone: the
streams refuse preview visitors, and `viewers_of` is asked by the stream (after the policy) and
by `GET /carts/{id}/presence` (after `cart_get_for`)."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Min, QuerySet
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


def _fresh_rows(cart_id: uuid.UUID, customer_id: int) -> QuerySet[CartViewer]:
    fresh = timezone.now() - timedelta(seconds=PRESENCE_SECONDS)
    return CartViewer.objects.filter(cart_id=cart_id, customer_id=customer_id, seen_at__gte=fresh)


def viewer_arrive(cart_id: uuid.UUID, customer_id: int) -> uuid.UUID:
    """A new stream's row. Another tab of someone already shown changes nobody's presence,
    so only a newcomer wakes the others' streams (1,000 tabs of 10 people: 10 wake-ups)."""
    shown = _fresh_rows(cart_id, customer_id).exists()
    viewer = CartViewer.objects.create(cart_id=cart_id, customer_id=customer_id)
    if not shown:
        cart_changed(cart_id, access=False)  # the others' streams send the new presence
    return viewer.pk


def viewers_touch(stream_ids: Collection[uuid.UUID]) -> None:
    """Streams still open (their heartbeats, gathered per process): one UPDATE."""
    CartViewer.objects.filter(pk__in=list(stream_ids)).update(seen_at=timezone.now())


def viewer_leave(stream_id: uuid.UUID, cart_id: uuid.UUID) -> None:
    """A closed stream's row goes; the others' streams wake unless the person stays shown as
    they were (another of their tabs open since then or earlier)."""
    stale = timezone.now() - timedelta(seconds=PRESENCE_SECONDS * 4)
    row = CartViewer.objects.filter(pk=stream_id).values("customer_id", "since").first()
    CartViewer.objects.filter(pk=stream_id).delete()
    CartViewer.objects.filter(cart_id=cart_id, seen_at__lt=stale).delete()  # died elsewhere
    unchanged = (
        row is not None
        and _fresh_rows(cart_id, row["customer_id"]).filter(since__lte=row["since"]).exists()
    )
    if not unchanged:
        cart_changed(cart_id, access=False)
