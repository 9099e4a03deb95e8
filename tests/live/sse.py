"""A Server-Sent Events client for the tests: reads one stream in a thread of its own and hands
each event (id, name, parsed data) to the test through a queue."""

from __future__ import annotations

import http.client
import json
import queue
import threading
import time
from dataclasses import dataclass


@dataclass
class Event:
    id: str | None
    name: str
    data: object


class Stream:
    def __init__(self, port: int, path: str, headers: dict[str, str]) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.connection.request("GET", path, headers={"Accept": "text/event-stream", **headers})
        self.response = self.connection.getresponse()
        self.status = self.response.status
        self.headers = self.response.headers  # names in any case (HTTP), as a client reads them
        self.events: queue.Queue[Event | None] = queue.Queue()
        self.comments: list[str] = []
        OPEN.append(self)
        if self.status == 200:
            self.reader = threading.Thread(target=self._read, daemon=True)
            self.reader.start()
        else:
            self.body = self.response.read()
            self.close()

    def _read(self) -> None:
        fields: dict[str, str] = {}
        try:
            while True:
                line = self.response.readline()
                if not line:
                    break
                text = line.decode().rstrip("\n")
                if text.startswith(":"):
                    self.comments.append(text)
                elif text == "":
                    if "event" in fields or "data" in fields:
                        data = json.loads(fields["data"]) if "data" in fields else None
                        self.events.put(Event(fields.get("id"), fields.get("event", ""), data))
                    fields = {}
                else:
                    name, _, value = text.partition(":")
                    fields[name] = value.removeprefix(" ")
        except (OSError, AttributeError, ValueError):  # closed by the test meanwhile
            pass
        self.events.put(None)  # the stream ended

    def next(self, name: str, timeout: float = 5.0) -> Event:
        """The next event called `name` (others before it are skipped) within `timeout`."""
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                event = self.events.get(timeout=left)
            except queue.Empty:
                break
            if event is None:
                raise AssertionError(f"the stream ended before a {name} event")
            if event.name == name:
                return event
        raise AssertionError(f"no {name} event within {timeout} s")

    def ended(self, timeout: float = 5.0) -> bool:
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                if self.events.get(timeout=left) is None:
                    return True
            except queue.Empty:
                return False
        return False

    def close(self) -> None:
        self.response.close()
        self.connection.close()


OPEN: list[Stream] = []  # closed by tests/live/conftest.py after every test


def close_all() -> None:
    while OPEN:
        OPEN.pop().close()
