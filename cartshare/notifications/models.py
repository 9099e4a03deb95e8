"""What people are told (spec §12): in-shop notifications, each person's e-mail settings, and the
outbox of mails that the background worker delivers."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy


class NotificationKind(models.TextChoices):
    CART_SHARED = "cart.shared", "Cart shared with me"
    ACCESS_REQUESTED = "access.requested", "Access requested"
    ACCESS_DECIDED = "access.decided", "Access request decided"
    COMMENT_CREATED = "comment.created", "Comment"
    COMMENT_MENTION = "comment.mention", "Mention"
    CART_ORDERED = "cart.ordered", "Cart ordered"
    PROPOSAL_COPIED = "proposal.copied", "Proposal copied"


class EmailSetting(models.TextChoices):
    """The switches of `GET/PATCH /me/notification-settings` (API.md): one per group of kinds."""

    SHARED_WITH_ME = "shared_with_me", gettext_lazy("A cart is shared with me")
    COMMENTS = "comments", gettext_lazy("Comments on carts I own or was given")
    MENTIONS = "mentions", gettext_lazy("Someone mentions me in a comment")
    ORDERS = "orders", gettext_lazy("A shared cart or my proposal is ordered or copied")
    ACCESS_REQUESTS = "access_requests", gettext_lazy("Access requests and their decisions")


SETTING_OF_KIND: dict[str, EmailSetting] = {
    NotificationKind.CART_SHARED: EmailSetting.SHARED_WITH_ME,
    NotificationKind.ACCESS_REQUESTED: EmailSetting.ACCESS_REQUESTS,
    NotificationKind.ACCESS_DECIDED: EmailSetting.ACCESS_REQUESTS,
    NotificationKind.COMMENT_CREATED: EmailSetting.COMMENTS,
    NotificationKind.COMMENT_MENTION: EmailSetting.MENTIONS,
    NotificationKind.CART_ORDERED: EmailSetting.ORDERS,
    NotificationKind.PROPOSAL_COPIED: EmailSetting.ORDERS,
}


class Notification(models.Model):
    """One thing that happened, told to one person in the shop (the bell)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=32, choices=NotificationKind.choices)
    cart = models.ForeignKey(
        "carts.Cart", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    text = models.CharField(max_length=500)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id}: {self.text}"


class NotificationSettings(models.Model):
    """Which kinds a person gets by e-mail; everything is on until they turn it off. A missing
    row means all on (rows are created on first change)."""

    customer = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_settings"
    )
    shared_with_me = models.BooleanField(default=True)
    comments = models.BooleanField(default=True)
    mentions = models.BooleanField(default=True)
    orders = models.BooleanField(default=True)
    access_requests = models.BooleanField(default=True)

    class Meta:
        verbose_name_plural = "notification settings"

    def __str__(self) -> str:
        return f"E-mail settings of {self.customer_id}"


class MailStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class Mail(models.Model):
    """One mail to one address, written in the transaction of the change it tells about and
    delivered by the task worker (cartshare/notifications/tasks.py). Its text is rendered when it
    is sent, from `kind` and `context`: secrets such as a password-reset token or a share link are
    never stored here, and comments that arrive while it waits are added to it."""

    kind = models.CharField(max_length=40)
    to_address = models.EmailField()
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    cart = models.ForeignKey(
        "carts.Cart", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    context = models.JSONField(default=dict, blank=True)
    subject = models.CharField(max_length=300)
    # Mails that may take more news before they leave (comments on one cart) share a key.
    group_key = models.CharField(max_length=120, blank=True, default="")
    status = models.CharField(max_length=10, choices=MailStatus.choices, default=MailStatus.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    send_after = models.DateTimeField(default=timezone.now)
    # When a worker took it (`sending`): its lease. A mail still `sending` a lease after that
    # belongs to a worker that died, and is given back (cartshare/notifications/recovery.py).
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "send_after"]),
            models.Index(fields=["group_key", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to_address} ({self.status})"
