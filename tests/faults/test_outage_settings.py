"""Production settings heal after a database restart: the psycopg pool checks a connection
before handing it out (Django passes `check=ConnectionPool.check_connection` when
CONN_HEALTH_CHECKS is on), retries soon, and waits a bounded time; persistent connections are
health-checked too. Read in a fresh interpreter, as tests/config/test_settings.py does."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
PROBE = """
import json
from django.conf import settings
from django.db import connection
database = settings.DATABASES["default"]
pool = getattr(connection, "pool", None)  # PostgreSQL only
print(json.dumps({
    "health_checks": database["CONN_HEALTH_CHECKS"],
    "conn_max_age": database["CONN_MAX_AGE"],
    "options": database.get("OPTIONS", {}),
    "pool_checks": pool is not None and pool._check is not None,  # no public accessor
    "middleware": settings.MIDDLEWARE,
}))
"""


def production(tmp_path, **environment: str) -> dict:
    keep = {"PATH", "HOME", "LANG", "SYSTEMROOT"}
    env = {key: value for key, value in os.environ.items() if key in keep}
    env |= {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "CARTSHARE_VAR_DIR": str(tmp_path),
        "SECRET_KEY": "x" * 50,
        "DATABASE_URL": "postgres://shop:secret@db.internal:5432/cartshare",
        **environment,
    }
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_production_pool_checks_connections_and_retries_soon(tmp_path):
    values = production(tmp_path)
    assert values["health_checks"] is True
    assert values["pool_checks"] is True  # the pool was built with a check
    pool = values["options"]["pool"]
    assert pool["timeout"] == 5
    assert pool["reconnect_timeout"] <= 5
    assert values["options"]["connect_timeout"] == 3


def test_the_pool_timeout_and_connect_timeout_come_from_the_environment(tmp_path):
    values = production(tmp_path, DB_POOL_TIMEOUT="2.5", DB_CONNECT_TIMEOUT="7")
    assert values["options"]["pool"]["timeout"] == 2.5
    assert values["options"]["connect_timeout"] == 7


def test_statements_and_lock_waits_are_bounded_by_timeouts_from_the_environment(tmp_path):
    """A request stuck behind a lock gets its 503 after DB_STATEMENT_TIMEOUT (`make chaos`
    holds such a lock) instead of holding a worker thread for ever."""
    default = production(tmp_path)["options"]["options"]
    assert default == "-c statement_timeout=30000 -c lock_timeout=0"
    values = production(tmp_path, DB_STATEMENT_TIMEOUT="2.5", DB_LOCK_TIMEOUT="1")
    assert values["options"]["options"] == "-c statement_timeout=2500 -c lock_timeout=1000"


@pytest.mark.parametrize("url", ["postgres://shop:secret@db.internal:5432/cartshare", None])
def test_persistent_connections_are_health_checked(tmp_path, url):
    environment = {"CONN_MAX_AGE": "60"}
    if url is None:
        environment["DATABASE_URL"] = f"sqlite:///{tmp_path / 'shop.sqlite3'}"
    values = production(tmp_path, **environment)
    assert values["conn_max_age"] == 60
    assert values["health_checks"] is True
    assert "pool" not in values["options"]


def test_probes_and_the_outage_middleware_come_before_hosts_sessions_and_csrf(tmp_path):
    middleware = production(tmp_path)["middleware"]
    health = middleware.index("config.health.HealthCheckMiddleware")
    for later in (
        "django.middleware.security.SecurityMiddleware",
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.middleware.common.CommonMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "cartshare.api.middleware.ApiMiddleware",
        "cartshare.storefront.middleware.ShareLinkMiddleware",
    ):
        assert health < middleware.index(later)
    assert "config.outage.DatabaseUnavailableMiddleware" in middleware
