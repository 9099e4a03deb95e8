"""The task worker survives a kill (spec §14, issue 15): a mail that was being sent when its
worker was SIGKILLed is sent again after the restart, once its lease has run out; never lost,
never twice. A real `manage.py task_worker` process against the test database (SQLite or
PostgreSQL) and a real SMTP server (tests/mail_sink.py) that hangs on the first message."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from cartshare.notifications.models import Mail, MailStatus
from cartshare.sharing.services import cart_share_create
from tests.mail_sink import SmtpSink

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
LEASE_SECONDS = 3


def database_url() -> str:
    database = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{database['NAME']}"
    return (
        f"postgres://{database['USER']}:{database['PASSWORD'] or ''}@{database['HOST']}:"
        f"{database['PORT'] or 5432}/{database['NAME']}"
    )


def start_worker(smtp_sink: SmtpSink, tmp_path: Path, name: str) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url(),
        "CARTSHARE_VAR_DIR": str(tmp_path),
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_sink.port),
        "CARTSHARE_MAIL_LEASE_SECONDS": str(LEASE_SECONDS),
        "CARTSHARE_MAIL_SWEEP_SECONDS": "0.3",
    }
    command = [sys.executable, "manage.py", "task_worker", "--no-reload", "--no-startup-delay"]
    command += ["--interval", "0.2", "--worker-id", name]
    with (tmp_path / f"{name}.log").open("wb") as log:  # the child keeps its own copy
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)


def wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def mail_state(mail: Mail) -> tuple[str, int]:
    mail.refresh_from_db()
    return mail.status, mail.attempts


def stop(worker: subprocess.Popen[bytes]) -> None:
    if worker.poll() is None:
        worker.terminate()
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def test_a_mail_whose_worker_was_killed_while_sending_is_sent_once_after_the_restart(
    world, smtp_sink, tmp_path
):
    cart_share_create(
        cart=world.office_supplies,
        actor=world.alice,
        company_user_id=world.company_user("greta").pk,
        permission="FULL_ACCESS",
    )
    mail = Mail.objects.get()
    smtp_sink.hang_next()

    first = start_worker(smtp_sink, tmp_path, "first")
    try:
        assert smtp_sink.hanging.wait(timeout=60), (tmp_path / "first.log").read_text()
        assert mail_state(mail) == (MailStatus.SENDING, 1)
        first.send_signal(signal.SIGKILL)  # mid-delivery: the server has not answered yet
        assert first.wait(timeout=10) == -signal.SIGKILL
    finally:
        stop(first)
    smtp_sink.release()
    assert smtp_sink.messages == []
    assert mail_state(mail) == (MailStatus.SENDING, 1)  # stuck, until its lease runs out

    restarted_at = time.monotonic()
    second = start_worker(smtp_sink, tmp_path, "second")
    try:
        wait_for(lambda: mail_state(mail)[0] == MailStatus.SENT, 60, "the mail to be sent")
        sent_after = time.monotonic() - restarted_at
        time.sleep(LEASE_SECONDS + 1)  # sweeps go on: nothing is sent again
    finally:
        stop(second)

    assert len(smtp_sink.to("greta@acme.example")) == 1
    assert len(smtp_sink.messages) == 1
    mail.refresh_from_db()
    assert (mail.status, mail.attempts, mail.claimed_at) == (MailStatus.SENT, 2, None)
    assert sent_after < LEASE_SECONDS + 10, "given back once its lease ran out, not much later"
    log = (tmp_path / "second.log").read_text()
    assert "was stranded" in log, log
