"""The handoff between the production stack's two kinds of server process (config/serve.py,
docs/decisions/serving-stack.md): gunicorn's sync workers answer pages and the API (WSGI), one
uvicorn process answers the live event streams (ASGI), all on one address.

**The web side.** `HandoffWorker` is gunicorn's `SyncWorker` (`worker_class`, gunicorn's
extension point) with `handle(listener, client, addr)` overridden: it looks at the request line
with `MSG_PEEK`, which consumes nothing, and when its path is an event stream
(`cartshare.live.sending.is_event_stream`) it passes the connected socket's descriptor to the
stream process over a Unix datagram socket (`socket.send_fds`, SCM_RIGHTS) and closes its own
copy (never shutting the connection down); every other request goes to gunicorn as usual.

**The stream side.** `serve_streams()` runs uvicorn on `config.asgi:application` without a
listening socket of its own: it receives the descriptors (`socket.recv_fds`) and hands each
connection to uvicorn's HTTP protocol with asyncio's `loop.connect_accepted_socket`; uvicorn
reads the whole request from the socket's buffer, since the peek took nothing from it.

The same Unix socket carries the wake-ups of the live fan-out when there is no bus between
processes (SQLite without Redis, cartshare/live/bus.py): a datagram per changed cart.

uvicorn has no public way to serve an already accepted connection. What is used of it beyond
its documented `Config`/`Server` is, all here: `Server.serve(sockets=[])` (the form gunicorn's
uvicorn worker uses, with no listener), `Server.server_state`, `Server.lifespan.state`, and
`Config.http_protocol_class(config=, server_state=, app_state=)`, exactly as uvicorn's own
`Server.startup` builds its protocol. tests/config/test_serving_stack.py fails when one of
them changes (a uvicorn upgrade must keep it green)."""

from __future__ import annotations

import asyncio
import contextlib
import errno
import logging
import os
import signal
import socket
import time
from typing import Any
from urllib.parse import unquote

from gunicorn import util
from gunicorn.workers import gthread
from gunicorn.workers.gthread import ThreadWorker
from gunicorn.workers.sync import SyncWorker

from cartshare.live.sending import is_event_stream

logger = logging.getLogger(__name__)

# The Unix socket's path (a datagram socket the stream process binds), set by config.serve.
SOCKET_ENV = "CARTSHARE_STREAM_SOCKET"
# ... and its descriptor, bound by config.serve and inherited by the stream process, so that
# the socket (and what waits in it) outlives a stream process that dies.
SOCKET_FD_ENV = "CARTSHARE_STREAM_SOCKET_FD"
CONNECTION = b"C"  # a datagram with one descriptor: a connection whose request is a stream
WAKE_PREFIX = "wake-"  # each stream process's own socket for wake-ups, beside the shared one
WAKE = b"W"  # a datagram with a bus payload (cart id, access suffix, origin): wake its streams

PEEK_BYTES = 4096  # a request line longer than this is no stream: gunicorn answers it
PEEK_SECONDS = 5.0  # a client slower than this to send its request line: gunicorn has it
_RESTARTING = b"The live events restart; retry.\n"
UNAVAILABLE = (
    b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nContent-Type: text/plain\r\n"
    b"Content-Length: %d\r\nConnection: close\r\n\r\n%s" % (len(_RESTARTING), _RESTARTING)
)


def request_target(data: bytes) -> tuple[str, str] | None:
    """(method, path) of the request line at the start of `data`, once it is whole; None while
    it is not (or `data` is no request line)."""
    line, found, _ = data.partition(b"\n")
    if not found:
        return None
    words = line.rstrip(b"\r").split(b" ")
    if len(words) != 3 or not words[2].startswith(b"HTTP/"):
        return None
    target = words[1].decode("latin-1").split("?", 1)[0].split("#", 1)[0]
    return words[0].decode("latin-1"), unquote(target)


def peek_request_line(
    client: socket.socket, timeout: float = PEEK_SECONDS
) -> tuple[str, str] | None:
    """The request's method and path, read with MSG_PEEK: the request stays whole in the
    socket's buffer for whoever answers it. None when the client does not send a whole request
    line (PEEK_BYTES) within `timeout` or closes first."""
    deadline = time.monotonic() + timeout
    client.settimeout(timeout)
    try:
        while True:
            data = client.recv(PEEK_BYTES, socket.MSG_PEEK)
            if not data:
                return None
            target = request_target(data)
            if target is not None or len(data) >= PEEK_BYTES:
                return target
            if time.monotonic() >= deadline:
                return None
            # More of the line is on its way; the peeked bytes stay readable, so wait a little
            # rather than spin (nearly always the whole head arrives in the first segment).
            time.sleep(0.002)
    except (TimeoutError, OSError):
        return None
    finally:
        client.settimeout(None)


