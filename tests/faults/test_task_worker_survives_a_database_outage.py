"""The task worker goes on through a database outage (found by `make chaos`: a PostgreSQL
restart ended `manage.py task_worker` with a traceback, and mail waited until something started
it again). A real worker process with its DATABASE_URL through a TCP proxy that the test cuts
(the shared PostgreSQL is never stopped) and restores; then a mail committed meanwhile is
delivered, once."""

from __future__ import annotations

import time

import pytest
from django.conf import settings

from cartshare.notifications.models import Mail, MailStatus
from cartshare.sharing.services import cart_share_create
from tests.faults import test_worker_killed_mid_delivery as killed
from tests.faults.tcp_proxy import TcpProxy

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_a_task_worker_waits_out_a_database_outage_and_then_delivers(
    world, smtp_sink, tmp_path, monkeypatch
):
    database = settings.DATABASES["default"]
    with TcpProxy((database["HOST"] or "127.0.0.1", int(database.get("PORT") or 5432))) as proxy:
        url = (
            f"postgres://{database['USER']}:{database.get('PASSWORD') or ''}@127.0.0.1:"
            f"{proxy.port}/{database['NAME']}"
        )
        monkeypatch.setattr(killed, "database_url", lambda: url)
        worker = killed.start_worker(smtp_sink, tmp_path, "outage")
        log = tmp_path / "outage.log"
        try:
            killed.wait_for(lambda: "Starting worker" in log.read_text(), 60, "the worker")
            proxy.cut()
            killed.wait_for(
                lambda: "The database did not answer" in log.read_text() or worker.poll(),
                30,
                "the worker to meet the outage",
            )
            time.sleep(3)  # several rounds of its loop without a database
            assert worker.poll() is None, log.read_text()
            proxy.restore()
            cart_share_create(
                cart=world.office_supplies,
                actor=world.alice,
                company_user_id=world.company_user("greta").pk,
                permission="READ_ONLY",
            )
            mail = Mail.objects.get()
            killed.wait_for(
                lambda: killed.mail_state(mail)[0] == MailStatus.SENT, 60, "the mail to be sent"
            )
            assert worker.poll() is None
        finally:
            killed.stop(worker)
    output = log.read_text()
    assert "Traceback" not in output, output
    assert [str(message["To"]) for message in smtp_sink.messages] == ["greta@acme.example"]
