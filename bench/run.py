"""`make bench`: how fast a shared link opens, measured against the floor of this stack.

For each backend (PostgreSQL, SQLite) this prepares a fresh database (bench/seed.py), starts the
app with production settings under `make serve`'s web server (config.serve: gunicorn sync workers
and the stream process, bench/stacks.py measures it against plain gunicorn first) with 2 workers
on a free port of 127.0.0.1, drives
load from separate processes (wrk for reads; a small thread-based Python generator for the
concurrent POSTs, see bench/README.md for why), and prints one table: requests/s, p50/p99
latency, each as a ratio to the floor, queries per request, lost updates, peak RSS per worker.

Scenarios whose endpoints are not built yet are reported as "n/a (not built)". Traffic only ever
goes to 127.0.0.1. Every server process started here is killed at the end, also on failure.

Environment: BENCH_DURATION (seconds per scenario, default 5), BENCH_WARMUP (default 1),
BENCH_CONNECTIONS (wrk connections, default 8), BENCH_BACKENDS (default "postgresql,sqlite"),
BENCH_LIVE (default on: the live-event scenarios of bench/live.py after the PostgreSQL run;
`make bench-live` runs them alone).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import http.client
import json
import math
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HOST = "127.0.0.1"  # the only address this benchmark ever sends traffic to
ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "bench"
VAR = ROOT / "var" / "bench"
WRK_SCRIPT = BENCH_DIR / "report.lua"
# BENCH_PG_DATABASE: another name, so that two checkouts can run `make bench` at once.
PG_DATABASE = os.environ.get("BENCH_PG_DATABASE", "cartshare_bench")
PG_URL = f"postgres://postgres@{HOST}:5432/{PG_DATABASE}"
SIZES = (10, 100, 1_000)
WORKERS = 2
WRITERS = 8
NOT_BUILT = "n/a (not built)"
MEBIBYTE = 1024 * 1024


# --- Results and the table (pure; tested in tests/bench/test_bench_smoke.py) --------------------


@dataclass
class Result:
    """One row of the table. `rps` is None when the scenario did not run (see `note`)."""

    backend: str
    scenario: str
    rps: float | None = None
    p50_ms: float | None = None
    p99_ms: float | None = None
    queries: int | None = None
    note: str = ""
    key: str = ""  # a stable name for target checks, e.g. "api_shared_10"
    extra: dict = field(default_factory=dict)


def ratio(value: float | None, reference: float | None) -> float | None:
    if value is None or not reference:
        return None
    return value / reference


def lost_updates(*, before: int, after: int, acknowledged: int, quantity: int = 1) -> int:
    """How many acknowledged additions are missing from the cart: expected minus actual final
    quantity, in requests. 0 means nothing was lost; a negative number means the cart holds more
    than was acknowledged (an addition applied twice, or one whose answer never arrived)."""
    expected = before + acknowledged * quantity
    return (expected - after) // quantity if quantity else 0


def percentile(values: list[float], pct: float) -> float | None:
    """Nearest-rank percentile of `values` (any order); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, min(len(ordered), math.ceil(pct / 100 * len(ordered))))
    return ordered[rank - 1]


def parse_wrk(output: str) -> dict:
    """The BENCH_JSON line bench/report.lua prints at the end of a wrk run."""
    for line in output.splitlines():
        if line.startswith("BENCH_JSON "):
            return json.loads(line.removeprefix("BENCH_JSON "))
    raise ValueError(f"wrk printed no BENCH_JSON line:\n{output[-2000:]}")