def is_stream_request(target: tuple[str, str] | None) -> bool:
    if target is None:
        return False
    method, path = target
    return is_event_stream({"type": "http", "method": method, "path": path})


def stream_socket_path() -> str | None:
    return os.environ.get(SOCKET_ENV) or None


HAND_OVER_SECONDS = 1.0  # how long a worker waits for a stream process that is (re)starting
WAKE_SECONDS = 0.25  # how long a wake-up waits for room in the stream process's queue


def hand_over(client: socket.socket, path: str) -> bool:
    """Send `client`'s descriptor to the stream process at `path`; False when it is not there
    within HAND_OVER_SECONDS (restarting). The caller closes its own copy either way."""
    deadline = time.monotonic() + HAND_OVER_SECONDS
    while True:
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as channel:
            channel.settimeout(5.0)
            try:
                channel.connect(path)  # send_fds ignores its address before Python 3.12
                socket.send_fds(channel, [CONNECTION], [client.fileno()])
                return True
            except (FileNotFoundError, ConnectionRefusedError) as error:
                if time.monotonic() >= deadline:
                    logger.warning("streams: no stream process to hand a stream to (%s)", error)
                    return False
            except OSError as error:
                logger.warning("streams: could not hand a stream over (%s)", error)
                return False
        time.sleep(0.05)


class HandoffWorker(SyncWorker):
    """gunicorn's sync worker, which passes the event-stream connections on to the stream
    process (module docstring); `--worker-class config.handoff.HandoffWorker`."""

    def handle(self, listener: socket.socket, client: socket.socket, addr: object) -> None:
        path = stream_socket_path()
        if path is None or not is_stream_request(peek_request_line(client)):
            super().handle(listener, client, addr)
            return
        if hand_over(client, path):
            client.close()  # our copy only: the connection lives on in the stream process
            return
        with contextlib.suppress(OSError):
            client.sendall(UNAVAILABLE)
        util.close_graceful(client)  # drains the unread head: a plain close would reset


class HandoffThreadWorker(ThreadWorker):
    """gunicorn's gthread worker with the same handoff (`--worker-class
    config.handoff.HandoffThreadWorker --threads T`): its `handle(conn)` runs in a thread of
    the worker's pool for each request of a connection, so every request is looked at, a
    kept-alive connection's later ones too, unless the parser holds bytes of it already read
    (pipelining: then gunicorn answers it, as without the handoff)."""

    def handle(self, conn: Any) -> Any:  # noqa: ANN401 (gunicorn has no types)
        path = stream_socket_path()
        if path is None or getattr(conn, "is_http2", False):
            return super().handle(conn)
        parser = getattr(conn, "parser", None)
        if parser is not None and parser.unreader.buf.getvalue():
            return super().handle(conn)
        # A new connection's first bytes are waited for as gunicorn's own handle() does (a
        # client that sends nothing goes back to its poller, holding no thread), then peeked.
        new = not conn.initialized and not conn.data_ready
        if new and not conn.wait_for_data(gthread.DEFAULT_WORKER_DATA_TIMEOUT):
            return gthread._DEFER
        conn.sock.setblocking(True)
        if not is_stream_request(peek_request_line(conn.sock)):
            return super().handle(conn)
        if hand_over(conn.sock, path):
            # Our copy is closed, never shut down (that would end the stream's connection
            # too); gunicorn's graceful close then meets a stand-in whose peer is gone.
            conn.sock.close()
            conn.sock, peer = socket.socketpair()
            peer.close()
            return False
        with contextlib.suppress(OSError):
            conn.sock.sendall(UNAVAILABLE)
        return False  # gunicorn closes it gracefully


def send_wake(payload: str) -> None:
    """From a web worker, after commit: wake the stream process's streams of a cart (the bus's
    payload) when no bus carries it. A lost datagram loses no event: streams also look at every
    heartbeat."""
    path = stream_socket_path()
    if path is None:
        return
    directory = os.path.dirname(path)
    try:
        names = [name for name in os.listdir(directory) if name.startswith(WAKE_PREFIX)]
    except FileNotFoundError:
        return
    for name in names:  # every stream process has its own: each holds streams of any cart
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as channel:
            # A socket's queue holds net.unix.max_dgram_qlen datagrams (10 by default): a full
            # one is waited on briefly, then the wake-up is dropped (the heartbeat looks anyway).
            channel.settimeout(WAKE_SECONDS)
            try:
                channel.sendto(WAKE + payload.encode(), os.path.join(directory, name))
            except TimeoutError:
                logger.info("streams: a stream process's queue stayed full; a wake-up dropped")
            except ConnectionRefusedError:  # a stream process that was killed left it
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(os.path.join(directory, name))
            except OSError as error:
                if error.errno not in (errno.ENOENT, errno.EAGAIN):
                    raise


