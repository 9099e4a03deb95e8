"""`python -m config.serve config.asgi:application --workers N ...`: uvicorn's own command line,
with TCP_NODELAY on every connection also when it runs several worker processes.

uvicorn (0.54) binds the listening socket of `--workers N` itself, with `proto` left at 0.
Accepted sockets inherit it, and asyncio turns TCP_NODELAY on only when `proto` is IPPROTO_TCP,
so with Nagle's algorithm on, every keep-alive request after the first waits for the client's
delayed ACK: ~40 ms on Linux (https://github.com/Kludex/uvicorn/issues/3149, open). `make bench`
measured it: the floor answered in 48 ms at p50 on a keep-alive connection instead of ~3 ms.
Single-process uvicorn (`make run`) is not affected. Drop this fix once uvicorn sets the
protocol itself.

It also turns uvicorn's access log off unless `--access-log` is given: it would write share-link
tokens in clear (the app's own access log masks them); and it ignores X-Forwarded-For unless
`--proxy-headers` is given, so that no client chooses its own rate-limit key.
"""

from __future__ import annotations

import socket
import sys

import uvicorn.config
from uvicorn.main import main as uvicorn_main

_uvicorn_bind_socket = uvicorn.config.Config.bind_socket


def bind_socket_tcp(self: uvicorn.config.Config) -> socket.socket:
    """uvicorn's listening socket, re-wrapped so that it (and every accepted socket) reports
    IPPROTO_TCP; multiprocessing hands it to the workers with that protocol."""
    sock = _uvicorn_bind_socket(self)
    if sock.family in (socket.AF_INET, socket.AF_INET6) and sock.proto != socket.IPPROTO_TCP:
        tcp = socket.socket(sock.family, sock.type, socket.IPPROTO_TCP, fileno=sock.detach())
        tcp.set_inheritable(True)
        return tcp
    return sock


ACCESS_LOG_FLAGS = ("--access-log", "--no-access-log")


def with_access_log_off(arguments: list[str]) -> list[str]:
    """uvicorn's access log writes every address in clear, share-link tokens included; the
    app logs requests itself with tokens masked (config.middleware.AccessLogMiddleware), so the
    server's is off unless the command line asks for it."""
    if any(argument in ACCESS_LOG_FLAGS for argument in arguments):
        return arguments
    return [*arguments, "--no-access-log"]


PROXY_HEADER_FLAGS = ("--proxy-headers", "--no-proxy-headers")


def with_proxy_headers_off(arguments: list[str]) -> list[str]:
    """uvicorn trusts X-Forwarded-For from 127.0.0.1 by default, so any local client (or a proxy
    that passes the header on) would choose the address the rate limits count it under. Off
    unless the command line asks for `--proxy-headers` (with `--forwarded-allow-ips` naming
    the proxy)."""
    if any(argument in PROXY_HEADER_FLAGS for argument in arguments):
        return arguments
    return [*arguments, "--no-proxy-headers"]


def main() -> None:
    # Replacing the method is the fix (see above); mypy refuses assigning to a method.
    uvicorn.config.Config.bind_socket = bind_socket_tcp  # type: ignore[method-assign]
    uvicorn_main(args=with_proxy_headers_off(with_access_log_off(sys.argv[1:])))


if __name__ == "__main__":
    main()