def _number(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def _times(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}x"


COLUMNS = ("backend", "scenario", "req/s", "p50 ms", "p99 ms", "x floor", "queries", "notes")


def floor_rps(results: list[Result], backend: str) -> float | None:
    """The backend's floor: the mean of the floor measured first and again last (when both ran),
    so that a machine getting busier or quieter during the run tilts no ratio too much."""
    values = [
        r.rps
        for r in results
        if r.backend == backend and r.key in {"floor", "floor_end"} and r.rps is not None
    ]
    return sum(values) / len(values) if values else None


def format_table(results: list[Result]) -> str:
    """One plain-text table; ratios are to the floor of the same backend in the same run."""
    floors = {r.backend: floor_rps(results, r.backend) for r in results}
    rows = [COLUMNS]
    for r in results:
        rows.append(
            (
                r.backend,
                r.scenario,
                _number(r.rps, 0),
                _number(r.p50_ms, 2),
                _number(r.p99_ms, 2),
                _times(ratio(r.rps, floors.get(r.backend))),
                "-" if r.queries is None else str(r.queries),
                r.note,
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS))]
    right = {2, 3, 4, 5, 6}

    def line(row) -> str:
        cells = [
            cell.rjust(widths[i]) if i in right else cell.ljust(widths[i])
            for i, cell in enumerate(row)
        ]
        return "| " + " | ".join(cells) + " |"

    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(rows[0]), rule, *(line(row) for row in rows[1:])])


def verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("PASS" if ok else "FAIL")


def _rps_lookup(by_key: dict[str, Result]):
    def rps(key: str) -> float | None:
        row = by_key.get(key)
        return row.rps if row else None

    return rps


def target_checks(results: list[Result]) -> list[str]:
    """The issue's targets, each PASS, FAIL or n/a, per backend."""
    lines = []
    for backend in dict.fromkeys(r.backend for r in results):
        by_key = {r.key: r for r in results if r.backend == backend}
        rps = _rps_lookup(by_key)
        floor = floor_rps(results, backend)
        share = ratio(rps("api_shared_10"), floor)
        lines.append(
            f"{backend}: 10-item JSON link open >= 0.60x floor: {_times(share)} "
            f"{verdict(None if share is None else share >= 0.60)}"
        )
        cost = ratio(rps("api_shared_10"), rps("api_shared_1000"))
        p50_10 = by_key.get("api_shared_10")
        p50_1000 = by_key.get("api_shared_1000")
        latency = ratio(p50_1000.p50_ms if p50_1000 else None, p50_10.p50_ms if p50_10 else None)
        lines.append(
            f"{backend}: 1,000-item JSON open <= 8x the 10-item cost: {_times(cost)} per request "
            f"(p50 {_times(latency)}) {verdict(None if cost is None else cost <= 8)}"
        )
        page = ratio(rps("share_page_10"), floor)
        lines.append(
            f"{backend}: HTML preview >= 0.40x floor at 10 items: {_times(page)} "
            f"{verdict(None if page is None else page >= 0.40)}"
        )
        preview = ratio(rps("share_page_100"), rps("share_page_1000"))
        lines.append(
            f"{backend}: HTML preview at 1,000 items <= 6x the 100-item cost: {_times(preview)} "
            f"per request {verdict(None if preview is None else preview <= 6)}"
        )
        edits = by_key.get("post_concurrent")
        if edits is None or edits.rps is None:
            lines.append(f"{backend}: concurrent edits lose nothing, >= 0.30x single writer: n/a")
        else:
            lost = edits.extra.get("lost")
            share_single = edits.extra.get("vs_single")
            ok = lost == 0 and share_single is not None and share_single >= 0.30
            lines.append(
                f"{backend}: concurrent edits lose nothing, >= 0.30x single writer: lost {lost}, "
                f"{_times(share_single)} {verdict(ok)}"
            )
        lines.extend(_cart_targets(backend, rps, floor))
        for kind, hit in (("api", "api_shared_10"), ("page", "share_page_10")):
            unknown = ratio(rps(f"unknown_{kind}"), rps(hit))
            lines.append(
                f"{backend}: unknown token ({kind}) not slower than a hit: {_times(unknown)} "
                f"of the 10-item hit's req/s {verdict(None if unknown is None else unknown >= 1)}"
            )
    return lines


