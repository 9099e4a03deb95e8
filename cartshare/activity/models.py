"""The cart's activity log: who did what, when (spec §6). Written by services only."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy

# The verbs of access requests (spec §11), here rather than with the others (`services.Verb`)
# because the policy, which imports models only, decides who sees them (SEE_ACCESS_REQUESTS).
ACCESS_REQUESTED = "access_requested"
ACCESS_REQUEST_WITHDRAWN = "access_request_withdrawn"
ACCESS_REQUEST_DECLINED = "access_request_declined"
ACCESS_REQUEST_APPROVED = "access_request_approved"
ACCESS_REQUEST_VERBS = frozenset(
    {ACCESS_REQUESTED, ACCESS_REQUEST_WITHDRAWN, ACCESS_REQUEST_DECLINED, ACCESS_REQUEST_APPROVED}
)


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