# --- The stream process ------------------------------------------------------------------------


def bind_channel(path: str) -> socket.socket:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)  # a previous stream process's
    channel = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    channel.bind(path)
    os.chmod(path, 0o600)
    channel.setblocking(False)
    return channel


def serve_streams(
    path: str,
    *,
    fd: int | None = None,
    graceful_seconds: int = 5,
    proxy_headers: bool = False,
    forwarded_allow_ips: str = "127.0.0.1",
    log_level: str = "info",
) -> None:
    """The stream process: uvicorn on `config.asgi:application`, fed the connections the web
    workers hand over on the datagram socket at `path`."""
    import uvicorn

    from cartshare.live.bus import hub

    class StreamServer(uvicorn.Server):
        channel: socket.socket | None = None
        wakes: socket.socket | None = None
        wake_path = ""

        async def startup(self, sockets: list[socket.socket] | None = None) -> None:
            await super().startup(sockets=[])  # no listener: connections come by `receive`
            loop = asyncio.get_running_loop()
            if fd is None:
                self.channel = bind_channel(path)
            else:
                self.channel = socket.socket(fileno=fd)
                self.channel.setblocking(False)
            # The shared socket's datagrams go to one stream process each: fine for
            # connections, not for wake-ups, which every stream process needs. Its own:
            self.wake_path = os.path.join(os.path.dirname(path), f"{WAKE_PREFIX}{os.getpid()}")
            self.wakes = bind_channel(self.wake_path)
            loop.add_reader(self.channel.fileno(), self.receive, loop, self.channel)
            loop.add_reader(self.wakes.fileno(), self.receive, loop, self.wakes)
            logger.info("streams: the stream process takes event streams on %s", path)

        def protocol(self) -> asyncio.Protocol:
            config = self.config
            return config.http_protocol_class(  # type: ignore[call-arg]
                config=config, server_state=self.server_state, app_state=self.lifespan.state
            )

        def receive(self, loop: asyncio.AbstractEventLoop, channel: socket.socket) -> None:
            while True:
                try:
                    message, fds, _, _ = socket.recv_fds(channel, 1024, 4)
                except (BlockingIOError, InterruptedError):
                    return
                if message[:1] == WAKE:
                    for descriptor in fds:
                        os.close(descriptor)
                    hub.deliver_payload(message[1:].decode(errors="replace"))
                    continue
                for descriptor in fds:
                    if message[:1] != CONNECTION or self.should_exit:
                        os.close(descriptor)
                        continue
                    connection = socket.socket(fileno=descriptor)
                    connection.setblocking(False)
                    task = loop.create_task(self.accepted(loop, connection))
                    self.server_state.tasks.add(task)
                    task.add_done_callback(self.server_state.tasks.discard)

        async def accepted(
            self, loop: asyncio.AbstractEventLoop, connection: socket.socket
        ) -> None:
            try:
                await loop.connect_accepted_socket(self.protocol, connection)
            except OSError:
                connection.close()

        async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
            if self.wakes is not None:
                asyncio.get_running_loop().remove_reader(self.wakes.fileno())
                self.wakes.close()
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(self.wake_path)
            if self.channel is not None:
                asyncio.get_running_loop().remove_reader(self.channel.fileno())
                self.channel.close()
                if fd is None:  # our own; config.serve's outlives us
                    with contextlib.suppress(FileNotFoundError):
                        os.unlink(path)
            await super().shutdown(sockets=sockets)

    config = uvicorn.Config(
        "config.asgi:application",
        access_log=False,  # it would write share-link tokens (the app logs, masked)
        proxy_headers=proxy_headers,  # off by default: no client chooses its rate-limit key
        forwarded_allow_ips=forwarded_allow_ips,
        lifespan="off",
        log_level=log_level,
        timeout_graceful_shutdown=graceful_seconds,
    )
    # uvicorn raises the signal that stopped it again once it has shut down; ignored here, so
    # that a stop by SIGTERM or SIGINT is an exit with 0 (config.stack sees a clean stop).
    for number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(number, lambda signum, frame: None)
    StreamServer(config).run()
