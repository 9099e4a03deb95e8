"""`make serve` runs the production stack: web workers and the task worker on one address, from
one command, stopped together. Run here exactly as the Makefile has it (`make -n serve`), with
production settings against the test database: a share committed in the database is mailed by
the stack's own worker through a real SMTP server, and SIGINT (Ctrl-C) ends every process."""

from __future__ import annotations

import os
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cartshare.sharing.services import cart_share_create
from tests.config.test_server_logs_hold_no_tokens import (
    HOST,
    ROOT,
    Server,
    base_environment,
    free_port,
    production_settings,
)
from tests.mail_sink import SmtpSink

pytestmark = pytest.mark.django_db(transaction=True)


def make_serve_command(port: int) -> tuple[list[str], dict[str, str]]:
    """The stack command of `make serve` and the variables it sets in front of it."""
    venv = Path(sys.executable).parent.parent
    printed = subprocess.run(
        ["make", "-n", "serve", f"VENV={venv}", f"HOST={HOST}", f"PORT={port}", "WORKERS=2"],
        cwd=ROOT,
        env={**os.environ, "SECRET_KEY": "x"},
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    (line,) = [line for line in printed.splitlines() if "config.stack" in line]
    words = shlex.split(line)
    assignments = {}
    while "=" in words[0] and not words[0].startswith("/"):
        name, value = words.pop(0).split("=", 1)
        assignments[name] = value
    return words, assignments


def children_of(pid: int) -> list[int]:
    found = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True)
    return [int(word) for word in found.stdout.split()]


def test_make_serve_runs_web_and_mail_worker_and_ctrl_c_stops_them_all(world, tmp_path):
    port, sink = free_port(), SmtpSink(free_port())
    command, assignments = make_serve_command(port)
    assert assignments == {"DJANGO_SETTINGS_MODULE": "config.settings.production"}
    assert "--workers" in command and command[command.index("--workers") + 1] == "2"
    env = base_environment("database") | production_settings(tmp_path) | assignments
    env |= {"EMAIL_HOST": HOST, "EMAIL_PORT": str(sink.port), "CARTSHARE_MAIL_RETRY_SECONDS": "1"}
    sink.start()
    server = Server(command, env, tmp_path / "stack.log")
    try:
        server.wait_ready(port)
        assert len(children_of(server.process.pid)) == 2  # the web server and one task worker
        cart_share_create(
            cart=world.office_supplies,
            actor=world.alice,
            company_user_id=world.company_user("greta").pk,
            permission="READ_ONLY",
        )
        deadline = time.monotonic() + 60
        while not sink.messages and time.monotonic() < deadline:
            time.sleep(0.2)
        assert [str(message["To"]) for message in sink.messages] == ["greta@acme.example"]

        children = children_of(server.process.pid)
        server.process.send_signal(signal.SIGINT)
        assert server.process.wait(timeout=30) == 0
        for child in children:
            with pytest.raises(ProcessLookupError):
                os.kill(child, 0)
    finally:
        output = server.stop()
        sink.stop()
    assert "Starting worker" in output
