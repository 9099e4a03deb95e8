"""`python -m config.serve --host H --port P --workers N`: the production web server, pages, the
API and the live event streams on one address (docs/decisions/serving-stack.md).

Two kinds of process, supervised here (config.stack.Stack, as `make serve` supervises this one
and the task workers):

- **gunicorn** (`config.wsgi`, N gthread workers of `config.handoff.HandoffThreadWorker` with
  `--threads` T each, default 4; `--worker-class sync` for `HandoffWorker`) listens on
  HOST:PORT and answers every request that is not an event stream, as plain WSGI: no
  asgiref thread hop per request (the ASGI server's cost, measured in the decision record);
- **stream processes** (`--stream-processes`, 2; uvicorn on `config.asgi:application`,
  `python -m config.serve --stream-process`) get the event-stream connections from the
  workers over one shared Unix socket (in a 0700 directory of its own) and serve them
  asynchronously, with the live hub of cartshare/live/bus.py; on SQLite without Redis each
  also gets the wake-ups on a socket of its own beside it.

When gunicorn exits, the stream process is stopped and this exits with gunicorn's code; a dead
stream process is started again at once (its clients reconnect with Last-Event-ID; meanwhile the
stream requests handed over wait in the socket's queue, which this process holds, for the next
one; only when that queue stays full for 5 s is one answered 503 with Retry-After). SIGTERM or
SIGINT stops both, gracefully: gunicorn finishes its requests, the open streams end at once
(bus.Hub._watch_shutdown).

Kept from the uvicorn-only server: TCP_NODELAY on every connection (gunicorn sets it on its
listener; accepted sockets inherit it, and so do the ones handed over). Without it every
keep-alive response after the first waits for the client's delayed ACK, ~40 ms on Linux: what
uvicorn 0.54's own `--workers` did (https://github.com/Kludex/uvicorn/issues/3149), which the
uvicorn-only config.serve worked around and `make bench` measured (48 ms at p50 instead of 3);
no server access log unless `--access-log` (it would write share-link tokens; the app logs
requests itself, masked); proxy headers ignored unless `--proxy-headers` with
`--forwarded-allow-ips` naming the proxy, so that no client chooses its own rate-limit key."""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import sys
import tempfile
from collections.abc import Sequence
from types import FrameType

from config.handoff import SOCKET_ENV, SOCKET_FD_ENV, bind_channel

GRACEFUL_SECONDS = 5
WORKER_CLASSES = {
    "sync": "config.handoff.HandoffWorker",
    "gthread": "config.handoff.HandoffThreadWorker",
}
DEFAULT_WORKER_CLASS = "gthread"  # measured: docs/decisions/serving-stack.md
DEFAULT_THREADS = 4


def parse(arguments: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m config.serve", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn's workers")
    parser.add_argument(
        "--worker-class",
        choices=list(WORKER_CLASSES),
        default=DEFAULT_WORKER_CLASS,
        help="gunicorn's sync workers, or gthread's (threads each, --threads)",
    )
    parser.add_argument("--threads", type=int, default=DEFAULT_THREADS)
    parser.add_argument("--access-log", action="store_true", help="gunicorn's (tokens in clear)")
    parser.add_argument("--no-access-log", dest="access_log", action="store_false")
    parser.add_argument("--proxy-headers", action="store_true")
    parser.add_argument("--no-proxy-headers", dest="proxy_headers", action="store_false")
    parser.add_argument("--forwarded-allow-ips", default="127.0.0.1")
    parser.add_argument("--log-level", default="info", help="gunicorn's and uvicorn's")
    parser.add_argument(
        "--stream-processes",
        type=int,
        default=2,
        help="uvicorn processes for the streams: when one dies the others take new ones at once",
    )
    parser.add_argument("--stream-process", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args(arguments)


def proxy_environment(options: argparse.Namespace) -> dict[str, str]:
    """Both kinds of process take the client's address from X-Forwarded-For only from the
    proxies named (config/wsgi.py for gunicorn's side, uvicorn's own for the streams)."""
    if not options.proxy_headers:
        return {"CARTSHARE_PROXY_ADDRESSES": ""}
    return {"CARTSHARE_PROXY_ADDRESSES": options.forwarded_allow_ips}


def gunicorn_command(options: argparse.Namespace) -> list[str]:
    command = [
        sys.executable,
        *("-m", "gunicorn", "config.wsgi:application"),
        *("--bind", f"{options.host}:{options.port}"),
        *("--workers", str(options.workers)),
        *("--worker-class", WORKER_CLASSES[options.worker_class]),
        *("--graceful-timeout", str(GRACEFUL_SECONDS)),
        # gunicorn trusts X-Forwarded-Proto, SCRIPT_NAME... from these; none unless asked.
        *("--forwarded-allow-ips", options.forwarded_allow_ips if options.proxy_headers else ""),
        "--no-control-socket",  # its default path is shared by every gunicorn on the machine
        *("--log-level", options.log_level),
    ]
    if options.worker_class == "gthread":
        command += ["--threads", str(options.threads)]
    if options.access_log:
        command += ["--access-logfile", "-"]
    return command


def stream_command(options: argparse.Namespace) -> list[str]:
    command = [sys.executable, "-m", "config.serve", "--stream-process"]
    command += ["--log-level", options.log_level]
    if options.proxy_headers:
        command += ["--proxy-headers", "--forwarded-allow-ips", options.forwarded_allow_ips]
    return command


def main(arguments: Sequence[str] | None = None) -> int:
    options = parse(sys.argv[1:] if arguments is None else arguments)
    if options.stream_process:
        from config.handoff import serve_streams

        path = os.environ.pop(SOCKET_ENV)  # popped: this process sends itself no wake-ups
        inherited = os.environ.pop(SOCKET_FD_ENV, "")
        serve_streams(
            path,
            fd=int(inherited) if inherited else None,
            graceful_seconds=GRACEFUL_SECONDS,
            proxy_headers=options.proxy_headers,
            forwarded_allow_ips=options.forwarded_allow_ips,
            log_level=options.log_level,
        )
        return 0

    from config.stack import RESTART_DELAYS, Stack

    directory = tempfile.mkdtemp(prefix="cartshare-streams-")  # 0700: ours alone
    os.environ[SOCKET_ENV] = os.path.join(directory, "streams.sock")
    os.environ.update(proxy_environment(options))
    # Bound here, inherited by every stream process: while a dead one is started again, the
    # connections (and wake-ups) handed over wait in the socket's queue for the next one.
    channel = bind_channel(os.environ[SOCKET_ENV])
    os.environ[SOCKET_FD_ENV] = str(channel.fileno())
    streams = max(1, options.stream_processes)
    stack = Stack(
        [gunicorn_command(options), *([stream_command(options)] * streams)],
        names=["gunicorn", *(["stream process"] * streams)],
        pass_fds=[channel.fileno()],
        # The streams wait for it (in the socket's queue): at once the first time, then
        # config.stack's back-off for a process that keeps dying.
        restart_delays=(0.0, *RESTART_DELAYS),
    )

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stack.stop(signalled=True)

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    try:
        stack.start()
        return stack.wait()
    finally:
        channel.close()
        shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
