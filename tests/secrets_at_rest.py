"""Where secrets must not be at rest: every column of every table of the default database, and
every key and value in the Redis database the tests use. Stored values are looked at as they
are and, recursively, decoded from every base64 run inside them and decompressed (zlib), so
that the database cache's base64 pickles and Django's signed, compressed session data are read
too. Encrypted values (Fernet) decode to ciphertext only, as they should."""

from __future__ import annotations

import base64
import binascii
import contextlib
import json
import re
import zlib
from collections.abc import Iterable, Iterator

from django.db import connection

from tests.cache_backends import redis_client

BASE64_RUN = re.compile(rb"[A-Za-z0-9+/_\-]{16,}={0,2}")
MAX_DEPTH = 4


def _decoded(run: bytes) -> Iterator[bytes]:
    padded = run.rstrip(b"=") + b"=" * (-len(run.rstrip(b"=")) % 4)
    for decode in (base64.b64decode, base64.urlsafe_b64decode):
        try:
            yield decode(padded)
        except (binascii.Error, ValueError):
            continue


def readings(data: bytes, depth: int = 0) -> Iterator[bytes]:
    """`data`, and everything it decodes or decompresses to."""
    yield data
    with contextlib.suppress(zlib.error):
        yield from readings(zlib.decompress(data), depth + 1)
    if depth >= MAX_DEPTH:
        return
    for run in BASE64_RUN.findall(data):
        for decoded in _decoded(run):
            yield from readings(decoded, depth + 1)


def _as_bytes(value) -> bytes | None:
    if value is None:
        return None
    if isinstance(value, memoryview):
        return value.tobytes()
    if isinstance(value, bytes):
        return value
    if isinstance(value, dict | list):
        return json.dumps(value).encode()
    return str(value).encode()


def database_rows() -> Iterator[tuple[str, str, bytes]]:
    """(table, column, value) for every non-null value of every table."""
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            columns = [column[0] for column in cursor.description]
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    data = _as_bytes(value)
                    if data is not None:
                        yield table, column, data


def redis_entries() -> Iterator[tuple[str, bytes]]:
    """(key, key or value) for every key of the Redis database, whatever its type."""
    client = redis_client()
    try:
        for key in client.scan_iter(match="*"):
            name = key.decode("latin-1")
            yield name, key
            kind = client.type(key)
            if kind == b"string":
                values: Iterable = [client.get(key)]
            elif kind == b"hash":
                values = [part for pair in client.hgetall(key).items() for part in pair]
            elif kind == b"list":
                values = client.lrange(key, 0, -1)
            elif kind == b"set":
                values = client.smembers(key)
            elif kind == b"zset":
                values = client.zrange(key, 0, -1)
            else:
                values = []
            for value in values:
                if value is not None:
                    yield name, value
    finally:
        client.close()


def _found(secrets: list[str], data: bytes) -> set[str]:
    return {
        secret for secret in secrets for reading in readings(data) if secret.encode() in reading
    }


def secrets_in_database(secrets: list[str]) -> list[tuple[str, str, str]]:
    """(table, column, secret) for every secret found somewhere in the database."""
    return [
        (table, column, secret)
        for table, column, data in database_rows()
        for secret in _found(secrets, data)
    ]


def secrets_in_redis(secrets: list[str]) -> list[tuple[str, str]]:
    return [(key, secret) for key, data in redis_entries() for secret in _found(secrets, data)]


def tables_scanned() -> set[str]:
    return {table for table, _, _ in database_rows()}
