"""`make serve`'s web server (config/serve.py, config/handoff.py, docs/decisions/serving-stack.md):
gunicorn's sync workers answer pages and the API, one uvicorn process the live event streams,
on one address. Run as `make -n serve` prints it, with production settings against the test
database (SQLite, or PostgreSQL with DATABASE_URL): a stream opened on the public port gets the
edit made through the API on the same port; the floor is answered by a gunicorn worker and the
stream by the stream process; a killed stream process comes back; SIGTERM with an open stream
ends it and the stack within the grace period."""

from __future__ import annotations

import asyncio
import inspect
import os
import signal
import socket
import time
from pathlib import Path

import pytest

from config import handoff
from tests.api.client import token_for
from tests.config.test_server_logs_hold_no_tokens import (
    HOST,
    Server,
    base_environment,
    collected_static,  # noqa: F401 (a fixture)
    free_port,
    production_settings,
)
from tests.config.test_stack import make_serve_command
from tests.factories import ProductFactory
from tests.live.sse import close_all
from tests.live.test_event_streams import WITHIN, api, follow

pytestmark = pytest.mark.django_db(transaction=True)

GRACE_SECONDS = 10  # config.stack's, before SIGKILL


# --- helpers ------------------------------------------------------------------------------------


def process_table() -> dict[int, tuple[int, str]]:
    table = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            table[int(entry.name)] = (parent, command)
    return table


def descendants(root: int) -> dict[int, tuple[int, str]]:
    table, found, frontier = process_table(), {}, [root]
    while frontier:
        parent = frontier.pop()
        for pid, (ppid, command) in table.items():
            if ppid == parent and pid not in found:
                found[pid] = (ppid, command)
                frontier.append(pid)
    return found


def gunicorn_workers(root: int) -> list[int]:
    found = descendants(root)
    return [
        pid
        for pid, (parent, command) in found.items()
        if " gunicorn " in command and " gunicorn " in found.get(parent, (0, ""))[1]
    ]


def stream_processes(root: int) -> list[int]:
    return [pid for pid, (_, command) in descendants(root).items() if "--stream-process" in command]


def holder_of(server_port: int, client: socket.socket, root: int) -> list[int]:
    """The processes under `root` that hold the server's end of `client`'s connection."""
    client_port = client.getsockname()[1]
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table) as lines:
            for line in list(lines)[1:]:
                fields = line.split()
                local, remote = fields[1], fields[2]
                if (
                    int(local.rsplit(":", 1)[1], 16) == server_port
                    and int(remote.rsplit(":", 1)[1], 16) == client_port
                ):
                    inodes.add(f"socket:[{fields[9]}]")
    holders = []
    for pid in descendants(root):
        try:
            targets = {os.readlink(fd) for fd in Path(f"/proc/{pid}/fd").iterdir()}
        except OSError:
            continue
        if targets & inodes:
            holders.append(pid)
    return holders


