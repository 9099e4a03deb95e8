"""`manage.py task_worker`: django-tasks-db's `db_worker` (same options), plus the outbox sweep
that gives back what a killed worker left stranded (cartshare/notifications/recovery.py), every
`CARTSHARE_MAIL_SWEEP_SECONDS` in a thread of its own; with `--batch`, once before the run.

It survives a database outage (a restart, terminated connections): db_worker's loop lets the
error out and the process would exit; here it is logged and db_worker started over after a
pause (1 s, then up to 5 s), so what is queued is delivered once the database answers again.
Any other error still ends the process (config.stack starts it again)."""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
from typing import Any

from django.conf import settings
from django.db import InterfaceError, OperationalError, connections
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands import db_worker

from cartshare.common.database import database_unavailable
from cartshare.notifications.recovery import mail_outbox_recover

logger = logging.getLogger("cartshare.notifications.recovery")
worker_logger = logging.getLogger("cartshare.notifications.worker")
OUTAGE_PAUSES = (1.0, 2.0, 5.0)  # seconds before the loop resumes, one after the other
OUTAGE_FORGOTTEN_SECONDS = 30.0


def outbox_sweep() -> None:
    """One sweep; a failure (the database restarting) is logged, the next sweep tries again."""
    try:
        mail_outbox_recover()
    except (OperationalError, InterfaceError) as error:
        if not database_unavailable(error):
            logger.exception("The outbox sweep failed; the next one tries again")
        else:  # an outage is expected now and then: one line, no traceback
            logger.warning("The outbox sweep found no database; the next one tries again")
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
        outages, last_outage = 0, 0.0
        while True:
            try:
                super().handle(*args, **options)
                return
            except (OperationalError, InterfaceError) as error:
                if not database_unavailable(error):
                    raise
                if time.monotonic() - last_outage > OUTAGE_FORGOTTEN_SECONDS:
                    outages = 0  # a new outage, not the same one going on
                pause = OUTAGE_PAUSES[min(outages, len(OUTAGE_PAUSES) - 1)]
                outages, last_outage = outages + 1, time.monotonic()
                first_line = (str(error).strip() or "no detail").splitlines()[0]
                worker_logger.warning(
                    "The database did not answer (%s); the task worker goes on in %g s",
                    first_line,
                    pause,
                )
                connections.close_all()
                # Nothing runs during the pause: Ctrl-C or SIGTERM ends the process at once
                # (db_worker's own handlers, which let a running task finish, are set again
                # when its loop starts over).
                signal.signal(signal.SIGINT, signal.SIG_DFL)
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
                time.sleep(pause)
