"""Rate limits hold when a real server with two worker processes gets parallel requests
(issue 11, items 1 and 5), and no client chooses the address it is counted under with
X-Forwarded-For (issue 11, "make run must not let a local client choose its rate-limit key").

The server runs as the README's production command does (`config.serve --workers 2`) or as
`make run` runs it (the command `make -n run` prints), in a subprocess on a free port of
127.0.0.1, against the test database (SQLite file or PostgreSQL), with the database counters and
with Redis. Requests are sent from 16 threads at once."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher

from cartshare.accounts.authentication import ACCOUNT_SCOPE, CLIENT_SCOPE
from cartshare.common.ratelimit import PERIODS, SHARE_OPEN_SCOPE, _bucket
from cartshare.sharing.tokens import token_new
from tests.cache_backends import redis_client
from tests.config.test_server_logs_hold_no_tokens import (
    HOST,
    Server,
    base_environment,
    free_port,
    make_run_command,
    production_command,
)
from tests.factories import PASSWORD, CustomerFactory

pytestmark = pytest.mark.django_db(transaction=True)

LIMIT = 12
REQUESTS = 48
DAY = PERIODS["d"]


def request(port: int, path: str, body: dict | None = None, **headers: str) -> tuple[int, dict]:
    data = json.dumps(body).encode() if body is not None else None
    prepared = urllib.request.Request(
        f"http://{HOST}:{port}{path}",
        data=data,
        headers={"Content-Type": "application/json", **headers},
        method="POST" if data is not None else "GET",
    )
    try:
        with urllib.request.urlopen(prepared, timeout=30) as response:
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers)


def in_parallel(count: int, call) -> list[int]:
    with ThreadPoolExecutor(max_workers=16) as pool:
        return list(pool.map(lambda _: call(), range(count)))


def server_customer(email: str):
    """A customer whose password the server can check: the test settings hash with MD5, which
    the server does not accept."""
    hashed = PBKDF2PasswordHasher().encode(PASSWORD, PBKDF2PasswordHasher().salt())
    return CustomerFactory(email=email, password=hashed)


def forget_counters(cache: str, keys: list[tuple[str, str]]) -> None:
    """The server's Redis has no key prefix of the test's own: its counters of this window are
    deleted before and after, so that runs do not count each other's hits. (The database's are
    emptied with every table after a transactional test.)"""
    if cache != "redis":
        return
    client = redis_client()
    window = int(time.time() // DAY)
    for scope, key in keys:
        for day in (window - 1, window, window + 1):
            client.delete(f":1:{_bucket(scope, key, day)}")
    client.close()


@pytest.fixture
def server_env(tmp_path: Path, database_cache: str):
    def make(cache: str, **settings: str) -> dict[str, str]:
        return base_environment(cache) | {"CARTSHARE_VAR_DIR": str(tmp_path), **settings}

    return make


def run(command: list[str], env: dict[str, str], log: Path, port: int):
    server = Server(command, env, log)
    server.wait_ready(port)
    return server


@pytest.mark.parametrize("cache", ["database", "redis"])
def test_parallel_share_opens_in_two_workers_never_get_past_the_limit(tmp_path, server_env, cache):
    counted = [(SHARE_OPEN_SCOPE, "127.0.0.1")]
    forget_counters(cache, counted)
    port = free_port()
    env = server_env(cache, CARTSHARE_SHARE_RATE_LIMIT=f"{LIMIT}/d")
    server = run(production_command(port), env, tmp_path / "server.log", port)
    try:
        day = int(time.time() // DAY)
        statuses = in_parallel(REQUESTS, lambda: request(port, f"/api/v1/shared/{token_new()}")[0])
        crossed_midnight = int(time.time() // DAY) != day
    finally:
        output = server.stop()
        forget_counters(cache, counted)
    through = [status for status in statuses if status != 429]
    assert set(through) <= {404}, output
    assert len(through) <= LIMIT * (2 if crossed_midnight else 1), statuses
    assert len(through) == LIMIT or crossed_midnight, statuses


@pytest.mark.parametrize("cache", ["database", "redis"])
def test_parallel_password_guesses_in_two_workers_never_get_past_the_limit(
    tmp_path, server_env, cache
):
    email = "bob.admin@example.com"
    counted = [(CLIENT_SCOPE, "127.0.0.1"), (ACCOUNT_SCOPE, email)]
    forget_counters(cache, counted)
    server_customer("Bob.Admin@Example.com")
    port = free_port()
    env = server_env(cache, CARTSHARE_LOGIN_RATE_LIMIT=f"{LIMIT}/d")
    server = run(production_command(port), env, tmp_path / "server.log", port)
    try:
        day = int(time.time() // DAY)
        guess = {"email": email, "password": "not the password"}
        statuses = in_parallel(REQUESTS, lambda: request(port, "/api/v1/access-tokens", guess)[0])
        crossed_midnight = int(time.time() // DAY) != day
        # The counts were kept (not rolled back with a request): the right password, in the
        # capitals the account was stored with, is refused now too, with a Retry-After.
        right = {"email": "Bob.Admin@Example.com", "password": PASSWORD}
        status, headers = request(port, "/api/v1/access-tokens", right)
    finally:
        output = server.stop()
        forget_counters(cache, counted)
    assert set(statuses) <= {401, 429}, output
    # Two counters (client, account) take each attempt in their own order, so a few attempts
    # may be refused by one counter and spend a place of the other: at most the limit is checked.
    assert 1 <= statuses.count(401) <= LIMIT * (2 if crossed_midnight else 1), statuses
    assert status == 429 or crossed_midnight, output
    assert int(headers["Retry-After"]) >= 1


@pytest.mark.parametrize("how", ["make run", "production"])
def test_x_forwarded_for_does_not_choose_the_rate_limit_key(tmp_path, server_env, how):
    """Each guess names another address in X-Forwarded-For and another account; they are all
    counted under the one real client address all the same."""
    port = free_port()
    command = make_run_command(port) if how == "make run" else production_command(port)
    env = server_env("database", CARTSHARE_LOGIN_RATE_LIMIT="2/d")
    server = run(command, env, tmp_path / "server.log", port)
    try:
        statuses = [
            request(
                port,
                "/api/v1/access-tokens",
                {"email": f"nobody{number}@example.com", "password": "guess"},
                **{"X-Forwarded-For": f"203.0.113.{number}"},
            )[0]
            for number in range(1, 4)
        ]
    finally:
        output = server.stop()
    assert statuses == [401, 401, 429], output
