"""A process's one PostgreSQL listener (`bus._listen`) comes back after its backend is
terminated (what a PostgreSQL restart or `pg_terminate_backend` does to it), so wake-ups go on
crossing processes; it says so in one warning line, without a traceback. Only this test's own
listener backend is terminated (found by its application_name in this test's database).
A stream whose read meets an outage stays open and tries again."""

from __future__ import annotations

import asyncio
import logging
import time

import psycopg
import pytest

from cartshare.live import bus
from tests.live.loops import run

CART = "cart-followed-here"


def _listener_pids(conninfo: str) -> list[int]:
    with psycopg.connect(conninfo, autocommit=True) as connection:
        rows = connection.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND application_name = %s AND pid <> pg_backend_pid()",
            [bus.LISTENER_APPLICATION],
        ).fetchall()
    return [pid for (pid,) in rows]


def _notify_from_another_process(conninfo: str) -> None:
    with psycopg.connect(conninfo, autocommit=True) as connection:
        connection.execute("SELECT pg_notify(%s, %s)", [bus.CHANNEL, f"{CART}@another-process"])


async def _until(condition, seconds: float = 10.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = await asyncio.to_thread(condition)
        if value:
            return value
        await asyncio.sleep(0.05)
    raise AssertionError(f"not within {seconds} s")


async def _woken(queue: asyncio.Queue[bool], conninfo: str) -> bool:
    """A NOTIFY from elsewhere wakes the cart's subscriber (the queue emptied first)."""
    while not queue.empty():
        queue.get_nowait()
    await asyncio.to_thread(_notify_from_another_process, conninfo)
    try:
        await asyncio.wait_for(queue.get(), timeout=5)
    except TimeoutError:
        return False
    return True


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_listener_reconnects_after_its_backend_is_terminated(settings, monkeypatch, caplog):
    settings.REDIS_URL = ""
    settings.CARTSHARE_LIVE_WAKE_SECONDS = 0
    monkeypatch.setattr(bus, "RECONNECT_SECONDS", 0.2)
    conninfo = bus._postgresql_conninfo()
    caplog.set_level(logging.INFO, logger="cartshare.live.bus")

    async def scenario() -> None:
        hub = bus.Hub()
        queue = hub.subscribe(CART)
        try:
            (first,) = await _until(lambda: _listener_pids(conninfo))
            assert await _woken(queue, conninfo)

            await asyncio.to_thread(_terminate, conninfo, first)
            (second,) = await _until(
                lambda: [pid for pid in _listener_pids(conninfo) if pid != first]
            )
            assert second != first
            assert await _woken(queue, conninfo), "no wake-up after the listener came back"
            assert not hub.listener.done()
        finally:
            hub.listener.cancel()
            with pytest.raises(asyncio.CancelledError):
                await hub.listener

    run(scenario)
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert [r.getMessage() for r in warnings] == [
        "live: the postgresql listener lost its connection (OperationalError); reconnecting"
    ]
    assert not warnings[0].exc_info  # one line, no traceback


def _terminate(conninfo: str, pid: int) -> None:
    with psycopg.connect(conninfo, autocommit=True) as connection:
        assert connection.execute("SELECT pg_terminate_backend(%s)", [pid]).fetchone() == (True,)


def test_a_stream_read_during_an_outage_is_tried_again_and_the_stream_stays_open(
    monkeypatch, caplog
):
    """A restart made a stream's read fail: that was an 'Exception in ASGI application'
    traceback and a broken stream (`make chaos`). Now the read is tried again, one line said."""
    import django.db

    from cartshare.live import streams

    calls: list[int] = []

    async def catch_up(subscription):
        calls.append(1)
        if len(calls) < 3:  # Django's error, caused by the driver's: what an outage raises
            try:
                raise psycopg.OperationalError("server closed the connection unexpectedly")
            except psycopg.OperationalError as cause:
                raise django.db.OperationalError(str(cause)) from cause
        return ["event: cart.changed\n\n"]

    monkeypatch.setattr(streams, "_catch_up", catch_up)
    monkeypatch.setattr(streams, "OUTAGE_RETRY_SECONDS", 0.01)
    monkeypatch.setattr(streams, "_outage_warned", [float("-inf")])
    caplog.set_level(logging.WARNING, logger="cartshare.live.streams")

    events = run(lambda: streams._catch_up_through_outages(None))

    assert events == ["event: cart.changed\n\n"] and len(calls) == 3
    assert [r.getMessage() for r in caplog.records] == [
        "live: streams could not read their cart (the store did not answer: OperationalError); "
        "trying again"
    ]
    assert not caplog.records[0].exc_info


def test_a_stream_read_that_fails_for_another_reason_is_not_retried(monkeypatch):
    from cartshare.live import streams

    async def catch_up(subscription):
        raise ValueError("a bug")

    monkeypatch.setattr(streams, "_catch_up", catch_up)
    with pytest.raises(ValueError):
        run(lambda: streams._catch_up_through_outages(None))
