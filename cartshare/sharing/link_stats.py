"""Counting link opens (ShareLinkStats) off the request path.

Opening a link is the most frequent request of the service; writing its open count in the
request cost a third of its queries (and a row lock). With `CARTSHARE_LINK_STATS_FLUSH_SECONDS`
above 0 (production: 2), each process adds opens up in memory and a daemon thread writes them
every that many seconds, and at exit: one UPDATE per link, `open_count + n` with F() and
`last_opened_at` raised to the latest open, so several processes flushing never lose each
other's counts. With 0 (the test settings) every open is written at once, in the request.

The price, acceptable for statistics: a process that crashes (SIGKILL, power loss) loses the
opens of its last few seconds, and the owner's Share panel shows opens up to that many seconds
late. Nothing else reads the counts.
"""

from __future__ import annotations

import atexit
import logging
import os
import threading
from datetime import datetime

from django.conf import settings
from django.db import connection
from django.db.models import F, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from cartshare.common.database import store_unavailable
from cartshare.sharing.models import ShareLinkStats

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_pending: dict[int, tuple[int, datetime]] = {}  # link id -> (opens, latest open)
_flusher: threading.Thread | None = None


def flush_interval() -> float:
    return float(getattr(settings, "CARTSHARE_LINK_STATS_FLUSH_SECONDS", 0) or 0)


def _write(link_id: int, opens: int, latest: datetime) -> None:
    ShareLinkStats.objects.filter(link_id=link_id).update(
        open_count=F("open_count") + opens,
        # Greatest() is NULL on SQLite when either side is: compare with the old value or ours.
        last_opened_at=Greatest(Coalesce(F("last_opened_at"), Value(latest)), Value(latest)),
    )


def link_open_record(link_id: int, when: datetime | None = None) -> None:
    """Count one open of the link: now (interval 0) or at the next flush."""
    when = when or timezone.now()
    interval = flush_interval()
    if interval <= 0:
        ShareLinkStats.objects.filter(link_id=link_id).update(
            open_count=F("open_count") + 1, last_opened_at=when
        )
        return
    with _lock:
        opens, latest = _pending.get(link_id, (0, when))
        _pending[link_id] = (opens + 1, max(latest, when))
    _flusher_ensure(interval)


def link_stats_flush() -> int:
    """Write what this process has counted; returns the number of links written. Counts whose
    write fails are put back for the next flush."""
    with _lock:
        if not _pending:
            return 0
        pending = dict(_pending)
        _pending.clear()
    written = 0
    try:
        for link_id, (opens, latest) in pending.items():
            _write(link_id, opens, latest)
            written += 1
    except Exception as error:
        if store_unavailable(error):  # a database restart: expected, one line, no traceback
            logger.warning(
                "No database to write share-link open counts; retrying at the next flush"
            )
        else:
            logger.exception("Writing share-link open counts failed; retrying at the next flush")
        with _lock:
            for link_id, (opens, latest) in list(pending.items())[written:]:
                more, later = _pending.get(link_id, (0, latest))
                _pending[link_id] = (opens + more, max(latest, later))
    return written


def link_stats_pending() -> dict[int, tuple[int, datetime]]:
    """What this process has counted but not written yet (for tests and the admin)."""
    with _lock:
        return dict(_pending)


def _flush_loop(interval: float) -> None:
    stop = threading.Event()
    while not stop.wait(interval):
        try:
            link_stats_flush()
        finally:
            connection.close()  # this thread's own; back to the pool (or closed) between flushes


def _flusher_started() -> bool:
    return _flusher is not None


def _flusher_ensure(interval: float) -> None:
    global _flusher
    if _flusher is not None:
        return
    with _lock:
        if _flusher_started():  # by another thread since the check above
            return
        _flusher = threading.Thread(
            target=_flush_loop, args=(interval,), name="link-stats-flush", daemon=True
        )
        _flusher.start()


def _at_exit() -> None:
    try:
        link_stats_flush()
    except Exception:  # the database may already be gone at exit: nothing more to do
        logger.exception("Writing share-link open counts at exit failed")


def _after_fork_in_child() -> None:
    """A forked child has no flusher thread, and the parent's pending counts are the parent's."""
    global _flusher, _lock
    _lock = threading.Lock()
    _pending.clear()
    _flusher = None


atexit.register(_at_exit)
os.register_at_fork(after_in_child=_after_fork_in_child)
