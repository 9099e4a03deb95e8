"""`make chaos`: the production stack under steady load while PostgreSQL restarts, its backends
are terminated, a web worker and the task worker are SIGKILLed and a request runs past the
statement timeout; afterwards every acknowledged write must be in the database, and nothing
else (chaos/README.md).

    python -m chaos.run [--seconds N] [--json OUT] [--readme chaos/README.md]

Everything runs on this machine, on loopback, and stops by itself:

- its own PostgreSQL 15 (`initdb` into a temporary directory, `pg_ctl start` on a free port,
  trust authentication, stopped and removed at the end), never the shared server, so that
  restarting it disturbs no one;
- `make serve` exactly as the Makefile has it (production settings, 2 web workers and the task
  worker under `config.stack`) with DATABASE_URL pointing at that instance;
- the load of chaos/load.py, and the faults below from a thread, evenly spread over the run.

Exit status 0 when every check holds (see `checks()`), 1 otherwise."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hashlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

import httpx
import psycopg

from chaos import live, load, mail

ROOT = Path(__file__).resolve().parent.parent
PG_BIN = Path(os.environ.get("CHAOS_PG_BIN", "/usr/lib/postgresql/15/bin"))
HOST = "127.0.0.1"
DATABASE = "cartshare"
STATEMENT_TIMEOUT = "2"  # seconds, DB_STATEMENT_TIMEOUT of the stack under test
# Each fault begins at least this long after the previous one ended. Without it, a SIGKILL of
# the task worker right after a database restart can hit a delivery whose SMTP server has
# accepted the mail while the worker still waits for the database to record it: the mail is
# then sent again with the same Message-ID, the one "at least once" case of
# docs/decisions/mail-in-the-background.md, which a combined fault like that does show.
SETTLE_SECONDS = 3.0
RECOVERY_LIMIT = 5.0  # spec §14: service resumes within 5 s of PostgreSQL accepting again
FAULTS = (
    "restart PostgreSQL (fast)",
    "pg_terminate_backend (all)",
    "statement timeout (row lock)",
    "SIGKILL a web worker",
    "restart PostgreSQL (immediate)",
    "SIGKILL the task worker",
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def log(message: str) -> None:
    print(f"chaos: {message}", file=sys.stderr, flush=True)


class Postgres:
    """A throw-away PostgreSQL cluster in `base`, reachable on 127.0.0.1:port only."""

    def __init__(self, base: Path) -> None:
        self.dir = base / "postgres"
        self.data = self.dir / "data"
        self.port = free_port()
        self.url = f"postgres://postgres@{HOST}:{self.port}/{DATABASE}"

    def _run(self, program: str, *arguments: str) -> None:
        command = [str(PG_BIN / program), *arguments]
        if os.geteuid() == 0:  # initdb and postgres refuse to run as root
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"{program} {' '.join(arguments)}: {done.stdout}{done.stderr}")

    def start(self) -> None:
        self.dir.mkdir(parents=True)
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth=trust",
            "--encoding=UTF8",
            "--no-sync",
            "--no-instructions",
        )
        options = f"-p {self.port} -k {self.dir} -c listen_addresses={HOST}"
        self._run(
            "pg_ctl",
            "start",
            "-D",
            str(self.data),
            "-l",
            str(self.dir / "server.log"),
            "-w",
            "-t",
            "60",
            "-o",
            options,
        )
        with self.connect("postgres") as connection:
            connection.execute(f"CREATE DATABASE {DATABASE}")

    def restart(self, mode: str) -> None:
        self._run(
            "pg_ctl",
            "restart",
            "-D",
            str(self.data),
            "-m",
            mode,
            "-w",
            "-t",
            "60",
            "-l",
            str(self.dir / "server.log"),
        )

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._run("pg_ctl", "stop", "-D", str(self.data), "-m", "fast", "-w", "-t", "60")

    def connect(self, dbname: str = DATABASE, autocommit: bool = True) -> psycopg.Connection:
        return psycopg.connect(
            host=HOST,
            port=self.port,
            user="postgres",
            dbname=dbname,
            autocommit=autocommit,
            connect_timeout=5,
        )


def stack_environment(base: Path, database_url: str, smtp_port: int) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "MAKEFLAGS"}
    }
    env.update(
        SECRET_KEY=secrets.token_urlsafe(50),
        DATABASE_URL=database_url,
        ALLOWED_HOSTS=HOST,
        SECURE_COOKIES="false",  # plain HTTP on loopback
        CARTSHARE_VAR_DIR=str(base / "var"),
        # Every simulated customer comes from 127.0.0.1: one client address for the limits.
        CARTSHARE_SHARE_RATE_LIMIT="off",
        DB_STATEMENT_TIMEOUT=STATEMENT_TIMEOUT,
        EMAIL_HOST=HOST,
        EMAIL_PORT=str(smtp_port),
        CARTSHARE_MAIL_LEASE_SECONDS="20",
        CARTSHARE_MAIL_RETRY_SECONDS="2",
        CARTSHARE_MAIL_SWEEP_SECONDS="5",
        LOG_LEVEL="WARNING",
        LOG_LEVEL_ACCESS="WARNING",
        PYTHONUNBUFFERED="1",
    )
    return env


def stack_command(port: int) -> list[str]:
    """`make serve` with this interpreter's virtualenv (not reinstalled: `-o`)."""
    venv = Path(sys.executable).parent.parent
    return [
        "make",
        "--no-print-directory",
        "-o",
        f"{venv}/.installed",
        "serve",
        f"VENV={venv}",
        f"HOST={HOST}",
        f"PORT={port}",
        "WORKERS=2",
    ]