def wait_for(condition, timeout: float = 20, step: float = 0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(step)
    raise AssertionError("not within the time")


@pytest.fixture(autouse=True)
def _close_streams():
    yield
    close_all()


@pytest.fixture(params=["make serve", "sync", "gthread"])
def stack(request, tmp_path, collected_static):  # noqa: F811 (the fixture imported above)
    """`make serve`'s stack command, production settings, 2 workers, the floor route on; and
    the same with the worker class it does not use by default (`--worker-class`; the one it
    uses is skipped: that is "make serve")."""
    from config.serve import DEFAULT_WORKER_CLASS

    port = free_port()
    command, assignments = make_serve_command(port)
    if request.param != "make serve":
        if request.param == DEFAULT_WORKER_CLASS:
            pytest.skip("make serve's own")
        command += ["--worker-class", request.param]
    env = base_environment("database") | production_settings(collected_static) | assignments
    env |= {"CARTSHARE_BENCH_ROUTES": "1", "CARTSHARE_LIVE_WAKE_SECONDS": "0"}
    server = Server(command, env, tmp_path / "stack.log")
    server.wait_ready(port)
    wait_for(lambda: len(gunicorn_workers(server.process.pid)) == 2)
    wait_for(lambda: "the stream process takes event streams" in server.output(), timeout=60)
    yield port, server
    server.stop()


# --- through the stack --------------------------------------------------------------------------


def test_an_edit_through_the_api_reaches_a_stream_on_the_same_port(world, stack):
    port, _server = stack
    cart = world.trade_fair
    alice = follow(port, cart, world.alice)
    alice.next("presence", timeout=10)
    started = time.monotonic()
    owner = token_for(world.alice)
    assert api(port, "PATCH", f"/carts/{cart.pk}", owner, {"note": "Through gunicorn"}) == 200
    changed = alice.next("cart.changed", timeout=5)
    while changed.data["note"] != "Through gunicorn":
        changed = alice.next("cart.changed", timeout=5)
    assert time.monotonic() - started < 5 * WITHIN
    # the edit was made by a gunicorn worker, the event sent by the stream process
    assert "Through gunicorn" in changed.data["note"]
    alice.close()


def test_the_floor_is_answered_by_a_gunicorn_worker_and_the_stream_by_the_stream_process(
    world, stack
):
    port, server = stack
    root = server.process.pid
    ProductFactory(sku="BENCH-FLOOR", name="Floor", unit_price=100)
    streamers = stream_processes(root)
    assert len(streamers) == 2
    workers = gunicorn_workers(root)

    # A floor request whose head is not whole yet: the worker that peeked at its request line
    # holds the connection, and answers it once the head is whole.
    floor = socket.create_connection((HOST, port))
    floor.sendall(b"GET /_bench/floor HTTP/1.1\r\n")
    holders = wait_for(lambda: holder_of(port, floor, root))
    assert len(holders) == 1 and holders[0] in workers, (holders, workers, streamers)
    floor.sendall(f"Host: {HOST}\r\nConnection: close\r\n\r\n".encode())
    answer = b""
    while chunk := floor.recv(65536):
        answer += chunk
    floor.close()
    assert answer.startswith(b"HTTP/1.1 200"), answer[:200]
    assert b'"BENCH-FLOOR"' in answer

    stream = follow(port, world.trade_fair, world.alice)
    client = stream.connection.sock
    holders = wait_for(lambda: holder_of(port, client, root))
    # one stream process holds it: the worker closed its copy
    assert len(holders) == 1 and holders[0] in streamers, (holders, workers, streamers)
    stream.close()


def test_a_killed_stream_process_is_started_again_and_streams_come_back(world, stack):
    """The Unix socket is config.serve's, inherited by each stream process: a stream asked for
    while the stream process is dead waits in its queue and is answered by the next one."""
    port, server = stack
    root = server.process.pid
    alice = follow(port, world.trade_fair, world.alice)
    (streamer,) = wait_for(lambda: holder_of(port, alice.connection.sock, root))
    assert streamer in stream_processes(root)
    os.kill(streamer, signal.SIGKILL)
    assert alice.ended(timeout=10)
    again = follow(port, world.trade_fair, world.alice)  # waits for the next stream process
    again.next("presence", timeout=10)
    client = again.connection.sock
    (holder,) = wait_for(lambda: holder_of(port, client, root))
    assert holder != streamer and holder in stream_processes(root)
    wait_for(lambda: len(stream_processes(root)) == 2)  # the dead one was started again
    owner = token_for(world.alice)
    assert api(port, "PATCH", f"/carts/{world.trade_fair.pk}", owner, {"note": "Again"}) == 200
    changed = again.next("cart.changed", timeout=5)
    while changed.data["note"] != "Again":
        changed = again.next("cart.changed", timeout=5)
    assert server.process.poll() is None


def test_sigterm_with_an_open_stream_ends_it_and_the_stack_within_the_grace_period(world, stack):
    port, server = stack
    alice = follow(port, world.trade_fair, world.alice)
    alice.next("presence", timeout=10)
    children = list(descendants(server.process.pid))
    started = time.monotonic()
    os.killpg(server.process.pid, signal.SIGTERM)
    assert alice.ended(timeout=GRACE_SECONDS)  # the stream ended cleanly (its body closed)
    assert server.process.wait(timeout=GRACE_SECONDS) == 0
    assert time.monotonic() - started < GRACE_SECONDS
    for child in children:
        with pytest.raises(ProcessLookupError):
            os.kill(child, 0)


# --- the pieces ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "target"),
    [
        (b"GET /api/v1/carts/x/events HTTP/1.1\r\nHost: a\r\n", ("GET", "/api/v1/carts/x/events")),
        (b"GET /api/v1/shared/t%2Dk/events?x=1 HTTP/1.1\r\n", ("GET", "/api/v1/shared/t-k/events")),
        (b"GET /api/v1/carts/x/ev", None),
        (b"\x16\x03\x01 tls", None),
    ],
)
def test_the_request_line_is_read_from_the_head(head, target):
    assert handoff.request_target(head) == target


