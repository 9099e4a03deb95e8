"""A process's one PostgreSQL listener (`bus._listen`) comes back after its backend is
terminated (what a PostgreSQL restart or `pg_terminate_backend` does to it), so wake-ups go on
crossing processes; it says so in one warning line, without a traceback. Only this test's own
listener backend is terminated (found by its application_name in this test's database)."""

from __future__ import annotations

import asyncio
import logging
import time

import psycopg
import pytest

from cartshare.live import bus

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

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

    asyncio.run(scenario())
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert [r.getMessage() for r in warnings] == [
        "live: the postgresql listener lost its connection (OperationalError); reconnecting"
    ]
    assert not warnings[0].exc_info  # one line, no traceback


def _terminate(conninfo: str, pid: int) -> None:
    with psycopg.connect(conninfo, autocommit=True) as connection:
        assert connection.execute("SELECT pg_terminate_backend(%s)", [pid]).fetchone() == (True,)
