"""The cart's activity log: who did what, when (spec §6). Written by services only."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy


class CartActivity(models.Model):
    cart = models.ForeignKey("carts.Cart", on_delete=models.CASCADE, related_name="activities")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    verb = models.CharField(max_length=40)
    details = models.JSONField(default=dict, blank=True)
    # The cart's version when the change was made: for a change to the cart's contents, the
    # version it produced (the services record it after the compare-and-swap). A stale edit
    # asks "what happened to this line since version N?" with it (carts.services).
    cart_version = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["cart", "-created_at"]),
            models.Index(fields=["cart", "cart_version"], name="activity_cart_version"),
        ]
        verbose_name_plural = gettext_lazy("cart activities")

    def __str__(self) -> str:
        return f"{self.verb} on {self.cart_id}"
