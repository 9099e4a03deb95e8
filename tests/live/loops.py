"""Running a coroutine from a test, whatever else the suite has running in this thread."""

import asyncio
from concurrent.futures import ThreadPoolExecutor


def run(coroutine_function):
    """`asyncio.run` in a thread of its own: the suite may have an event loop running here (the
    browser tests' Playwright leaves one), and `asyncio.run` refuses to start inside one. The
    coroutine is made in that thread too, so none is left un-awaited when the call fails."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(coroutine_function())).result()
