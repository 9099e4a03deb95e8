"""Open counts off the request path (CARTSHARE_LINK_STATS_FLUSH_SECONDS > 0): opens are added
up in memory and written by one UPDATE per link; nothing is lost or counted twice."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cartshare.sharing import link_stats
from cartshare.sharing.models import ShareLinkStats
from tests.links.helpers import open_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def buffered(settings, monkeypatch):
    """Buffered counting without the background thread: the tests flush themselves."""
    settings.CARTSHARE_LINK_STATS_FLUSH_SECONDS = 2
    monkeypatch.setattr(link_stats, "_flusher_ensure", lambda interval: None)
    link_stats._pending.clear()
    yield
    link_stats._pending.clear()


def stats_of(link) -> ShareLinkStats:
    return ShareLinkStats.objects.get(link=link)


def test_buffered_opens_are_written_only_when_flushed_with_one_update_per_link(world, buffered):
    link, _, token = world.share_link(world.office_supplies, "PREVIEW")
    for _ in range(3):
        assert Client().get(open_url(token)).status_code == 200
    assert stats_of(link).open_count == 0
    with CaptureQueriesContext(connection) as queries:
        assert link_stats.link_stats_flush() == 1
    assert len(queries) == 1
    stats = stats_of(link)
    assert stats.open_count == 3
    assert stats.last_opened_at is not None
    assert link_stats.link_stats_pending() == {}
    assert link_stats.link_stats_flush() == 0  # nothing left: nothing counted twice


def test_a_buffered_open_costs_one_query_less_than_a_written_one(world, settings, monkeypatch):
    token = world.link(world.office_supplies, "PREVIEW")
    client = Client()
    client.get(open_url(token))
    with CaptureQueriesContext(connection) as written:
        client.get(open_url(token))
    settings.CARTSHARE_LINK_STATS_FLUSH_SECONDS = 2
    monkeypatch.setattr(link_stats, "_flusher_ensure", lambda interval: None)
    with CaptureQueriesContext(connection) as buffered:
        client.get(open_url(token))
    link_stats._pending.clear()
    assert len(buffered) == len(written) - 1
    assert not any("sharing_sharelinkstats" in q["sql"] for q in buffered.captured_queries)


def test_flushing_adds_to_the_count_and_keeps_the_latest_open(world, buffered):
    link, _, _ = world.share_link(world.office_supplies, "PREVIEW")
    later = timezone.now()
    ShareLinkStats.objects.filter(link=link).update(open_count=5, last_opened_at=later)
    link_stats.link_open_record(link.pk, when=later - timedelta(hours=1))
    link_stats.link_open_record(link.pk, when=later - timedelta(hours=2))
    link_stats.link_stats_flush()
    stats = stats_of(link)
    assert stats.open_count == 7
    assert stats.last_opened_at == later  # another process's later open is not overwritten


def test_flushing_a_never_opened_link_sets_its_last_open(world, buffered):
    link, _, _ = world.share_link(world.office_supplies, "PREVIEW")
    first = timezone.now() - timedelta(minutes=5)
    link_stats.link_open_record(link.pk, when=first)
    link_stats.link_open_record(link.pk, when=first + timedelta(minutes=1))
    link_stats.link_stats_flush()
    stats = stats_of(link)
    assert (stats.open_count, stats.last_opened_at) == (2, first + timedelta(minutes=1))


def test_counts_whose_write_failed_are_kept_for_the_next_flush(world, buffered, monkeypatch):
    link, _, _ = world.share_link(world.office_supplies, "PREVIEW")
    link_stats.link_open_record(link.pk)
    real_write = link_stats._write

    def failing(*args):
        raise RuntimeError("database away")

    monkeypatch.setattr(link_stats, "_write", failing)
    assert link_stats.link_stats_flush() == 0
    assert stats_of(link).open_count == 0
    link_stats.link_open_record(link.pk)
    monkeypatch.setattr(link_stats, "_write", real_write)
    assert link_stats.link_stats_flush() == 1
    assert stats_of(link).open_count == 2


def test_the_owners_own_opens_are_not_counted_when_buffered_either(world, buffered):
    token = world.link(world.office_supplies, "PREVIEW")
    client = Client()
    client.force_login(world.alice)
    client.get(open_url(token))
    assert link_stats.link_stats_pending() == {}


def test_with_a_zero_interval_opens_are_written_in_the_request(world, settings):
    settings.CARTSHARE_LINK_STATS_FLUSH_SECONDS = 0
    link, _, token = world.share_link(world.office_supplies, "PREVIEW")
    Client().get(open_url(token))
    assert stats_of(link).open_count == 1
    assert link_stats.link_stats_pending() == {}


@pytest.mark.django_db(transaction=True)
def test_counts_kept_through_a_database_outage_are_logged_in_one_line(world, buffered, caplog):
    """`make chaos` restarts PostgreSQL: the flush that meets it keeps its counts and logs one
    warning, not a traceback at ERROR as for a bug."""
    from tests.faults.unreachable import database_unreachable

    link, _, _ = world.share_link(world.office_supplies, "PREVIEW")
    link_stats.link_open_record(link.pk)
    with database_unreachable():
        assert link_stats.link_stats_flush() == 0
    assert [
        (r.levelname, bool(r.exc_info)) for r in caplog.records if r.name == link_stats.__name__
    ] == [("WARNING", False)]
    assert link_stats.link_stats_flush() == 1
    assert stats_of(link).open_count == 1
