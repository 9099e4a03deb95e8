"""Run the web server and the task worker together, as one command that Ctrl-C stops.

    python -m config.stack [--task-workers N] -- <web server command ...>

Starts the web server command given after `--` and N (default 1, `TASK_WORKERS`) mail/task
workers (`manage.py task_worker`: django-tasks-db's worker and the outbox sweep). Every process
shares this one's environment (settings, database, `EMAIL_*`) and its terminal. Ctrl-C or
SIGTERM stops them all (SIGTERM first, SIGKILL after 10 s); if any one of them exits, the others
are stopped too and the stack exits with its code, so a supervisor (systemd, a container) sees
the failure and restarts it. `make run` and `make serve` use it; a real deployment may run the
same processes under its own supervisor instead (README, "Running in production")."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from types import FrameType

ROOT = Path(__file__).resolve().parent.parent
GRACE_SECONDS = 10.0


def worker_command(number: int) -> list[str]:
    return [
        sys.executable,
        str(ROOT / "manage.py"),
        "task_worker",
        "--no-reload",
        "--worker-id",
        f"{os.uname().nodename}-{os.getpid()}-{number}"[:64],
    ]


class Stack:
    def __init__(self, commands: Sequence[Sequence[str]]) -> None:
        self.commands = [list(command) for command in commands]
        self.processes: list[subprocess.Popen[bytes]] = []
        self.stopping = False

    def start(self) -> None:
        for command in self.commands:
            self.processes.append(subprocess.Popen(command, cwd=ROOT))

    def stop(self, *_: object) -> None:
        if self.stopping:
            return
        self.stopping = True
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + GRACE_SECONDS
        for process in self.processes:
            try:
                process.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def wait(self) -> int:
        """Until one process ends (or a signal stops the stack); its exit code."""
        while True:
            for process in self.processes:
                code = process.poll()
                if code is not None:
                    self.stop()
                    return 0 if self.stopping and code in (0, -signal.SIGTERM) else code
            time.sleep(0.2)


def parse(arguments: Sequence[str]) -> tuple[int, list[str]]:
    parser = argparse.ArgumentParser(prog="python -m config.stack", description=__doc__)
    parser.add_argument(
        "--task-workers", type=int, default=int(os.environ.get("TASK_WORKERS", "1"))
    )
    parser.add_argument("web", nargs=argparse.REMAINDER, help="-- the web server command")
    options = parser.parse_args(arguments)
    web = options.web[1:] if options.web[:1] == ["--"] else options.web
    if not web:
        parser.error("give the web server command after --")
    if options.task_workers < 0:
        parser.error("--task-workers must be 0 or more")
    return options.task_workers, web


def main(arguments: Sequence[str] | None = None) -> int:
    task_workers, web = parse(sys.argv[1:] if arguments is None else arguments)
    stack = Stack([web, *(worker_command(number) for number in range(1, task_workers + 1))])

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stack.stop()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    stack.start()
    return stack.wait()


if __name__ == "__main__":
    sys.exit(main())
