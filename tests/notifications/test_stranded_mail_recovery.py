"""The outbox sweep (cartshare/notifications/recovery.py) gives back what a dead worker left:
a mail `sending` past its lease, a due mail whose task died before claiming it; once each, even
when two sweeps run; and leaves a mail alone while its lease runs. The killed worker process
itself: tests/faults/test_worker_killed_mid_delivery.py."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from cartshare.notifications import tasks
from cartshare.notifications.models import Mail, MailStatus
from cartshare.notifications.recovery import mail_outbox_recover
from cartshare.sharing.services import cart_share_create
from tests.mail_sink import run_worker

pytestmark = pytest.mark.django_db

LEASE = 60


@pytest.fixture(autouse=True)
def short_lease(settings):
    settings.CARTSHARE_MAIL_LEASE_SECONDS = LEASE


def a_mail(world) -> Mail:
    cart_share_create(
        cart=world.office_supplies,
        actor=world.alice,
        company_user_id=world.company_user("greta").pk,
        permission="FULL_ACCESS",
    )
    return Mail.objects.get()


def claimed_by_a_worker_that_died(mail: Mail) -> None:
    """What a SIGKILL in the middle of `deliver_mail` leaves: the task RUNNING, the mail
    `sending` under the dead worker's lease."""
    DBTaskResult.objects.update(status="RUNNING")
    assert tasks._claim(mail.pk) is not None


def later(seconds: float):
    return time_machine.travel(timezone.now() + timedelta(seconds=seconds), tick=True)


def test_a_mail_sending_past_its_lease_is_given_back_and_sent_once(world, smtp_sink):
    mail = a_mail(world)
    claimed_by_a_worker_that_died(mail)
    run_worker()
    assert smtp_sink.messages == []  # its only task is RUNNING: nothing to do

    with later(LEASE + 1):
        assert mail_outbox_recover() == 1
        run_worker()
        assert mail_outbox_recover() == 0

    assert len(smtp_sink.to("greta@acme.example")) == 1
    mail.refresh_from_db()
    assert (mail.status, mail.attempts, mail.claimed_at) == (MailStatus.SENT, 2, None)


def test_a_mail_within_its_lease_is_left_to_its_worker(world, smtp_sink):
    mail = a_mail(world)
    claimed_by_a_worker_that_died(mail)
    with later(LEASE - 5):
        assert mail_outbox_recover() == 0
    mail.refresh_from_db()
    assert (mail.status, mail.attempts) == (MailStatus.SENDING, 1)
    assert not DBTaskResult.objects.filter(status="READY").exists()


def test_a_due_mail_whose_task_died_before_claiming_it_gets_a_new_task(world, smtp_sink):
    mail = a_mail(world)
    DBTaskResult.objects.update(status="RUNNING")  # killed before `_claim`: the mail pending
    with later(LEASE + 1):
        assert mail_outbox_recover() == 1
        run_worker()
    assert len(smtp_sink.to("greta@acme.example")) == 1
    mail.refresh_from_db()
    assert (mail.status, mail.attempts) == (MailStatus.SENT, 1)


def test_two_sweeps_give_a_stranded_mail_back_once(world, smtp_sink):
    mail = a_mail(world)
    claimed_by_a_worker_that_died(mail)
    with later(LEASE + 1):
        assert mail_outbox_recover() == 1
        assert mail_outbox_recover() == 0  # given back: due now, not a lease ago
    assert DBTaskResult.objects.filter(status="READY").count() == 1


def test_a_mail_that_used_up_its_attempts_while_sending_is_failed_for_the_back_office(
    world, settings
):
    settings.CARTSHARE_MAIL_MAX_ATTEMPTS = 1
    mail = a_mail(world)
    claimed_by_a_worker_that_died(mail)
    with later(LEASE + 1):
        assert mail_outbox_recover() == 0
    mail.refresh_from_db()
    assert (mail.status, mail.claimed_at) == (MailStatus.FAILED, None)
    assert "stopped while sending" in mail.last_error
    assert not DBTaskResult.objects.filter(status="READY").exists()


def test_a_worker_whose_lease_ran_out_does_not_overwrite_the_next_delivery(world, caplog):
    """A worker slower than its lease finishes after the sweep gave its mail to another: its
    answer is not recorded over the other's, and the log says the mail may have gone twice."""
    mail = a_mail(world)
    claimed_at = tasks._claim(mail.pk)
    assert claimed_at is not None
    with later(LEASE + 1):
        assert mail_outbox_recover() == 1
        assert tasks._claim(mail.pk) is not None  # the next worker's claim
    with caplog.at_level(logging.ERROR, logger="cartshare.notifications.tasks"):
        tasks._settle(mail, claimed_at, status=MailStatus.SENT, sent_at=timezone.now())
    mail.refresh_from_db()
    assert (mail.status, mail.attempts, mail.sent_at) == (MailStatus.SENDING, 2, None)
    assert "may have been sent twice" in caplog.text
