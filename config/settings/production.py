"""Production: DEBUG off, secrets required, pooled connections, secure cookies."""

import os

from .base import *  # noqa: F403
from .base import DATABASES, env_bool

DEBUG = False


def milliseconds(seconds: str) -> int:
    """A number of seconds from the environment (`2.5`) as PostgreSQL's milliseconds."""
    return round(float(seconds) * 1000)


SECRET_KEY = os.environ["SECRET_KEY"]

# Served through ASGI, so Django's persistent connections stay off (CONN_MAX_AGE=0, as Django's
# database docs require for ASGI); on PostgreSQL every worker process keeps a psycopg pool
# instead, of at most DB_POOL_MAX_SIZE connections (0 turns the pool off).
DB_POOL_MAX_SIZE = int(os.environ.get("DB_POOL_MAX_SIZE", "10"))
# psycopg_pool retries a failed connection with a backoff (1 s, 2 s, 4 s, ...) for this long,
# then gives up until a request asks again; short, so a retry is never far off.
POOL_RECONNECT_TIMEOUT = 2.0
if (
    DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    and DATABASES["default"]["CONN_MAX_AGE"] == 0
    and DB_POOL_MAX_SIZE > 0
):
    # Django passes `check=ConnectionPool.check_connection` to the pool because
    # CONN_HEALTH_CHECKS is on (base.py): a connection broken by a database restart is found
    # when it is taken out of the pool, discarded and replaced. While the database does not
    # answer, a request waits at most `timeout` (DB_POOL_TIMEOUT) for a connection and then
    # gets a 503; the pool retries connecting with a backoff that `reconnect_timeout` cuts
    # short, so a waiting request starts a fresh attempt at once and service resumes within
    # seconds of the database accepting connections again (docs/decisions/database-outages.md).
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": 1,
        "max_size": DB_POOL_MAX_SIZE,
        "timeout": float(os.environ.get("DB_POOL_TIMEOUT", "5")),
        "reconnect_timeout": POOL_RECONNECT_TIMEOUT,
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database host that drops packets (rather than refusing) fails a connection attempt
    # after this many seconds instead of the operating system's minutes.
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = int(
        os.environ.get("DB_CONNECT_TIMEOUT", "3")
    )
    # No statement (a lock wait included) holds a worker's thread and connection for longer
    # than DB_STATEMENT_TIMEOUT seconds (default 30; 0: no limit, e.g. for a long migration),
    # nor waits for a row lock longer than DB_LOCK_TIMEOUT (default 0: only the statement
    # timeout bounds it). Either one cancels the statement, rolls the request's transaction
    # back and answers 503 with Retry-After (docs/decisions/database-outages.md).
    DATABASES["default"]["OPTIONS"]["options"] = (
        f"-c statement_timeout={milliseconds(os.environ.get('DB_STATEMENT_TIMEOUT', '30'))} "
        f"-c lock_timeout={milliseconds(os.environ.get('DB_LOCK_TIMEOUT', '0'))}"
    )

# Opt-in (DB_SERVER_SIDE_BINDING=true): server-side parameter binding, so that psycopg prepares
# the statements a pooled connection runs often (after DB_PREPARE_THRESHOLD runs). Measured in
# `make bench` without a clear gain on the link open (bench/README.md), and the test suite runs
# with client-side binding, so it stays off by default.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool(
    "DB_SERVER_SIDE_BINDING", False
):
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=True,
        prepare_threshold=int(os.environ.get("DB_PREPARE_THRESHOLD", "2")),
    )

# HSTS is best added by the TLS proxy (README); SECURE_HSTS_SECONDS lets Django send it instead.
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
LANGUAGE_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = False

# A 404 or 410 for a stale or guessed share link is routine traffic, not a warning worth a log
# line per request (it made an unknown token slower to answer than a hit in `make bench`).
# Server errors are still logged; set LOG_LEVEL_REQUESTS=WARNING to see every 4xx again.
LOGGING = {
    **LOGGING,  # noqa: F405
    "loggers": {
        **LOGGING["loggers"],  # noqa: F405
        "django.request": {"level": os.environ.get("LOG_LEVEL_REQUESTS", "ERROR")},
    },
}
