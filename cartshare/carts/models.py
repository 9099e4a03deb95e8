"""Persistent multi-carts (spec §2). Prices are read from the catalog; totals are computed."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy

MAX_QUANTITY = 9_999
MAX_DISTINCT_ITEMS = 1_000
MAX_NAME_LENGTH = 100
MAX_NOTE_LENGTH = 5_000
MAX_ITEM_NOTE_LENGTH = 500
MAX_VERSION = 2**31 - 1  # the version column is a 32-bit integer on PostgreSQL


class CartStatus(models.TextChoices):
    OPEN = "OPEN", gettext_lazy("Open")
    ORDERED = "ORDERED", gettext_lazy("Ordered")


class Cart(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="carts"
    )
    name = models.CharField(max_length=MAX_NAME_LENGTH)
    note = models.TextField(blank=True, max_length=MAX_NOTE_LENGTH)
    currency = models.CharField(max_length=3, default="EUR")
    status = models.CharField(max_length=10, choices=CartStatus.choices, default=CartStatus.OPEN)
    # Grows with every change; compare-and-swap on it refuses edits made on a stale view.
    version = models.PositiveIntegerField(default=1)
    # A sales representative's proposal (sent with "send as a proposal"): copies of it keep its
    # note and say who prepared them, and the preparer is told when they are made and ordered.
    is_proposal = models.BooleanField(default=False)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    prepared_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="unique_cart_name_per_owner"),
        ]
        indexes = [models.Index(fields=["owner", "-updated_at"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_ordered(self) -> bool:
        return self.status == CartStatus.ORDERED


class CartItem(models.Model):
    cart = models.ForeignKey(Cart, on_delete=models.CASCADE, related_name="items")
    product = models.ForeignKey("catalog.Product", on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField()
    # Who first added the line (spec §10): kept when anyone changes its quantity; null once
    # that account is deleted. Contributors may change only the lines they added.
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # A short plain-text note on the line (spec §10), shown on the cart, the preview and the
    # order (copied into the order line).
    note = models.CharField(max_length=MAX_ITEM_NOTE_LENGTH, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cart", "product"], name="unique_product_per_cart"),
            models.CheckConstraint(
                condition=models.Q(quantity__gte=1, quantity__lte=MAX_QUANTITY),
                name="cart_item_quantity_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.product.sku}"

    @property
    def unit_price(self) -> int:
        return self.product.unit_price

    @property
    def total_price(self) -> int:
        return self.product.unit_price * self.quantity


class PricedLine(Protocol):
    """What totals need of a line (a CartItem); for plain `CartLine`s, `cart_lines_totals`."""

    @property
    def quantity(self) -> int: ...

    @property
    def total_price(self) -> int: ...


@dataclass(frozen=True)
class CartTotals:
    item_count: int
    quantity: int
    subtotal: int
    grand_total: int

    @classmethod
    def of(cls, items: Sequence[PricedLine]) -> CartTotals:
        return cls.summing(
            len(items),
            quantities=(item.quantity for item in items),
            line_totals=(item.total_price for item in items),
        )

    @classmethod
    def summing(
        cls, item_count: int, *, quantities: Iterable[int], line_totals: Iterable[int]
    ) -> CartTotals:
        """The totals of `item_count` lines from their quantities and line totals."""
        subtotal = sum(line_totals)
        return cls(
            item_count=item_count, quantity=sum(quantities), subtotal=subtotal, grand_total=subtotal
        )
