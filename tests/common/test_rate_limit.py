"""The shared rate limiter counts per scope and key and says when to retry."""

import pytest
import time_machine

from cartshare.accounts.models import RateLimitCounter
from cartshare.common import ratelimit
from cartshare.common.ratelimit import (
    InvalidRate,
    Rate,
    rate_limit_hit,
    rate_limit_windows_delete_ended,
    rate_parse,
)


def test_rates_parse_and_off_disables():
    assert rate_parse("60/m") == Rate(60, 60)
    assert rate_parse("10/minute") == Rate(10, 60)
    assert rate_parse("off") is None


@pytest.mark.parametrize("text", ["abc", "10", "-1/m", "0/m", "5/x"])
def test_malformed_rates_are_refused(text):
    with pytest.raises(InvalidRate):
        rate_parse(text)


@pytest.mark.django_db
def test_the_hit_past_the_limit_is_refused_with_a_retry_after(production_cache):
    decisions = [rate_limit_hit(scope="t", key="1.2.3.4", rate="3/m") for _ in range(4)]
    assert [decision.allowed for decision in decisions] == [True, True, True, False]
    assert 1 <= decisions[-1].retry_after <= 60
    assert rate_limit_hit(scope="t", key="5.6.7.8", rate="3/m").allowed


def counted_windows() -> int:
    return RateLimitCounter.objects.count()


@pytest.fixture(autouse=True)
def no_cleanup_by_chance(monkeypatch):
    """About one new window in 50 deletes the ended ones; these tests delete them themselves."""
    monkeypatch.setattr(ratelimit, "_CLEANUP_EVERY", 10**15)


@pytest.mark.django_db
def test_ended_windows_are_deleted_inside_a_transaction(database_cache):
    """A test runs in a transaction, as a caller's atomic block would: the cleanup still works
    (in a savepoint) and leaves the transaction usable."""
    with time_machine.travel(1_000_000, tick=False) as traveller:
        rate_limit_hit(scope="t", key="a", rate="3/m")
        traveller.shift(120)
        rate_limit_hit(scope="t", key="a", rate="3/m")
        assert counted_windows() == 2
        assert rate_limit_windows_delete_ended() == 1
        assert counted_windows() == 1
        assert rate_limit_hit(scope="t", key="a", rate="3/m").allowed  # still usable


@pytest.mark.django_db(transaction=True)
def test_ended_windows_are_deleted_outside_a_transaction(database_cache):
    with time_machine.travel(1_000_000, tick=False) as traveller:
        rate_limit_hit(scope="t", key="b", rate="3/m")
        traveller.shift(120)
        assert rate_limit_windows_delete_ended() == 1
        assert counted_windows() == 0


@pytest.mark.django_db
def test_the_database_keeps_no_key_in_clear(database_cache):
    rate_limit_hit(scope="login-account", key="bob.admin@example.com", rate="3/m")
    (bucket,) = RateLimitCounter.objects.values_list("bucket", flat=True)
    assert "bob" not in bucket
    assert len(bucket) == 64
