"""`make bench-live` (and the last part of `make bench`): live events under load (issue 13).

Against the production stack as `make bench` starts it (PostgreSQL, production settings,
`python -m config.serve` with 2 uvicorn workers on 127.0.0.1), this measures:

* the **raw NOTIFY round trip** (psycopg: one connection LISTENs, another NOTIFYs), the floor;
* **edit → event latency**: N open streams of `GET /api/v1/carts/{id}/events` on one cart
  (N = 1, 10, 100, 1,000, spread over both workers, held by the owner and 9 full-access
  grantees), then edits one after another (`POST /api/v1/carts/{id}/items` as the owner); per
  stream, the time from sending the edit to the arrival of its `cart.changed`; p50/p99 over
  every stream and edit;
* **edit throughput** (8 grantees POSTing in a loop, as `make bench`) with no stream open,
  with 1,000 streams on the edited cart, and with 1,000 streams on another cart;
* **memory per worker** (VmRSS now, VmHWM the peak, from /proc) with 1,000 streams open.

The streams are held by one asyncio process of raw sockets (`python -m bench.live client`),
which also sends the timed edits, so the send time and the arrival times come from one clock
and no HTTP library sits in between. Every server process is killed at the end.

Environment: BENCH_LIVE_QUICK=1 (1, 10, 100 streams, 5 edits each, 2 s throughput runs),
BENCH_LIVE_LEVELS (e.g. "1000": the stream counts, in growing order),
BENCH_LIVE_EDITS (edits per level, default 20), BENCH_LIVE_DATABASE (default
cartshare_bench_live: **dropped and recreated**), BENCH_DURATION / BENCH_WARMUP as `make bench`.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import resource
import secrets
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):  # `python bench/live.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.run import (
    HOST,
    ROOT,
    SCENARIO_ERRORS,
    VAR,
    Result,
    Server,
    Settings,
    _times,
    access_tokens,
    bench_env,
    collect_static,
    format_table,
    machine_summary,
    percentile,
    post_load,
    prepare_postgresql,
    ratio,
    verdict,
)

BACKEND = "postgresql live"
LEVELS = (1, 10, 100, 1_000)
QUICK_LEVELS = (1, 10, 100)
VIEWERS = 9  # grantees holding streams, with the owner: 10 people
WRITERS = 8  # the throughput writers, as in `make bench` (they are grantees too)
EDIT_SKUS = 50
PASSWORD = "bench-live-1234"  # local, throw-away benchmark database only
OWNER = "live-owner@bench.example"
MARKER = b"event: cart.changed"
ARRIVAL_TIMEOUT = 10.0
# Between one edit's last arrival and the next edit: more than the streams' wake-up window
# (cartshare/live/bus.py wake_seconds()), so each edit is timed as a change after a quiet spell.
EDIT_SPACING = 0.25  # seconds an edit's events may take before they count as missing
P50_TARGET_MS = 50.0
P99_TARGET_MS = 250.0
THROUGHPUT_TARGET = 0.8
NOTIFY_ROUNDS = 200
NOTIFY_CHANNEL = "cartshare_bench_round_trip"


def viewer_email(number: int) -> str:
    return f"live-viewer{number}@bench.example"


@dataclass
class LiveSettings:
    levels: tuple[int, ...]
    edits: int
    duration: int
    warmup: int
    database: str
    quick: bool

    @classmethod
    def from_env(cls) -> LiveSettings:
        quick = os.environ.get("BENCH_LIVE_QUICK", "").lower() in {"1", "true", "yes", "on"}
        base = Settings.from_env()
        return cls(
            levels=tuple(int(n) for n in os.environ["BENCH_LIVE_LEVELS"].split(","))
            if os.environ.get("BENCH_LIVE_LEVELS")
            else QUICK_LEVELS
            if quick
            else LEVELS,
            edits=max(1, int(os.environ.get("BENCH_LIVE_EDITS", "5" if quick else "20"))),
            duration=2 if quick else base.duration,
            warmup=min(base.warmup, 1),
            database=os.environ.get("BENCH_LIVE_DATABASE", "cartshare_bench_live"),
            quick=quick,
        )


# --- Pure parts (tested in tests/bench/test_live_bench.py) ---------------------------------------


def latency_result(level: int, latencies_ms: list[float], missing: int, split: list[int]) -> Result:
    spread = "/".join(str(n) for n in split) or "?"
    notes = [f"{len(latencies_ms):,} arrivals, per worker {spread}"]
    if missing:
        notes.append(f"{missing:,} missing after {ARRIVAL_TIMEOUT:.0f} s")
    return Result(
        BACKEND,
        f"edit -> cart.changed, {level:,} stream{'s' if level != 1 else ''}",
        p50_ms=percentile(latencies_ms, 50),
        p99_ms=percentile(latencies_ms, 99),
        key=f"live_latency_{level}",
        note="; ".join(notes),
        extra={"level": level, "missing": missing, "split": split},
    )


def live_target_checks(results: list[Result]) -> list[str]:
    """The issue's live targets, each PASS, FAIL or n/a, at the largest level measured."""
    by_key = {r.key: r for r in results if r.backend == BACKEND}
    levels = sorted(r.extra["level"] for r in by_key.values() if "level" in r.extra)
    if not levels:
        return [f"{BACKEND}: n/a (not run)"]
    top = levels[-1]
    where = f"{top:,} streams" + ("" if top == LEVELS[-1] else f" (quick run, not {LEVELS[-1]:,})")
    row = by_key[f"live_latency_{top}"]
    notify = by_key.get("live_notify")
    floor = notify.p50_ms if notify else None
    lines = []
    for name, value, target in (
        ("p50", row.p50_ms, P50_TARGET_MS),
        ("p99", row.p99_ms, P99_TARGET_MS),
    ):
        ok = None if value is None else value <= target and not row.extra.get("missing")
        shown = "-" if value is None else f"{value:.1f} ms"
        lines.append(
            f"{BACKEND}: edit -> event {name} <= {target:.0f} ms at {where}: {shown} "
            f"({_times(ratio(value, floor if name == 'p50' else None))} raw NOTIFY p50) "
            f"{verdict(ok)}"
            if name == "p50"
            else f"{BACKEND}: edit -> event {name} <= {target:.0f} ms at {where}: {shown} "
            f"{verdict(ok)}"
        )
    alone = row.extra.get("after_answer_p50_ms")
    if alone is not None:
        lines.append(
            f"{BACKEND}: (the edit itself answered in p50 {row.extra.get('answer_p50_ms') or 0:.1f}"
            f" ms; its events arrived p50 {alone:.1f} ms, p99 "
            f"{row.extra.get('after_answer_p99_ms') or 0:.1f} ms after its answer)"
        )
    idle = by_key.get("live_throughput_none")
    for key, what in (
        ("live_throughput_same", "the edited cart"),
        ("live_throughput_other", "another cart"),
    ):
        busy = by_key.get(key)
        share = ratio(busy.rps if busy else None, idle.rps if idle else None)
        ok = None if share is None else share >= THROUGHPUT_TARGET
        lines.append(
            f"{BACKEND}: edit throughput with {where} open on {what} >= {THROUGHPUT_TARGET}x "
            f"none: {_times(share)} {verdict(ok)}"
        )
    return lines


