"""`manage.py task_worker`: django-tasks-db's `db_worker` (same options), plus the outbox sweep
that gives back what a killed worker left stranded (cartshare/notifications/recovery.py), every
`CARTSHARE_MAIL_SWEEP_SECONDS` in a thread of its own; with `--batch`, once before the run."""

from __future__ import annotations

import logging
import os
import threading
import time
from typing import Any

from django.conf import settings
from django.db import connections
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands import db_worker

from cartshare.notifications.recovery import mail_outbox_recover

logger = logging.getLogger("cartshare.notifications.recovery")


def outbox_sweep() -> None:
    """One sweep; a failure (the database restarting) is logged, the next sweep tries again."""
    try:
        mail_outbox_recover()
    except Exception:
        logger.exception("The outbox sweep failed; the next one tries again")
    finally:
        connections.close_all()  # this thread's own connections


def _sweep_forever(interval: float) -> None:
    while True:
        outbox_sweep()
        time.sleep(interval)


class Command(db_worker.Command):
    help = "Run the task worker (django-tasks-db's db_worker) with the outbox sweep"

    def handle(self, *args: object, **options: Any) -> None:  # noqa: ANN401 (db_worker's)
        batch = bool(options.get("batch"))
        reloading = bool(options.get("reload")) and not batch
        if batch:
            outbox_sweep()
        elif not reloading or os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
            # (with --reload only the child that runs tasks sweeps, not the watching parent)
            threading.Thread(
                target=_sweep_forever,
                args=(settings.CARTSHARE_MAIL_SWEEP_SECONDS,),
                name="outbox-sweep",
                daemon=True,
            ).start()
        super().handle(*args, **options)
