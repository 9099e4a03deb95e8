"""`database_unavailable` tells a database that does not answer (503) from a bug (500), on real
errors of each backend, not hand-made ones."""

from __future__ import annotations

import sqlite3

import pytest
from django.db import DatabaseError, InterfaceError, OperationalError, connection

from cartshare.common.database import database_unavailable
from tests.faults.unreachable import database_unreachable

pytestmark = pytest.mark.django_db(transaction=True)


def raised_by(statement: str) -> DatabaseError:
    with pytest.raises(DatabaseError) as caught, connection.cursor() as cursor:
        cursor.execute(statement)
    return caught.value


def test_a_database_that_cannot_be_reached_is_an_outage():
    with database_unreachable(), pytest.raises(OperationalError) as caught:
        connection.ensure_connection()
    assert database_unavailable(caught.value)


def test_a_missing_table_is_a_bug_not_an_outage():
    error = raised_by("SELECT * FROM no_such_table")  # SQLite: OperationalError; PG: Programming
    assert not database_unavailable(error)


def test_a_syntax_error_is_a_bug_not_an_outage():
    assert not database_unavailable(raised_by("SELEKT 1"))


def test_an_operational_error_without_a_driver_error_behind_it_is_not_an_outage():
    assert not database_unavailable(OperationalError("made up"))
    assert not database_unavailable(RuntimeError("no database error at all"))


def test_sqlites_interface_error_is_a_bug():
    """sqlite3.InterfaceError is a parameter the driver cannot bind: the code's fault."""
    try:
        raise sqlite3.InterfaceError("Error binding parameter 1")
    except sqlite3.InterfaceError as driver_error:
        wrapped = InterfaceError(str(driver_error))
        wrapped.__cause__ = driver_error
    assert not database_unavailable(wrapped)


@pytest.mark.postgres
def test_a_statement_timeout_and_a_terminated_backend_are_outages():
    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = 50")
    timeout = raised_by("SELECT pg_sleep(1)")
    assert database_unavailable(timeout)
    connection.close()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    from django.db import connections

    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    finally:
        other.close()
    terminated = raised_by("SELECT 1")
    assert database_unavailable(terminated)
    connection.close()


@pytest.mark.postgres
def test_a_lock_wait_past_the_lock_timeout_is_an_outage():
    """`make chaos` holds a row lock past the production timeouts: with DB_LOCK_TIMEOUT set, the
    waiting request's error is SQLSTATE 55P03 (lock_not_available), which was a 500 before."""
    from django.db import connections

    holder = connections.create_connection("default")
    try:
        holder.set_autocommit(False)
        with holder.cursor() as cursor:
            cursor.execute("CREATE TABLE IF NOT EXISTS chaos_lock_probe (id int PRIMARY KEY)")
            holder.commit()
            cursor.execute("INSERT INTO chaos_lock_probe VALUES (1) ON CONFLICT DO NOTHING")
            holder.commit()
            cursor.execute("SELECT id FROM chaos_lock_probe WHERE id = 1 FOR UPDATE")
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = 50")
        waited = raised_by("UPDATE chaos_lock_probe SET id = 1 WHERE id = 1")
        assert waited.__cause__.sqlstate == "55P03"
        assert database_unavailable(waited)
    finally:
        holder.rollback()
        with holder.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS chaos_lock_probe")
        holder.commit()
        holder.close()
        connection.close()


def test_a_live_wake_up_that_finds_no_database_is_one_warning_line(caplog, settings, monkeypatch):
    """After a commit, the PostgreSQL NOTIFY of a live wake-up may meet a restart (`make chaos`):
    logged as one warning, without the traceback a bug gets."""
    from cartshare.live import bus

    monkeypatch.setattr(bus, "_redis", None)  # a client made for another test's Redis
    settings.REDIS_URL = ""
    if connection.vendor != "postgresql":
        settings.REDIS_URL = "redis://127.0.0.1:1/0"  # the other store the bus publishes to
    with database_unreachable():
        bus.publish("00000000-0000-0000-0000-000000000000")
    records = [record for record in caplog.records if record.name == bus.__name__]
    assert [(record.levelname, bool(record.exc_info)) for record in records] == [("WARNING", False)]
    assert "the store did not answer" in records[0].getMessage()
