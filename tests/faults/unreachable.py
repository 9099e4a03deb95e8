"""`database_unreachable()`: for the duration of a `with`, the default connection points at a
database that cannot be reached, the way each backend fails for real: SQLite at a file in a
directory that does not exist (SQLITE_CANTOPEN), PostgreSQL at a port where nothing listens
(connection refused). The test database itself is left alone; tests using this need
`django_db(transaction=True)` (a connection cannot be closed inside the test's transaction)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def database_unreachable() -> Iterator[None]:
    saved = dict(connection.settings_dict)
    connection.close()
    if connection.vendor == "sqlite":
        connection.settings_dict["NAME"] = "/nonexistent-cartshare-dir/gone.sqlite3"
    else:
        connection.settings_dict.update(HOST="127.0.0.1", PORT=str(closed_port()))
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)
