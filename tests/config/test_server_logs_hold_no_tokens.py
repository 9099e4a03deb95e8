"""No log line holds a share-link token (issue 11, item 7). The server runs as `make run` runs it
(the command `make -n run` prints) and as the README's production command does (`config.serve`
with production settings and 2 workers), in a subprocess on a free port of 127.0.0.1, against
the test database, with the database cache and with Redis; link addresses of every outcome are
requested and every line the server wrote is searched for the tokens."""

from __future__ import annotations

import os
import shlex
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from cartshare.sharing.link_services import share_link_get_or_create, share_link_revoke
from cartshare.sharing.tokens import token_new
from tests.cache_backends import REDIS_URL
from tests.factories import CartFactory, CartItemFactory, CompanyUserFactory

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parent.parent.parent
HOST = "127.0.0.1"
MASK = "…masked"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def database_url() -> str:
    database = settings.DATABASES["default"]
    if connection.vendor == "sqlite":
        return f"sqlite:///{database['NAME']}"
    return (
        f"postgres://{database['USER']}:{database.get('PASSWORD') or ''}@{database['HOST']}:"
        f"{database.get('PORT') or 5432}/{database['NAME']}"
    )


def make_run_command(port: int) -> list[str]:
    """The server command of `make run`, exactly as the Makefile has it."""
    venv = Path(sys.executable).parent.parent
    printed = subprocess.run(
        ["make", "-n", "run", f"VENV={venv}", f"HOST={HOST}", f"PORT={port}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    (line,) = [line for line in printed.splitlines() if "uvicorn " in line]
    return shlex.split(line)


def production_command(port: int) -> list[str]:
    """The README's production command (gunicorn's workers and the stream process, config.serve),
    with our address and 2 workers."""
    return [
        sys.executable,
        *("-m", "config.serve"),
        *("--host", HOST, "--port", str(port), "--workers", "2"),
    ]


def base_environment(cache: str) -> dict[str, str]:
    keep = {"PATH", "HOME", "LANG", "SYSTEMROOT"}
    env = {key: value for key, value in os.environ.items() if key in keep}
    env.update(DATABASE_URL=database_url(), PYTHONPATH=str(ROOT), LOG_LEVEL="INFO")
    if cache == "redis":
        env["REDIS_URL"] = REDIS_URL
    return env


@pytest.fixture(scope="module")
def collected_static(tmp_path_factory) -> Path:
    """Production serves collected, hashed static files (collectstatic), as the README says."""
    var = tmp_path_factory.mktemp("production-var")
    env = base_environment("database") | production_settings(var)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=300,
    )
    return var


def production_settings(var: Path) -> dict[str, str]:
    return {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": settings.SECRET_KEY,
        "ALLOWED_HOSTS": HOST,
        "SECURE_COOKIES": "false",
        "CARTSHARE_VAR_DIR": str(var),
        "LOG_LEVEL_REQUESTS": "WARNING",  # Django's "Not Found: /share/…" lines too
    }


class Server:
    def __init__(self, command: list[str], env: dict[str, str], log: Path) -> None:
        self.log_path = log
        self.log = open(log, "w")  # noqa: SIM115 (closed in stop())
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def get(self, port: int, path: str) -> int:
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}{path}", timeout=10) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    def wait_ready(self, port: int, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited:\n{self.output()}")
            try:
                self.get(port, "/login/")
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"the server was not ready:\n{self.output()}")

    def stop(self) -> str:
        if self.process.poll() is None:
            os.killpg(self.process.pid, 15)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, 9)
                self.process.wait(timeout=20)
        self.log.close()
        return self.output()

    def output(self) -> str:
        if not self.log.closed:
            self.log.flush()
        return self.log_path.read_text(errors="replace")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


urllib.request.install_opener(urllib.request.build_opener(NoRedirect))


def links_of_every_outcome() -> list[str]:
    """Tokens of a preview link, an internal one (login redirect), a revoked one (410) and an
    unknown one (404)."""
    owner = CompanyUserFactory().customer
    cart = CartFactory(owner=owner, name="Trade fair")
    CartItemFactory(cart=cart)
    tokens = []
    for option in ("PREVIEW", "FULL_ACCESS"):
        _, url, _ = share_link_get_or_create(
            cart=cart, actor=owner, share_option=option, base_url="http://testserver"
        )
        tokens.append(url.rsplit("/", 1)[-1])
    old = CartFactory(owner=owner, name="Old")
    link, url, _ = share_link_get_or_create(
        cart=old, actor=owner, share_option="PREVIEW", base_url="http://testserver"
    )
    share_link_revoke(link=link, actor=owner)
    return [*tokens, url.rsplit("/", 1)[-1], token_new()]


def request_every_kind_of_link_address(server: Server, port: int, tokens: list[str]) -> set[int]:
    statuses = set()
    for token in tokens:
        for path in (
            f"/share/{token}",
            f"/share/{token}?utm_source=chat",
            f"/share/{token}/copy",
            f"/api/v1/shared/{token}",
            f"/login/?next=/share/{token}",
            f"/products/?token={token}",
        ):
            statuses.add(server.get(port, path))
    return statuses


@pytest.mark.parametrize("cache", ["database", "redis"])
@pytest.mark.parametrize("how", ["make run", "production"])
def test_no_log_line_of_the_server_holds_a_share_token(
    request, tmp_path, database_cache, cache, how
):
    tokens = links_of_every_outcome()
    port = free_port()
    env = base_environment(cache)
    if how == "make run":
        command = make_run_command(port)
        assert "--no-access-log" in command
    else:
        command = production_command(port)
        env |= production_settings(request.getfixturevalue("collected_static"))
    server = Server(command, env, tmp_path / "server.log")
    try:
        server.wait_ready(port)
        statuses = request_every_kind_of_link_address(server, port, tokens)
    finally:
        output = server.stop()
    assert {200, 302, 404, 410} <= statuses, output
    for token in tokens:
        assert token not in output
    assert ' - "GET ' not in output  # the servers' access logs (gunicorn's, uvicorn's) are off...
    assert f'"GET /share/{MASK} HTTP/1.1" 200' in output  # ...and ours is there
    assert f"/api/v1/shared/{MASK}" in output
    assert f"Not Found: /share/{MASK}" in output  # and Django's own warnings, masked
