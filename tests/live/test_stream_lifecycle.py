"""What a stream costs the server and how it ends (issue 13): heartbeats, a client that reads
nothing, preview visitors in presence, and a worker stopped with streams open. Real servers,
as `make run` serves them."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import urllib.request

import pytest

from tests.api.client import token_for
from tests.config.test_server_logs_hold_no_tokens import (
    HOST,
    Server,
    base_environment,
    collected_static,  # noqa: F401 (a fixture: production serves collected static files)
    free_port,
    make_run_command,
    production_command,
    production_settings,
)
from tests.live.sse import Stream
from tests.live.test_event_streams import WITHIN, api, follow, presence_names

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def server(tmp_path):
    """`make run`'s server with a heartbeat of half a second (the setting's ceiling is 15)."""
    port = free_port()
    env = base_environment("database") | {
        "CARTSHARE_VAR_DIR": str(tmp_path),
        "CARTSHARE_LIVE_HEARTBEAT_SECONDS": "0.5",
    }
    running = Server(make_run_command(port), env, tmp_path / "server.log")
    running.wait_ready(port)
    yield running, port
    running.stop()


def test_the_heartbeat_is_never_longer_than_fifteen_seconds(settings):
    from config.settings import base

    assert base.CARTSHARE_LIVE_HEARTBEAT_SECONDS <= 15
    os.environ["CARTSHARE_LIVE_HEARTBEAT_SECONDS"] = "600"
    try:
        import importlib

        assert importlib.reload(base).CARTSHARE_LIVE_HEARTBEAT_SECONDS == 15
    finally:
        del os.environ["CARTSHARE_LIVE_HEARTBEAT_SECONDS"]
        importlib.reload(base)


def test_an_idle_stream_gets_a_comment_line_at_every_heartbeat(world, server):
    _, port = server
    stream = follow(port, world.trade_fair, world.alice)
    deadline = time.monotonic() + 5
    while len(stream.comments) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert stream.comments[:2] == [": ping", ": ping"]


def test_a_preview_visitor_is_never_shown_and_sees_nobody(world, server):
    _, port = server
    cart = world.trade_fair
    link = world.share_link(cart, "PREVIEW")
    alice = follow(port, cart, world.alice)
    assert presence_names(alice.next("presence")) == ["Alice Archer"]
    visitor = Stream(port, f"/api/v1/shared/{link.token}/events", {})
    assert visitor.status == 200
    bob = follow(port, cart, world.bob)  # a real viewer arrives after the visitor
    assert presence_names(alice.next("presence", timeout=WITHIN)) == ["Alice Archer", "Bob Brandt"]
    request = urllib.request.Request(
        f"http://{HOST}:{port}/api/v1/carts/{cart.pk}/presence",
        headers={"Authorization": f"Bearer {token_for(world.alice)}"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert [viewer["name"] for viewer in json.load(response)["viewers"]] == [
            "Alice Archer",
            "Bob Brandt",
        ]
    bob.close()
    assert presence_names(alice.next("presence", timeout=WITHIN)) == ["Alice Archer"]
    time.sleep(1.2)  # two heartbeats: each looks at presence again
    names = []
    while not visitor.events.empty():
        event = visitor.events.get()
        names.append(event.name if event else None)
    assert "presence" not in names
    assert visitor.comments  # the visitor's stream was open all along


def _stalled_stream(port: int, path: str, token: str) -> socket.socket:
    """A client that asks for a stream and then never reads: a tiny receive buffer, so the
    server's writes back up at once."""
    client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    client.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1024)
    client.connect((HOST, port))
    client.sendall(
        f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\nAccept: text/event-stream\r\n"
        f"Authorization: Bearer {token}\r\n\r\n".encode()
    )
    return client


def test_a_client_that_reads_nothing_holds_back_neither_changes_nor_other_streams(world, server):
    _, port = server
    cart = world.trade_fair
    path = f"/api/v1/carts/{cart.pk}/events"
    stalled = [_stalled_stream(port, path, token_for(world.bob)) for _ in range(3)]
    try:
        alice = follow(port, cart, world.alice)
        bob = token_for(world.bob)
        stapler = world.item(cart, world.stapler)
        for quantity in range(3, 40):  # far more than the stalled sockets take in
            started = time.monotonic()
            body = {"quantity": quantity}
            assert api(port, "PATCH", f"/carts/{cart.pk}/items/{stapler.pk}", bob, body) == 200
            assert time.monotonic() - started < WITHIN  # the write never waits for a stream
            try:
                event = alice.next("cart.changed", timeout=WITHIN)
            except AssertionError as error:
                raise AssertionError(f"at quantity {quantity}") from error
            assert {i["sku"]: i["quantity"] for i in event.data["items"]}["STAPLER-1"] == quantity
    finally:
        for client in stalled:
            client.close()


@pytest.mark.parametrize(
    "command", ["make run", pytest.param("production", marks=pytest.mark.postgres)]
)
def test_a_worker_stopped_with_streams_open_exits_within_seconds(world, tmp_path, command, request):
    """SIGTERM ends every open stream at once (`bus.Hub._watch_shutdown`), so uvicorn's graceful
    shutdown, which waits for open responses, is over in a moment instead of never."""
    port = free_port()
    env = base_environment("database") | {"CARTSHARE_VAR_DIR": str(tmp_path)}
    if command == "production":
        env |= production_settings(request.getfixturevalue("collected_static"))
        arguments = production_command(port)
    else:
        arguments = make_run_command(port)
    log = tmp_path / "server.log"
    running = Server(arguments, env, log)
    try:
        running.wait_ready(port)
        streams = [follow(port, world.trade_fair, world.alice) for _ in range(3)]
        link = world.share_link(world.trade_fair, "PREVIEW")
        streams.append(Stream(port, f"/api/v1/shared/{link.token}/events", {}))
        for stream in streams[:3]:
            stream.next("presence")
        from tests.factories import CartItemFactory, ProductFactory

        for product in ProductFactory.create_batch(300):  # each cart.changed: ~70 kB
            CartItemFactory(cart=world.trade_fair, product=product)
        path = f"/api/v1/carts/{world.trade_fair.pk}/events"
        stalled = _stalled_stream(port, path, token_for(world.bob))
        bob = token_for(world.bob)
        stapler = world.item(world.trade_fair, world.stapler)
        for quantity in range(3, 30):  # enough for the stalled socket's buffers to fill up
            body = {"quantity": quantity}
            path = f"/carts/{world.trade_fair.pk}/items/{stapler.pk}"
            assert api(port, "PATCH", path, bob, body) == 200
        time.sleep(0.5)
        os.killpg(running.process.pid, signal.SIGTERM)
        try:
            running.process.wait(timeout=8)
        except subprocess.TimeoutExpired:
            pytest.fail(f"still running 8 s after SIGTERM:\n{log.read_text()}")
        for stream in streams:
            assert stream.ended(timeout=2)  # each client sees its stream end
    finally:
        stalled.close()
        output = running.stop()
    assert "Traceback" not in output, output
