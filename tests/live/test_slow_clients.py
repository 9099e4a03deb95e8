"""A client that stops reading its stream is dropped; it cannot grow the server's memory or hold
the other streams back (issue 13, cartshare/live/sending.py).

A real server (`make run`'s uvicorn) and a real socket with a small receive buffer that reads
the response's head and then nothing: the cart changes, with a long note, until the server's
buffers for that connection are full and the stream's backlog passes its bound. Meanwhile
another person's stream gets every change within a second; the slow viewer leaves the cart's
presence (its stream ended on the server), the server's memory stays put, and once the slow
client reads again it gets the end of the response (the server closed it) and none of the
changes made after the drop."""

from __future__ import annotations

import json
import re
import socket
import time
import urllib.request
from pathlib import Path

import pytest

from tests.api.client import token_for
from tests.config.test_server_logs_hold_no_tokens import (
    HOST,
    Server,
    base_environment,
    free_port,
    make_run_command,
)
from tests.live.test_event_streams import WITHIN, api, follow

pytestmark = pytest.mark.django_db(transaction=True)

BACKLOG = 262_144
NOTE_LENGTH = 4_000  # the cart's note: each cart.changed carries it
LINES = 150  # more lines, each with a note of 500 characters: a cart.changed of about 100 kB


def fill(cart) -> None:
    """Lines enough for each cart.changed to be big: the server's buffers for one connection
    (its socket's grows up to net.ipv4.tcp_wmem, 4 MiB here) fill after some 40 changes."""
    from cartshare.carts.models import CartItem
    from cartshare.catalog.models import Product

    products = Product.objects.bulk_create(
        Product(sku=f"SLOW-{n:03d}", name=f"Slow reader {n}", unit_price=100 + n)
        for n in range(LINES)
    )
    CartItem.objects.bulk_create(
        CartItem(cart=cart, product=product, quantity=1, note="n" * 500) for product in products
    )


@pytest.fixture
def slow_server(tmp_path):
    port = free_port()
    env = base_environment("database") | {
        "CARTSHARE_VAR_DIR": str(tmp_path),
        "CARTSHARE_LIVE_BACKLOG_BYTES": str(BACKLOG),
        "CARTSHARE_LIVE_SEND_TIMEOUT_SECONDS": "3",
        "CARTSHARE_LIVE_WAKE_SECONDS": "0",  # every change its own event
    }
    server = Server(make_run_command(port), env, tmp_path / "server.log")
    server.wait_ready(port)
    yield port, server
    server.stop()


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


def serving_pid(server: Server) -> int:
    """`make run`'s uvicorn: the child of config.stack that serves the streams."""
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                command = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if parent == server.process.pid and b"uvicorn" in command:
                return int(entry.name)
    raise AssertionError("no uvicorn process under the server")


def presence(port: int, cart, person) -> list[str]:
    request = urllib.request.Request(
        f"http://{HOST}:{port}/api/v1/carts/{cart.pk}/presence",
        headers={"Authorization": f"Bearer {token_for(person)}"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return [viewer["name"] for viewer in json.load(response)["viewers"]]


def open_slow_stream(port: int, cart, person) -> socket.socket:
    """A stream whose client reads the response's head, then stops reading."""
    client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    client.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    client.connect((HOST, port))
    client.sendall(
        (
            f"GET /api/v1/carts/{cart.pk}/events HTTP/1.1\r\nHost: {HOST}:{port}\r\n"
            f"Authorization: Bearer {token_for(person)}\r\nAccept: text/event-stream\r\n\r\n"
        ).encode()
    )
    head = b""
    while b"\r\n\r\n" not in head:
        head += client.recv(1)
    assert head.startswith(b"HTTP/1.1 200"), head
    return client


def read_to_the_end(client: socket.socket, timeout: float) -> bytes:
    """Everything the server still sends, up to its close of the connection."""
    client.settimeout(timeout)
    received = b""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        chunk = client.recv(65536)
        if not chunk:
            return received
        received += chunk
    raise AssertionError(f"the server did not close the slow stream ({len(received)} bytes)")


def test_a_client_that_stops_reading_is_dropped_and_holds_nobody_back(world, slow_server):
    port, server = slow_server
    cart = world.trade_fair
    fill(cart)
    alice = follow(port, cart, world.alice)
    slow = open_slow_stream(port, cart, world.frank)
    deadline = time.monotonic() + 10
    while presence(port, cart, world.alice) != ["Alice Archer", "Frank Fischer"]:
        assert time.monotonic() < deadline, presence(port, cart, world.alice)
        time.sleep(0.1)
    owner = token_for(world.alice)
    pid = serving_pid(server)
    dropped_after, at_drop = None, 0
    for number in range(120):
        note = f"{number:04d} " + "x" * NOTE_LENGTH
        assert api(port, "PATCH", f"/carts/{cart.pk}", owner, {"note": note}) == 200
        started = time.monotonic()
        while True:  # the reading stream gets every change within a second
            event = alice.next("cart.changed", timeout=WITHIN)
            if event.data["note"] == note:
                break
        assert time.monotonic() - started < WITHIN
        if dropped_after is None and "Frank Fischer" not in presence(port, cart, world.alice):
            dropped_after, at_drop = number, rss_kib(pid)
        elif dropped_after is not None and number >= dropped_after + 20:
            break
    assert dropped_after is not None, "the slow stream was never dropped"
    # 20 more changes of some 100 kB each after the drop: the server kept none for the slow one.
    grown = rss_kib(pid) - at_drop
    assert grown < 4 * 1024, f"the server grew by {grown} KiB after the drop"
    rest = read_to_the_end(slow, timeout=15)  # the server closed it
    numbers = [int(n) for n in re.findall(rb'"note":"(\d{4}) x', rest)]
    assert numbers, rest[:300]
    assert max(numbers) <= dropped_after < number, (max(numbers), dropped_after)
    slow.close()
    assert b"dropped a stream whose client does not read" in server.log_path.read_bytes()
    alice.close()
