"""Settings shared by every environment; each value that differs comes from the environment."""

import os
from pathlib import Path
from typing import Any

import dj_database_url

from config import mailers

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("CARTSHARE_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-change-me-in-production")
DEBUG = env_bool("DEBUG", True)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "cartshare.accounts",
    "cartshare.catalog",
    "cartshare.carts",
    "cartshare.sharing",
    "cartshare.activity",
    "cartshare.storefront",
    "cartshare.comments",
    "cartshare.orders",
    "cartshare.notifications",
    "cartshare.live",
    "django_tasks",
    "django_tasks_db",  # the task queue in the database (docs/decisions/mail-in-the-background.md)
    "ninja",  # serves the API docs' Swagger UI from our own static files, not a CDN
    "corsheaders",  # CORS for the API, off unless CARTSHARE_CORS_ALLOWED_ORIGINS lists origins
]

MIDDLEWARE = [
    "config.middleware.AccessLogMiddleware",
    # Before anything that may answer an API request (503s too), so its answers carry CORS.
    "corsheaders.middleware.CorsMiddleware",
    "config.health.HealthCheckMiddleware",  # /healthz, /readyz: before host check and sessions
    "config.outage.DatabaseUnavailableMiddleware",  # 503 while the database does not answer
    "django.middleware.security.SecurityMiddleware",
    "config.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language of every answer, pages and /api/ alike: the language cookie (set by
    # set_language), else Accept-Language (docs/decisions/i18n.md). Django's LocaleMiddleware
    # plus `Vary: Cookie`. After sessions, before CommonMiddleware; no i18n URL prefixes, so
    # URLs stay as they are.
    "config.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "config.middleware.NoStoreForPrivateResponses",
    "django.contrib.messages.middleware.MessageMiddleware",
    "cartshare.storefront.active_cart.ActiveCartMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "cartshare.api.middleware.ApiMiddleware",
    "cartshare.storefront.middleware.ShareLinkMiddleware",
    "config.middleware.RefuseNulCharactersMiddleware",
]

# CORS (django-cors-headers), for front ends on other origins calling the API with bearer tokens:
# only under /api/v1/, only for the listed origins (scheme://host[:port]); none by default.
# No cookies cross origins (the API authenticates with Authorization, not the session).
CORS_ALLOWED_ORIGINS = env_list("CARTSHARE_CORS_ALLOWED_ORIGINS", "")
CORS_URLS_REGEX = r"^/api/v1/"
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_HEADERS = (
    "accept",
    "authorization",
    "content-type",
    "if-match",
    "idempotency-key",
    "last-event-id",
)
CORS_EXPOSE_HEADERS = ("ETag", "Idempotent-Replayed", "Retry-After", "X-Request-ID", "Allow")
CORS_PREFLIGHT_MAX_AGE = 600

ROOT_URLCONF = "config.urls"
ASGI_APPLICATION = "config.asgi.application"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Overrides of Django's own templates (the admin's base_site.html); apps keep theirs.
        "DIRS": [BASE_DIR / "cartshare" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cartshare.storefront.context_processors.shop",
            ],
        },
    },
]


def database_from_url(url: str) -> dj_database_url.DBConfig:
    """SQLite is tuned for several concurrent writers: WAL, immediate transactions, busy timeout."""
    config = dj_database_url.parse(url, conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")))
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            ),
        }
    # A persistent (CONN_MAX_AGE > 0) or pooled connection is checked before a request uses it,
    # and a broken one replaced: service resumes by itself after a database restart. On
    # PostgreSQL this also gives the production pool its check (docs/decisions/database-outages.md).
    config["CONN_HEALTH_CHECKS"] = True
    return config


DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'cartshare.sqlite3'}")
DATABASES = {"default": database_from_url(DATABASE_URL)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
# Seconds a connection to Redis, and each of its commands, may take: a Redis host that drops
# packets is an outage in a second (docs/decisions/database-outages.md), not a hung request.
REDIS_TIMEOUT_SECONDS = float(os.environ.get("REDIS_TIMEOUT", "1"))
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "socket_connect_timeout": REDIS_TIMEOUT_SECONDS,
                "socket_timeout": REDIS_TIMEOUT_SECONDS,
            },
        }
    }