def process_table() -> dict[int, tuple[int, str]]:
    """pid -> (parent pid, command line), from /proc."""
    table = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        table[int(entry.name)] = (parent, command)
    return table


def descendants(root: int) -> dict[int, str]:
    table = process_table()
    found, frontier = {}, [root]
    while frontier:
        parent = frontier.pop()
        for pid, (ppid, command) in table.items():
            if ppid == parent and pid not in found:
                found[pid] = command
                frontier.append(pid)
    return found


def task_workers(root: int) -> list[int]:
    return sorted(pid for pid, command in descendants(root).items() if " task_worker" in command)


def web_workers(root: int) -> list[int]:
    """The serving processes of config.serve: gunicorn's workers (children of gunicorn's
    arbiter) and the stream process, which holds the live streams."""
    found, parents = descendants(root), process_table()
    return sorted(
        pid
        for pid, command in found.items()
        if "--stream-process" in command
        or (" gunicorn " in command and " gunicorn " in found.get(parents.get(pid, (0,))[0], ""))
    )


def established_sockets(server_port: int) -> dict[int, int]:
    """The loopback TCP connections to `server_port`: socket inode -> the client's port."""
    found = {}
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local, remote, state, inode = fields[1], fields[2], fields[3], int(fields[9])
        if state == "01" and int(local.split(":")[1], 16) == server_port:
            found[inode] = int(remote.split(":")[1], 16)
    return found


def holder_of_streams(workers: list[int], server_port: int, client_ports: set[int]) -> int:
    """The web worker that holds most of the live subscribers' streams (the first if none)."""
    sockets = established_sockets(server_port)
    held = {}
    for pid in workers:
        inodes = set()
        with contextlib.suppress(OSError):
            for fd in Path(f"/proc/{pid}/fd").iterdir():
                with contextlib.suppress(OSError):
                    target = os.readlink(fd)
                    if target.startswith("socket:["):
                        inodes.add(int(target[8:-1]))
        held[pid] = sum(1 for inode in inodes if sockets.get(inode) in client_ports)
    return max(workers, key=lambda pid: held[pid])


class Stack:
    def __init__(self, base: Path, env: dict[str, str]) -> None:
        self.port = free_port()
        self.base_url = f"http://{HOST}:{self.port}"
        self.log_path = base / "stack.log"
        self.log = open(self.log_path, "w")  # noqa: SIM115 (closed in stop())
        self.process = subprocess.Popen(
            stack_command(self.port),
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, timeout: float = 300) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"make serve exited:\n{self.output()[-3000:]}")
            try:
                if (
                    httpx.get(f"{self.base_url}/readyz", timeout=5).status_code == 200
                    and len(web_workers(self.process.pid)) == 4  # 2 gunicorn's, 2 streams
                    and task_workers(self.process.pid)
                ):
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"make serve was not ready:\n{self.output()[-3000:]}")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=30)
        with contextlib.suppress(ProcessLookupError):  # a straggler that ignored SIGTERM
            os.killpg(self.process.pid, signal.SIGKILL)
        self.log.close()

    def output(self) -> str:
        if not self.log.closed:
            self.log.flush()
        return self.log_path.read_text(errors="replace")