def established_by_worker(pids: list[int], port: int) -> list[int]:
    """How many established TCP connections to `port` each process holds (from /proc)."""
    inodes: set[str] = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError):
            for line in Path(table).read_text().splitlines()[1:]:
                fields = line.split()
                local_port = int(fields[1].rsplit(":", 1)[1], 16)
                if local_port == port and fields[3] == "01":  # ESTABLISHED
                    inodes.add(fields[9])
    counts = []
    for pid in pids:
        held = 0
        with contextlib.suppress(OSError):
            for entry in Path(f"/proc/{pid}/fd").iterdir():
                with contextlib.suppress(OSError):
                    target = os.readlink(entry)
                    if target.startswith("socket:[") and target[8:-1] in inodes:
                        held += 1
        counts.append(held)
    return counts


def rss_mib(pid: int) -> tuple[float | None, float | None]:
    """(VmRSS, VmHWM) of a process in MiB."""
    values: dict[str, float] = {}
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(("VmRSS:", "VmHWM:")):
                values[line.split(":")[0]] = int(line.split()[1]) / 1024
    return values.get("VmRSS"), values.get("VmHWM")


def cpu_seconds(pids: list[int]) -> float:
    """User and system CPU time the processes have used so far (from /proc/<pid>/stat): less
    noisy than wall-clock time on a shared machine, since waiting for a core costs none."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def raise_open_file_limit() -> int:
    """The soft limit of open files up to the hard one (inherited by the server processes)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = hard if hard != resource.RLIM_INFINITY else max(soft, 65_536)
    if soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


