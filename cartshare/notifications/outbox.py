"""Putting mail in the outbox, inside the transaction of the change it tells about.

`mail_queue` writes a `Mail` row and enqueues the `deliver_mail` task. With the database task
backend (every environment but a few tests) the task row is written in the same transaction as
the change: a rolled-back change leaves neither a mail nor a task, and a committed one leaves
both, even if the process dies right after the commit. Any other backend (one that runs tasks
at once, or elsewhere) is given the task only after the commit (`transaction.on_commit`), so it
never sees a mail that may still be rolled back. docs/decisions/mail-in-the-background.md."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django_tasks import task_backends
from django_tasks_db import DatabaseBackend

from cartshare.notifications.models import SETTING_OF_KIND, Mail, MailStatus

if TYPE_CHECKING:
    from cartshare.accounts.models import Customer
    from cartshare.carts.models import Cart

JsonValue = str | int | float | bool | None | list[object] | dict[str, object]


def site_url() -> str:
    """The shop's public address for links in mails (no request there): CARTSHARE_BASE_URL, or
    the development address."""
    configured: str = settings.CARTSHARE_BASE_URL
    return configured or settings.CARTSHARE_DEV_BASE_URL


def _known_language(code: object) -> str:
    return code if isinstance(code, str) and code in dict(settings.LANGUAGES) else ""


def customer_language(customer: Customer | None) -> str:
    """The language a person is written to outside a request: the one they last chose in the
    shop (`Customer.language`), else the shop's default."""
    chosen = _known_language(getattr(customer, "language", "")) if customer is not None else ""
    return chosen or settings.LANGUAGE_CODE


def mail_language(mail: Mail) -> str:
    """The language a mail is written in: its recipient's. When they never chose one (or the
    address has no account), a mail they asked for themselves (a password reset) or one sent to
    an address (an invitation) is written in the language of the request that queued it; a
    notification of what someone else did, in the shop's default."""
    chosen = _known_language(getattr(mail.recipient, "language", ""))
    if not chosen and mail.kind not in SETTING_OF_KIND:
        chosen = _known_language(mail.context.get("language"))
    return chosen or settings.LANGUAGE_CODE


def mail_enqueue(mail: Mail) -> None:
    """Hand the mail to the task backend: now, in the current transaction, when the backend is
    the database; after the commit otherwise."""
    from cartshare.notifications.tasks import deliver_mail

    task = (
        deliver_mail.using(run_after=mail.send_after)
        if mail.send_after > timezone.now()
        else deliver_mail
    )
    if isinstance(task_backends[deliver_mail.backend], DatabaseBackend):
        task.enqueue(mail.pk)
    else:
        mail_id = mail.pk
        transaction.on_commit(lambda: task.enqueue(mail_id))


def mail_queue(
    *,
    kind: str,
    to_address: str,
    subject: str,
    recipient: Customer | None = None,
    cart: Cart | None = None,
    context: Mapping[str, JsonValue] | None = None,
    send_after: datetime | None = None,
    group_key: str = "",
) -> Mail:
    mail = Mail.objects.create(
        kind=kind,
        to_address=to_address,
        subject=subject[:300],
        recipient=recipient,
        cart=cart,
        # The language of the request that queued it: what mail_language() falls back to.
        context={"language": translation.get_language(), **(context or {})},
        send_after=send_after or timezone.now(),
        group_key=group_key,
    )
    mail_enqueue(mail)
    return mail


def mail_waiting_in_group(group_key: str) -> Mail | None:
    """The mail of this group that has not left yet, locked so that the worker cannot claim it
    while news is added (it claims with an UPDATE ... WHERE status = 'pending')."""
    return (
        Mail.objects.select_for_update()
        .filter(group_key=group_key, status=MailStatus.PENDING, attempts=0)
        .order_by("-created_at")
        .first()
    )


@transaction.atomic
def mail_retry(*, mail: Mail) -> bool:
    """Back office: send a failed (or stuck) mail again. False when it was sent already."""
    updated = Mail.objects.filter(
        pk=mail.pk, status__in=[MailStatus.FAILED, MailStatus.SENDING, MailStatus.PENDING]
    ).update(status=MailStatus.PENDING, send_after=timezone.now(), last_error="", claimed_at=None)
    if not updated:
        return False
    mail.refresh_from_db()
    mail_enqueue(mail)
    return True
