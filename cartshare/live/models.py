"""Who has a cart open now (presence, spec §13): one row per open event stream."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class CartViewer(models.Model):
    """An open stream of a cart by a customer (owner or grantee; preview visitors never): made
    when it opens, touched at every heartbeat, deleted when it closes. A row not touched for
    `PRESENCE_SECONDS` (a process that died) no longer counts."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cart = models.ForeignKey("carts.Cart", on_delete=models.CASCADE, related_name="+")
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    since = models.DateTimeField(default=timezone.now)
    seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["cart", "seen_at"])]

    def __str__(self) -> str:
        return f"{self.customer_id} viewing {self.cart_id}"
