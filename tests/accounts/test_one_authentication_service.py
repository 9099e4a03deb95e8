"""One authentication service behind the log-in page, `POST /api/v1/access-tokens` and the admin's
log-in (issue 11, items 1 and 2): one e-mail normalisation, one rate rule (failures per client
address and per account, kept whatever the request's transaction does, the right password
refused while blocked). Run with the database counters and with Redis."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user
from django.test import Client, override_settings
from django.urls import reverse

from cartshare.accounts.authentication import (
    InvalidCredentials,
    TooManyAttempts,
    customer_authenticate,
)
from cartshare.accounts.models import AccessToken
from tests.api.client import ApiClient, assert_problem
from tests.factories import PASSWORD, CustomerFactory, StaffFactory

LOGIN = reverse("storefront:login")
ADMIN_LOGIN = reverse("admin:login")
ADMIN_HOME = reverse("admin:index")


def page_log_in(client: Client, email: str, password: str = PASSWORD, **extra):
    return client.post(LOGIN, {"email": email, "password": password}, **extra)


def api_log_in(email: str, password: str = PASSWORD, **extra):
    return ApiClient().post("/access-tokens", {"email": email, "password": password}, **extra)


def admin_log_in(client: Client, email: str, password: str = PASSWORD, **extra):
    return client.post(
        ADMIN_LOGIN,
        {"username": email, "password": password, "next": ADMIN_HOME},
        **extra,
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "typed", ["Bob.Admin@Example.com", "bob.admin@example.com", " BOB.ADMIN@EXAMPLE.COM "]
)
def test_an_account_stored_with_capitals_logs_in_on_the_page_the_api_and_the_admin(typed):
    bob = StaffFactory(email="Bob.Admin@Example.com")
    page = Client()
    assert page_log_in(page, typed).status_code == 302
    assert get_user(page).pk == bob.pk
    assert api_log_in(typed).status_code == 201
    assert AccessToken.objects.filter(customer=bob).count() == 1
    admin = Client()
    response = admin_log_in(admin, typed)
    assert response.status_code == 302, response.content.decode()
    assert get_user(admin).pk == bob.pk
    assert admin.get(ADMIN_HOME).status_code == 200


@pytest.mark.django_db(transaction=True)
@override_settings(CARTSHARE_LOGIN_RATE_LIMIT="3/h")
def test_api_password_guessing_is_blocked_and_the_right_password_gets_429(production_cache):
    """A transactional test, as production runs (autocommit): the failure counts must survive
    the end of each request."""
    customer = CustomerFactory()
    for _ in range(3):
        assert_problem(api_log_in(customer.email, "wrong"), 401)
    refused = api_log_in(customer.email)
    assert_problem(refused, 429)
    assert 1 <= int(refused["Retry-After"]) <= 3600
    assert not AccessToken.objects.filter(customer=customer).exists()


@pytest.mark.django_db(transaction=True)
@override_settings(CARTSHARE_LOGIN_RATE_LIMIT="3/h")
def test_admin_log_in_is_rate_limited_by_the_same_rule(production_cache):
    staff = StaffFactory()
    client = Client()
    for _ in range(3):
        response = admin_log_in(client, staff.email, "wrong")
        assert response.status_code == 200
        assert "Please enter the correct" in response.content.decode()
    response = admin_log_in(client, staff.email)
    assert response.status_code == 200
    assert "Too many failed log-in attempts" in response.content.decode()
    assert not get_user(client).is_authenticated


@pytest.mark.django_db(transaction=True)
@override_settings(CARTSHARE_LOGIN_RATE_LIMIT="3/h")
def test_failures_on_the_page_the_api_and_the_admin_count_together_per_account(
    production_cache,
):
    """One counter per account, whichever door the guesses come through, and from whichever
    client address: the right password is refused everywhere once it is used up."""
    staff = StaffFactory(email="Bob.Admin@Example.com")
    assert page_log_in(Client(), "bob.admin@example.com", "wrong").status_code == 400
    assert_problem(api_log_in("BOB.ADMIN@example.com", "wrong", REMOTE_ADDR="10.0.0.2"), 401)
    assert admin_log_in(Client(), "Bob.Admin@Example.com", "wrong").status_code == 200
    page = page_log_in(Client(), staff.email, REMOTE_ADDR="10.0.0.4")
    assert page.status_code == 429
    assert "Too many failed log-in attempts" in page.content.decode()
    assert int(page["Retry-After"]) >= 1
    assert_problem(api_log_in(staff.email, REMOTE_ADDR="10.0.0.5"), 429)
    admin = Client()
    assert "Too many failed log-in attempts" in admin_log_in(admin, staff.email).content.decode()
    assert not get_user(admin).is_authenticated


@pytest.mark.django_db(transaction=True)
@override_settings(CARTSHARE_LOGIN_RATE_LIMIT="3/h")
def test_failures_count_per_client_address_across_accounts(production_cache):
    """A guesser trying one password on many accounts is blocked by the client counter."""
    people = [CustomerFactory() for _ in range(4)]
    for person in people[:3]:
        assert_problem(api_log_in(person.email, "wrong", REMOTE_ADDR="10.1.1.1"), 401)
    assert_problem(api_log_in(people[3].email, REMOTE_ADDR="10.1.1.1"), 429)
    assert api_log_in(people[3].email, REMOTE_ADDR="10.1.1.2").status_code == 201


@pytest.mark.django_db(transaction=True)
@override_settings(CARTSHARE_LOGIN_RATE_LIMIT="3/h")
def test_right_passwords_are_not_counted_as_failures(production_cache):
    customer = CustomerFactory()
    for _ in range(6):
        assert customer_authenticate("10.2.2.2", customer.email, PASSWORD).pk == customer.pk
    with pytest.raises(InvalidCredentials):
        customer_authenticate("10.2.2.2", customer.email, "wrong")


@pytest.mark.django_db
@override_settings(CARTSHARE_LOGIN_RATE_LIMIT="2/h")
def test_inactive_customers_are_refused_like_wrong_passwords_and_counted(production_cache):
    customer = CustomerFactory(is_active=False)
    for _ in range(2):
        with pytest.raises(InvalidCredentials):
            customer_authenticate("10.3.3.3", customer.email, PASSWORD)
    with pytest.raises(TooManyAttempts):
        customer_authenticate("10.3.3.4", customer.email, PASSWORD)
