"""Settings for the test suite: fast hashing, a file-backed SQLite so threads share it."""

import os

from config import mailers

from .base import *  # noqa: F403
from .base import DATABASES, LOGGING, VAR_DIR

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CARTSHARE_SHARE_RATE_LIMIT = "off"

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory: concurrency tests open several connections to the same database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test_cartshare.sqlite3")}
CARTSHARE_LOGIN_RATE_LIMIT = "off"  # browser tests log the same people in often
CARTSHARE_REGISTRATION_RATE_LIMIT = "off"  # the tests of the limit turn it on themselves
CARTSHARE_LINK_STATS_FLUSH_SECONDS = 0  # open counts written in the request: tests see them at once
# One access-log line per test request is noise; tests of the access log turn it on themselves.
LOGGING = {
    **LOGGING,
    "loggers": {**LOGGING["loggers"], "cartshare.access": {"level": "WARNING"}},
}
# Mail: kept in memory unless a test points it at its own SMTP sink (tests/notifications/).
# (A worker process started by a test gets EMAIL_HOST and talks SMTP.)
if not os.environ.get("EMAIL_HOST"):
    globals().update(mailers.mail_settings(mailers.LOCMEM_BACKEND))
CARTSHARE_MAIL_RETRY_SECONDS = 30