# --- Seeding (in a subprocess with the server's settings: `python -m bench.live seed OUT`) -----


def seed(out: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import transaction

    from cartshare.accounts.models import BusinessUnit, Company, CompanyUser, Customer
    from cartshare.carts.models import Cart, CartItem
    from cartshare.catalog.models import Category, Product
    from cartshare.sharing.models import CartShare, SharePermission
    from config.bench import FLOOR_SKU

    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)
    password = make_password(PASSWORD)
    emails = [OWNER, *(viewer_email(n) for n in range(1, VIEWERS + 1))]
    with transaction.atomic():
        unit = BusinessUnit.objects.create(
            company=Company.objects.create(name="Live Bench"), name="Live HQ"
        )
        Customer.objects.bulk_create(
            Customer(email=email, name=email.split("@")[0].title(), password=password)
            for email in emails
        )
        people = list(Customer.objects.filter(email__in=emails).order_by("email"))
        CompanyUser.objects.bulk_create(
            CompanyUser(customer=person, business_unit=unit) for person in people
        )
        category = Category.objects.create(name="Live bench", slug="live-bench")
        Product.objects.bulk_create(
            [
                Product(sku=FLOOR_SKU, name="Floor product", category=category, unit_price=100),
                *(
                    Product(
                        sku=f"LIVE-{n:03d}",
                        name=f"Live product {n}",
                        category=category,
                        unit_price=100 + n,
                    )
                    for n in range(1, EDIT_SKUS + 1)
                ),
            ]
        )
        products = list(Product.objects.filter(sku__startswith="LIVE-").order_by("sku"))
        owner = next(person for person in people if person.email == OWNER)
        carts = {}
        for name in ("watched", "other"):
            cart = Cart.objects.create(owner=owner, name=f"Live bench, {name}")
            CartItem.objects.bulk_create(
                CartItem(cart=cart, product=product, quantity=1) for product in products[:10]
            )
            CartShare.objects.bulk_create(
                CartShare(
                    cart=cart, company_user=company_user, permission=SharePermission.FULL_ACCESS
                )
                for company_user in CompanyUser.objects.filter(business_unit=unit).exclude(
                    customer=owner
                )
            )
            carts[name] = str(cart.pk)
    out.write_text(
        json.dumps({"emails": emails, "carts": carts, "skus": [p.sku for p in products]}, indent=2)
    )


# --- The stream holder (`python -m bench.live client PORT SETUP.json`, commands on stdin) ------


