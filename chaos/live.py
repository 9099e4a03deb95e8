"""The live side of `make chaos`: a few carts (`database.WATCHED`), each edited by its owner
during the load (item adds, logged in the ledger like every other write) and followed by
`SUBSCRIBERS` live streams (`GET /api/v1/carts/{id}/events`) that behave like a browser's
EventSource: read the events, and when the stream ends or breaks, wait the server's `retry:`
delay and reconnect with `Last-Event-ID`.

Each subscriber logs its connects, disconnects and every `cart.changed` (time, event id, the
cart's version). `resync()` waits after the load until each has seen a `cart.changed` whose
version is the cart's final version in the database; `report()` turns the logs into the
numbers of the table (chaos/README.md)."""

from __future__ import annotations

import asyncio
import json
import random
from dataclasses import dataclass, field

import httpx

from chaos import load

SUBSCRIBERS = 2  # per watched cart: with 2 web workers, most carts get streams on both
EDIT_PACE_SECONDS = 0.4
DEFAULT_RETRY_SECONDS = 3.0  # EventSource's default, until the server's `retry:` says else
RESYNC_SECONDS = 30.0  # after the load: longer than a heartbeat (15 s), which also resyncs


@dataclass
class Subscriber:
    name: str
    cart_id: str
    token: str
    connects: list[float] = field(default_factory=list)  # when each stream opened (200)
    drops: list[tuple[float, str]] = field(default_factory=list)  # (when, why) it ended
    refused: list[tuple[float, str]] = field(default_factory=list)  # a connect answered not 200
    changes: list[tuple[float, int, int]] = field(default_factory=list)  # (t, event id, version)
    last_id: str | None = None
    client_port: int | None = None  # of the open stream's connection: which worker holds it

    @property
    def version(self) -> int | None:
        return self.changes[-1][2] if self.changes else None


async def follow(base_url: str, subscriber: Subscriber, ledger: load.Ledger) -> None:
    """An EventSource on the cart's stream, until cancelled."""
    retry = DEFAULT_RETRY_SECONDS
    timeout = httpx.Timeout(5.0, read=40.0)  # a heartbeat comes every 15 s at most
    path = f"/api/v1/carts/{subscriber.cart_id}/events"
    async with httpx.AsyncClient(base_url=base_url, timeout=timeout) as client:
        while True:
            headers = {"Authorization": f"Bearer {subscriber.token}", "Accept": "text/event-stream"}
            if subscriber.last_id is not None:
                headers["Last-Event-ID"] = subscriber.last_id
            why = "ended"
            try:
                async with client.stream("GET", path, headers=headers) as response:
                    if response.status_code != 200:
                        subscriber.refused.append((ledger.now(), str(response.status_code)))
                        await response.aread()
                    else:
                        subscriber.connects.append(ledger.now())
                        stream = response.extensions.get("network_stream")
                        address = stream.get_extra_info("client_addr") if stream else None
                        subscriber.client_port = address[1] if address else None
                        event: dict[str, str] = {}
                        async for line in response.aiter_lines():
                            if line:
                                name, _, value = line.partition(":")
                                event[name] = value.removeprefix(" ")
                                continue
                            retry = _dispatch(subscriber, event, ledger, retry)
                            event = {}
            except httpx.TransportError as error:
                why = type(error).__name__
            if subscriber.connects:
                subscriber.drops.append((ledger.now(), why))
            await asyncio.sleep(retry)


def _dispatch(
    subscriber: Subscriber, event: dict[str, str], ledger: load.Ledger, retry: float
) -> float:
    """One event: its `retry:` (the new delay), its id, and a `cart.changed`'s version."""
    if "retry" in event and event["retry"].isdigit():
        retry = int(event["retry"]) / 1000
    if "id" in event:
        subscriber.last_id = event["id"]
    if event.get("event") == "cart.changed":
        data = json.loads(event.get("data", "{}"))
        subscriber.changes.append((ledger.now(), int(event.get("id") or 0), int(data["version"])))
    return retry


async def edit(
    base_url: str,
    token: str,
    cart_id: str,
    seed: dict,
    ledger: load.Ledger,
    stop: asyncio.Event,
) -> None:
    """The owner adds items to the watched cart (never the statement-timeout probe's SKU)."""
    headers = {"Authorization": f"Bearer {token}"}
    skus = seed["skus"][2:]
    async with httpx.AsyncClient(
        base_url=base_url, headers=headers, timeout=load.REQUEST_TIMEOUT
    ) as client:
        while not stop.is_set():
            sku, quantity = random.choice(skus), random.randint(1, 3)
            body = {"sku": sku, "quantity": quantity}
            fields = {"cart_id": cart_id, "sku": sku, "quantity": quantity}
            path = f"/api/v1/carts/{cart_id}/items"
            await load.write(client, ledger, "add_item", path, body, **fields)
            await asyncio.sleep(EDIT_PACE_SECONDS * random.uniform(0.5, 1.5))


def subscribers(seed: dict) -> list[Subscriber]:
    return [
        Subscriber(f"{email.split('@')[0]}#{n}", cart_id, seed["tokens_of"][email])
        for email, cart_id in seed["watched"].items()
        for n in range(1, SUBSCRIBERS + 1)
    ]


async def resync(
    watchers: list[Subscriber], versions: dict[str, int], ledger: load.Ledger
) -> float | None:
    """After the last acknowledged write: until every subscriber has seen its cart's final
    version (seconds it took), or None after RESYNC_SECONDS."""
    started = ledger.now()
    while ledger.now() - started < RESYNC_SECONDS:
        if all(w.version == versions.get(w.cart_id) for w in watchers):
            return round(ledger.now() - started, 2)
        await asyncio.sleep(0.05)
    return None


def report(watchers: list[Subscriber], versions: dict[str, int], faults: list[dict]) -> dict:
    """Per fault: how many subscribers got a cart.changed after it ended (and the longest wait
    for it), how many streams dropped and were opened again; per subscriber: its final version
    against the database's."""
    bounds = [event["at"] for event in faults[1:]] + [float("inf")]
    per_fault = []
    for event, until in zip(faults, bounds, strict=True):
        end, waits, drops, reconnects = event["end"], [], 0, 0
        for watcher in watchers:
            first = next((t for t, _id, _v in watcher.changes if t >= end), None)
            waits.append(None if first is None else round(first - end, 2))
            drops += sum(1 for t, _ in watcher.drops if event["at"] <= t < until)
            reconnects += sum(1 for t in watcher.connects if event["at"] <= t < until)
        got = [wait for wait in waits if wait is not None]
        per_fault.append(
            {
                "fault": event["fault"],
                "subscribers_with_event": len(got),
                "first_event_after": max(got) if got else None,
                "first_event_after_min": min(got) if got else None,
                "drops": drops,
                "reconnects": reconnects,
            }
        )
    return {
        "subscribers": len(watchers),
        "carts": len({w.cart_id for w in watchers}),
        "per_fault": per_fault,
        "final": {
            w.name: {"seen": w.version, "database": versions.get(w.cart_id)} for w in watchers
        },
        "changes": sum(len(w.changes) for w in watchers),
        "connects": sum(len(w.connects) for w in watchers),
        "refused": [r for w in watchers for r in w.refused][:10],
    }
