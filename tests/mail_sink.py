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
        message = email.message_from_bytes(raw, policy=email.policy.default)
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


def use_smtp(settings: pytest.FixtureRequest, port: int) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"  # type: ignore[attr-defined]
    settings.EMAIL_HOST = "127.0.0.1"  # type: ignore[attr-defined]
    settings.EMAIL_PORT = port  # type: ignore[attr-defined]
    settings.EMAIL_TIMEOUT = 5  # type: ignore[attr-defined]


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