def run_module(env: dict[str, str], *arguments: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "chaos.database", *arguments],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env=env | {"DJANGO_SETTINGS_MODULE": "config.settings.production"},
    )
    if result.returncode != 0:
        raise RuntimeError(f"chaos.database {arguments[0]} failed:\n{result.stderr[-3000:]}")
    return result.stdout


MAIL_DRAIN_SECONDS = 90  # a mail stranded by the SIGKILL waits for its lease (20 s) and a sweep


def drain_outbox(env: dict[str, str]) -> dict[str, int]:
    """Until the task worker has delivered every mail (none `pending` or `sending`)."""
    deadline = time.monotonic() + MAIL_DRAIN_SECONDS
    while True:
        state = json.loads(run_module(env, "mail", "-"))
        if not (state.get("pending") or state.get("sending")) or time.monotonic() > deadline:
            return state
        time.sleep(2)


class Faults:
    """The faults, one after the other, from a thread while the load runs."""

    def __init__(
        self,
        pg: Postgres,
        stack: Stack,
        seed: dict,
        ledger: load.Ledger,
        watchers: list[live.Subscriber],
    ) -> None:
        self.pg, self.stack, self.seed, self.ledger = pg, stack, seed, ledger
        self.watchers = watchers
        self.events: list[dict] = []
        self.error: BaseException | None = None

    def run(self, times: list[float]) -> None:
        try:
            settled = 0.0
            for name, at in zip(FAULTS, times, strict=True):
                time.sleep(max(0.0, at - self.ledger.now(), settled - self.ledger.now()))
                start = self.ledger.now()
                log(f"{start:6.1f} s  {name}")
                event = {"fault": name, "at": round(start, 2)}
                event |= self.inject(name) or {}
                event["end"] = round(self.ledger.now(), 2)
                event["took"] = round(event["end"] - start, 2)
                self.events.append(event)
                settled = event["end"] + SETTLE_SECONDS
        except BaseException as error:  # reported by the main thread
            self.error = error
            log(f"fault thread failed: {error!r}")

    def inject(self, name: str) -> dict | None:
        root = self.stack.process.pid
        if name.startswith("restart PostgreSQL"):
            self.pg.restart("fast" if "fast" in name else "immediate")
        elif name.startswith("pg_terminate_backend"):
            with self.pg.connect() as connection:
                rows = connection.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = %s AND pid <> pg_backend_pid()",
                    [DATABASE],
                ).fetchall()
            return {"terminated": len(rows)}
        elif name == "SIGKILL a web worker":  # the one with most live streams: they reconnect
            ports = {w.client_port for w in self.watchers if w.client_port is not None}
            victim = holder_of_streams(web_workers(root), self.stack.port, ports)
            return self.kill_and_wait(web_workers, root, victim)
        elif name == "SIGKILL the task worker":
            return self.kill_and_wait(task_workers, root)
        elif name.startswith("statement timeout"):
            return self.statement_timeout()
        return None

    def kill_and_wait(self, find, root: int, victim: int | None = None) -> dict:
        before = find(root)
        victim = before[0] if victim is None else victim
        os.kill(victim, signal.SIGKILL)
        killed_at = time.monotonic()
        while time.monotonic() - killed_at < 60:
            now = find(root)
            if victim not in now and len(now) == len(before):
                return {"killed": victim, "replaced_after": round(time.monotonic() - killed_at, 2)}
            time.sleep(0.05)
        return {"killed": victim, "replaced_after": None}

    def statement_timeout(self) -> dict:
        """The chaos holds the row lock of a cart; an item add to it waits for the lock until
        the statement timeout cancels it: a 503 problem+json, and nothing of it written. Then
        the lock goes and the client's retry (same key) is acknowledged."""
        cart, sku = self.seed["lock_cart"], self.seed["skus"][1]
        headers = {
            "Authorization": f"Bearer {self.seed['lock_token']}",
            "Idempotency-Key": str(uuid.uuid4()),
        }
        url = f"{self.stack.base_url}/api/v1/carts/{cart}/items"
        body = {"sku": sku, "quantity": 1}
        key_hash = hashlib.sha256(headers["Idempotency-Key"].encode()).hexdigest()
        holder = self.pg.connect(autocommit=False)
        try:
            holder.execute("SELECT id FROM carts_cart WHERE id = %s FOR UPDATE", [cart])
            started = time.monotonic()
            answer = httpx.post(url, json=body, headers=headers, timeout=60)
            waited = time.monotonic() - started
            with self.pg.connect() as other:
                keys = other.execute(
                    "SELECT count(*) FROM accounts_idempotentrequest WHERE key_hash = %s",
                    [key_hash],
                ).fetchone()[0]
                lines = other.execute(
                    "SELECT count(*) FROM carts_cartitem i JOIN catalog_product p "
                    "ON p.id = i.product_id WHERE i.cart_id = %s AND p.sku = %s",
                    [cart, sku],
                ).fetchone()[0]
        finally:
            holder.rollback()
            holder.close()
        result = {
            "status": answer.status_code,
            "waited": round(waited, 2),
            "content_type": answer.headers.get("Content-Type", ""),
            "retry_after": answer.headers.get("Retry-After"),
            "problem_type": answer.json().get("type") if answer.status_code >= 400 else None,
            "written": {"keys": keys, "lines": lines},
        }
        self.ledger.record("locked_add", answer.status_code)
        for _ in range(100):  # the client retries with the same key once the lock is gone
            retry = httpx.post(url, json=body, headers=headers, timeout=60)
            self.ledger.record("locked_add", retry.status_code)
            if retry.status_code == 201:
                self.ledger.ack(
                    {
                        "op": "add_item",
                        "key": headers["Idempotency-Key"],
                        "status": 201,
                        "cart_id": cart,
                        "sku": sku,
                        "quantity": 1,
                    }
                )
                result["retry_status"] = 201
                break
            time.sleep(0.2)
        return result


