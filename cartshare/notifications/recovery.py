"""Gives stranded mail back to the queue: what a worker killed mid-task (or a task that failed
on a database outage) left behind. Run by the task worker's sweep (`manage.py task_worker`)
every `CARTSHARE_MAIL_SWEEP_SECONDS`, in every worker process: each mail is given back by one
`UPDATE ... WHERE` that only one sweep can win, so several workers never both take it.

Stranded, a lease (`CARTSHARE_MAIL_LEASE_SECONDS`) after the fact:

- `sending` since its claim: the worker that claimed it stopped before the SMTP server
  answered, or before it could record the answer. It is sent again (at least once: a worker
  that died between the server's "250 accepted" and its own UPDATE is the one case in which a
  mail can arrive twice; the mail's `Message-ID` is the same both times).
- `pending` and due since then, never taken: its task died before claiming it, or failed
  because the database did not answer. A new task is enqueued; if the old one still runs, the
  claim lets only one of them send.

docs/decisions/mail-in-the-background.md, "A worker that dies"."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cartshare.notifications.models import Mail, MailStatus
from cartshare.notifications.outbox import mail_enqueue

logger = logging.getLogger(__name__)

SWEEP_BATCH = 500
STOPPED_MESSAGE = "The worker stopped while sending it ({} attempts)."


def _stranded(cutoff: datetime) -> Q:
    return Q(status=MailStatus.SENDING, claimed_at__lt=cutoff) | Q(
        status=MailStatus.PENDING, send_after__lt=cutoff
    )


def mail_outbox_recover(*, now: datetime | None = None) -> int:
    """Gives every stranded mail back (see the module's docstring); answers how many. A mail
    that has used up its attempts while being sent is marked failed instead, for the back
    office: a mail that kills its worker each time must not do so forever."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.CARTSHARE_MAIL_LEASE_SECONDS)
    ids = list(Mail.objects.filter(_stranded(cutoff)).values_list("pk", flat=True)[:SWEEP_BATCH])
    recovered = 0
    for mail_id in ids:
        with transaction.atomic():
            exhausted = Mail.objects.filter(
                _stranded(cutoff),
                pk=mail_id,
                status=MailStatus.SENDING,
                attempts__gte=settings.CARTSHARE_MAIL_MAX_ATTEMPTS,
            ).update(
                status=MailStatus.FAILED,
                claimed_at=None,
                last_error=STOPPED_MESSAGE.format(settings.CARTSHARE_MAIL_MAX_ATTEMPTS),
            )
            if exhausted:
                logger.error("Mail %s failed for good: its worker stopped while sending", mail_id)
                continue
            # send_after = now: the same mail counts as stranded again only a lease later.
            given_back = Mail.objects.filter(_stranded(cutoff), pk=mail_id).update(
                status=MailStatus.PENDING, send_after=now, claimed_at=None
            )
            if not given_back:  # another sweep, or its worker, got there first
                continue
            mail = Mail.objects.get(pk=mail_id)
            mail_enqueue(mail)
        logger.warning("Mail %s was stranded (attempt %s); queued again", mail_id, mail.attempts)
        recovered += 1
    return recovered
