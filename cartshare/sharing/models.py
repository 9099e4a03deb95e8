"""Grants of a cart to colleagues of the owner's business unit (spec §4) and share links (§5)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy


class AccessLevel(models.TextChoices):
    """What a person may do with a cart; ordered from most to least."""

    OWNER = "OWNER", gettext_lazy("Owner")
    FULL_ACCESS = "FULL_ACCESS", gettext_lazy("Full access")
    CONTRIBUTOR = "CONTRIBUTOR", gettext_lazy("Contributor")
    READ_ONLY = "READ_ONLY", gettext_lazy("Read-only")
    PREVIEW = "PREVIEW", gettext_lazy("Preview")


# A level inside a sentence, where the label would not do ("Choose one of the levels:
# read-only, contributor, full access"); German keeps the level's name ("Nur lesen").
LEVEL_WORDS = {
    "OWNER": gettext_lazy("owner"),
    "FULL_ACCESS": gettext_lazy("full access"),
    "CONTRIBUTOR": gettext_lazy("contributor"),
    "READ_ONLY": gettext_lazy("read-only"),
    "PREVIEW": gettext_lazy("preview"),
}


def level_word(level: str) -> str:
    """`level` (an AccessLevel, SharePermission or ShareOption value) inside a sentence."""
    word = LEVEL_WORDS.get(str(level).upper())
    return str(word) if word is not None else str(level).replace("_", " ").lower()


def levels_choice_message(levels: Iterable[str]) -> str:
    """The refusal of a level that is none of `levels`."""
    return gettext("Choose one of the levels: %(levels)s") % {
        "levels": ", ".join(level_word(level) for level in levels)
    }


class SharePermission(models.TextChoices):
    """The levels a grant can give, from least to most."""

    READ_ONLY = "READ_ONLY", gettext_lazy("Read-only")
    CONTRIBUTOR = "CONTRIBUTOR", gettext_lazy("Contributor")
    FULL_ACCESS = "FULL_ACCESS", gettext_lazy("Full access")


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


# --- Share links (spec §5) -------------------------------------------------------------------


class ShareOption(models.TextChoices):
    """What a link gives: PREVIEW to anyone, READ_ONLY / CONTRIBUTOR / FULL_ACCESS to the
    owner's unit."""

    PREVIEW = "PREVIEW", gettext_lazy("Preview")
    READ_ONLY = "READ_ONLY", gettext_lazy("Read-only")
    CONTRIBUTOR = "CONTRIBUTOR", gettext_lazy("Contributor")
    FULL_ACCESS = "FULL_ACCESS", gettext_lazy("Full access")


class LinkState(models.TextChoices):
    """Whether a link opens now, and if not, why (the owner's history, the back office)."""

    WORKING = "working", gettext_lazy("Working")
    EXPIRED = "expired", gettext_lazy("Expired")
    REVOKED = "revoked", gettext_lazy("Revoked")
    CART_DELETED = "cart_deleted", gettext_lazy("Cart deleted")


class ShareLinkQuerySet(models.QuerySet["ShareLink"]):
    def in_state(self, state: LinkState, now: datetime | None = None) -> ShareLinkQuerySet:
        """The links in `state` now: the queryset twin of `ShareLink.state`."""
        now = now or timezone.now()
        not_expired = models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        if state == LinkState.REVOKED:
            return self.filter(revoked_at__isnull=False)
        current = self.filter(revoked_at__isnull=True)
        if state == LinkState.CART_DELETED:
            return current.filter(cart__isnull=True)
        if state == LinkState.EXPIRED:
            return current.filter(cart__isnull=False).exclude(not_expired)
        return current.filter(not_expired, cart__isnull=False)