class StreamClient(asyncio.Protocol):
    """One raw HTTP/1.1 connection reading an event stream; notes when a `cart.changed` arrives
    while armed. Nothing is parsed but the status line and the marker."""

    def __init__(self, holder: Holder, request: bytes) -> None:
        self.holder = holder
        self.request = request
        self.transport: asyncio.Transport | None = None
        self.status: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        self.head = b""
        self.tail = b""
        self.armed = False
        self.arrived: float | None = None
        self.open = False

    def connection_made(self, transport) -> None:
        self.transport = transport
        self.open = True
        transport.write(self.request)

    def data_received(self, data: bytes) -> None:
        now = time.monotonic()
        if not self.status.done():
            self.head += data
            if b"\r\n" in self.head:
                parts = self.head.split(b" ", 2)
                self.status.set_result(int(parts[1]) if len(parts) > 1 else 0)
        seen = self.tail + data
        if b"event:" in seen:
            self.holder.last_event = now
        if self.armed and MARKER in seen:
            self.armed = False
            self.arrived = now
            self.holder.arrived()
        self.tail = seen[-len(MARKER) :]

    def connection_lost(self, exc) -> None:
        self.open = False
        if not self.status.done():
            self.status.set_result(0)
        if self.armed:
            self.armed = False
            self.holder.arrived()


class Holder:
    def __init__(self, port: int, setup: dict) -> None:
        self.port = port
        self.cart = setup["cart"]
        self.tokens = setup["tokens"]
        self.owner = setup["owner_token"]
        self.skus = setup["skus"]
        self.streams: list[StreamClient] = []
        self.last_event = time.monotonic()
        self.pending = 0
        self.all_arrived = asyncio.Event()
        self.edits = 0

    def arrived(self) -> None:
        self.pending -= 1
        if self.pending <= 0:
            self.all_arrived.set()

    def _request(self, number: int) -> bytes:
        token = self.tokens[number % len(self.tokens)]
        return (
            f"GET /api/v1/carts/{self.cart}/events HTTP/1.1\r\nHost: {HOST}:{self.port}\r\n"
            f"Authorization: Bearer {token}\r\nAccept: text/event-stream\r\n\r\n"
        ).encode()

    async def open(self, total: int) -> dict:
        loop = asyncio.get_running_loop()
        began = time.monotonic()
        refused = 0
        while len(self.streams) < total:
            batch = []
            for _ in range(min(50, total - len(self.streams))):
                request = self._request(len(self.streams) + len(batch))
                _transport, stream = await loop.create_connection(
                    lambda request=request: StreamClient(self, request), HOST, self.port
                )
                batch.append(stream)
            statuses = await asyncio.gather(
                *(asyncio.wait_for(s.status, 60) for s in batch), return_exceptions=True
            )
            for stream, status in zip(batch, statuses, strict=True):
                if status == 200:
                    self.streams.append(stream)
                else:
                    refused += 1
                    if stream.transport:
                        stream.transport.close()
            if refused > total:
                break
        connected = time.monotonic() - began
        # The newcomers' presence wakes every stream of the cart: wait until that has passed.
        while time.monotonic() - self.last_event < 1.0 and time.monotonic() - began < 120:
            await asyncio.sleep(EDIT_SPACING)
        return {
            "open": sum(s.open for s in self.streams),
            "refused": refused,
            "connect_s": round(connected, 2),
            "settled_s": round(time.monotonic() - began, 2),
        }

    async def edit(self) -> tuple[float, int, float]:
        """One timed edit: (send time, HTTP status, seconds until its answer)."""
        sku = self.skus[self.edits % len(self.skus)]
        self.edits += 1
        body = json.dumps({"sku": sku, "quantity": 1}).encode()
        request = (
            f"POST /api/v1/carts/{self.cart}/items HTTP/1.1\r\nHost: {HOST}:{self.port}\r\n"
            f"Authorization: Bearer {self.owner}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
        ).encode() + body
        sent = time.monotonic()
        reader, writer = await asyncio.open_connection(HOST, self.port)
        writer.write(request)
        answer = await reader.read()
        writer.close()
        parts = answer.split(b" ", 2)
        return sent, int(parts[1]) if len(parts) > 1 else 0, time.monotonic() - sent

    async def measure(self, edits: int) -> dict:
        latencies: list[float] = []
        after_answer: list[float] = []  # arrival after the edit's answer (negative: before)
        answers: list[float] = []
        missing = 0
        statuses: dict[str, int] = {}
        for _ in range(edits):
            live = [s for s in self.streams if s.open]
            for stream in live:
                stream.armed, stream.arrived = True, None
            self.pending = len(live)
            self.all_arrived.clear()
            sent, status, answered = await self.edit()
            statuses[str(status)] = statuses.get(str(status), 0) + 1
            answers.append(answered * 1000)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.all_arrived.wait(), ARRIVAL_TIMEOUT)
            for stream in live:
                if stream.arrived is None:
                    missing += 1
                    stream.armed = False
                else:
                    latencies.append((stream.arrived - sent) * 1000)
                    after_answer.append((stream.arrived - sent - answered) * 1000)
            await asyncio.sleep(EDIT_SPACING)
        return {
            "latencies_ms": latencies,
            "missing": missing,
            "statuses": statuses,
            "answer_p50_ms": percentile(answers, 50),
            "after_answer_p50_ms": percentile(after_answer, 50),
            "after_answer_p99_ms": percentile(after_answer, 99),
        }

    def close(self) -> None:
        for stream in self.streams:
            if stream.transport:
                stream.transport.close()