def _cart_targets(
    backend: str, rps: Callable[[str], float | None], floor: float | None
) -> list[str]:
    """Issue 16's targets for the owner's cart page and the API cart, against the floor."""
    lines = []
    for size, share in ((10, 0.12), (100, 0.05)):
        page = ratio(rps(f"cart_page_{size}"), floor)
        lines.append(
            f"{backend}: owner's cart page >= {share:.2f}x floor at {size} items: {_times(page)} "
            f"{verdict(None if page is None else page >= share)}"
        )
    cost = ratio(rps("cart_page_100"), rps("cart_page_1000"))
    lines.append(
        f"{backend}: owner's cart page at 1,000 items <= 6x the 100-item cost: {_times(cost)} "
        f"per request {verdict(None if cost is None else cost <= 6)}"
    )
    api = ratio(rps("api_cart_1000"), floor)
    lines.append(
        f"{backend}: GET /api/v1/carts/{{id}} >= 0.10x floor at 1,000 items: {_times(api)} "
        f"{verdict(None if api is None else api >= 0.10)}"
    )
    return lines


# --- Machine, processes, ports ------------------------------------------------------------------


def machine_summary() -> str:
    cpu = "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    ram = "unknown RAM"
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB RAM"
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    return (
        f"nproc {len(os.sched_getaffinity(0))}, {cpu}, {ram}, {now}, "
        f"load average {load} before the run"
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return sorted(found)


def peak_rss_mib(pid: int) -> float | None:
    """VmHWM (the peak resident set size) of a process, in MiB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    print("wrk is missing: installing Debian's package (apt-get install -y wrk)", flush=True)
    command = ["apt-get", "install", "-y", "wrk"]
    if os.geteuid() != 0:
        command = ["sudo", "-n", *command]
    if subprocess.run(command, capture_output=True).returncode != 0:
        update = ["apt-get", "update"] if os.geteuid() == 0 else ["sudo", "-n", "apt-get", "update"]
        subprocess.run(update, capture_output=True)
        subprocess.run(command, check=True, capture_output=True)
    found = shutil.which("wrk")
    if not found:
        raise SystemExit("wrk could not be installed; install it with: apt-get install -y wrk")
    return found


def bench_env(database_url: str, secret_key: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "CARTSHARE_BASE_URL"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DEBUG="false",
        SECRET_KEY=secret_key,
        ALLOWED_HOSTS=f"{HOST},localhost,testserver",
        SECURE_COOKIES="false",
        CARTSHARE_BENCH_ROUTES="true",
        CARTSHARE_SHARE_RATE_LIMIT="off",
        CARTSHARE_LOGIN_RATE_LIMIT="off",
        CARTSHARE_VAR_DIR=str(VAR),
        DATABASE_URL=database_url,
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
    )
    return env


def prepare_postgresql(database: str = PG_DATABASE) -> str | None:
    """A fresh, empty `database` (cartshare_bench); None (with a note printed) when unreachable."""
    try:
        import psycopg

        with psycopg.connect(
            f"host={HOST} port=5432 user=postgres dbname=postgres",
            autocommit=True,
            connect_timeout=5,
        ) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
            connection.execute(f"CREATE DATABASE {database}")
    except Exception as error:  # any failure means: skip this backend, say why
        print(f"PostgreSQL at {HOST}:5432 is not usable: {error}", flush=True)
        return None
    return f"postgres://postgres@{HOST}:5432/{database}"


def prepare_sqlite() -> str:
    path = VAR / "cartshare_bench.sqlite3"
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return f"sqlite:///{path}"


def stack_command(port: int) -> list[str]:
    """`make serve`'s web server (config/serve.py): gunicorn's sync workers and the stream
    process, WORKERS workers, production settings come from the environment."""
    return [
        sys.executable,
        *("-m", "config.serve", "--host", HOST, "--port", str(port)),
        *("--workers", str(WORKERS), "--no-access-log", "--log-level", "warning"),
    ]


class Server:
    """A server command (default: the production stack's) in its own process group; `stop()`
    kills the whole group."""

    def __init__(
        self,
        env: dict[str, str],
        log: Path,
        command: Callable[[int], list[str]] = stack_command,
    ):
        self.port = free_port()
        self.log_path = log
        self.log = open(log, "w")  # noqa: SIM115 (closed in stop())
        self.process = subprocess.Popen(
            command(self.port),
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, path: str = "/_bench/floor", timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited:\n{self.log_tail()}")
            with contextlib.suppress(OSError, http.client.HTTPException):
                if get(self.port, path)[0] == 200 and len(self.workers()) >= WORKERS:
                    # Both workers answer only once each has imported Django; a few more
                    # requests spread over the accept queue make it likely both are up.
                    for _ in range(20):
                        get(self.port, path)
                    return
            time.sleep(0.2)
        raise RuntimeError(f"the server was not ready in {timeout:.0f} s:\n{self.log_tail()}")

    def workers(self) -> list[int]:
        """The request-serving worker processes: gunicorn's (children of its arbiter, under
        config.serve or alone) or uvicorn's (multiprocessing's spawn children)."""
        workers = []
        for pid in [self.process.pid, *children_of(self.process.pid)]:
            with contextlib.suppress(OSError):
                parent = Path(f"/proc/{pid}/cmdline").read_bytes()
                for child in children_of(pid):
                    command = Path(f"/proc/{child}/cmdline").read_bytes()
                    if b"spawn_main" in command or (
                        b"gunicorn" in command and b"gunicorn" in parent
                    ):
                        workers.append(child)
        return sorted(set(workers))

    def worker_peak_rss(self) -> list[float]:
        return [rss for pid in self.workers() if (rss := peak_rss_mib(pid)) is not None]

    def log_tail(self) -> str:
        self.log.flush()
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-30:])

    def stop(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        # Workers left behind by a supervisor that died first share its process group.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.log.close()


# --- HTTP helpers and load generators -----------------------------------------------------------


def _request(
    port: int,
    method: str,
    path: str,
    body: dict | None = None,
    token: str | None = None,
    cookie: str | None = None,
) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    headers = {"Host": f"{HOST}:{port}"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if cookie:
        headers["Cookie"] = cookie
    payload = None
    if body is not None:
        payload = json.dumps(body)
        headers["Content-Type"] = "application/json"
    try:
        connection.request(method, path, body=payload, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def get(
    port: int, path: str, token: str | None = None, cookie: str | None = None
) -> tuple[int, bytes]:
    return _request(port, "GET", path, token=token, cookie=cookie)


def run_wrk(
    wrk: str,
    port: int,
    path: str,
    *,
    seconds: int,
    connections: int,
    token: str | None = None,
    keepalive: bool = False,
    cookie: str | None = None,
) -> dict:
    command = [wrk, "-t", "1", "-c", str(connections), "-d", f"{seconds}s", "--timeout", "10s"]
    command += ["-s", str(WRK_SCRIPT)]
    if not keepalive:
        # A new connection per request, like many distinct viewers; it also spreads the load
        # over both workers (kept-alive connections all land on whichever worker accepts first).
        command += ["-H", "Connection: close"]
    if token:
        command += ["-H", f"Authorization: Bearer {token}"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    command.append(f"http://{HOST}:{port}{path}")
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60)
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed: {done.stderr.strip()}")
    return parse_wrk(done.stdout)


@dataclass
class PostRun:
    acknowledged: int  # 201 answers: additions the server confirmed
    statuses: Counter
    latencies_ms: list[float]
    seconds: float
    failures: int  # no answer at all (connection error, timeout): outcome unknown


def post_load(
    port: int,
    path: str,
    *,
    tokens: list[str],
    skus: list[str],
    seconds: float,
    keepalive: bool = False,
) -> PostRun:
    """One thread per user, each POSTing {sku, quantity: 1} in a loop until the deadline (a new
    connection per request unless `keepalive`, like wrk here); every request's answer is read
    before stopping, so the count of acknowledged additions is exact."""
    lock = threading.Lock()
    statuses: Counter = Counter()
    latencies: list[float] = []
    failures = [0]
    start = threading.Barrier(len(tokens) + 1)
    deadline = [0.0]

    def user(number: int, token: str) -> None:
        connection = http.client.HTTPConnection(HOST, port, timeout=30)
        headers = {
            "Host": f"{HOST}:{port}",
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/json",
        }
        if not keepalive:
            headers["Connection"] = "close"
        mine: list[float] = []
        codes: Counter = Counter()
        lost_answers = 0
        start.wait()
        index = number
        while time.monotonic() < deadline[0]:
            body = json.dumps({"sku": skus[index % len(skus)], "quantity": 1})
            index += len(tokens)
            began = time.perf_counter()
            try:
                connection.request("POST", path, body=body, headers=headers)
                response = connection.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                lost_answers += 1
                connection.close()
                connection = http.client.HTTPConnection(HOST, port, timeout=30)
                continue
            mine.append((time.perf_counter() - began) * 1000)
            codes[response.status] += 1
            if not keepalive:
                connection.close()
        connection.close()
        with lock:
            latencies.extend(mine)
            statuses.update(codes)
            failures[0] += lost_answers

    threads = [
        threading.Thread(target=user, args=(n, token), daemon=True)
        for n, token in enumerate(tokens)
    ]
    for thread in threads:
        thread.start()
    began = time.monotonic()
    deadline[0] = began + seconds
    start.wait()
    for thread in threads:
        thread.join(timeout=seconds + 60)
    elapsed = time.monotonic() - began
    return PostRun(statuses[201], statuses, latencies, elapsed, failures[0])


# --- One backend --------------------------------------------------------------------------------


@dataclass
class Settings:
    duration: int
    warmup: int
    connections: int
    keepalive: bool = False

    @classmethod
    def from_env(cls) -> Settings:
        return cls(
            duration=max(1, int(os.environ.get("BENCH_DURATION", "5"))),
            warmup=max(0, int(os.environ.get("BENCH_WARMUP", "1"))),
            connections=max(1, int(os.environ.get("BENCH_CONNECTIONS", "8"))),
            keepalive=os.environ.get("BENCH_KEEPALIVE", "").lower() in {"1", "true", "yes", "on"},
        )


def seed_database(env: dict[str, str], backend: str) -> dict:
    out = VAR / f"seed-{backend}.json"
    done = subprocess.run(
        [sys.executable, "-m", "bench.seed", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if done.returncode != 0:
        raise RuntimeError(f"seeding failed:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}")
    return json.loads(out.read_text())


def access_tokens(port: int, emails: list[str], password: str) -> dict[str, str]:
    """Bearer tokens through the API itself (POST /api/v1/access-tokens), logins in parallel."""
    tokens: dict[str, str] = {}
    errors: list[str] = []

    def login(email: str) -> None:
        status, body = _request(
            port, "POST", "/api/v1/access-tokens", {"email": email, "password": password}
        )
        if status == 201:
            tokens[email] = json.loads(body)["access_token"]
        else:
            errors.append(f"{email}: HTTP {status} {body[:200]!r}")

    threads = [threading.Thread(target=login, args=(email,)) for email in emails]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    if errors:
        raise RuntimeError("could not get access tokens: " + "; ".join(errors))
    return tokens


def cart_quantity(port: int, cart_id: str, token: str) -> int:
    status, body = get(port, f"/api/v1/carts/{cart_id}", token=token)
    if status != 200:
        raise RuntimeError(f"GET /api/v1/carts/{cart_id} answered {status}")
    return int(json.loads(body)["totals"]["quantity"])


def _statuses(counter: Counter, expected: int) -> str:
    others = {code: n for code, n in sorted(counter.items()) if code != expected}
    return ", ".join(f"{n}x HTTP {code}" for code, n in others.items())


SCENARIO_ERRORS = (RuntimeError, OSError, ValueError, KeyError, subprocess.TimeoutExpired)


def run_backend(
    backend: str, database_url: str, wrk: str, settings: Settings, results: list[Result]
) -> None:
    """Measures every scenario of one backend, appending to `results` as it goes, so that what
    was measured survives a later failure."""
    env = bench_env(database_url, secret_key=secrets.token_urlsafe(40))
    print(f"[{backend}] migrating and seeding ...", flush=True)
    seeded = seed_database(env, backend)
    built = seeded["built"]
    counts = seeded["query_counts"]
    print(f"[{backend}] seeded in {seeded['seconds']} s; built: {built}", flush=True)

    if os.environ.get("BENCH_STACKS", "on").lower() not in {"0", "off", "false", "no"}:
        sys.path.insert(0, str(ROOT))  # `python bench/run.py` has only bench/ on its path
        from bench import stacks  # make serve's floor against plain gunicorn's, same run

        try:
            stacks.run_stacks(backend, env, wrk, settings, results)
        except SCENARIO_ERRORS as error:
            print(f"[{backend}] stacks failed: {error}", flush=True)

    server = Server(env, VAR / f"server-{backend}.log")
    try:
        server.wait_ready()
        port = server.port
        print(f"[{backend}] config.serve --workers {WORKERS} on {HOST}:{port}", flush=True)

        def measure(
            key: str,
            scenario: str,
            path: str,
            *,
            expect: int = 200,
            token: str | None = None,
            cookie: str | None = None,
            available: bool = True,
            queries: int | None = None,
            why_not: str = NOT_BUILT,
        ) -> Result:
            result = Result(backend, scenario, key=key, queries=queries)
            try:
                _measure_into(
                    result, path, expect=expect, token=token, cookie=cookie, available=available
                )
            except SCENARIO_ERRORS as error:
                result.rps = result.p50_ms = result.p99_ms = None
                result.note = f"error: {str(error)[:100]}"
            if not available:
                result.note = why_not
            print(
                f"[{backend}] {scenario}: {_number(result.rps, 0)} req/s {result.note}", flush=True
            )
            results.append(result)
            return result

        def _measure_into(
            result: Result,
            path: str,
            *,
            expect: int,
            token: str | None,
            cookie: str | None,
            available: bool,
        ) -> None:
            if not available:
                return
            status, _body = get(port, path, token=token, cookie=cookie)
            if status != expect:
                result.note = f"error: HTTP {status}, expected {expect}"
                return
            load = {
                "connections": settings.connections,
                "token": token,
                "cookie": cookie,
                "keepalive": settings.keepalive,
            }
            if settings.warmup:
                run_wrk(wrk, port, path, seconds=settings.warmup, **load)
            data = run_wrk(wrk, port, path, seconds=settings.duration, **load)
            result.rps = data["requests"] / (data["duration_us"] / 1e6)
            result.p50_ms = data["p50_us"] / 1000
            result.p99_ms = data["p99_us"] / 1000
            # wrk counts answers of 400 and more; the probe above checked which one.
            if expect >= 400:
                bad = data["requests"] - data["status_errors"]
            else:
                bad = data["status_errors"]
            notes = [f"HTTP {expect}"] if expect != 200 else []
            if bad:
                notes.append(f"{bad} unexpected statuses (see {server.log_path.name})")
            if data["socket_errors"] or data["timeouts"]:
                notes.append(f"{data['socket_errors']} socket errors, {data['timeouts']} timeouts")
            result.note = "; ".join(notes)

        def count(key: str) -> int | None:
            entry = counts.get(key)
            return entry["queries"] if entry else None

        floor = measure(
            "floor", "floor: GET /_bench/floor", "/_bench/floor", queries=count("floor")
        )
        floor.note = "; ".join(filter(None, [seeded.get("connections", ""), floor.note]))
        tokens = seeded["tokens"]
        for size in SIZES:
            token = tokens.get(str(size), "")
            measure(
                f"api_shared_{size}",
                f"GET /api/v1/shared/{{token}} PREVIEW, {size:,} items",
                f"/api/v1/shared/{token}",
                available=bool(token) and built["api_shared"],
                queries=count(f"api_shared_{size}"),
            )
        for size in SIZES:
            token = tokens.get(str(size), "")
            measure(
                f"share_page_{size}",
                f"GET /share/{{token}} page, {size:,} items",
                f"/share/{token}",
                available=bool(token) and built["share_page"],
                queries=count(f"share_page_{size}"),
            )

        session = seeded.get("owner_session", "")
        for size in SIZES:
            measure(
                f"cart_page_{size}",
                f"GET /carts/{{id}}/ owner's cart page, {size:,} items",
                f"/carts/{seeded['carts'][str(size)]}/",
                cookie=session,
                available=bool(session) and built.get("cart_page", False),
                queries=count(f"cart_page_{size}"),
            )

        bearer: dict[str, str] = {}
        api_ready = built["api_tokens"] and built["api_cart"]
        why_not = NOT_BUILT
        if api_ready:
            try:
                bearer = access_tokens(
                    port, [seeded["colleague"], *seeded["writers"]], seeded["password"]
                )
            except SCENARIO_ERRORS as error:
                api_ready, why_not = False, f"error: {str(error)[:100]}"
        for size in (SIZES[0], SIZES[-1]):
            measure(
                f"api_cart_{size}",
                f"GET /api/v1/carts/{{id}} full-access colleague, {size:,} items",
                f"/api/v1/carts/{seeded['carts'][str(size)]}",
                token=bearer.get(seeded["colleague"]),
                available=api_ready,
                why_not=why_not,
            )

        posts = measure_posts(
            backend, port, seeded, bearer, settings, built["api_items"] and api_ready, why_not
        )
        results.extend(posts)

        unknown = secrets.token_urlsafe(32)
        measure(
            "unknown_api",
            "unknown token: GET /api/v1/shared/{token}",
            f"/api/v1/shared/{unknown}",
            expect=404,
            available=built["api_shared"],
        )
        measure(
            "unknown_page",
            "unknown token: GET /share/{token}",
            f"/share/{unknown}",
            expect=404,
            available=built["share_page"],
        )

        measure("floor_end", "floor again, last (ratios use the mean)", "/_bench/floor")

        peaks = server.worker_peak_rss()
        results.append(
            Result(
                backend,
                "peak RSS per worker (VmHWM)",
                key="rss",
                note=", ".join(f"{rss:.0f} MiB" for rss in peaks) or "unknown",
                extra={"rss_mib": peaks},
            )
        )
    finally:
        server.stop()


def measure_posts(
    backend: str,
    port: int,
    seeded: dict,
    bearer: dict[str, str],
    settings: Settings,
    available: bool,
    why_not: str = NOT_BUILT,
) -> list[Result]:
    """Single writer, then 8 concurrent writers, on one cart; errors become notes."""
    single = Result(backend, "POST /api/v1/carts/{id}/items, 1 writer", key="post_single")
    concurrent = Result(
        backend, f"POST /api/v1/carts/{{id}}/items, {WRITERS} writers", key="post_concurrent"
    )
    if not available:
        single.note = concurrent.note = why_not
        return [single, concurrent]
    try:
        _measure_posts_into(single, concurrent, port, seeded, bearer, settings)
    except SCENARIO_ERRORS as error:
        # The run that failed has no numbers yet; one that finished keeps its own.
        for result in (single, concurrent):
            if "lost" not in result.extra:
                result.rps = result.p50_ms = result.p99_ms = None
                result.note = f"error: {str(error)[:100]}"
    return [single, concurrent]


def _measure_posts_into(
    single: Result,
    concurrent: Result,
    port: int,
    seeded: dict,
    bearer: dict[str, str],
    settings: Settings,
) -> None:
    cart_id = seeded["edit_cart"]
    path = f"/api/v1/carts/{cart_id}/items"
    reader = bearer[seeded["colleague"]]
    writers = [bearer[email] for email in seeded["writers"]]
    skus = seeded["edit_skus"]

    for result, users in ((single, writers[:1]), (concurrent, writers)):
        before = cart_quantity(port, cart_id, reader)
        acknowledged = failures = 0
        statuses: Counter = Counter()
        if settings.warmup:
            warm = post_load(
                port,
                path,
                tokens=users,
                skus=skus,
                seconds=settings.warmup,
                keepalive=settings.keepalive,
            )
            acknowledged += warm.acknowledged
            failures += warm.failures
            statuses.update(warm.statuses)
        run = post_load(
            port,
            path,
            tokens=users,
            skus=skus,
            seconds=settings.duration,
            keepalive=settings.keepalive,
        )
        acknowledged += run.acknowledged
        failures += run.failures
        statuses.update(run.statuses)
        after = cart_quantity(port, cart_id, reader)
        lost = lost_updates(before=before, after=after, acknowledged=acknowledged)
        result.rps = run.acknowledged / run.seconds if run.seconds else None
        result.p50_ms = percentile(run.latencies_ms, 50)
        result.p99_ms = percentile(run.latencies_ms, 99)
        result.extra = {"lost": lost, "acknowledged": acknowledged, "failures": failures}
        notes = [f"lost updates {lost} of {acknowledged:,}"]
        if other := _statuses(statuses, 201):
            notes.append(other)
        if failures:
            notes.append(f"{failures} without answer")
        result.note = "; ".join(notes)
        print(f"[{result.backend}] {result.scenario}: {_number(result.rps, 0)} req/s {result.note}")
    share = ratio(concurrent.rps, single.rps)
    concurrent.extra["vs_single"] = share
    concurrent.note += f"; {_times(share)} single writer"


# --- Main ---------------------------------------------------------------------------------------


def collect_static() -> None:
    """Production serves the collected static files (WhiteNoise), as `make serve` does."""
    collect = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=bench_env(prepare_sqlite(), secret_key="collectstatic-only"),
        capture_output=True,
        text=True,
    )
    if collect.returncode != 0:
        raise SystemExit(f"collectstatic failed:\n{collect.stderr[-3000:]}")


def _terminate(signum, _frame):
    raise SystemExit(128 + signum)


def bench_backends() -> list[str]:
    """`BENCH_BACKENDS`: the databases to run on, in this order."""
    return [
        name.strip()
        for name in os.environ.get("BENCH_BACKENDS", "postgresql,sqlite").split(",")
        if name.strip()
    ]


def main() -> int:
    signal.signal(signal.SIGTERM, _terminate)
    settings = Settings.from_env()
    backends = bench_backends()
    VAR.mkdir(parents=True, exist_ok=True)
    wrk = ensure_wrk()
    machine = machine_summary()
    print(f"Machine: {machine}", flush=True)

    collect_static()

    results: list[Result] = []
    for backend in backends:
        if backend not in {"postgresql", "sqlite"}:
            raise SystemExit(f"unknown backend {backend!r}: use postgresql and/or sqlite")
        database_url = prepare_postgresql() if backend == "postgresql" else prepare_sqlite()
        if database_url is None:
            results.append(Result(backend, "all scenarios", note="n/a (database unreachable)"))
            continue
        try:
            run_backend(backend, database_url, wrk, settings, results)
        except SCENARIO_ERRORS as error:
            print(f"[{backend}] failed: {error}", flush=True)
            results.append(Result(backend, "all scenarios", note=f"error: {str(error)[:120]}"))

    live_on = os.environ.get("BENCH_LIVE", "on").lower() not in {"0", "off", "false", "no"}
    if "postgresql" in backends and live_on:
        sys.path.insert(0, str(ROOT))  # `python bench/run.py` has only bench/ on its path
        from bench import live  # the live events need a bus between the workers: PostgreSQL

        try:
            live.run_live(live.LiveSettings.from_env(), results)
        except SCENARIO_ERRORS as error:
            print(f"[{live.BACKEND}] failed: {error}", flush=True)
            results.append(
                Result(
                    live.BACKEND, "live scenarios", key="live_error", note=f"error: {error!s:.120}"
                )
            )

    print()
    print(
        f"Cartshare benchmark — {machine}; make serve's stack (gunicorn sync --workers {WORKERS} "
        "and the stream process), production settings; "
        f"{settings.duration} s per scenario after {settings.warmup} s warm-up; "
        f"wrk -c {settings.connections}; ratios are to the same backend's floor."
    )
    print(format_table(results))
    print()
    print("Targets (bench/README.md):")
    for line in target_checks([r for r in results if not r.key.startswith("live_")]):
        print(f"  {line}")
    if any(r.key.startswith("stack_") for r in results):
        from bench import stacks

        for line in stacks.stack_checks(results):
            print(f"  {line}")
    if any(r.key.startswith("live_") for r in results):
        from bench import live

        for line in live.live_target_checks(results):
            print(f"  {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
