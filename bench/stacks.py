"""The serving stack's floor against plain gunicorn's, in the same run (issue 16, part 1;
docs/decisions/serving-stack.md): `make bench` runs it for each backend, `make bench-stacks`
alone (`python -m bench.stacks`).

The same app, database and settings (production, the floor route on) under:

- `make serve`'s web server (`config.serve`: gunicorn sync workers with the stream handoff, and
  the stream process), the chosen stack;
- plain gunicorn sync workers on `config.wsgi` (the reference: "pages and the API at >= 0.9x
  the floor of the same app under gunicorn sync workers");
- uvicorn with the same number of workers on `config.asgi` (today's before: the ASGI floor);
- plain gunicorn gthread workers (4 threads each), the candidate for slow requests.

Each server is started once; the floor (`GET /_bench/floor`, wrk -c8, Connection: close) is
measured in ROUNDS rounds that alternate between them (A B C A B C ...), so that the load that
other work puts on the machine falls on all of them alike; each ratio is of the sums of the
same rounds. `uptime` is printed before and after."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `python bench/run.py` has only bench/ on its path
    sys.path.insert(0, str(ROOT))

from bench.run import (  # noqa: E402
    HOST,
    VAR,
    WORKERS,
    Result,
    Server,
    Settings,
    _times,
    run_wrk,
    stack_command,
    verdict,
)

TARGET = 0.9
ROUNDS = max(1, int(os.environ.get("BENCH_STACK_ROUNDS", "3")))


def gunicorn_sync_command(port: int) -> list[str]:
    return [
        sys.executable,
        *("-m", "gunicorn", "config.wsgi:application", "--bind", f"{HOST}:{port}"),
        *("--workers", str(WORKERS), "--log-level", "warning", "--no-control-socket"),
    ]


def gunicorn_gthread_command(port: int) -> list[str]:
    return [*gunicorn_sync_command(port), "--worker-class", "gthread", "--threads", "4"]


def uvicorn_command(port: int) -> list[str]:
    return [
        sys.executable,
        *("-m", "uvicorn", "config.asgi:application", "--host", HOST, "--port", str(port)),
        *("--workers", str(WORKERS), "--no-access-log", "--log-level", "warning"),
    ]


def other_stack_command(port: int) -> list[str]:
    """make serve's web server with the worker class it does not use by default."""
    from config.serve import DEFAULT_WORKER_CLASS

    other = "sync" if DEFAULT_WORKER_CLASS == "gthread" else "gthread"
    return [*stack_command(port), "--worker-class", other]


CANDIDATES: list[tuple[str, str, Callable[[int], list[str]]]] = [
    ("stack_floor_serve", "make serve (config.serve, its default workers)", stack_command),
    ("stack_floor_serve_other", "config.serve, the other worker class", other_stack_command),
    ("stack_floor_gunicorn", "plain gunicorn sync (reference)", gunicorn_sync_command),
    ("stack_floor_uvicorn", "uvicorn ASGI (before)", uvicorn_command),
    (
        "stack_floor_gthread",
        "plain gunicorn gthread, 4 threads (a candidate)",
        gunicorn_gthread_command,
    ),
]


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def run_stacks(
    backend: str, env: dict[str, str], wrk: str, settings: Settings, results: list[Result]
) -> None:
    """The floor under each candidate, ROUNDS alternating rounds; rows appended to `results`."""
    print(f"[{backend}] stacks: {uptime()}", flush=True)
    servers = {}
    try:
        for key, _name, command in CANDIDATES:
            servers[key] = Server(env, VAR / f"server-{backend}-{key}.log", command=command)
        for server in servers.values():
            server.wait_ready()
        totals = {key: [0, 0.0, []] for key in servers}  # requests, seconds, p50s
        load = {"connections": settings.connections, "keepalive": False}
        for server in servers.values():
            if settings.warmup:
                run_wrk(wrk, server.port, "/_bench/floor", seconds=settings.warmup, **load)
        for number in range(ROUNDS):
            for key, server in servers.items():
                data = run_wrk(wrk, server.port, "/_bench/floor", seconds=settings.duration, **load)
                totals[key][0] += data["requests"] - data["status_errors"]
                totals[key][1] += data["duration_us"] / 1e6
                totals[key][2].append(data["p50_us"] / 1000)
                print(
                    f"[{backend}] stacks round {number + 1}: {key} "
                    f"{data['requests'] / (data['duration_us'] / 1e6):.0f} req/s",
                    flush=True,
                )
    finally:
        for server in servers.values():
            server.stop()
    after = uptime()
    print(f"[{backend}] stacks: {after}", flush=True)
    for key, name, _command in CANDIDATES:
        requests, seconds, p50s = totals[key]
        results.append(
            Result(
                backend,
                f"stacks: floor under {name}",
                rps=requests / seconds if seconds else None,
                p50_ms=sorted(p50s)[len(p50s) // 2] if p50s else None,
                key=key,
                note=f"{ROUNDS} rounds; {after.split('load average: ')[-1]} load after",
            )
        )


def stack_checks(results: list[Result]) -> list[str]:
    lines = []
    for backend in dict.fromkeys(r.backend for r in results):
        by_key = {r.key: r.rps for r in results if r.backend == backend}
        serve, reference = by_key.get("stack_floor_serve"), by_key.get("stack_floor_gunicorn")
        if serve is None and reference is None:
            continue
        share = serve / reference if serve and reference else None
        others = [
            f"{name}: {_times(value / reference)}"
            for name, value in (
                ("uvicorn ASGI", by_key.get("stack_floor_uvicorn")),
                ("gunicorn gthread", by_key.get("stack_floor_gthread")),
            )
            if value and reference
        ]
        lines.append(
            f"{backend}: make serve's floor >= {TARGET:.2f}x plain gunicorn sync's (same run): "
            f"{_times(share)} {verdict(None if share is None else share >= TARGET)}"
            + (f" ({', '.join(others)})" if others else "")
        )
    return lines


def main() -> int:
    import secrets

    from bench.run import (
        bench_backends,
        bench_env,
        collect_static,
        ensure_wrk,
        format_table,
        machine_summary,
        prepare_postgresql,
        prepare_sqlite,
        seed_database,
    )

    settings = Settings.from_env()
    backends = bench_backends()
    VAR.mkdir(parents=True, exist_ok=True)
    wrk = ensure_wrk()
    machine = machine_summary()
    print(f"Machine: {machine}", flush=True)
    collect_static()
    results: list[Result] = []
    for backend in backends:
        url = prepare_postgresql() if backend == "postgresql" else prepare_sqlite()
        if url is None:
            continue
        env = bench_env(url, secret_key=secrets.token_urlsafe(40))
        seed_database(env, backend)
        run_stacks(backend, env, wrk, settings, results)
    print()
    print(
        f"Serving stacks — {machine}; {settings.duration} s x {ROUNDS} rounds each, wrk -c "
        f"{settings.connections}, Connection: close, {WORKERS} workers each"
    )
    print(format_table(results))
    print()
    for line in stack_checks(results):
        print(f"  {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
