"""Access tokens are random, stored hashed, expire, can be revoked, and guessing is throttled."""

import hashlib
from datetime import timedelta

import pytest
import time_machine
from django.test import override_settings
from django.utils import timezone

from cartshare.accounts.models import AccessToken
from tests.api.client import ApiClient, assert_problem, token_for
from tests.factories import PASSWORD, CustomerFactory

pytestmark = pytest.mark.django_db


def log_in(email, password=PASSWORD, **extra):
    return ApiClient().post("/access-tokens", {"email": email, "password": password}, **extra)


def test_only_the_tokens_hash_is_stored():
    customer = CustomerFactory()
    raw = log_in(customer.email).json()["access_token"]
    stored = AccessToken.objects.get(customer=customer)
    assert stored.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in {stored.token_hash, str(stored.pk)}
    assert len(raw) >= 43  # 256 bits, URL-safe base64


def test_every_token_is_different():
    customer = CustomerFactory()
    assert token_for(customer) != token_for(customer)


def test_the_email_is_not_case_sensitive():
    customer = CustomerFactory(email="mixed@example.com")
    assert log_in("  Mixed@Example.com").status_code == 201
    assert AccessToken.objects.filter(customer=customer).count() == 1


def test_a_token_works_until_it_expires():
    customer = CustomerFactory()
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client = ApiClient(token_for(customer))
        assert client.get("/me").status_code == 200
        traveller.shift(timedelta(seconds=86400 - 1))
        assert client.get("/me").status_code == 200
        traveller.shift(timedelta(seconds=2))
        assert_problem(client.get("/me"), 401)


@override_settings(CARTSHARE_ACCESS_TOKEN_TTL=60)
def test_the_lifetime_is_configurable():
    customer = CustomerFactory()
    assert log_in(customer.email).json()["expires_in"] == 60
    token = AccessToken.objects.get(customer=customer)
    assert token.expires_at - token.created_at < timedelta(seconds=61)


def test_a_revoked_token_stops_working_at_once():
    client = ApiClient(token_for(CustomerFactory()))
    assert client.delete("/access-tokens/current").status_code == 204
    assert AccessToken.objects.get().revoked_at is not None
    response = client.get("/me")
    assert_problem(response, 401)
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_revoking_one_token_leaves_the_others_working():
    customer = CustomerFactory()
    first, second = ApiClient(token_for(customer)), ApiClient(token_for(customer))
    first.delete("/access-tokens/current")
    assert second.get("/me").status_code == 200


@pytest.mark.parametrize(
    "header", ["", "Bearer", "Bearer nonsense", "Basic dXNlcjpwYXNz", "Bearer " + "x" * 5000]
)
def test_missing_or_invalid_tokens_answer_401(header):
    response = ApiClient().get("/me", headers={"Authorization": header} if header else None)
    assert_problem(response, 401)


def test_inactive_customers_get_no_token_and_their_tokens_stop_working():
    customer = CustomerFactory()
    client = ApiClient(token_for(customer))
    customer.is_active = False
    customer.save()
    assert_problem(log_in(customer.email), 401)
    assert_problem(client.get("/me"), 401)


def test_the_token_records_when_it_was_last_used():
    client = ApiClient(token_for(CustomerFactory()))
    client.get("/me")
    assert AccessToken.objects.get().last_used_at is not None


@override_settings(CARTSHARE_LOGIN_RATE_LIMIT="3/m")
def test_failed_attempts_are_rate_limited_per_client_with_retry_after():
    customer = CustomerFactory()
    for _ in range(3):
        assert_problem(log_in(customer.email, "wrong"), 401)
    refused = log_in(customer.email, "wrong")
    assert_problem(refused, 429)
    assert 1 <= int(refused["Retry-After"]) <= 61
    # Even the right password is refused until the window ends, so guessing learns nothing...
    assert_problem(log_in(customer.email), 429)
    # ...while another client is not affected for another account (the account itself is
    # blocked from everywhere: failures are counted per client and per account).
    other = CustomerFactory()
    assert log_in(other.email, REMOTE_ADDR="10.9.8.7").status_code == 201
    assert_problem(log_in(customer.email, REMOTE_ADDR="10.9.8.7"), 429)
    assert not AccessToken.objects.filter(customer=customer).exists()


@override_settings(CARTSHARE_LOGIN_RATE_LIMIT="3/m")
def test_the_block_ends_with_the_window():
    customer = CustomerFactory()
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        for _ in range(4):
            log_in(customer.email, "wrong")
        assert log_in(customer.email).status_code == 429
        traveller.shift(timedelta(seconds=122))
        assert log_in(customer.email).status_code == 201


@override_settings(CARTSHARE_LOGIN_RATE_LIMIT="3/m")
def test_successful_log_ins_are_not_counted():
    customer = CustomerFactory()
    for _ in range(6):
        assert log_in(customer.email).status_code == 201
