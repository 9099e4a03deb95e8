"""Orders placed from carts (spec §7): a frozen copy of the lines and prices of that moment."""

from __future__ import annotations

from django.conf import settings
from django.db import models

MAX_PURCHASE_ORDER_NUMBER_LENGTH = 50


class Order(models.Model):
    # "CS-2026-000042": what people read out on the phone; unique, derived from the id.
    reference = models.CharField(max_length=40, unique=True)
    # The order outlives its cart: deleting the cart keeps the order, its cart id and name.
    cart = models.ForeignKey(
        "carts.Cart", null=True, blank=True, on_delete=models.SET_NULL, related_name="orders"
    )
    cart_uuid = models.UUIDField("cart id", db_index=True)
    cart_name = models.CharField(max_length=100)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="orders_placed",
    )
    placed_by_name = models.CharField(max_length=150)
    # The cart's owner when the order was placed: they see it in their history too.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="orders_from_my_carts",
    )
    owner_name = models.CharField(max_length=150)
    currency = models.CharField(max_length=3)
    purchase_order_number = models.CharField(
        max_length=MAX_PURCHASE_ORDER_NUMBER_LENGTH, blank=True
    )
    item_count = models.PositiveIntegerField()
    quantity = models.PositiveIntegerField()
    subtotal = models.PositiveBigIntegerField(help_text="In minor units (cents).")
    grand_total = models.PositiveBigIntegerField(help_text="In minor units (cents).")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["placed_by", "-created_at"]),
            models.Index(fields=["owner", "-created_at"]),
        ]

    def __str__(self) -> str:
        return self.reference


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    # Kept for links to the product page; the copied fields are what was ordered.
    product = models.ForeignKey(
        "catalog.Product", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sku = models.CharField("SKU", max_length=64)
    name = models.CharField(max_length=200)
    quantity = models.PositiveIntegerField()
    unit_price = models.PositiveIntegerField(help_text="In minor units (cents).")
    total_price = models.PositiveBigIntegerField(help_text="In minor units (cents).")
    note = models.CharField(max_length=500, blank=True, default="", help_text="The line's note.")

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gte=1), name="order_line_quantity")
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.sku}"
