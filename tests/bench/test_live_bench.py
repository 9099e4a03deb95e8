"""`make bench-live` without the production stack: the verdicts, the per-worker connection count,
and the stream holder (`bench.live.Holder`) against a small fake event server, with a few
streams and no timing assertions. The benchmark itself runs only under `make bench-live`."""

import asyncio
import os
import socket
from concurrent.futures import ThreadPoolExecutor

from bench import live
from bench.run import Result


def run(coroutine_function):
    """`asyncio.run` in a thread of its own: the suite may have an event loop running here."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(coroutine_function())).result()


def row(key, **fields):
    return Result(live.BACKEND, key, key=key, **fields)


def test_the_live_targets_pass_and_fail_at_the_largest_level_measured():
    rows = [
        row("live_notify", p50_ms=0.1, p99_ms=0.5),
        live.latency_result(100, [10.0] * 99 + [900.0], 0, [50, 50]),
        live.latency_result(1_000, [40.0] * 98 + [300.0] * 2, 0, [480, 520]),
        row("live_throughput_none", rps=100.0),
        row("live_throughput_same", rps=79.0),
        row("live_throughput_other", rps=95.0),
    ]
    checks = "\n".join(live.live_target_checks(rows))
    assert "p50 <= 50 ms at 1,000 streams: 40.0 ms (400.00x raw NOTIFY p50) PASS" in checks
    assert "p99 <= 250 ms at 1,000 streams: 300.0 ms FAIL" in checks
    assert "on the edited cart >= 0.8x none: 0.79x FAIL" in checks
    assert "on another cart >= 0.8x none: 0.95x PASS" in checks


def test_missing_events_fail_the_latency_target_and_a_quick_run_says_so():
    rows = [live.latency_result(100, [5.0] * 10, 3, [6, 4])]
    checks = "\n".join(live.live_target_checks(rows))
    assert "at 100 streams (quick run, not 1,000): 5.0 ms" in checks
    assert "FAIL" in checks and "n/a" in checks  # p50 and p99 fail; no throughput measured
    assert "3 missing" in rows[0].note and "per worker 6/4" in rows[0].note


def test_nothing_measured_is_not_a_pass():
    assert live.live_target_checks([]) == [f"{live.BACKEND}: n/a (not run)"]


def test_established_connections_are_counted_per_process_from_proc():
    with socket.create_server(("127.0.0.1", 0)) as server:
        port = server.getsockname()[1]
        clients = [socket.create_connection(("127.0.0.1", port)) for _ in range(3)]
        accepted = [server.accept()[0] for _ in clients]
        try:
            assert live.established_by_worker([os.getpid()], port) == [3]
        finally:
            for sock in clients + accepted:
                sock.close()


def test_the_open_file_limit_is_raised_to_the_hard_limit():
    assert live.raise_open_file_limit() >= 1_024


class FakeEvents:
    """An HTTP/1.1 server shaped like the streams: each GET stays open (status, a retry line);
    a POST answers 201 and sends `cart.changed` to every open stream."""

    def __init__(self) -> None:
        self.streams: list[asyncio.StreamWriter] = []
        self.posts = 0

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        if head.startswith(b"GET"):
            writer.write(
                b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\nretry: 2000\n\n"
            )
            self.streams.append(writer)
            return
        length = int(head.lower().split(b"content-length: ")[1].split(b"\r\n")[0])
        await reader.readexactly(length)
        self.posts += 1
        for stream in self.streams:  # two writes: the marker may arrive in two parts
            stream.write(b"id: 7\nevent: cart.")
            stream.write(b"changed\ndata: {}\n\n")
        writer.write(b"HTTP/1.1 201 Created\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        await writer.drain()
        writer.close()


def test_the_stream_holder_times_every_stream_s_event_of_every_edit():
    async def scenario():
        fake = FakeEvents()
        server = await asyncio.start_server(fake.handle, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        setup = {"cart": "c1", "tokens": ["a", "b"], "owner_token": "a", "skus": ["S-1"]}
        holder = live.Holder(port, setup)
        try:
            opened = await holder.open(3)
            measured = await holder.measure(2)
        finally:
            holder.close()
            for stream in fake.streams:
                stream.close()
            server.close()
            await server.wait_closed()
            await asyncio.sleep(0.05)  # the transports finish closing
        return fake, opened, measured

    fake, opened, measured = run(scenario)
    assert opened["open"] == 3 and opened["refused"] == 0
    assert fake.posts == 2
    assert measured["missing"] == 0
    assert len(measured["latencies_ms"]) == 6
    assert measured["statuses"] == {"201": 2}
