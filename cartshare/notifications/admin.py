"""Back office: what people were told, and the mail queue (pending, sent, failed with its error),
with a "Send again" action for failed or stuck mails. Staff read these rows; the services write
them."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from cartshare.notifications.models import Mail, MailStatus, Notification, NotificationSettings
from cartshare.notifications.outbox import mail_retry


class ReadOnlyAdmin(admin.ModelAdmin):
    def get_readonly_fields(self, request: HttpRequest, obj: object = None) -> list[str]:
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "recipient", "kind", "text", "read_at"]
    list_filter = ["kind", "created_at", ("read_at", admin.EmptyFieldListFilter)]
    search_fields = ["recipient__email", "text"]
    list_select_related = ["recipient"]
    date_hierarchy = "created_at"


@admin.register(NotificationSettings)
class NotificationSettingsAdmin(ReadOnlyAdmin):
    list_display = ["customer", "shared_with_me", "comments", "mentions", "orders"]
    search_fields = ["customer__email"]
    list_select_related = ["customer"]


@admin.register(Mail)
class MailAdmin(ReadOnlyAdmin):
    """The outbox. A mail `sending` for longer than its lease (CARTSHARE_MAIL_LEASE_SECONDS)
    belonged to a worker that stopped mid-delivery: the task worker's sweep sends it again
    (notifications/recovery.py). "Send again" does so at once, if staff decide so."""

    list_display = ["created_at", "to_address", "subject", "kind", "status", "attempts",
                    "send_after", "sent_at", "last_error"]  # fmt: skip
    list_filter = ["status", "kind", "created_at"]
    search_fields = ["to_address", "subject", "last_error"]
    date_hierarchy = "created_at"
    actions = ["send_again"]
    exclude = ["context"]  # the facts the mail is made from; the subject says what it is

    def get_readonly_fields(self, request: HttpRequest, obj: object = None) -> list[str]:
        return [field.name for field in Mail._meta.fields if field.name != "context"]

    @admin.action(description="Send again (failed or stuck mails)")
    def send_again(self, request: HttpRequest, queryset: QuerySet[Mail]) -> None:
        queued = 0
        for mail in queryset.exclude(status=MailStatus.SENT):
            queued += mail_retry(mail=mail)
        skipped = queryset.count() - queued
        self.message_user(request, f"{queued} mail(s) queued to be sent again.", messages.SUCCESS)
        if skipped:
            self.message_user(request, f"{skipped} sent already: not sent again.", messages.WARNING)
