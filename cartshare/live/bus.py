"""Waking a cart's subscribers after a change, in every server process.

One `Hub` per process holds the open streams by cart. `cart_changed(cart_id)`, called inside
the changing transaction, publishes the id after commit: to this process's hub at once, and to
the other processes through Redis pub/sub when `REDIS_URL` is set, else PostgreSQL's NOTIFY on
PostgreSQL (SQLite: one process, the hub alone). One listener per process (not per stream)
receives the others' wake-ups. A wake-up is a flag, not a message: each subscriber has a queue
of one, so a slow or stuck stream never holds the publisher or the others back."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from functools import partial

import redis
import redis.asyncio
from django.conf import settings
from django.db import connection, transaction

from cartshare.common.database import store_unavailable

logger = logging.getLogger(__name__)

CHANNEL = "cartshare_cart_events"
RECONNECT_SECONDS = 1.0


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

    def subscribe(self, cart_id: str) -> asyncio.Queue[bool]:
        """In the event loop: a queue that holds one wake-up for `cart_id`."""
        loop = asyncio.get_running_loop()
        if self.loop is not loop:
            self.loop, self.listener = loop, None
        if self.listener is None or self.listener.done():
            self.listener = loop.create_task(_listen(self), name="cartshare-live-listener")
        queue: asyncio.Queue[bool] = asyncio.Queue(maxsize=1)
        self.subscribers.setdefault(cart_id, set()).add(queue)
        return queue

    def unsubscribe(self, cart_id: str, queue: asyncio.Queue[bool]) -> None:
        queues = self.subscribers.get(cart_id)
        if queues is not None:
            queues.discard(queue)
            if not queues:
                del self.subscribers[cart_id]

    def count(self) -> int:
        return sum(len(queues) for queues in self.subscribers.values())

    def deliver(self, cart_id: str | None) -> None:
        """In the event loop: wake the streams of `cart_id` (None: every stream, to resync)."""
        if cart_id is None:
            queues = [queue for group in self.subscribers.values() for queue in group]
        else:
            queues = list(self.subscribers.get(cart_id, ()))
        for queue in queues:
            if queue.empty():
                queue.put_nowait(True)

    def deliver_threadsafe(self, cart_id: str) -> None:
        """From any thread (a sync view's on_commit)."""
        loop = self.loop
        if loop is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
                loop.call_soon_threadsafe(self.deliver, cart_id)


hub = Hub()


def cart_changed(cart_id: object) -> None:
    """Inside the changing transaction: wake the cart's subscribers once it commits."""
    transaction.on_commit(partial(publish, str(cart_id)))


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


def publish(cart_id: str) -> None:
    """After commit. A failure here loses no event (streams also look at every heartbeat), so
    it is logged and never fails the request whose change has committed."""
    hub.deliver_threadsafe(cart_id)
    try:
        name = backend_name()
        if name == "redis":
            _redis_client().publish(CHANNEL, cart_id)
        elif name == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_notify(%s, %s)", [CHANNEL, cart_id])
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


async def _listen(hub: Hub) -> None:
    """This process's one listener for the other processes' wake-ups, reconnecting after a
    failure (and waking every stream then, since wake-ups may have been missed)."""
    name = await asyncio.to_thread(backend_name)
    if name == "local":
        return
    while True:
        try:
            if name == "redis":
                await _listen_redis(hub)
            else:
                await _listen_postgresql(hub)
        except asyncio.CancelledError:
            raise
        except Exception:
            logger.warning("live: the %s listener failed; reconnecting", name, exc_info=True)
        await asyncio.sleep(RECONNECT_SECONDS)
        hub.deliver(None)


async def _listen_redis(hub: Hub) -> None:
    client = redis.asyncio.Redis.from_url(settings.REDIS_URL)
    try:
        async with client.pubsub() as pubsub:
            await pubsub.subscribe(CHANNEL)
            async for message in pubsub.listen():
                if message.get("type") == "message":
                    data = message["data"]
                    hub.deliver(data.decode() if isinstance(data, bytes) else str(data))
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
    )


async def _listen_postgresql(hub: Hub) -> None:
    import psycopg

    async with await psycopg.AsyncConnection.connect(
        _postgresql_conninfo(), autocommit=True
    ) as listener:
        await listener.execute(f"LISTEN {CHANNEL}")
        hub.deliver(None)  # anything published while we were not listening
        async for notify in listener.notifies():
            hub.deliver(notify.payload)