async def client_main(port: int, setup_path: Path) -> None:
    """Commands, one JSON line each on stdin: {"open": N}, {"measure": E}, {"close": true};
    each answered by one JSON line on stdout."""
    holder = Holder(port, json.loads(setup_path.read_text()))
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    while line := await reader.readline():
        command = json.loads(line)
        if "open" in command:
            answer = await holder.open(int(command["open"]))
        elif "measure" in command:
            answer = await holder.measure(int(command["measure"]))
        else:
            holder.close()
            print(json.dumps({"closed": True}), flush=True)
            return
        print(json.dumps(answer), flush=True)
    holder.close()


class Subscribers:
    """The stream-holding process, driven over its stdin/stdout."""

    def __init__(self, port: int, setup: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bench.live", "client", str(port), str(setup)],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )

    def ask(self, **command: object) -> dict:
        assert self.process.stdin and self.process.stdout
        self.process.stdin.write(json.dumps(command) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"the stream holder exited (status {self.process.poll()})")
        return json.loads(line)

    def stop(self) -> None:
        with contextlib.suppress(OSError, RuntimeError, ValueError):
            self.ask(close=True)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


# --- The raw NOTIFY round trip ---------------------------------------------------------------


def notify_round_trip(database: str, rounds: int) -> list[float]:
    """Milliseconds from NOTIFY (its own autocommit connection) to its arrival at a LISTENing
    connection, one after another."""
    import psycopg

    conninfo = f"host={HOST} port=5432 user=postgres dbname={database}"
    times: list[float] = []
    with (
        psycopg.connect(conninfo, autocommit=True) as listener,
        psycopg.connect(conninfo, autocommit=True) as sender,
    ):
        listener.execute(f"LISTEN {NOTIFY_CHANNEL}")
        for number in range(rounds):
            began = time.monotonic()
            sender.execute("SELECT pg_notify(%s, %s)", [NOTIFY_CHANNEL, str(number)])
            for notify in listener.notifies(timeout=5, stop_after=1):
                if notify.payload == str(number):
                    times.append((time.monotonic() - began) * 1000)
    return times


# --- The driver ------------------------------------------------------------------------------


def _throughput(
    key: str,
    scenario: str,
    port: int,
    path: str,
    writers: list[str],
    skus: list[str],
    live: LiveSettings,
    workers: list[int],
) -> Result:
    if live.warmup:
        post_load(port, path, tokens=writers, skus=skus, seconds=live.warmup)
    cpu_before = cpu_seconds(workers)
    run = post_load(port, path, tokens=writers, skus=skus, seconds=live.duration)
    cpu = (cpu_seconds(workers) - cpu_before) * 1000 / max(1, run.acknowledged)
    others = {code: n for code, n in run.statuses.items() if code != 201}
    notes = [
        f"{run.acknowledged:,} edits by {len(writers)} writers, workers' CPU {cpu:.0f} ms each"
    ]
    if others or run.failures:
        notes.append(f"other answers {others}, {run.failures} without answer")
    return Result(
        BACKEND,
        scenario,
        rps=run.acknowledged / run.seconds if run.seconds else None,
        p50_ms=percentile(run.latencies_ms, 50),
        p99_ms=percentile(run.latencies_ms, 99),
        key=key,
        note="; ".join(notes),
    )


def run_live(live: LiveSettings, results: list[Result]) -> None:
    """Every live scenario on PostgreSQL, appending to `results` as it goes."""
    limit = raise_open_file_limit()
    VAR.mkdir(parents=True, exist_ok=True)
    database_url = prepare_postgresql(live.database)
    if database_url is None:
        results.append(
            Result(
                BACKEND, "all live scenarios", key="live_error", note="n/a (database unreachable)"
            )
        )
        return
    env = bench_env(database_url, secret_key=secrets.token_urlsafe(40))
    seeded_path = VAR / "seed-live.json"
    print(f"[{BACKEND}] migrating and seeding {live.database} ...", flush=True)
    done = subprocess.run(
        [sys.executable, "-m", "bench.live", "seed", str(seeded_path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if done.returncode != 0:
        raise RuntimeError(f"seeding failed:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}")
    seeded = json.loads(seeded_path.read_text())
    server = Server(env, VAR / "server-live.log")
    subscribers: Subscribers | None = None
    try:
        server.wait_ready()
        port = server.port
        workers = server.workers()
        print(
            f"[{BACKEND}] uvicorn --workers {len(workers)} on {HOST}:{port}, open files {limit}",
            flush=True,
        )
        tokens = access_tokens(port, seeded["emails"], PASSWORD)
        people = [tokens[email] for email in seeded["emails"]]
        writers = people[1 : 1 + WRITERS]
        watched, other = seeded["carts"]["watched"], seeded["carts"]["other"]
        skus = seeded["skus"]

        notify = notify_round_trip(live.database, NOTIFY_ROUNDS)
        results.append(
            Result(
                BACKEND,
                "raw NOTIFY round trip (psycopg LISTEN + NOTIFY)",
                p50_ms=percentile(notify, 50),
                p99_ms=percentile(notify, 99),
                key="live_notify",
                note=f"{len(notify)} of {NOTIFY_ROUNDS} round trips",
            )
        )
        idle_rss = [rss_mib(pid)[0] for pid in workers]
        throughput_none = _throughput(
            "live_throughput_none",
            "POST items, no stream open",
            port,
            f"/api/v1/carts/{watched}/items",
            writers,
            skus,
            live,
            workers,
        )
        results.append(throughput_none)
        print(f"[{BACKEND}] edits without streams: {throughput_none.rps or 0:.0f}/s", flush=True)

        setup = VAR / "live-client.json"
        setup.write_text(
            json.dumps({"cart": watched, "tokens": people, "owner_token": people[0], "skus": skus})
        )
        subscribers = Subscribers(port, setup)
        for level in live.levels:
            opened = subscribers.ask(open=level)
            split = established_by_worker(workers, port)
            cpu_before = cpu_seconds(workers)
            measured = subscribers.ask(measure=live.edits)
            cpu_per_edit = (cpu_seconds(workers) - cpu_before) / live.edits * 1000
            row = latency_result(level, measured["latencies_ms"], measured["missing"], split)
            row.note += f"; workers' CPU {cpu_per_edit:.0f} ms per edit"
            row.extra["cpu_ms_per_edit"] = cpu_per_edit
            row.note += (
                f"; connect {opened['connect_s']} s, settled {opened['settled_s']} s"
                f"; edit answered p50 {measured['answer_p50_ms'] or 0:.1f} ms"
                f"; after the answer p50 {measured['after_answer_p50_ms'] or 0:.1f} ms,"
                f" p99 {measured['after_answer_p99_ms'] or 0:.1f} ms"
            )
            row.extra["after_answer_p50_ms"] = measured["after_answer_p50_ms"]
            row.extra["after_answer_p99_ms"] = measured["after_answer_p99_ms"]
            row.extra["answer_p50_ms"] = measured["answer_p50_ms"]
            if opened["refused"] or opened["open"] != level:
                row.note += f"; {opened['open']} open, {opened['refused']} refused"
            results.append(row)
            print(
                f"[{BACKEND}] {row.scenario}: p50 {row.p50_ms} ms, p99 {row.p99_ms} ms; {row.note}",
                flush=True,
            )
        top = live.levels[-1]
        rss = [rss_mib(pid) for pid in workers]
        split = established_by_worker(workers, port)
        results.append(
            Result(
                BACKEND,
                f"RSS per worker, {top:,} streams open",
                key="live_rss",
                note=", ".join(
                    f"{now or 0:.0f} MiB now (idle {idle or 0:.0f}), peak {peak or 0:.0f} MiB,"
                    f" {streams} streams"
                    for (now, peak), idle, streams in zip(rss, idle_rss, split, strict=False)
                ),
                extra={"rss": rss, "idle": idle_rss, "split": split},
            )
        )
        for key, cart, what in (
            ("live_throughput_same", watched, "on the edited cart"),
            ("live_throughput_other", other, "on another cart"),
        ):
            row = _throughput(
                key,
                f"POST items, {top:,} streams open {what}",
                port,
                f"/api/v1/carts/{cart}/items",
                writers,
                skus,
                live,
                workers,
            )
            results.append(row)
            print(f"[{BACKEND}] {row.scenario}: {row.rps or 0:.0f}/s", flush=True)
        subscribers.stop()
        subscribers = None
        # The closed streams' presence rows go in the workers: not during the next measurement.
        deadline = time.monotonic() + 60
        while sum(established_by_worker(workers, port)) and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(2)
        again = _throughput(
            "live_throughput_none_end",
            "POST items, no stream open, again",
            port,
            f"/api/v1/carts/{watched}/items",
            writers,
            skus,
            live,
            workers,
        )
        results.append(again)
        if throughput_none.rps and again.rps:  # the reference: the mean of before and after
            throughput_none.extra["first"] = throughput_none.rps
            throughput_none.rps = (throughput_none.rps + again.rps) / 2
            throughput_none.note += (
                f"; mean of {throughput_none.extra['first']:.0f} and {again.rps:.0f}"
            )
    finally:
        if subscribers is not None:
            subscribers.stop()
        server.stop()


def main(argv: list[str]) -> int:
    if argv[1:2] == ["seed"]:
        seed(Path(argv[2]))
        return 0
    if argv[1:2] == ["client"]:
        raise_open_file_limit()
        asyncio.run(client_main(int(argv[2]), Path(argv[3])))
        return 0
    live = LiveSettings.from_env()
    VAR.mkdir(parents=True, exist_ok=True)
    collect_static()
    machine = machine_summary()
    print(f"Machine: {machine}", flush=True)
    results: list[Result] = []
    try:
        run_live(live, results)
    except SCENARIO_ERRORS as error:
        print(f"[{BACKEND}] failed: {error}", flush=True)
        results.append(
            Result(BACKEND, "live scenarios", key="live_error", note=f"error: {str(error)[:120]}")
        )
    print()
    print(
        f"Cartshare live benchmark — {machine}; uvicorn --workers 2, production settings, "
        f"PostgreSQL NOTIFY; {live.edits} edits per level; throughput {live.duration} s per run."
    )
    print(format_table(results))
    print()
    print("Targets (bench/README.md, issue 13):")
    for line in live_target_checks(results):
        print(f"  {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
