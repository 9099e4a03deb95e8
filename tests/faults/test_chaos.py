"""The short `make chaos` (CHAOS_SECONDS, default 40 here): the production stack (`make serve`)
on a PostgreSQL instance of its own, under load, through a fast and an immediate restart, a
pg_terminate_backend of every backend, a SIGKILLed web worker and task worker and a statement
past its timeout. Every acknowledged write is in the database and nothing else is; every mail
(a share per new cart, an order mail per checkout) is delivered, none twice.

It brings its own PostgreSQL (initdb in a temporary directory), so the shared server is never
restarted; it is marked `postgres` so that it runs once per CI run, in the PostgreSQL pass
(.ci/run), whose machine has the PostgreSQL 15 server binaries it needs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.postgres

ROOT = Path(__file__).resolve().parents[2]


def test_a_short_chaos_run_loses_nothing_and_invents_nothing(tmp_path):
    seconds = os.environ.get("CHAOS_SECONDS", "40")
    out = tmp_path / "chaos.json"
    result = subprocess.run(
        [sys.executable, "-m", "chaos.run", "--seconds", seconds, "--json", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert out.exists(), result.stderr[-5000:]
    report = json.loads(out.read_text())
    totals, verified = report["totals"], report["verified"]
    assert totals["acked_writes"] > 50, totals  # the load did write
    assert set(totals["acked_by_op"]) == {"create_cart", "share_cart", "add_item", "checkout"}
    assert totals["other_5xx"] == 0, totals["statuses"]
    assert totals["refused_writes"] == [] and totals["unresolved_writes"] == []
    assert (verified["lost"], verified["phantom"], verified["half_written"]) == (0, 0, 0), verified[
        "problems"
    ]
    assert [event["fault"] for event in report["faults"]] == [
        "restart PostgreSQL (fast)",
        "pg_terminate_backend (all)",
        "statement timeout (row lock)",
        "SIGKILL a web worker",
        "restart PostgreSQL (immediate)",
        "SIGKILL the task worker",
    ]
    locked = report["faults"][2]
    assert locked["status"] == 503
    assert locked["content_type"].startswith("application/problem+json")
    assert locked["problem_type"] == "urn:cartshare:problem:service-unavailable"
    assert locked["written"] == {"keys": 0, "lines": 0}
    assert locked["retry_status"] == 201
    assert report["log_errors"] == []
    outbox, smtp = report["mail"]["outbox"], report["mail"]["smtp"]
    assert set(outbox) == {"sent"}, outbox  # none left pending, sending or failed
    assert smtp["messages"] == smtp["distinct"] == outbox["sent"], (smtp, outbox)
    failed = [name for name, ok in report["checks"].items() if not ok]
    assert not failed, (failed, report["faults"], result.stderr[-3000:])
    assert result.returncode == 0
