"""Waking a cart's subscribers after a change, in every server process.

One `Hub` per process holds the open streams by cart. `cart_changed(cart_id)`, called inside
the changing transaction, publishes the id after commit: to this process's hub at once, and to
the other processes through Redis pub/sub when `REDIS_URL` is set, else PostgreSQL's NOTIFY on
PostgreSQL (SQLite: the hub alone, and under the production stack a datagram to its one stream
process, config/handoff.py). One listener per process (not per stream)
receives the others' wake-ups. A wake-up is a flag, not a message: each subscriber has a queue
of one, so a slow or stuck stream never holds the publisher or the others back. During a burst
of changes a cart's streams wake at most every `wake_seconds()` (the first change at once).

A wake-up says whether the change may have changed who may see the cart (`access`): edits of
its items, notes and comments and presence do not (`cart_changed(..., access=False)`), so the
streams reuse the policy's last answer for them; everything else (grants, links, orders,
people moved or deactivated, unknown callers) does, and every stream asks the policy again.
The hub counts both per cart (`generation`, `epoch`), and keeps each cart's current `Round`
(`rounds.py`): the reads its streams share after one wake-up."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import random
import secrets
import signal
import threading
import time
from collections.abc import Awaitable, Callable
from functools import partial

import redis
import redis.asyncio
from django.conf import settings
from django.db import connection, transaction

from cartshare.common.database import redis_unavailable, store_unavailable
from cartshare.live.rounds import Round

logger = logging.getLogger(__name__)

CHANNEL = "cartshare_cart_events"
SAME_ACCESS = "/same-access"  # a payload's suffix: this change leaves access as it was
ORIGIN = "@"  # then the publishing process, which ignores its own wake-ups coming back
_origin: tuple[int, str] | None = None


def process_origin() -> str:
    """This process, unlike any other on any machine sharing the bus (a fork gets its own)."""
    global _origin
    if _origin is None or _origin[0] != os.getpid():
        _origin = (os.getpid(), secrets.token_hex(6))
    return _origin[1]


RECONNECT_SECONDS = 1.0
LISTENER_APPLICATION = "cartshare-live-listener"  # its backend's application_name


def wake_seconds() -> float:
    """A cart's streams in one process wake at once after a quiet spell, then at most once per
    this window during a burst of changes (the last change of a burst always gets its round):
    each round costs every stream of the cart a little, so a cart edited 20 times a second
    with 500 open streams here would otherwise spend the process on sending states nobody can
    read (`CARTSHARE_LIVE_WAKE_SECONDS`, 0.2 s)."""
    return float(getattr(settings, "CARTSHARE_LIVE_WAKE_SECONDS", 0.2))


def backend_name() -> str:
    if settings.REDIS_URL:
        return "redis"
    if connection.vendor == "postgresql":
        return "postgresql"
    return "local"


class Hub:
    """The open streams of this process, by cart id, and its one listener."""

    def __init__(self) -> None:
        self.subscribers: dict[str, set[asyncio.Queue[bool]]] = {}
        self.loop: asyncio.AbstractEventLoop | None = None
        self.listener: asyncio.Task[None] | None = None
        self.lock = threading.Lock()
        self.closing = False  # the server is shutting down: every stream ends
        self.signals_watched = False
        self.sequence = 0  # never repeats: a cart's counters below are values of it
        self.generations: dict[str, int] = {}  # per cart with streams: its last wake-up
        self.epochs: dict[str, int] = {}  # ... its last wake-up that may have changed access
        self.rounds: dict[str, Round] = {}
        self.woken: dict[str, float] = {}  # per cart with streams: when they were last woken
        self.later: dict[str, asyncio.TimerHandle] = {}  # ... and the wake-up still to come
        # The reads a cart's round needs, started before its streams wake (streams.py): they
        # then find them done, rather than each waiting for them and waking a second time.
        self.prepare: Callable[[str], Awaitable[object]] | None = None
        # Then the streams whose events are ready are sent them at once, in one pass (streams.py);
        # it returns the queues it served, and only the others are woken to catch up themselves.
        self.fan_out: Callable[[str], set[asyncio.Queue[bool]]] | None = None

    def subscribe(self, cart_id: str) -> asyncio.Queue[bool]:
        """In the event loop: a queue that holds one wake-up for `cart_id`."""
        loop = asyncio.get_running_loop()
        if self.loop is not loop:
            self.loop, self.listener = loop, None
            self.rounds.clear()
        if self.listener is None or self.listener.done():
            self.listener = loop.create_task(_listen(self), name="cartshare-live-listener")
        self._watch_shutdown(loop)
        queue: asyncio.Queue[bool] = asyncio.Queue(maxsize=1)
        self.subscribers.setdefault(cart_id, set()).add(queue)
        return queue

    def _watch_shutdown(self, loop: asyncio.AbstractEventLoop) -> None:
        """Once per process, from the main thread (where uvicorn runs its loop): SIGTERM and
        SIGINT end every open stream at once, then go on to the server's own handler. Without
        this a graceful shutdown waits for streams that never end (uvicorn waits for open
        responses); the clients reconnect, with Last-Event-ID, to a server that is up."""
        if self.signals_watched or threading.current_thread() is not threading.main_thread():
            return
        self.signals_watched = True
        for number in (signal.SIGTERM, signal.SIGINT):
            previous = signal.getsignal(number)

            def handler(signum: int, frame: object, previous: object = previous) -> None:
                self.closing = True
                with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
                    loop.call_soon_threadsafe(self.deliver, None)
                if callable(previous):
                    previous(signum, frame)
                elif previous == signal.SIG_DFL:
                    signal.signal(signum, signal.SIG_DFL)
                    signal.raise_signal(signum)

            signal.signal(number, handler)

    def unsubscribe(self, cart_id: str, queue: asyncio.Queue[bool]) -> None:
        queues = self.subscribers.get(cart_id)
        if queues is not None:
            queues.discard(queue)
            if not queues:
                del self.subscribers[cart_id]
                self.generations.pop(cart_id, None)
                self.epochs.pop(cart_id, None)
                self.rounds.pop(cart_id, None)
                self.woken.pop(cart_id, None)
                if (handle := self.later.pop(cart_id, None)) is not None:
                    handle.cancel()

    def count(self) -> int:
        return sum(len(queues) for queues in self.subscribers.values())

    def deliver(self, cart_id: str | None, access: bool = True) -> None:
        """In the event loop: wake the streams of `cart_id` (None: every stream, to resync).
        `access` False: the change leaves who may see the cart as it was."""
        if cart_id is None:
            carts = list(self.subscribers)
        else:
            carts = [cart_id] if cart_id in self.subscribers else []
        for key in carts:
            self.sequence += 1
            self.generations[key] = self.sequence
            if access:
                self.epochs[key] = self.sequence
            window = wake_seconds()
            waited = time.monotonic() - self.woken.get(key, -window)
            if cart_id is None or waited >= window:
                self._wake(key)
            elif key not in self.later:  # a burst: one more round when the window ends
                loop = asyncio.get_running_loop()
                self.later[key] = loop.call_later(window - waited, self._wake, key)

    def _wake(self, cart_id: str) -> None:
        self.later.pop(cart_id, None)
        self.woken[cart_id] = time.monotonic()
        if cart_id in self.subscribers:  # the round these streams wake for (see `round`)
            self.rounds[cart_id] = Round(*self.generation(cart_id))
        if self.prepare is not None and not self.closing and cart_id in self.subscribers:
            reads = asyncio.ensure_future(self.prepare(cart_id))
            reads.add_done_callback(partial(self._prepared, cart_id))
            return
        self._wake_streams(cart_id)

    def _prepared(self, cart_id: str, reads: asyncio.Future[object]) -> None:
        if not reads.cancelled() and reads.exception() is not None:  # the streams read again
            logger.debug("live: a round's reads failed", exc_info=reads.exception())
        self._wake_streams(cart_id)

    def _wake_streams(self, cart_id: str) -> None:
        served: set[asyncio.Queue[bool]] = set()
        if self.fan_out is not None and not self.closing:
            try:
                served = self.fan_out(cart_id)
            except Exception:  # a bug: the streams catch up by themselves
                logger.exception("live: the fan-out of a round failed")
        for queue in self.subscribers.get(cart_id, ()):
            if queue not in served and queue.empty():
                queue.put_nowait(True)

    def deliver_threadsafe(self, cart_id: str, access: bool = True) -> None:
        """From any thread (a sync view's on_commit)."""
        loop = self.loop
        if loop is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
                loop.call_soon_threadsafe(self.deliver, cart_id, access)

    def deliver_payload(self, payload: str) -> None:
        """In the event loop: a wake-up from another process (the bus's payload). This
        process's own come back through the bus too: they woke its streams already."""
        payload, _, origin = payload.partition(ORIGIN)
        if origin and origin == process_origin():
            return
        cart_id, suffix = payload, ""
        if payload.endswith(SAME_ACCESS):
            cart_id, suffix = payload.removesuffix(SAME_ACCESS), SAME_ACCESS
        self.deliver(cart_id, access=suffix != SAME_ACCESS)

    def generation(self, cart_id: str) -> tuple[int, int]:
        """(the cart's last wake-up, its last one that may have changed access): 0 for none."""
        return self.generations.get(cart_id, 0), self.epochs.get(cart_id, 0)

    def round(self, cart_id: str, *, young: bool = False) -> Round:
        """The cart's round of its last wake-up, shared by its streams: made when they were
        woken (`_wake`), its reads started before (`prepare`). A change arriving meanwhile
        does not start another: it has its own wake-up coming (at once, or when the burst's
        window ends), and streams starting a second round of their own would find its reads
        running and wait for them. `young` (one stream's heartbeat or first look) shares the
        round only while it is young (`rounds.REUSE_SECONDS`) and no change has come since,
        else starts a fresh one: a newcomer's first look shows the cart as it is now."""
        current = self.rounds.get(cart_id)
        counters = self.generation(cart_id)
        stale = young and (current is None or current.generation != counters[0])
        if current is None or stale or (young and not current.fresh()):
            current = Round(*counters)
            if cart_id in self.subscribers:
                self.rounds[cart_id] = current
        return current


hub = Hub()


def cart_changed(cart_id: object, *, access: bool = True) -> None:
    """Inside the changing transaction: wake the cart's subscribers once it commits. `access`
    False only for a change that cannot change who may see the cart (items, notes, comments,
    presence): their streams then skip asking the policy again."""
    transaction.on_commit(partial(publish, str(cart_id), access))


def people_access_changed(customer_ids: list[int]) -> None:
    """Inside the transaction that deactivates, reactivates or moves people: after commit, wake
    the streams of every cart they own or have been given, so that each asks the policy again
    at once (a stream whose access ended closes)."""
    from django.db.models import Q

    from cartshare.carts.models import Cart

    carts = Cart.objects.filter(
        Q(owner_id__in=customer_ids) | Q(shares__company_user__customer_id__in=customer_ids)
    )
    for cart_id in carts.values_list("pk", flat=True).distinct():
        cart_changed(cart_id)


def publish(cart_id: str, access: bool = True) -> None:
    """After commit. A failure here loses no event (streams also look at every heartbeat), so
    it is logged and never fails the request whose change has committed."""
    hub.deliver_threadsafe(cart_id, access)
    payload = (cart_id if access else cart_id + SAME_ACCESS) + ORIGIN + process_origin()
    try:
        name = backend_name()
        if name == "redis":
            _redis_client().publish(CHANNEL, payload)
        elif name == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_notify(%s, %s)", [CHANNEL, payload])
        else:  # no bus: the production stack's stream process, if any, over its socket
            from config.handoff import send_wake

            send_wake(payload)
    except Exception as error:
        # An outage (a database restart) is expected now and then: one line, no traceback.
        logger.warning(
            "live: could not publish a wake-up for cart %s%s",
            cart_id,
            f" (the store did not answer: {error.__class__.__name__})"
            if store_unavailable(error)
            else "",
            exc_info=not store_unavailable(error),
        )


_redis: redis.Redis | None = None


def _redis_client() -> redis.Redis:
    """One client per process (it pools its connections)."""
    global _redis
    if _redis is None:
        _redis = redis.Redis.from_url(
            settings.REDIS_URL, socket_connect_timeout=0.5, socket_timeout=0.5
        )
    return _redis


RECONNECT_MAX_SECONDS = 30.0


def listener_outage(error: BaseException) -> bool:
    """The listener's server went away (a restart, its backend terminated, refused): expected
    now and then, worth one line, not a traceback."""
    import psycopg

    return isinstance(
        error, psycopg.OperationalError | psycopg.InterfaceError | OSError
    ) or redis_unavailable(error)


async def _listen(hub: Hub) -> None:
    """This process's one listener for the other processes' wake-ups. When its connection
    goes (PostgreSQL restarted, its backend terminated, Redis gone) it reconnects with
    back-off (RECONNECT_SECONDS, doubling up to RECONNECT_MAX_SECONDS, again from the start
    once connected), saying so in one warning line per outage; once listening again it wakes
    every stream, since wake-ups may have been missed meanwhile."""
    name = await asyncio.to_thread(backend_name)
    if name == "local":
        return
    delay, attempts = RECONNECT_SECONDS, 0
    while True:
        connected: list[bool] = []
        try:
            if name == "redis":
                await _listen_redis(hub, connected)
            else:
                await _listen_postgresql(hub, connected)
            error: BaseException | None = None
        except asyncio.CancelledError:
            raise
        except Exception as failure:
            error = failure
        if connected:  # it was listening: a new outage
            delay, attempts = RECONNECT_SECONDS, 0
        if attempts == 0:
            reason = "its connection ended" if error is None else error.__class__.__name__
            logger.warning(
                "live: the %s listener lost its connection (%s); reconnecting",
                name,
                reason,
                exc_info=error is not None and not listener_outage(error),
            )
        attempts += 1
        await asyncio.sleep(delay * random.uniform(0.5, 1.0))
        delay = min(delay * 2, RECONNECT_MAX_SECONDS)


async def _listen_redis(hub: Hub, connected: list[bool]) -> None:
    client = redis.asyncio.Redis.from_url(settings.REDIS_URL)
    try:
        async with client.pubsub() as pubsub:
            await pubsub.subscribe(CHANNEL)
            connected.append(True)
            hub.deliver(None)  # anything published while we were not listening
            async for message in pubsub.listen():
                if message.get("type") == "message":
                    data = message["data"]
                    hub.deliver_payload(data.decode() if isinstance(data, bytes) else str(data))
    finally:
        await client.aclose()


def _postgresql_conninfo() -> str:
    from psycopg.conninfo import make_conninfo

    database = settings.DATABASES["default"]
    return make_conninfo(
        dbname=database["NAME"],
        user=database.get("USER") or None,
        password=database.get("PASSWORD") or None,
        host=database.get("HOST") or None,
        port=str(database.get("PORT") or "") or None,
        application_name=LISTENER_APPLICATION,
        connect_timeout=5,
        # A server that vanished without closing the connection (a host gone) is noticed.
        keepalives=1,
        keepalives_idle=10,
        keepalives_interval=5,
        keepalives_count=3,
    )


async def _listen_postgresql(hub: Hub, connected: list[bool]) -> None:
    import psycopg

    async with await psycopg.AsyncConnection.connect(
        _postgresql_conninfo(), autocommit=True
    ) as listener:
        await listener.execute(f"LISTEN {CHANNEL}")
        connected.append(True)
        hub.deliver(None)  # anything published while we were not listening
        async for notify in listener.notifies():
            hub.deliver_payload(notify.payload)
