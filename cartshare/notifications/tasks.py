"""The background job that delivers one mail of the outbox: claimed once, sent, marked; retried
with backoff when the mail server fails, and never sent twice (also with several workers). A
worker that dies while it sends leaves the mail `sending` under its lease (`claimed_at`); the
task worker's sweep gives it back once the lease has run out (notifications/recovery.py)."""

from __future__ import annotations

import logging
import time
from datetime import datetime, timedelta

from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django_tasks import task

from cartshare.common.database import database_unavailable
from cartshare.notifications.models import Mail, MailStatus
from cartshare.notifications.outbox import mail_enqueue, mail_language

logger = logging.getLogger(__name__)


def retry_delay(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, ... doubling after each failed attempt, at most an hour."""
    base: float = settings.CARTSHARE_MAIL_RETRY_SECONDS
    return timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), 3600))


def _claim(mail_id: int) -> datetime | None:
    """One UPDATE decides which worker sends: only a pending mail whose time has come is taken,
    and after that it is `sending`, so a second task for it (a retry, a staff resend, another
    worker) finds nothing to do. Answers the moment of the claim, the lease's token: every
    later change of this delivery is made only while the mail still carries it."""
    now = timezone.now()
    claimed = Mail.objects.filter(
        pk=mail_id, status=MailStatus.PENDING, send_after__lte=now
    ).update(status=MailStatus.SENDING, attempts=F("attempts") + 1, claimed_at=now)
    return now if claimed else None


@task()
def deliver_mail(mail_id: int) -> str:
    from cartshare.notifications.mails import MailObsolete, mail_message

    claimed_at = _claim(mail_id)
    if claimed_at is None:
        return "not pending"
    mail = Mail.objects.select_related("recipient", "cart").get(pk=mail_id)
    try:
        with translation.override(mail_language(mail)):  # written in its recipient's language
            message = mail_message(mail)
        message.send()
    except MailObsolete as error:
        _settle(mail, claimed_at, status=MailStatus.FAILED, last_error=str(error))
        return "obsolete"
    except Exception as error:  # the mail server, the network, a template: retry or give up
        _failed(mail, claimed_at, error)
        return "failed"
    _settle(mail, claimed_at, status=MailStatus.SENT, sent_at=timezone.now(), last_error="")
    return "sent"


def _settle(mail: Mail, claimed_at: datetime, **changes: object) -> None:
    """Records how this delivery ended, if the mail is still ours (`claimed_at`). The SMTP
    server has answered by now, so a database that does not answer is waited for (a restart
    takes seconds), well inside the lease: given up, the mail would be sent again once its
    lease ran out."""
    deadline = time.monotonic() + settings.CARTSHARE_MAIL_LEASE_SECONDS / 2
    pause = 0.5
    while True:
        try:
            with transaction.atomic():
                settled = Mail.objects.filter(
                    pk=mail.pk, status=MailStatus.SENDING, claimed_at=claimed_at
                ).update(claimed_at=None, **changes)
                if settled and changes.get("status") == MailStatus.PENDING:
                    mail_enqueue(mail)
            break
        except DatabaseError as error:
            if not database_unavailable(error) or time.monotonic() + pause > deadline:
                raise
            logger.warning("Mail %s: the database does not answer, retrying: %s", mail.pk, error)
            time.sleep(pause)
            pause = min(pause * 2, 10.0)
    if not settled:
        logger.error(
            "Mail %s: its lease ran out before its delivery ended (%s); it may have been sent "
            "twice. CARTSHARE_MAIL_LEASE_SECONDS must exceed the slowest delivery.",
            mail.pk,
            changes.get("status"),
        )


def _failed(mail: Mail, claimed_at: datetime, error: Exception) -> None:
    message = f"{type(error).__name__}: {error}"[:2000]
    if mail.attempts >= settings.CARTSHARE_MAIL_MAX_ATTEMPTS:
        logger.error(
            "Mail %s failed for good after %s attempts: %s", mail.pk, mail.attempts, message
        )
        _settle(mail, claimed_at, status=MailStatus.FAILED, last_error=message)
        return
    logger.warning("Mail %s failed (attempt %s), retrying: %s", mail.pk, mail.attempts, message)
    mail.send_after = timezone.now() + retry_delay(mail.attempts)
    _settle(
        mail,
        claimed_at,
        status=MailStatus.PENDING,
        send_after=mail.send_after,
        last_error=message,
    )
