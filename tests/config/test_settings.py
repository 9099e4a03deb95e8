"""The settings read the environment as the README says. Each case imports a settings module in
a fresh interpreter, so the environment it sees is exactly the one given."""

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
database = settings.DATABASES["default"]
print(json.dumps({
    "engine": database["ENGINE"],
    "conn_max_age": database["CONN_MAX_AGE"],
    "options": database.get("OPTIONS", {}),
    "debug": settings.DEBUG,
    "allowed_hosts": settings.ALLOWED_HOSTS,
    "csrf_trusted_origins": settings.CSRF_TRUSTED_ORIGINS,
    "session_cookie_secure": settings.SESSION_COOKIE_SECURE,
    "cache": settings.CACHES["default"]["BACKEND"],
    "share_rate": settings.CARTSHARE_SHARE_RATE_LIMIT,
    "base_url": settings.CARTSHARE_BASE_URL,
}))
"""
# The default mailer as Django builds it (mailers from Django 6.1 on, get_connection before),
# under -W error: a deprecated mail setting would stop the probe.
MAIL_PROBE = """
import json
import django
django.setup()
from django.core import mail
backend = mail.mailers.default if hasattr(mail, "mailers") else mail.get_connection()
print(json.dumps({
    "backend": f"{type(backend).__module__}.{type(backend).__qualname__}",
    **{
        name: getattr(backend, name, None)
        for name in ("host", "port", "username", "password", "use_tls", "timeout", "file_path")
    },
}))
"""


def settings_with(
    module: str, tmp_path, probe: str = PROBE, **environment: str
) -> subprocess.CompletedProcess:
    keep = {"PATH", "HOME", "LANG", "SYSTEMROOT"}
    env = {key: value for key, value in os.environ.items() if key in keep}
    env |= {"DJANGO_SETTINGS_MODULE": module, "CARTSHARE_VAR_DIR": str(tmp_path), **environment}
    return subprocess.run(
        [sys.executable, "-W", "error", "-c", probe],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def read(result: subprocess.CompletedProcess) -> dict:
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_default_database_is_a_sqlite_file_tuned_for_concurrent_writers(tmp_path):
    values = read(settings_with("config.settings.base", tmp_path))
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["options"]["transaction_mode"] == "IMMEDIATE"
    assert values["options"]["timeout"] >= 5
    assert "journal_mode=WAL" in values["options"]["init_command"]
    assert values["debug"] is True
    assert values["cache"] == "django.core.cache.backends.db.DatabaseCache"


def test_list_and_flag_variables_are_parsed(tmp_path):
    values = read(
        settings_with(
            "config.settings.base",
            tmp_path,
            DEBUG="off",
            ALLOWED_HOSTS="shop.example.com, www.shop.example.com",
            CSRF_TRUSTED_ORIGINS="https://shop.example.com",
            REDIS_URL="redis://127.0.0.1:6379/0",
            CARTSHARE_SHARE_RATE_LIMIT="5/m",
            CARTSHARE_BASE_URL="https://shop.example.com/",
        )
    )
    assert values["debug"] is False
    assert values["allowed_hosts"] == ["shop.example.com", "www.shop.example.com"]
    assert values["csrf_trusted_origins"] == ["https://shop.example.com"]
    assert values["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert values["share_rate"] == "5/m"
    assert values["base_url"] == "https://shop.example.com"


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = settings_with("config.settings.production", tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_on_postgresql_pools_connections_instead_of_keeping_them(tmp_path):
    values = read(
        settings_with(
            "config.settings.production",
            tmp_path,
            SECRET_KEY="x" * 50,
            DATABASE_URL="postgres://shop:secret@db.internal:5432/cartshare",
            DB_POOL_MAX_SIZE="7",
        )
    )
    assert values["engine"] == "django.db.backends.postgresql"
    assert values["conn_max_age"] == 0
    assert values["options"]["pool"]["max_size"] == 7
    assert values["debug"] is False
    assert values["session_cookie_secure"] is True


@pytest.mark.parametrize(
    ("environment", "expected_age"), [({"DB_POOL_MAX_SIZE": "0"}, 0), ({"CONN_MAX_AGE": "60"}, 60)]
)
def test_production_pool_can_be_turned_off(tmp_path, environment, expected_age):
    values = read(
        settings_with(
            "config.settings.production",
            tmp_path,
            SECRET_KEY="x" * 50,
            DATABASE_URL="postgres://shop:secret@db.internal:5432/cartshare",
            SECURE_COOKIES="false",
            **environment,
        )
    )
    assert "pool" not in values["options"]
    assert values["conn_max_age"] == expected_age
    assert values["session_cookie_secure"] is False


def test_email_host_sends_mail_through_that_smtp_server_with_the_email_variables(tmp_path):
    values = read(
        settings_with(
            "config.settings.production",
            tmp_path,
            MAIL_PROBE,
            SECRET_KEY="x" * 50,
            EMAIL_HOST="smtp.shop.example",
            EMAIL_PORT="587",
            EMAIL_HOST_USER="shop",
            EMAIL_HOST_PASSWORD="secret",
            EMAIL_USE_TLS="true",
        )
    )
    assert values["backend"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (values["host"], values["port"], values["username"], values["password"]) == (
        "smtp.shop.example",
        587,
        "shop",
        "secret",
    )
    assert values["use_tls"] is True
    assert values["timeout"] == 30


def test_without_email_host_mail_goes_to_the_console_and_var_mail(tmp_path):
    values = read(settings_with("config.settings.base", tmp_path, MAIL_PROBE))
    assert values["backend"] == "cartshare.notifications.backends.ConsoleAndFileBackend"
    assert values["file_path"] == str(tmp_path / "mail")
