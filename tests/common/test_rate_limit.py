"""The shared rate limiter counts per scope and key and says when to retry."""

import pytest

from cartshare.common.ratelimit import InvalidRate, Rate, rate_limit_hit, rate_parse


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
