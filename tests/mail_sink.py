"""A real SMTP server for tests (aiosmtpd), and the task worker run the way production runs it.

`smtp_sink` starts a server on a free local port and points Django's SMTP backend at it; every
mail the worker delivers arrives there as a parsed `email.message.EmailMessage`. `hang_next()`
makes the server hold the next message's DATA without answering (a server that hangs) until
`release()`, after which it refuses that one (451) and accepts the rest. `run_worker()`
runs django-tasks-db's own worker (the loop of `manage.py db_worker`) until the queue holds
nothing that is due."""

from __future__ import annotations

import asyncio
import email
import email.policy
import socket
import threading
from collections.abc import Iterator
from email.message import EmailMessage
from unittest import mock

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from django_tasks_db.management.commands.db_worker import Worker

from config.mailers import SMTP_BACKEND, mail_settings


class _ReaderPolicy(email.policy.EmailPolicy):
    """`email.policy.default`, but a header folded right after its name reads without a leading
    space, as a mail reader shows it. Python's generator writes a long header so
    ("Subject:\n 2 new comments ..."), which Django 6.1 uses for every message, and Python's
    parser keeps the space of the continuation line."""

    def header_source_parse(self, sourcelines: list[str]) -> tuple[str, str]:
        name, value = super().header_source_parse(sourcelines)
        return name, value.lstrip(" \t\r\n")


READER_POLICY = _ReaderPolicy()


class _Collector:
    def __init__(self, sink: SmtpSink) -> None:
        self.sink = sink

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        if self.sink.hang.is_set():
            self.sink.hang.clear()
            self.sink.hanging.set()
            while not self.sink.released.is_set():
                await asyncio.sleep(0.05)
            return "451 Requested action aborted: not delivered"
        raw = envelope.original_content or b""
        message = email.message_from_bytes(raw, policy=READER_POLICY)
        assert isinstance(message, EmailMessage)
        with self.sink.lock:
            self.sink.messages.append(message)
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class SmtpSink:
    def __init__(self, port: int) -> None:
        self.port = port
        self.messages: list[EmailMessage] = []
        self.lock = threading.Lock()
        self.controller: Controller | None = None
        self.hang = threading.Event()
        self.hanging = threading.Event()
        self.released = threading.Event()

    def hang_next(self) -> None:
        self.released.clear()
        self.hanging.clear()
        self.hang.set()

    def release(self) -> None:
        self.released.set()

    def start(self) -> None:
        self.controller = Controller(_Collector(self), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        self.release()
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def to(self, address: str) -> list[EmailMessage]:
        return [message for message in self.messages if address in message["To"]]

    def one_to(self, address: str) -> EmailMessage:
        found = self.to(address)
        assert len(found) == 1, f"expected one mail to {address}, got {len(found)}: " + ", ".join(
            str(message["Subject"]) for message in self.messages
        )
        return found[0]


def text_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None, "the mail has no plain-text part"
    return str(part.get_content())


def html_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("html",))
    assert part is not None, "the mail has no HTML part"
    return str(part.get_content())


def use_mail(settings, backend: str, **options: object) -> None:
    """Points this test's mail at `backend` with mailer `options`, in the settings of the running
    Django (MAILERS from 6.1 on, EMAIL_* before: config/mailers.py)."""
    for name, value in mail_settings(backend, **options).items():
        setattr(settings, name, value)


def use_smtp(settings, port: int) -> None:
    use_mail(
        settings,
        SMTP_BACKEND,
        host="127.0.0.1",
        port=port,
        username="",
        password="",
        use_tls=False,
        timeout=5,
    )


@pytest.fixture
def smtp_sink(settings) -> Iterator[SmtpSink]:  # type: ignore[no-untyped-def]
    sink = SmtpSink(free_port())
    use_smtp(settings, sink.port)
    sink.start()
    yield sink
    sink.stop()


def run_worker(worker_id: str = "test-worker") -> None:
    """django-tasks-db's worker loop in batch mode: runs every due task, then returns. In the
    test's transaction the loop must not close the connection between tasks (it does so, as
    a request would, in the real worker process)."""
    with mock.patch(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    ):
        _worker(worker_id).run()


def _worker(worker_id: str) -> Worker:
    return Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )
