"""The background job that delivers one mail of the outbox: claimed once, sent, marked; retried
with backoff when the mail server fails, and never sent twice (also with several workers)."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db.models import F
from django.utils import timezone
from django_tasks import task

from cartshare.notifications.models import Mail, MailStatus

logger = logging.getLogger(__name__)


def retry_delay(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, ... doubling after each failed attempt, at most an hour."""
    base: float = settings.CARTSHARE_MAIL_RETRY_SECONDS
    return timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), 3600))


def _claim(mail_id: int) -> bool:
    """One UPDATE decides which worker sends: only a pending mail whose time has come is taken,
    and after that it is `sending`, so a second task for it (a retry, a staff resend, another
    worker) finds nothing to do."""
    now = timezone.now()
    return bool(
        Mail.objects.filter(pk=mail_id, status=MailStatus.PENDING, send_after__lte=now).update(
            status=MailStatus.SENDING, attempts=F("attempts") + 1
        )
    )


@task()
def deliver_mail(mail_id: int) -> str:
    from cartshare.notifications.mails import MailObsolete, mail_message

    if not _claim(mail_id):
        return "not pending"
    mail = Mail.objects.select_related("recipient", "cart").get(pk=mail_id)
    try:
        mail_message(mail).send()
    except MailObsolete as error:
        Mail.objects.filter(pk=mail.pk).update(status=MailStatus.FAILED, last_error=str(error))
        return "obsolete"
    except Exception as error:  # the mail server, the network, a template: retry or give up
        _failed(mail, error)
        return "failed"
    Mail.objects.filter(pk=mail.pk).update(
        status=MailStatus.SENT, sent_at=timezone.now(), last_error=""
    )
    return "sent"


def _failed(mail: Mail, error: Exception) -> None:
    from cartshare.notifications.outbox import mail_enqueue

    message = f"{type(error).__name__}: {error}"[:2000]
    if mail.attempts >= settings.CARTSHARE_MAIL_MAX_ATTEMPTS:
        logger.error(
            "Mail %s failed for good after %s attempts: %s", mail.pk, mail.attempts, message
        )
        Mail.objects.filter(pk=mail.pk).update(status=MailStatus.FAILED, last_error=message)
        return
    logger.warning("Mail %s failed (attempt %s), retrying: %s", mail.pk, mail.attempts, message)
    mail.send_after = timezone.now() + retry_delay(mail.attempts)
    mail.status = MailStatus.PENDING
    mail.last_error = message
    mail.save(update_fields=["send_after", "status", "last_error"])
    mail_enqueue(mail)
