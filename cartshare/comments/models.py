"""Comments colleagues write on a cart while they discuss the order (spec §6)."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import GreaterThanOrEqual, LessThanOrEqual

MAX_COMMENT_LENGTH = 5_000


class Comment(models.Model):
    cart = models.ForeignKey("carts.Cart", on_delete=models.CASCADE, related_name="comments")
    # A comment stays in the discussion after its author's account is gone.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(max_length=MAX_COMMENT_LENGTH)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Set by comment_update only: updated_at alone cannot tell an edit from the first save.
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["cart", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=GreaterThanOrEqual(Length("text"), 1)
                & LessThanOrEqual(Length("text"), MAX_COMMENT_LENGTH),
                name="comment_text_length_range",
            ),
        ]

    def __str__(self) -> str:
        return f"Comment {self.pk} on {self.cart_id}"

    @property
    def edited(self) -> bool:
        return self.edited_at is not None
