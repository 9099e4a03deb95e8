"""The SMTP server of `make chaos`: accepts every mail on 127.0.0.1 and keeps its Message-ID,
so the run can tell a mail delivered twice (the task worker is SIGKILLed under load)."""

from __future__ import annotations

import email
import socket
import threading
from collections import Counter

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session


class Sink:
    def __init__(self) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.lock = threading.Lock()
        self.message_ids: Counter[str] = Counter()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        message = email.message_from_bytes(envelope.original_content or b"")
        with self.lock:
            self.message_ids[str(message.get("Message-ID", "")).strip()] += 1
        return "250 Message accepted for delivery"

    def start(self) -> None:
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()

    def delivered(self) -> dict[str, int]:
        with self.lock:
            return {
                "messages": sum(self.message_ids.values()),
                "distinct": len(self.message_ids),
                "twice": sum(1 for count in self.message_ids.values() if count > 1),
            }
