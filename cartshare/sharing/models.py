"""Grants of a cart to colleagues of the owner's business unit (spec §4)."""

from django.db import models


class AccessLevel(models.TextChoices):
    """What a person may do with a cart; ordered from most to least."""

    OWNER = "OWNER", "Owner"
    FULL_ACCESS = "FULL_ACCESS", "Full access"
    READ_ONLY = "READ_ONLY", "Read-only"
    PREVIEW = "PREVIEW", "Preview"


class SharePermission(models.TextChoices):
    """The levels a grant can give."""

    READ_ONLY = "READ_ONLY", "Read-only"
    FULL_ACCESS = "FULL_ACCESS", "Full access"


class CartShare(models.Model):
    cart = models.ForeignKey("carts.Cart", on_delete=models.CASCADE, related_name="shares")
    company_user = models.ForeignKey(
        "accounts.CompanyUser", on_delete=models.CASCADE, related_name="cart_shares"
    )
    permission = models.CharField(max_length=20, choices=SharePermission.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["cart", "company_user"], name="unique_share_per_cart_and_user"
            )
        ]

    def __str__(self) -> str:
        return f"{self.cart} → {self.company_user} ({self.permission})"