def test_only_event_stream_gets_are_handed_over():
    uuid = "a007d86a-d4a8-42d6-83da-46c58c568286"
    assert handoff.is_stream_request(("GET", f"/api/v1/carts/{uuid}/events"))
    assert handoff.is_stream_request(("GET", "/api/v1/shared/tok/events"))
    assert not handoff.is_stream_request(("POST", f"/api/v1/carts/{uuid}/events"))
    assert not handoff.is_stream_request(("GET", f"/api/v1/carts/{uuid}"))
    assert not handoff.is_stream_request(None)


def test_the_peek_leaves_the_request_whole_and_a_handed_socket_keeps_tcp_nodelay(tmp_path):
    """gunicorn's listener sets TCP_NODELAY (config/serve.py's docstring: without it every
    keep-alive response waits ~40 ms); accepted sockets inherit it, the handed-over descriptor is
    the same socket, and asyncio sees it as TCP (so it would set it too)."""
    from gunicorn.sock import TCPSocket

    class Conf:
        reuse_port = False
        backlog = 16

    class Log:
        def info(self, *args):
            pass

    listener = TCPSocket((HOST, 0), Conf(), Log())
    client = socket.create_connection(listener.sock.getsockname())
    head = b"GET /api/v1/shared/tok/events HTTP/1.1\r\nHost: x\r\n\r\n"
    client.sendall(head)
    accepted, _ = listener.sock.accept()
    assert handoff.peek_request_line(accepted) == ("GET", "/api/v1/shared/tok/events")
    path = str(tmp_path / "s.sock")
    channel = handoff.bind_channel(path)
    assert handoff.hand_over(accepted, path)
    accepted.close()
    channel.setblocking(True)
    message, fds, _, _ = socket.recv_fds(channel, 1024, 4)
    assert message == handoff.CONNECTION and len(fds) == 1
    received = socket.socket(fileno=fds[0])
    assert received.proto == socket.IPPROTO_TCP
    assert received.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0
    assert received.recv(4096) == head  # nothing was consumed
    received.close()
    client.close()
    channel.close()
    listener.sock.close()


def test_the_uvicorn_internals_the_stream_process_uses_are_there():
    """config/handoff.py serves handed-over connections with what uvicorn's own Server.startup
    uses (its module docstring); an upgrade that changes them fails here first."""
    import uvicorn
    from uvicorn.server import ServerState

    config = uvicorn.Config("config.asgi:application", lifespan="off")
    config.load()
    parameters = inspect.signature(config.http_protocol_class).parameters
    assert {"config", "server_state", "app_state"} <= set(parameters)
    server = uvicorn.Server(config)
    assert isinstance(server.server_state, ServerState)
    assert isinstance(server.server_state.connections, set)
    assert isinstance(server.server_state.tasks, set)
    assert "sockets" in inspect.signature(uvicorn.Server.startup).parameters
    assert "sockets" in inspect.signature(uvicorn.Server.shutdown).parameters
    from gunicorn.workers import gthread

    assert isinstance(gthread.DEFAULT_WORKER_DATA_TIMEOUT, float)
    assert gthread._DEFER is not None
    one, other = socket.socketpair()
    try:
        conn = gthread.TConn(None, one, None, None)
        for name in ("sock", "parser", "initialized", "data_ready", "is_http2"):
            assert hasattr(conn, name), name
        assert conn.wait_for_data(0) is False
    finally:
        one.close()
        other.close()
    loop = asyncio.new_event_loop()
    try:
        assert callable(loop.connect_accepted_socket)
    finally:
        loop.close()


def test_a_wake_up_datagram_reaches_the_channel(tmp_path, monkeypatch):
    channel = handoff.bind_channel(str(tmp_path / f"{handoff.WAKE_PREFIX}1"))
    stale = handoff.bind_channel(str(tmp_path / f"{handoff.WAKE_PREFIX}2"))
    stale.close()  # a killed stream process's: refused, and removed
    monkeypatch.setenv(handoff.SOCKET_ENV, str(tmp_path / "streams.sock"))
    handoff.send_wake("cart-1/same-access@abc")
    channel.setblocking(True)
    channel.settimeout(5)
    assert channel.recv(1024) == handoff.WAKE + b"cart-1/same-access@abc"
    assert not (tmp_path / f"{handoff.WAKE_PREFIX}2").exists()
    channel.close()
    monkeypatch.setenv(handoff.SOCKET_ENV, str(tmp_path / "nobody" / "streams.sock"))
    handoff.send_wake("cart-1")  # no stream process: nothing happens, nothing fails
