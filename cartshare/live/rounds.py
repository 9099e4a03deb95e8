"""One read per wake-up per process, shared by the cart's streams (fan-out inside the process).

A wake-up of a cart with 500 open streams in this process used to be 500 catch-ups of the same
queries. Now each wake-up starts a `Round` of the cart: the first stream to need a piece of it
(the cart, its new activity rows, a person's access, the serialised event) starts its read in
a worker thread, and every other stream of the same round awaits that same read. What
differs per person is read once per person and round; what differs per level once per level."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Hashable
from functools import partial
from typing import Any, TypeVar

T = TypeVar("T")
# A heartbeat (the safety net for a missed wake-up, every 15 s) or a new stream shares a round
# this young, else it reads afresh: at most one policy check per person, cart and process
# every 5 s however many streams they hold.
REUSE_SECONDS = 5.0


class Round:
    """The reads of one cart after one wake-up, in this process's event loop: `generation` is
    the cart's wake-up it was made for, `epoch` its last wake-up that may have changed access
    then (bus.Hub.generation)."""

    def __init__(self, generation: int, epoch: int = 0) -> None:
        self.generation = generation
        self.epoch = epoch
        self.started = time.monotonic()
        self.reads: dict[Hashable, asyncio.Future[Any]] = {}
        self.waiters: dict[Hashable, list[asyncio.Future[Any]]] = {}
        self.values: dict[Hashable, Any] = {}

    def once(
        self, key: Hashable, read: Callable[..., Awaitable[Any]], *args: object
    ) -> Awaitable[Any]:
        """`read(*args)` started by the first caller of `key`, awaited by all (a stream closing
        meanwhile does not cancel it for the others; a read that failed is tried again).

        Each caller still waiting gets a future of its own, settled by the read's one done
        callback: O(streams). (`asyncio.shield` per caller costs O(streams) per caller when it
        ends, `remove_done_callback` scanning the read's callbacks: 17% of the fan-out's time
        with 500 streams, bench/README.md.)"""
        task = self.reads.get(key)
        if task is None or (task.done() and (task.cancelled() or task.exception() is not None)):
            task = asyncio.ensure_future(read(*args))
            self.reads[key] = task
            self.waiters[key] = []
            task.add_done_callback(partial(self._settle, key))
        if task.done():
            return task  # awaiting it gives its value at once
        waiter: asyncio.Future[Any] = task.get_loop().create_future()
        self.waiters[key].append(waiter)
        return waiter

    def _settle(self, key: Hashable, task: asyncio.Future[Any]) -> None:
        for waiter in self.waiters.pop(key, []):
            if waiter.done():  # its stream was cancelled meanwhile
                continue
            if task.cancelled():
                waiter.cancel()
            elif (error := task.exception()) is not None:
                waiter.set_exception(error)
            else:
                waiter.set_result(task.result())

    def memo(self, key: Hashable, make: Callable[[], T]) -> T:
        """A value computed in the event loop once per round (an event's text, say)."""
        if key not in self.values:
            self.values[key] = make()
        value: T = self.values[key]
        return value

    def fresh(self) -> bool:
        return time.monotonic() - self.started <= REUSE_SECONDS