async def run_load(
    base_url: str,
    seed: dict,
    ledger: load.Ledger,
    seconds: float,
    pg: Postgres,
    watchers: list[live.Subscriber],
) -> dict:
    """The load, and the live subscribers of the watched carts with their editors
    (chaos/live.py); after the load, until every subscriber has its cart's final version."""
    followers = [asyncio.create_task(live.follow(base_url, w, ledger)) for w in watchers]
    stop = asyncio.Event()
    editors = [
        asyncio.create_task(
            live.edit(base_url, seed["tokens_of"][email], cart_id, seed, ledger, stop)
        )
        for email, cart_id in seed["watched"].items()
    ]
    await load.run(base_url, seed, ledger, seconds)
    stop.set()
    await asyncio.gather(*editors)
    versions = await asyncio.to_thread(cart_versions, pg, list(seed["watched"].values()))
    resynced = await live.resync(watchers, versions, ledger)
    for follower in followers:
        follower.cancel()
    await asyncio.gather(*followers, return_exceptions=True)
    return {"watchers": watchers, "versions": versions, "resynced_after": resynced}


def cart_versions(pg: Postgres, cart_ids: list[str]) -> dict[str, int]:
    with pg.connect() as connection:
        rows = connection.execute(
            "SELECT id::text, version FROM carts_cart WHERE id::text = ANY(%s)", [cart_ids]
        ).fetchall()
    return dict(rows)


def recovery(ledger: load.Ledger, events: list[dict]) -> None:
    """For each fault: how long after its end the probe's link open, and a write, answered 2xx
    again; and the 503s the load got until the next fault."""
    probes = [(t, status) for t, kind, status in ledger.timeline if kind == "probe"]
    bounds = [event["at"] for event in events[1:]] + [float("inf")]
    for event, until in zip(events, bounds, strict=True):
        end = event["end"]
        read = next((t for t, status in probes if t >= end and status == "200"), None)
        acked = next((w["t"] for w in ledger.acked if w["t"] >= end), None)
        event["reads_back_after"] = None if read is None else round(read - end, 2)
        event["writes_back_after"] = None if acked is None else round(acked - end, 2)
        event["probe_failures"] = sum(
            1 for t, status in probes if event["at"] <= t < until and status != "200"
        )
        event["503s"] = sum(
            1
            for t, kind, status in ledger.timeline
            if event["at"] <= t < until and kind != "probe" and status == "503"
        )


