"""Which errors mean "a store the shop needs is not answering" (spec §14): the database, or Redis
when `REDIS_URL` is set. Those are answered with 503 and `Retry-After` by both front doors;
every other database or Redis error stays a bug (500)."""

from __future__ import annotations

import sqlite3

import redis
from django.db import InterfaceError, OperationalError
from django.utils.functional import lazy
from django.utils.translation import ngettext

# Seconds a client is asked to wait (`Retry-After`) while the database does not answer. A
# restarted database is served again within this time (docs/decisions/database-outages.md).
RETRY_AFTER_SECONDS = 5


def unavailable_message() -> str:
    return ngettext(
        "The shop cannot reach its storage right now. Nothing was changed; "
        "please try again in %(seconds)s second.",
        "The shop cannot reach its storage right now. Nothing was changed; "
        "please try again in %(seconds)s seconds.",
        RETRY_AFTER_SECONDS,
    ) % {"seconds": RETRY_AFTER_SECONDS}


# Lazy: in the language of the request that shows it.
UNAVAILABLE_MESSAGE = lazy(unavailable_message, str)()

# PostgreSQL SQLSTATEs that say the server (not the query) is the problem: class 08 (connection
# exception) and 53 (insufficient resources: too many connections, disk full, out of memory),
# the server shutting down or starting up, a backend terminated by an administrator, a
# statement cancelled by `statement_timeout`, and a lock not granted within `lock_timeout`
# (the production settings set both: DB_STATEMENT_TIMEOUT, DB_LOCK_TIMEOUT). Syntax errors,
# missing tables (42...), constraint violations (23...) and serialization failures (40...) are
# not among them.
UNAVAILABLE_SQLSTATE_CLASSES = ("08", "53")
UNAVAILABLE_SQLSTATES = {
    "57P01",  # admin_shutdown (pg_terminate_backend, fast shutdown)
    "57P02",  # crash_shutdown
    "57P03",  # cannot_connect_now (starting up, shutting down)
    "57014",  # query_canceled (statement_timeout)
    "55P03",  # lock_not_available (lock_timeout)
}
# SQLite result codes (primary, the low byte) of a database that cannot be opened or read, or
# that stayed locked past the busy timeout; "no such table" and friends are SQLITE_ERROR (1).
UNAVAILABLE_SQLITE_CODES = {
    5,  # SQLITE_BUSY: still locked after the busy timeout
    6,  # SQLITE_LOCKED
    10,  # SQLITE_IOERR
    13,  # SQLITE_FULL
    14,  # SQLITE_CANTOPEN
    15,  # SQLITE_PROTOCOL
}


def database_unavailable(error: BaseException) -> bool:
    """True for a failure to reach or use the database server (connection refused or lost,
    pool timeout, server restarting, statement timeout, SQLite file unreadable or locked);
    False for everything else, programming errors included. Django wraps the driver's
    exception and keeps it as `__cause__`, which is what is looked at."""
    if not isinstance(error, OperationalError | InterfaceError):
        return False
    cause = error.__cause__
    if isinstance(cause, sqlite3.Error):
        code = getattr(cause, "sqlite_errorcode", None)
        return isinstance(error, OperationalError) and (
            isinstance(code, int) and (code & 0xFF) in UNAVAILABLE_SQLITE_CODES
        )
    if not _is_psycopg_error(cause):
        return False
    if isinstance(error, InterfaceError):  # psycopg: "the connection is closed/lost"
        return True
    sqlstate = getattr(cause, "sqlstate", None)
    if sqlstate is None:  # raised by the client: refused, lost, timed out, pool timeout
        return True
    return sqlstate.startswith(UNAVAILABLE_SQLSTATE_CLASSES) or sqlstate in UNAVAILABLE_SQLSTATES


def _is_psycopg_error(cause: BaseException | None) -> bool:
    try:
        import psycopg
    except ImportError:  # pragma: no cover (a pinned dependency)
        return False
    return isinstance(cause, psycopg.Error)


def redis_unavailable(error: BaseException) -> bool:
    """True when Redis cannot be reached or answers too slowly (refused, reset, timed out, still
    loading its data); False for a wrong password or a refused command, which are bugs."""
    if isinstance(error, redis.AuthenticationError | redis.exceptions.AuthorizationError):
        return False
    return isinstance(error, redis.ConnectionError | redis.TimeoutError)


def store_unavailable(error: BaseException) -> bool:
    """The one question both front doors ask of an exception: is it an outage (503)?"""
    return database_unavailable(error) or redis_unavailable(error)
