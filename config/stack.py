"""Run the web server and the task worker together, as one command that Ctrl-C stops.

    python -m config.stack [--task-workers N] -- <web server command ...>

Starts the web server command given after `--` and N (default 1, `TASK_WORKERS`) mail/task
workers (`manage.py task_worker`: django-tasks-db's worker and the outbox sweep). Every process
shares this one's environment (settings, database, `EMAIL_*`) and its terminal. Ctrl-C or
SIGTERM stops them all (SIGTERM first, SIGKILL after 10 s).

A task worker that exits on its own (killed, out of memory, a crash) is started again, after 1 s,
and after up to 30 s when it keeps dying within seconds of its start; what it was doing is
recovered by the outbox sweep (docs/decisions/mail-in-the-background.md). The web server
supervises its own worker processes (uvicorn restarts a dead one); if the web server itself
exits, the task workers are stopped too and the stack exits with its code, so a supervisor
(systemd, a container) sees the failure and restarts it. `make run` and `make serve` use it; a
real deployment may run the same processes under its own supervisor instead (README, "Running
in production")."""

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
from typing import TextIO

ROOT = Path(__file__).resolve().parent.parent
GRACE_SECONDS = 10.0
# A signal to the stack has usually gone to its whole process group too (Ctrl-C in a terminal,
# `kill -- -PGID`, systemd's default KillMode): the children have it already. Passing it on at
# once would be a second signal, which db_worker takes as "force: abandon the running task".
# So they get this long to end by themselves before the stack sends its own SIGTERM.
FORWARD_AFTER_SECONDS = 1.0


def worker_command(number: int) -> list[str]:
    return [
        sys.executable,
        str(ROOT / "manage.py"),
        "task_worker",
        "--no-reload",
        "--worker-id",
        f"{os.uname().nodename}-{os.getpid()}-{number}"[:64],
    ]


# A task worker that dies is started again after the first delay; one that dies again within
# STABLE_SECONDS of its start waits for the next delay, up to the last.
RESTART_DELAYS = (1.0, 2.0, 5.0, 10.0, 30.0)
STABLE_SECONDS = 10.0


class Stack:
    """The first command is the web server: when it exits, the stack ends. Every other command
    (a task worker) is restarted when it exits while the stack is not stopping."""

    def __init__(
        self,
        commands: Sequence[Sequence[str]],
        *,
        log: TextIO = sys.stderr,
        names: Sequence[str] | None = None,
        pass_fds: Sequence[int] = (),
        restart_delays: Sequence[float] = (),
    ) -> None:
        self.commands = [list(command) for command in commands]
        # What the log calls each restarted process (config.serve: the stream process).
        self.names = list(names) if names else ["web server", *(["task worker"] * len(commands))]
        self.restart_delays = tuple(restart_delays)  # default: RESTART_DELAYS
        self.pass_fds = tuple(pass_fds)  # descriptors every process inherits (config.serve's)
        self.processes: list[subprocess.Popen[bytes]] = []
        self.started_at: list[float] = []
        self.failures: list[int] = []
        self.restart_at: dict[int, float] = {}
        self.stopping = False
        self.log = log

    def _spawn(self, index: int) -> subprocess.Popen[bytes]:
        return subprocess.Popen(self.commands[index], cwd=ROOT, pass_fds=self.pass_fds)

    def start(self) -> None:
        for index in range(len(self.commands)):
            self.processes.append(self._spawn(index))
            self.started_at.append(time.monotonic())
            self.failures.append(0)

    def stop(self, *, signalled: bool = False) -> None:
        if self.stopping:
            return
        self.stopping = True
        if signalled:
            deadline = time.monotonic() + FORWARD_AFTER_SECONDS
            while time.monotonic() < deadline and any(p.poll() is None for p in self.processes):
                time.sleep(0.05)
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

    def _supervise_worker(self, index: int, code: int) -> None:
        """A task worker ended by itself: schedule its restart, or restart it when it is due."""
        now = time.monotonic()
        due = self.restart_at.get(index)
        if due is None:
            if now - self.started_at[index] >= STABLE_SECONDS:
                self.failures[index] = 0
            delays = self.restart_delays or RESTART_DELAYS
            delay = delays[min(self.failures[index], len(delays) - 1)]
            self.failures[index] += 1
            self.restart_at[index] = now + delay
            print(
                f"config.stack: {self.names[index]} {index} "
                f"(pid {self.processes[index].pid}) exited "
                f"with {code}; starting it again in {delay:g} s",
                file=self.log,
                flush=True,
            )
        elif now >= due:
            del self.restart_at[index]
            self.processes[index] = self._spawn(index)
            self.started_at[index] = time.monotonic()

    def poll(self) -> int | None:
        """One round of supervision: the web server's exit code once it has ended, else None."""
        for index, process in enumerate(self.processes):
            code = process.poll()
            if code is None:
                continue
            if index == 0 or self.stopping:
                self.stop()
                clean = (0, -signal.SIGTERM, -signal.SIGINT)
                return 0 if self.stopping and code in clean else code
            self._supervise_worker(index, code)
        return None

    def wait(self) -> int:
        """Until the web server ends (or a signal stops the stack); its exit code."""
        while True:
            code = self.poll()
            if code is not None:
                return code
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
        stack.stop(signalled=True)

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    stack.start()
    return stack.wait()


if __name__ == "__main__":
    sys.exit(main())
