"""A database outage as production meets it: the README's production command (`config.serve`,
production settings, 2 workers, the psycopg pool, or persistent connections with
CONN_MAX_AGE) in a subprocess, its DATABASE_URL pointing through a TCP proxy
(tests/faults/tcp_proxy.py) at the test database. The test cuts the proxy (new connections
refused, open ones reset, as a restarting PostgreSQL does), checks that pages and the API
answer 503 with Retry-After, /healthz 200 and /readyz 503, restores it, and checks that
everything answers 200 again within 5 s. The shared PostgreSQL server is never stopped."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from django.conf import settings
from django.test import Client

from cartshare.common.database import RETRY_AFTER_SECONDS
from tests.cache_backends import REDIS_URL
from tests.config.test_server_logs_hold_no_tokens import (
    HOST,
    ROOT,
    Server,
    base_environment,
    free_port,
    production_command,
    production_settings,
)
from tests.faults.tcp_proxy import TcpProxy

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

RECOVERY_SECONDS = 5
OUTAGE_SECONDS = 35


class Answer:
    def __init__(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.status, self.headers, self.body = status, headers, body

    @property
    def json(self) -> dict:
        return json.loads(self.body)


def fetch(port: int, path: str, headers: dict[str, str] | None = None) -> Answer:
    request = urllib.request.Request(f"http://{HOST}:{port}{path}", headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return Answer(response.status, dict(response.headers), response.read())
    except urllib.error.HTTPError as error:
        return Answer(error.code, dict(error.headers), error.read())


def proxied_database_url(proxy_port: int) -> str:
    database = settings.DATABASES["default"]
    return (
        f"postgres://{database['USER']}:{database.get('PASSWORD') or ''}@127.0.0.1:{proxy_port}"
        f"/{database['NAME']}"
    )


def session_cookie_of(customer) -> str:
    client = Client()
    client.force_login(customer)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def api_token_of(customer) -> str:
    from tests.api.client import token_for

    return token_for(customer)


@pytest.fixture(scope="module")
def collected_static(tmp_path_factory):
    """Production serves collected, hashed static files (the 503 page links its stylesheet)."""
    var = tmp_path_factory.mktemp("production-var")
    env = base_environment("database") | production_settings(var)
    command = [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"]
    subprocess.run(command, cwd=ROOT, env=env, check=True, timeout=300)
    return var


@pytest.fixture
def proxy():
    database = settings.DATABASES["default"]
    with TcpProxy((database["HOST"] or "127.0.0.1", int(database.get("PORT") or 5432))) as proxy:
        yield proxy


CONNECTIONS = {
    "pool": {},  # the production default: a psycopg pool per worker
    "persistent": {"CONN_MAX_AGE": "60"},  # no pool; Django's persistent connections
}


@pytest.mark.parametrize("connections", list(CONNECTIONS))
def test_pages_and_api_answer_503_while_the_database_is_away_and_recover_within_5_s(
    world,
    database_cache,
    collected_static,
    proxy,
    tmp_path,
    connections,
):
    requests = {
        "page": ("/", {}),
        "logged-in page": ("/carts/", {"Cookie": session_cookie_of(world.alice)}),
        "api": ("/api/v1/products", {}),
        "authenticated api": (
            "/api/v1/carts",
            {"Authorization": f"Bearer {api_token_of(world.alice)}"},
        ),
        "readyz": ("/readyz", {}),
        "healthz": ("/healthz", {}),
    }
    port = free_port()
    env = base_environment("redis") | production_settings(collected_static)
    env |= {
        "DATABASE_URL": proxied_database_url(proxy.port),
        "LOG_LEVEL": "WARNING",  # psycopg_pool's INFO lines are many
        "LOG_LEVEL_ACCESS": "INFO",  # but every request's status is in the log
    }
    env |= CONNECTIONS[connections]
    assert env["REDIS_URL"] == REDIS_URL  # readyz checks Redis too
    server = Server(production_command(port), env, tmp_path / "server.log")
    try:
        server.wait_ready(port)
        before = {name: fetch(port, *request) for name, request in requests.items()}
        assert {name: answer.status for name, answer in before.items()} == dict.fromkeys(
            requests, 200
        ), server.output()
        assert before["readyz"].json == {
            "status": "ok",
            "checks": {"database": "ok", "redis": "ok"},
        }

        proxy.cut()
        cut_at = time.monotonic()
        during = {name: fetch(port, *request) for name, request in requests.items()}
        # A load balancer polls /readyz every second: the outage lasts long enough for the
        # pool's reconnection backoff to grow past the recovery time we promise.
        polled = []
        while time.monotonic() - cut_at < OUTAGE_SECONDS:
            polled.append(fetch(port, "/readyz").status)
            time.sleep(1)
        outage_log = server.output()

        proxy.restore()
        restored_at = time.monotonic()
        recovered_after = {}
        pending = dict(requests)
        while pending and time.monotonic() - restored_at < 3 * RECOVERY_SECONDS:
            for name, request in list(pending.items()):
                if fetch(port, *request).status == 200:
                    recovered_after[name] = time.monotonic() - restored_at
                    del pending[name]
            time.sleep(0.05)
        # Both workers, not only the one that answered first: several rounds in a row.
        after = [fetch(port, *request).status for request in requests.values() for _ in range(4)]
    finally:
        output = server.stop()

    assert during["healthz"].status == 200, output
    assert during["readyz"].status == 503
    assert set(polled) == {503}
    assert during["readyz"].json == {
        "status": "unavailable",
        "checks": {"database": "unavailable", "redis": "ok"},
    }
    for name in ("page", "logged-in page"):
        answer = during[name]
        assert answer.status == 503, (name, answer.body[:500], output)
        assert answer.headers["Retry-After"] == str(RETRY_AFTER_SECONDS)
        assert answer.headers["Content-Type"].startswith("text/html")
        assert b"Cart<span>share</span>" in answer.body
        assert b"Traceback" not in answer.body
    for name in ("api", "authenticated api"):
        answer = during[name]
        assert answer.status == 503, (name, answer.body[:500], output)
        assert answer.headers["Retry-After"] == str(RETRY_AFTER_SECONDS)
        assert answer.headers["Content-Type"].startswith("application/problem+json")
        assert answer.json["status"] == 503
        assert answer.json["title"] == "Service unavailable"
    assert '" 503 ' in outage_log
    assert '" 500 ' not in output
    assert "Internal Server Error" not in output

    assert not pending, (pending, recovered_after, output)
    assert max(recovered_after.values()) <= RECOVERY_SECONDS, (recovered_after, output)
    assert set(after) == {200}, output