class ShareLink(models.Model):
    """A unique URL `{base}/share/{token}` for one cart and option.

    The token itself is never stored: `token_hash` (sha256) finds the link, and
    `token_encrypted` (Fernet, key derived from the secret key, see sharing/tokens.py) lets the
    owner copy the URL again. A database dump alone therefore yields no working link.
    The cart may be deleted while the link row stays, so that opening it says "no longer
    available" (410) rather than "does not exist" (404).
    """

    cart = models.ForeignKey(
        "carts.Cart",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="share_links",
    )
    share_option = models.CharField(max_length=20, choices=ShareOption.choices)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    token_encrypted = models.TextField(editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ShareLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["cart", "share_option"],
                condition=models.Q(revoked_at__isnull=True),
                name="one_current_link_per_cart_and_option",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_share_option_display()} link of {self.cart_id}"

    @property
    def is_internal(self) -> bool:
        return self.share_option != ShareOption.PREVIEW

    def is_expired(self, now: datetime | None = None) -> bool:
        """Expired from the instant `expires_at` on (valid one second before)."""
        return self.expires_at is not None and (now or timezone.now()) >= self.expires_at

    def state(self, now: datetime | None = None) -> LinkState:
        """Revoked first, then a deleted cart, then expiry (`ShareLinkQuerySet.in_state`)."""
        if self.revoked_at is not None:
            return LinkState.REVOKED
        if self.cart_id is None:
            return LinkState.CART_DELETED
        return LinkState.EXPIRED if self.is_expired(now) else LinkState.WORKING


class ShareLinkStats(models.Model):
    """How often a link was opened. Kept apart from ShareLink because it is the only table a
    GET on /share/ may write to (updated with F(), never read-modify-write)."""

    link = models.OneToOneField(
        ShareLink, primary_key=True, on_delete=models.CASCADE, related_name="stats"
    )
    open_count = models.PositiveIntegerField(default=0)
    last_opened_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = gettext_lazy("share link stats")

    def __str__(self) -> str:
        return f"{self.open_count} opens of link {self.link_id}"


# --- Access requests (spec §11) --------------------------------------------------------------

MAX_ACCESS_REQUEST_MESSAGE_LENGTH = 500


class AccessRequestStatus(models.TextChoices):
    PENDING = "PENDING", gettext_lazy("Pending")
    APPROVED = "APPROVED", gettext_lazy("Approved")
    DECLINED = "DECLINED", gettext_lazy("Declined")
    WITHDRAWN = "WITHDRAWN", gettext_lazy("Withdrawn")


# Why a request that is no longer pending cannot be answered or withdrawn.
ACCESS_REQUEST_CLOSED_MESSAGES = {
    AccessRequestStatus.APPROVED: gettext_lazy("This request has been approved already."),
    AccessRequestStatus.DECLINED: gettext_lazy("This request has been declined already."),
    AccessRequestStatus.WITHDRAWN: gettext_lazy("This request has been withdrawn already."),
}


class AccessRequest(models.Model):
    """A colleague asks the cart's owner for a level (`permission`); the owner approves it (with
    that level or another: `granted_permission`) or declines it, or the requester withdraws it.
    At most one request per cart and requester is pending at a time (the database says so)."""

    cart = models.ForeignKey("carts.Cart", on_delete=models.CASCADE, related_name="access_requests")
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_requests"
    )
    permission = models.CharField(max_length=20, choices=SharePermission.choices)
    message = models.TextField(blank=True, default="")
    status = models.CharField(
        max_length=10, choices=AccessRequestStatus.choices, default=AccessRequestStatus.PENDING
    )
    granted_permission = models.CharField(
        max_length=20, choices=SharePermission.choices, blank=True, default=""
    )
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["cart", "requester"],
                condition=models.Q(status="PENDING"),
                name="one_pending_access_request_per_cart_and_requester",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["PENDING", "APPROVED", "DECLINED", "WITHDRAWN"]),
                name="access_request_status_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.requester_id} asks {self.permission} on {self.cart_id} ({self.status})"

    @property
    def is_pending(self) -> bool:
        return self.status == AccessRequestStatus.PENDING
