"""What an event stream sends goes out without waiting for its client (issue 13: slow clients
cannot hold the server back).

`config/asgi.py` hands the event-stream requests to Django with the server's ASGI `send`
wrapped in a `StreamSend` (also in the scope, under `SCOPE_KEY`, where the stream finds it).
Django writes the response's start as usual; each body chunk after it is passed to the server
at once when the client keeps up, which is nearly always: uvicorn's `send` suspends only when
the connection's write buffer is full (its flow control), so the chunk is written in the same
step, without a task or a wake-up of its own. When the send does suspend, the chunk's send goes
on in a task of its own, and the chunks after it wait in the stream's **backlog**, bounded by
`CARTSHARE_LIVE_BACKLOG_BYTES`. A backlog over that bound, or a send blocked for longer than
`CARTSHARE_LIVE_SEND_TIMEOUT_SECONDS`, **drops** the stream: nothing more is written to it,
the stream ends (its presence goes, the hub forgets it), and the client, once it reads again,
gets the end of the response and reconnects with `Last-Event-ID`, losing nothing (the events
are the cart's activity log). The others never wait for it: nothing here is awaited by anyone
but the dropped stream's own request."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine, Mapping
from typing import Any

from django.conf import settings

logger = logging.getLogger(__name__)

SCOPE_KEY = "cartshare.live.send"
Message = Mapping[str, Any]
Send = Callable[[Message], Awaitable[None]]


def backlog_bytes() -> int:
    return int(settings.CARTSHARE_LIVE_BACKLOG_BYTES)


def send_timeout() -> float:
    return float(settings.CARTSHARE_LIVE_SEND_TIMEOUT_SECONDS)


def _started(awaitable: Awaitable[None]) -> asyncio.Future[None] | None:
    """Run `awaitable` (a coroutine) up to its first suspension: None when it finished in that
    step (the common case), else a task that goes on with it from where it stopped."""
    if not isinstance(awaitable, Coroutine):
        return asyncio.ensure_future(awaitable)
    try:
        yielded = awaitable.send(None)
    except StopIteration:
        return None
    return asyncio.ensure_future(_go_on(awaitable, yielded))


async def _go_on(coroutine: Coroutine[Any, Any, None], yielded: object) -> None:
    """Drive a coroutine suspended on `yielded` (an asyncio future, or None for a bare yield)
    to its end, as a task would have: wait for the future, resume, repeat."""
    while True:
        try:
            if isinstance(yielded, asyncio.Future):
                yielded._asyncio_future_blocking = False
                await asyncio.wait([yielded])
            else:
                await asyncio.sleep(0)
        except asyncio.CancelledError:
            with contextlib.suppress(BaseException):
                coroutine.throw(asyncio.CancelledError())
            coroutine.close()
            raise
        try:
            yielded = coroutine.send(None)
        except StopIteration:
            return


class StreamSend:
    """The server's `send` for one event stream, never blocking its caller on the client."""

    def __init__(self, send: Send) -> None:
        self.send = send
        self.backlog: deque[bytes] = deque()
        self.size = 0  # bytes in the backlog
        self.writer: asyncio.Future[None] | None = None  # a send that suspended, going on
        self.blocked_since: float | None = None
        self.watch: asyncio.TimerHandle | None = None
        self.dropped = False
        self.on_drop: Callable[[], None] | None = None  # set by the stream: end it

    async def __call__(self, message: Message) -> None:
        if message.get("type") == "http.response.body" and message.get("more_body"):
            self.write(message.get("body", b""))
        elif message.get("type") == "http.response.body":
            await self._end(message)
        else:  # the response's start, before any body
            await self.send(message)

    def write(self, data: bytes) -> None:
        """Pass `data` on at once, or keep it in the backlog behind a send that suspended."""
        if self.dropped or not data:
            return
        if self.writer is not None:
            self.backlog.append(data)
            self.size += len(data)
            if self.size > backlog_bytes():
                self.drop(f"its backlog passed {backlog_bytes()} bytes")
            return
        message = {"type": "http.response.body", "body": data, "more_body": True}
        writer = _started(self.send(message))
        if writer is not None:
            self._blocked(writer)

    def _blocked(self, writer: asyncio.Future[None]) -> None:
        self.writer = writer
        self.blocked_since = time.monotonic()
        writer.add_done_callback(self._written)
        loop = asyncio.get_running_loop()
        if self.watch is None:
            self.watch = loop.call_later(send_timeout(), self._timed_out)

    def _written(self, writer: asyncio.Future[None]) -> None:
        if writer is not self.writer:
            return
        self.writer = None
        if writer.cancelled() or writer.exception() is not None:
            self.drop("its send failed")
            return
        if self.dropped:
            return
        if self.watch is not None:
            self.watch.cancel()
            self.watch = None
        self.blocked_since = None
        if self.backlog:  # what waited goes on in one send
            data = b"".join(self.backlog)
            self.backlog.clear()
            self.size = 0
            self.write(data)

    def _timed_out(self) -> None:
        self.watch = None
        if self.writer is not None and not self.dropped:
            self.drop(f"a send blocked for {send_timeout():.0f} s")

    def drop(self, why: str) -> None:
        if self.dropped:
            return
        self.dropped = True
        logger.info("live: dropped a stream whose client does not read (%s)", why)
        self.backlog.clear()
        self.size = 0
        if self.watch is not None:
            self.watch.cancel()
            self.watch = None
        if self.on_drop is not None:
            self.on_drop()

    async def _end(self, message: Message) -> None:
        """The response's end, after what waits has gone. A dropped stream's end waits for its
        blocked send one more `send_timeout()`; when the client still does not read, the
        request ends without it (the server then closes the connection once it can)."""
        while self.writer is not None and not self.dropped:
            await asyncio.wait([self.writer])
        if self.writer is not None:
            await asyncio.wait([self.writer], timeout=send_timeout())
            if self.writer is not None:
                return
        await self.send(message)


def is_event_stream(scope: dict[str, Any]) -> bool:
    """A request for one of the two event streams (config/urls.py), by its path alone."""
    path = scope.get("path", "")
    return (
        scope.get("type") == "http"
        and scope.get("method") == "GET"
        and path.endswith("/events")
        and path.startswith(("/api/v1/carts/", "/api/v1/shared/"))
        and path.count("/") == 5
    )


ASGIApp = Callable[[dict[str, Any], Callable[[], Awaitable[Message]], Send], Awaitable[None]]


def live_streams(application: ASGIApp) -> ASGIApp:
    """`application` with the event streams' `send` wrapped in a `StreamSend`, which the
    stream finds in its request's scope (`SCOPE_KEY`)."""

    async def app(
        scope: dict[str, Any], receive: Callable[[], Awaitable[Message]], send: Send
    ) -> None:
        if not is_event_stream(scope):
            await application(scope, receive, send)
            return
        sink = StreamSend(send)
        await application({**scope, SCOPE_KEY: sink}, receive, sink)

    return app
