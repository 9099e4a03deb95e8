"""The steady load of `make chaos`: several simulated customers with API tokens, each in its own
asyncio task, about 90% link opens (the share page and `GET /api/v1/shared/{token}`), 9% item
adds and 1% checkouts (a new cart after each, shared with a colleague: mail to deliver).
Every write carries an `Idempotency-Key` and is retried, with the same key, after a 503
(waiting `Retry-After`, at most 1 s, so the load goes on during recovery), a connection error
or a timeout, as a good client does; a 4xx ends it (refused). Every acknowledged (2xx) write
goes into the ledger, which chaos.database verifies."""

from __future__ import annotations

import asyncio
import random
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field

import httpx

LINK_OPENS, ITEM_ADDS = 0.90, 0.09  # checkouts: the rest
PACE_SECONDS = 0.05  # between two operations of one customer
REQUEST_TIMEOUT = 15.0
WRITE_DEADLINE = 120.0  # a write still not answered after this long counts as unresolved
RETRY_CAP_SECONDS = 1.0


@dataclass
class Ledger:
    """What the clients saw, shared by the load (asyncio) and the faults (a thread)."""

    started: float = field(default_factory=time.monotonic)
    statuses: Counter[str] = field(default_factory=Counter)
    timeline: list[tuple[float, str, str]] = field(default_factory=list)  # (t, kind, status)
    acked: list[dict] = field(default_factory=list)
    refused: list[dict] = field(default_factory=list)
    unresolved: list[dict] = field(default_factory=list)
    replays: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def now(self) -> float:
        return time.monotonic() - self.started

    def record(self, kind: str, status: int | str) -> None:
        label = str(status)
        with self.lock:
            self.statuses[label] += 1
            self.timeline.append((self.now(), kind, label))

    def ack(self, write: dict) -> None:
        with self.lock:
            self.acked.append({**write, "t": round(self.now(), 3)})


def status_class(label: str) -> str:
    if label.isdigit():
        code = int(label)
        if code == 503:
            return "503"
        return f"{code // 100}xx"
    return "connection error"


async def write(
    client: httpx.AsyncClient, ledger: Ledger, op: str, path: str, body: dict | None, **fields
) -> dict | None:
    """POST with an Idempotency-Key until the server gives a definite answer."""
    key = str(uuid.uuid4())
    deadline = time.monotonic() + WRITE_DEADLINE
    while True:
        wait = 0.2
        try:
            response = await client.post(path, json=body, headers={"Idempotency-Key": key})
        except httpx.TransportError as error:  # refused, reset, timed out: did it commit?
            ledger.record(op, type(error).__name__)
        else:
            ledger.record(op, response.status_code)
            if 200 <= response.status_code < 300:
                data = response.json()
                if response.headers.get("Idempotent-Replayed") == "true":
                    ledger.replays += 1
                ledger.ack(
                    {
                        "op": op,
                        "key": key,
                        "status": response.status_code,
                        **fields,
                        **extract(op, data),
                    }
                )
                return data
            if response.status_code < 500:
                ledger.refused.append(
                    {
                        "op": op,
                        "status": response.status_code,
                        "body": response.text[:300],
                        **fields,
                    }
                )
                return None
            if response.status_code == 503:
                wait = min(float(response.headers.get("Retry-After", "1")), RETRY_CAP_SECONDS)
        if time.monotonic() > deadline:
            ledger.unresolved.append({"op": op, "key": key, **fields})
            return None
        await asyncio.sleep(wait * random.uniform(0.5, 1.0))


def extract(op: str, data: dict) -> dict:
    if op == "create_cart":
        return {"cart_id": data["id"]}
    if op == "checkout":
        return {"order_id": data["id"]}
    return {}


async def open_link(client: httpx.AsyncClient, ledger: Ledger, token: str) -> None:
    path = random.choice((f"/share/{token}", f"/api/v1/shared/{token}"))
    try:
        response = await client.get(path)
    except httpx.TransportError as error:
        ledger.record("link_open", type(error).__name__)
    else:
        ledger.record("link_open", response.status_code)


async def customer(
    base_url: str, token: str, number: int, seed: dict, ledger: Ledger, stop: asyncio.Event
) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(
        base_url=base_url, headers=headers, timeout=REQUEST_TIMEOUT
    ) as client:
        carts = 0

        async def new_cart() -> str | None:
            nonlocal carts
            carts += 1
            name = f"Chaos {number}.{carts}"
            data = await write(client, ledger, "create_cart", "/api/v1/carts", {"name": name})
            if data is None:
                return None
            # Shared with a colleague: a mail for the task worker now, another at the checkout.
            share = {"company_user_id": seed["colleague"], "permission": "READ_ONLY"}
            path = f"/api/v1/carts/{data['id']}/shared-carts"
            await write(client, ledger, "share_cart", path, share, cart_id=data["id"])
            return data["id"]

        cart_id = await new_cart()
        lines = 0
        while not stop.is_set() and cart_id is not None:
            dice = random.random()
            if dice < LINK_OPENS:
                await open_link(client, ledger, random.choice(seed["tokens"]))
            elif dice < LINK_OPENS + ITEM_ADDS or lines == 0:
                sku, quantity = random.choice(seed["skus"]), random.randint(1, 3)
                body = {"sku": sku, "quantity": quantity}
                path = f"/api/v1/carts/{cart_id}/items"
                fields = {"cart_id": cart_id, "sku": sku, "quantity": quantity}
                if await write(client, ledger, "add_item", path, body, **fields) is not None:
                    lines += 1
            else:
                path = f"/api/v1/carts/{cart_id}/checkout"
                if await write(client, ledger, "checkout", path, None, cart_id=cart_id):
                    cart_id, lines = await new_cart(), 0
            await asyncio.sleep(PACE_SECONDS * random.uniform(0.5, 1.5))


async def access_token(base_url: str, email: str, password: str) -> str:
    async with httpx.AsyncClient(base_url=base_url, timeout=REQUEST_TIMEOUT) as client:
        response = await client.post(
            "/api/v1/access-tokens", json={"email": email, "password": password}
        )
        response.raise_for_status()
        return response.json()["access_token"]


async def probe(base_url: str, token: str, ledger: Ledger, stop: asyncio.Event) -> None:
    """A link open every 0.1 s, apart from the load: when reads work again after a fault."""
    async with httpx.AsyncClient(base_url=base_url, timeout=REQUEST_TIMEOUT) as client:
        while not stop.is_set():
            try:
                response = await client.get(f"/api/v1/shared/{token}")
                status: int | str = response.status_code
            except httpx.TransportError as error:
                status = type(error).__name__
            with ledger.lock:
                ledger.timeline.append((ledger.now(), "probe", str(status)))
            await asyncio.sleep(0.1)


async def run(base_url: str, seed: dict, ledger: Ledger, seconds: float) -> None:
    stop = asyncio.Event()
    tokens = [seed["tokens_of"][email] for email in seed["users"]]
    tasks = [
        asyncio.create_task(customer(base_url, token, number, seed, ledger, stop))
        for number, token in enumerate(tokens, start=1)
    ]
    prober = asyncio.create_task(probe(base_url, seed["tokens"][0], ledger, stop))
    await asyncio.sleep(seconds)
    stop.set()  # no new operations; the writes under way go on until answered
    await asyncio.gather(*tasks, prober)
