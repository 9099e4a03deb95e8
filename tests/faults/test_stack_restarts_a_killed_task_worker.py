"""`config.stack` (what `make serve` runs) supervises its task workers: one that is SIGKILLed
is started again, by itself, while the web server goes on (found by `make chaos`: before, a
killed task worker stopped the whole stack). A worker that keeps dying right after its start
waits longer each time; the web server's own exit still ends the stack."""

from __future__ import annotations

import io
import signal
import sys
import time

import pytest

from config import stack as stack_module
from config.stack import RESTART_DELAYS, Stack

SLEEPER = [sys.executable, "-c", "import time; time.sleep(60)"]
QUITTER = [sys.executable, "-c", "raise SystemExit(3)"]


def poll_until(stack: Stack, condition, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert stack.poll() is None, "the stack ended"
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError("the condition was not met in time")


@pytest.fixture
def running():
    stacks: list[Stack] = []

    def start(commands) -> Stack:
        stack = Stack(commands, log=io.StringIO())
        stack.start()
        stacks.append(stack)
        return stack

    yield start
    for stack in stacks:
        stack.stop()


def test_a_sigkilled_task_worker_is_started_again_and_the_web_server_goes_on(running):
    stack = running([SLEEPER, SLEEPER])
    web, worker = stack.processes
    worker.send_signal(signal.SIGKILL)
    poll_until(stack, lambda: stack.processes[1].pid != worker.pid)
    assert worker.wait(timeout=5) == -signal.SIGKILL
    assert stack.processes[1].poll() is None  # the new worker runs
    assert stack.processes[0] is web and web.poll() is None
    assert "exited with -9; starting it again in 1 s" in stack.log.getvalue()


def test_a_worker_that_keeps_dying_at_once_waits_longer_each_time(running, monkeypatch):
    monkeypatch.setattr(stack_module, "RESTART_DELAYS", (0.2, 0.5, 1.0))
    stack = running([SLEEPER, QUITTER])
    poll_until(stack, lambda: stack.log.getvalue().count("exited with 3") == 4)
    delays = [line.rsplit("again in ", 1)[1] for line in stack.log.getvalue().splitlines() if line]
    assert delays == ["0.2 s", "0.5 s", "1 s", "1 s"]
    assert RESTART_DELAYS[0] == 1.0 and RESTART_DELAYS[-1] == 30.0  # the real ones


def test_the_web_servers_exit_still_ends_the_stack_with_its_code(running):
    stack = running([[sys.executable, "-c", "raise SystemExit(4)"], SLEEPER])
    worker = stack.processes[1]
    deadline = time.monotonic() + 20
    while (code := stack.poll()) is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert code == 4
    assert worker.poll() is not None  # stopped with it, not restarted