else:
    # Shared by every worker process, unlike the local-memory cache (rate-limit counters).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "cartshare_cache",
        }
    }

AUTH_USER_MODEL = "accounts.Customer"
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "storefront:login"
LOGIN_REDIRECT_URL = "storefront:product_list"
LOGOUT_REDIRECT_URL = "storefront:product_list"

# English and German (docs/decisions/i18n.md). Each app keeps its own catalog in
# cartshare/<app>/locale/; project-level strings (base templates, config/) live in locale/.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("de", "Deutsch")]
# The packages that are not apps keep theirs too (the policy, the API, common): listed here, as
# Django finds only the apps' catalogs by itself.
LOCALE_PATHS = [
    BASE_DIR / "locale",
    *(BASE_DIR / "cartshare" / package / "locale" for package in ("access", "api", "common")),
]
# The visitor's choice from the header switcher (set_language), remembered for a year.
LANGUAGE_COOKIE_NAME = "cartshare_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns (an error in tests) if missing
STORAGES: dict[str, dict[str, str]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# Cartshare's own settings.
CARTSHARE_BASE_URL = os.environ.get("CARTSHARE_BASE_URL", "").rstrip("/")
CARTSHARE_SHARE_RATE_LIMIT = os.environ.get("CARTSHARE_SHARE_RATE_LIMIT", "60/m")
# Key for the encrypted share-link tokens (re-copying links); empty: derived from SECRET_KEY.
CARTSHARE_LINK_KEY = os.environ.get("CARTSHARE_LINK_KEY", "")
CARTSHARE_LOGIN_RATE_LIMIT = os.environ.get("CARTSHARE_LOGIN_RATE_LIMIT", "10/m")
CARTSHARE_REGISTRATION_RATE_LIMIT = os.environ.get("CARTSHARE_REGISTRATION_RATE_LIMIT", "10/h")
CARTSHARE_ACCESS_TOKEN_TTL = int(os.environ.get("CARTSHARE_ACCESS_TOKEN_TTL", "86400"))  # seconds
CARTSHARE_API_MAX_BODY_BYTES = int(os.environ.get("CARTSHARE_API_MAX_BODY_BYTES", "65536"))
# The cart page and the preview page show a cart's lines this many at a time (Django's Paginator,
# `?page=N`); totals always cover the whole cart. The spec allows 1,000 lines per cart.
CARTSHARE_LINES_PER_PAGE = int(os.environ.get("CARTSHARE_LINES_PER_PAGE", "200"))
# Live event streams: a comment line at least this often (seconds; at most 15, API.md).
CARTSHARE_LIVE_HEARTBEAT_SECONDS = min(
    float(os.environ.get("CARTSHARE_LIVE_HEARTBEAT_SECONDS", "15")), 15.0
)
# Share-link open counts are added up per process and written every that many seconds (and at
# exit), off the request path; a crash loses at most that many seconds of counts. 0: written in
# the request (the test settings). See cartshare/sharing/link_stats.py.
CARTSHARE_LINK_STATS_FLUSH_SECONDS = float(
    os.environ.get("CARTSHARE_LINK_STATS_FLUSH_SECONDS", "2")
)

# Mail (spec §12) leaves through the task worker (`manage.py task_worker`), never in a request.
# Configured by Django's EMAIL_* names as environment variables (README); config/mailers.py
# turns them into the settings of the running Django (MAILERS from 6.1 on, EMAIL_* before).
# With EMAIL_HOST unset, each mail goes to the console and to var/mail/.
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Cartshare <shop@cartshare.example>")
if os.environ.get("EMAIL_HOST"):
    globals().update(
        mailers.mail_settings(
            mailers.SMTP_BACKEND,
            host=os.environ["EMAIL_HOST"],
            port=int(os.environ.get("EMAIL_PORT", "25")),
            username=os.environ.get("EMAIL_HOST_USER", ""),
            password=os.environ.get("EMAIL_HOST_PASSWORD", ""),
            use_tls=env_bool("EMAIL_USE_TLS", False),
            timeout=30,
        )
    )
else:
    globals().update(
        mailers.mail_settings(mailers.CONSOLE_AND_FILE_BACKEND, file_path=str(VAR_DIR / "mail"))
    )
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Comments on one cart within this many seconds are sent to each person as one mail.
CARTSHARE_MAIL_GROUP_SECONDS = int(os.environ.get("CARTSHARE_MAIL_GROUP_SECONDS", "180"))
# A failed delivery is retried after 30 s, then 1, 2, 4 ... minutes (at most an hour apart),
# CARTSHARE_MAIL_MAX_ATTEMPTS times in all; then the mail is marked failed for the back office.
CARTSHARE_MAIL_RETRY_SECONDS = float(os.environ.get("CARTSHARE_MAIL_RETRY_SECONDS", "30"))
# How often one owner may send invitations from the Share panel (calls, each to at most 20).
CARTSHARE_INVITATION_RATE_LIMIT = os.environ.get("CARTSHARE_INVITATION_RATE_LIMIT", "10/h")
# Password resets (page and API) per client address and per e-mail address.
CARTSHARE_PASSWORD_RESET_RATE_LIMIT = os.environ.get("CARTSHARE_PASSWORD_RESET_RATE_LIMIT", "5/h")
PASSWORD_RESET_TIMEOUT = 3 * 24 * 3600  # a reset link works once, for 3 days
CARTSHARE_MAIL_MAX_ATTEMPTS = int(os.environ.get("CARTSHARE_MAIL_MAX_ATTEMPTS", "8"))
# A worker holds a mail it is sending for this long (its lease); a mail still `sending` after
# that, or due this long ago and never taken, is given back to the queue by the task worker's
# sweep, which runs every CARTSHARE_MAIL_SWEEP_SECONDS. The lease must be longer than the
# slowest delivery (EMAIL_TIMEOUT is per SMTP step): docs/decisions/mail-in-the-background.md.
CARTSHARE_MAIL_LEASE_SECONDS = float(os.environ.get("CARTSHARE_MAIL_LEASE_SECONDS", "600"))
CARTSHARE_MAIL_SWEEP_SECONDS = float(os.environ.get("CARTSHARE_MAIL_SWEEP_SECONDS", "30"))
# Live event streams of one cart wake at most this often during a burst of changes (the first
# change at once): cartshare/live/bus.py, bench/README.md "Live events". 0: at every change.
CARTSHARE_LIVE_WAKE_SECONDS = float(os.environ.get("CARTSHARE_LIVE_WAKE_SECONDS", "0.2"))
# A live stream whose client stops reading is dropped (it reconnects with Last-Event-ID and
# loses nothing) once this many bytes wait behind its blocked send, or a send has been blocked
# this many seconds: cartshare/live/sending.py.
CARTSHARE_LIVE_BACKLOG_BYTES = int(os.environ.get("CARTSHARE_LIVE_BACKLOG_BYTES", "262144"))
CARTSHARE_LIVE_SEND_TIMEOUT_SECONDS = float(
    os.environ.get("CARTSHARE_LIVE_SEND_TIMEOUT_SECONDS", "10")
)
# Links in mails use CARTSHARE_BASE_URL; without it, the address of `make run`.
CARTSHARE_DEV_BASE_URL = "http://{}:{}".format(
    os.environ.get("HOST", "127.0.0.1"), os.environ.get("PORT", "8000")
)

LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
# One console handler for everything, and it masks share-link tokens in every line
# (cartshare/common/logmask.py). Django's own console handler (DEBUG only) and runserver's would
# print unmasked, so their records go to it instead. uvicorn's access log stays off
# (`--no-access-log` in `make run`, the default of `config.serve`): the app logs requests itself.
LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_tokens": {"()": "cartshare.common.logmask.MaskTokens"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["mask_tokens"]}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.server": {"handlers": [], "propagate": True},
        # Our access log (config.middleware.AccessLogMiddleware); LOG_LEVEL_ACCESS=WARNING mutes it.
        "cartshare.access": {"level": os.environ.get("LOG_LEVEL_ACCESS", LOG_LEVEL)},
    },
}
# Routes only the benchmark uses (GET /_bench/floor); never on in a real deployment.
CARTSHARE_BENCH_ROUTES = env_bool("CARTSHARE_BENCH_ROUTES", False)
