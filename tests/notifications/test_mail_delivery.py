"""Mail leaves in the background through a real SMTP server: written with the change, delivered
by the task worker, retried when the server is down, never twice (spec §12)."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from cartshare.notifications.models import Mail, MailStatus
from cartshare.notifications.outbox import mail_enqueue, mail_retry
from cartshare.sharing.services import cart_share_create
from tests.mail_sink import SmtpSink, free_port, html_of, run_worker, text_of, use_smtp

ROOT = Path(__file__).resolve().parents[2]


def share_office_supplies_with_greta(world) -> None:
    cart_share_create(
        cart=world.office_supplies,
        actor=world.alice,
        company_user_id=world.company_user("greta").pk,
        permission="FULL_ACCESS",
    )


def test_sharing_a_cart_mails_the_colleague_through_smtp(world, smtp_sink):
    share_office_supplies_with_greta(world)
    assert smtp_sink.messages == []  # nothing leaves inside the request

    run_worker()

    message = smtp_sink.one_to("greta@acme.example")
    assert message["Subject"] == "Alice Archer shared the cart 'Office supplies' with you"
    assert message["From"] == settings.DEFAULT_FROM_EMAIL
    text, html = text_of(message), html_of(message)
    assert "Alice Archer gave you full access to the cart 'Office supplies'." in text
    assert "place the order" in text
    assert "because Alice Archer shared a cart with you" in text
    assert f"/carts/{world.office_supplies.pk}/" in text
    assert "/account/notifications/" in text  # the settings
    assert "Cart<span" in html and "Open the cart" in html
    assert str(message["List-Unsubscribe"]).strip().startswith("<http")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    mail = Mail.objects.get(to_address="greta@acme.example")
    assert (mail.status, mail.attempts) == (MailStatus.SENT, 1)


def test_a_rolled_back_share_sends_nothing(world, smtp_sink):
    with pytest.raises(RuntimeError), transaction.atomic():
        share_office_supplies_with_greta(world)
        raise RuntimeError("something after the share failed")

    run_worker()

    assert smtp_sink.messages == []
    assert not Mail.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_smtp_down_while_sharing_then_up_the_mail_arrives_once(world, settings):
    sink = SmtpSink(free_port())
    use_smtp(settings, sink.port)  # nothing listens there yet
    share_office_supplies_with_greta(world)

    run_worker()

    mail = Mail.objects.get()
    assert (mail.status, mail.attempts) == (MailStatus.PENDING, 1)
    assert "ConnectionRefusedError" in mail.last_error
    assert mail.send_after > timezone.now() + timedelta(seconds=20)  # backoff: not at once

    sink.start()
    try:
        run_worker()  # the retry is not due yet
        assert sink.messages == []
        with time_machine.travel(timezone.now() + timedelta(minutes=1), tick=True):
            run_worker()
            run_worker()
        assert len(sink.to("greta@acme.example")) == 1
        mail.refresh_from_db()
        assert (mail.status, mail.attempts, mail.last_error) == (MailStatus.SENT, 2, "")
        # A second task for the same mail (a staff resend clicked late, say) sends nothing.
        mail_enqueue(mail)
        run_worker()
        assert len(sink.messages) == 1
        assert mail_retry(mail=mail) is False
    finally:
        sink.stop()


def test_a_mail_that_keeps_failing_is_marked_failed_with_its_error(world, settings):
    settings.CARTSHARE_MAIL_MAX_ATTEMPTS = 2
    use_smtp(settings, free_port())
    share_office_supplies_with_greta(world)
    run_worker()
    with time_machine.travel(timezone.now() + timedelta(hours=2), tick=True):
        run_worker()
    mail = Mail.objects.get()
    assert (mail.status, mail.attempts) == (MailStatus.FAILED, 2)
    assert "ConnectionRefusedError" in mail.last_error


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_worker_processes_never_send_one_mail_twice(world, smtp_sink):
    """Two `manage.py db_worker` processes on PostgreSQL take tasks with SELECT ... FOR UPDATE
    SKIP LOCKED; every mail also has a second task, so both workers try to send it."""
    for person in ("greta", "bob", "frank", "carol"):
        world.cart(world.alice, f"For {person}")
    carts = list(world.alice.carts.exclude(pk__in=[world.trade_fair.pk]))
    for cart in carts:
        for person in ("greta", "bob", "frank"):
            cart_share_create(
                cart=cart,
                actor=world.alice,
                company_user_id=world.company_user(person).pk,
                permission="READ_ONLY",
            )
    mails = list(Mail.objects.all())
    assert len(mails) == 3 * len(carts) >= 12
    for mail in mails:
        mail_enqueue(mail)  # a duplicate task for every mail

    database = connection.settings_dict
    url = (
        f"postgres://{database['USER']}:{database['PASSWORD'] or ''}@{database['HOST']}:"
        f"{database['PORT'] or 5432}/{database['NAME']}"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": url,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_sink.port),
    }
    command = [sys.executable, "manage.py", "db_worker", "--batch", "--no-reload"]
    command += ["--no-startup-delay", "--interval", "0"]
    workers = [
        subprocess.Popen([*command, "--worker-id", f"w{n}"], cwd=ROOT, env=env) for n in (1, 2)
    ]
    for worker in workers:
        assert worker.wait(timeout=120) == 0

    delivered = [str(message["To"]) + str(message["Subject"]) for message in smtp_sink.messages]
    assert len(delivered) == len(mails)
    assert len(set(delivered)) == len(mails)
    assert set(Mail.objects.values_list("status", flat=True)) == {MailStatus.SENT}
    # Both tasks of every mail ran; only one of them sent it.
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 2 * len(mails)