def summary(ledger: load.Ledger) -> dict:
    classes: Counter[str] = Counter()
    for label, count in ledger.statuses.items():
        classes[load.status_class(label)] += count
    probe = Counter(status for _t, kind, status in ledger.timeline if kind == "probe")
    return {
        "requests": sum(ledger.statuses.values()),
        "2xx": classes["2xx"],
        "503": classes["503"],
        "other_5xx": classes["5xx"],
        "4xx": classes["4xx"],
        "connection_errors": classes["connection error"],
        "statuses": dict(ledger.statuses),
        "probe": dict(probe),
        "acked_writes": len(ledger.acked),
        "acked_by_op": dict(Counter(write["op"] for write in ledger.acked)),
        "replays": ledger.replays,
        "refused_writes": ledger.refused[:10],
        "unresolved_writes": ledger.unresolved[:10],
    }


def checks(report: dict) -> dict[str, bool]:
    totals, verified, faults = report["totals"], report["verified"], report["faults"]
    outbox, smtp = report["mail"]["outbox"], report["mail"]["smtp"]
    by_name = {event["fault"]: event for event in faults}
    locked = by_name.get("statement timeout (row lock)", {})
    pg_faults = [e for e in faults if "PostgreSQL" in e["fault"] or "terminate" in e["fault"]]
    return {
        "every fault ran": [event["fault"] for event in faults] == list(FAULTS),
        "no 5xx but 503": totals["other_5xx"] == 0
        and not any(s.startswith("5") and s != "503" for s in totals["probe"]),
        "no write refused or unresolved": not totals["refused_writes"]
        and not totals["unresolved_writes"],
        "0 lost": verified["lost"] == 0,
        "0 phantom": verified["phantom"] == 0,
        "0 half written": verified["half_written"] == 0,
        "web worker and task worker replaced": all(
            by_name.get(name, {}).get("replaced_after") is not None
            for name in ("SIGKILL a web worker", "SIGKILL the task worker")
        ),
        f"reads back within {RECOVERY_LIMIT:g} s of each database fault": all(
            e["reads_back_after"] is not None and e["reads_back_after"] <= RECOVERY_LIMIT
            for e in pg_faults
        ),
        "statement timeout: 503 problem+json, nothing written, retry acknowledged": (
            locked.get("status") == 503
            and locked.get("content_type", "").startswith("application/problem+json")
            and locked.get("retry_after") is not None
            and locked.get("written") == {"keys": 0, "lines": 0}
            and locked.get("retry_status") == 201
        ),
        "no server error in the log": report["log_errors"] == [],
        f"live: every subscriber got a cart.changed within {RECOVERY_LIMIT:g} s of each fault": all(
            fault["subscribers_with_event"] == report["live"]["subscribers"]
            and fault["first_event_after"] <= RECOVERY_LIMIT
            for fault in report["live"]["per_fault"]
        )
        and not report["live"]["refused"],
        "live: every subscriber resynced to its cart's final version": all(
            final["seen"] == final["database"] is not None
            for final in report["live"]["final"].values()
        ),
        "every mail delivered, none twice": set(outbox) == {"sent"}
        and smtp["distinct"] == outbox["sent"]
        and smtp["messages"] == outbox["sent"]
        and smtp["twice"] == 0,
    }


def log_errors(output: str) -> list[str]:
    """Server errors in the stack's log: each traceback as its first and last lines."""
    lines, found = output.splitlines(), []
    for number, line in enumerate(lines):
        if "Internal Server Error" in line or '" 500 ' in line:
            found.append(line)
        elif line.startswith("Traceback") and not (
            number >= 2 and "direct cause" in lines[number - 2]
        ):
            block = lines[number : number + 200]
            end = next(
                (
                    i
                    for i, text in enumerate(block[1:], 1)
                    if text
                    and not text.startswith(" ")
                    and "direct cause" not in text
                    and not text.startswith("Traceback")
                ),
                len(block) - 1,
            )
            found.append(f"line {number + 1}: {' | '.join(block[max(1, end - 3) : end + 1])}")
    return found[:20]


def table(report: dict) -> str:
    totals, verified = report["totals"], report["verified"]
    lines = [
        f"Run of {report['started']} UTC: {report['seconds']:g} s of load, "
        f"{report['users']} customers, production stack (`make serve`: 2 web workers, 1 task "
        f"worker) on its own PostgreSQL {report['postgres']}, "
        f"DB_STATEMENT_TIMEOUT={STATEMENT_TIMEOUT} s.",
        "",
        "| requests | 2xx | 503 | other 5xx | 4xx | connection errors | acknowledged writes "
        "(create cart / share / add item / checkout) | replayed | lost | phantom | half written "
        "| mail sent / delivered twice |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | --- |",
        "| {requests} | {ok} | {s503} | {other} | {c4} | {conn} | {acked} ({ops}) | {replays} "
        "| {lost} | {phantom} | {half} | {sent} / {twice} |".format(
            requests=totals["requests"],
            ok=totals["2xx"],
            s503=totals["503"],
            other=totals["other_5xx"],
            c4=totals["4xx"],
            conn=totals["connection_errors"],
            acked=totals["acked_writes"],
            ops=" / ".join(
                str(totals["acked_by_op"].get(op, 0))
                for op in ("create_cart", "share_cart", "add_item", "checkout")
            ),
            replays=totals["replays"],
            lost=verified["lost"],
            phantom=verified["phantom"],
            half=verified["half_written"],
            sent=report["mail"]["outbox"].get("sent", 0),
            twice=report["mail"]["smtp"]["twice"],
        ),
        "",
        "| fault | at (s) | took (s) | reads back after (s) | writes back after (s) "
        "| 503s until the next fault | notes |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for event in report["faults"]:
        notes = []
        if "terminated" in event:
            notes.append(f"{event['terminated']} backends terminated")
        if "replaced_after" in event:
            notes.append(f"replaced after {event['replaced_after']} s")
        if "status" in event:
            notes.append(
                f"locked add: {event['status']} after {event['waited']} s, "
                f"written {event['written']['keys']} keys / {event['written']['lines']} lines; "
                f"retry {event.get('retry_status')}"
            )
        lines.append(
            f"| {event['fault']} | {event['at']} | {event['took']} | {event['reads_back_after']} "
            f"| {event['writes_back_after']} | {event['503s']} | {'; '.join(notes)} |"
        )
    streams = report["live"]
    lines += [
        "",
        f"Live streams: {streams['subscribers']} subscribers (EventSource-like: reconnect after "
        f"`retry:` with Last-Event-ID) on {streams['carts']} carts edited during the load; "
        f"{streams['connects']} connects, {streams['changes']} `cart.changed` received; after "
        "the last acknowledged write every subscriber had its cart's final version "
        + (
            f"within {streams['resynced_after']} s."
            if streams["resynced_after"] is not None
            else f"NOT within {live.RESYNC_SECONDS:g} s."
        ),
        "",
        "| fault | subscribers with a `cart.changed` after it | first event after (s, slowest "
        "/ fastest subscriber) | streams dropped | reconnects |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for fault in streams["per_fault"]:
        lines.append(
            f"| {fault['fault']} | {fault['subscribers_with_event']} / {streams['subscribers']} "
            f"| {fault['first_event_after']} / {fault['first_event_after_min']} "
            f"| {fault['drops']} | {fault['reconnects']} |"
        )
    lines += ["", "| check | result |", "| --- | --- |"]
    lines += [f"| {name} | {'pass' if ok else 'FAIL'} |" for name, ok in report["checks"].items()]
    return "\n".join(lines) + "\n"


BEGIN, END = "<!-- chaos:last-run -->", "<!-- /chaos:last-run -->"


def write_readme(path: Path, text: str) -> None:
    current = path.read_text()
    head, rest = current.split(BEGIN, 1)
    _old, tail = rest.split(END, 1)
    path.write_text(f"{head}{BEGIN}\n{text}{END}{tail}")


def main(arguments: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m chaos.run", description=__doc__)
    parser.add_argument(
        "--seconds", type=float, default=float(os.environ.get("CHAOS_SECONDS", "150"))
    )
    parser.add_argument("--json", type=Path, help="write the whole report here")
    parser.add_argument("--readme", type=Path, help="put the table into this file")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    options = parser.parse_args(arguments)
    if options.seconds < 30:
        parser.error("--seconds must be at least 30 (six faults, a few seconds apart)")

    started = time.strftime("%Y-%m-%d %H:%M", time.gmtime())
    base = Path(tempfile.mkdtemp(prefix="cartshare-chaos-"))
    base.chmod(0o755)  # PostgreSQL runs as its own user
    pg = Postgres(base)
    sink = mail.Sink()
    stack: Stack | None = None
    try:
        log(f"PostgreSQL on {HOST}:{pg.port} in {pg.dir}")
        pg.start()
        sink.start()
        env = stack_environment(base, pg.url, sink.port)
        stack = Stack(base, env)
        log(f"make serve on {stack.base_url} (migrate, collectstatic, 2 workers, task worker)")
        stack.wait_ready()
        seed_path = base / "seed.json"
        run_module(env, "seed", str(seed_path))
        seed = json.loads(seed_path.read_text())
        seed["tokens_of"] = {  # logging in is slow (password hashing): done before the clock
            email: asyncio.run(load.access_token(stack.base_url, email, seed["password"]))
            for email in [*seed["users"], seed["lock_user"], *seed["watched"]]
        }
        seed["lock_token"] = seed["tokens_of"][seed["lock_user"]]
        ledger = load.Ledger()
        watchers = live.subscribers(seed)
        faults = Faults(pg, stack, seed, ledger, watchers)
        lead, tail = 0.15 * options.seconds, 0.25 * options.seconds
        step = (options.seconds - lead - tail) / (len(FAULTS) - 1)
        times = [lead + step * index for index in range(len(FAULTS))]
        thread = threading.Thread(target=faults.run, args=(times,), daemon=True)
        log(f"load for {options.seconds:g} s, faults at {[round(t) for t in times]} s")
        thread.start()
        streams = asyncio.run(run_load(stack.base_url, seed, ledger, options.seconds, pg, watchers))
        thread.join(timeout=120)
        if faults.error is not None:
            raise RuntimeError("a fault could not be injected") from faults.error
        recovery(ledger, faults.events)
        outbox = drain_outbox(env)
        stack.stop()
        output = stack.output()
        ledger_path = base / "ledger.json"
        ledger_path.write_text(json.dumps({"seed": seed, "acked": ledger.acked}))
        verified = json.loads(run_module(env, "verify", str(ledger_path)))
        with pg.connect() as connection:
            version = connection.execute("SHOW server_version").fetchone()[0]
        report = {
            "started": started,
            "seconds": options.seconds,
            "users": len(seed["users"]),
            "postgres": version,
            "totals": summary(ledger),
            "faults": faults.events,
            "verified": verified,
            "log_errors": log_errors(output),
            "mail": {"outbox": outbox, "smtp": sink.delivered()},
            "live": live.report(streams["watchers"], streams["versions"], faults.events)
            | {"resynced_after": streams["resynced_after"]},
        }
        report["checks"] = checks(report)
        text = table(report)
        print(text)
        if options.json:
            options.json.write_text(json.dumps(report, indent=2))
        if options.readme:
            write_readme(options.readme, text)
        failed = [name for name, ok in report["checks"].items() if not ok]
        if failed:
            log(f"FAILED: {failed}; problems: {json.dumps(verified['problems'])[:2000]}")
            log(f"log errors: {report['log_errors'][:5]}")
        if failed:
            options.keep = True
        return 1 if failed else 0
    except BaseException:
        options.keep = True
        raise
    finally:
        if stack is not None:
            stack.stop()
        sink.stop()
        try:
            pg.stop()
        finally:
            if options.keep:
                log(f"kept {base}")
            else:
                shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
