"""Logging in with e-mail and password: case-insensitive e-mail, clear messages, safe `next`."""

import pytest
from django.contrib.auth import get_user
from django.test import override_settings
from django.urls import reverse

from tests.factories import PASSWORD, CustomerFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("storefront:login")
HOME = reverse("storefront:product_list")


def post_login(client, email, password=PASSWORD, **extra):
    return client.post(LOGIN, {"email": email, "password": password, **extra})


def test_login_page_has_labelled_email_and_password_fields_and_a_log_in_button(client):
    response = client.get(LOGIN)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<label for="id_email">E-mail</label>' in html
    assert '<label for="id_password">Password</label>' in html
    assert ">Log in</button>" in html


def test_customer_logs_in_with_email_and_password_and_lands_on_the_products(client):
    customer = CustomerFactory(email="paula@example.com", name="Paula Plum")
    response = post_login(client, "paula@example.com")
    assert response.status_code == 302
    assert response.url == HOME
    assert get_user(client).pk == customer.pk
    assert "Welcome back, Paula Plum." in client.get(HOME).content.decode()


@pytest.mark.parametrize("typed", ["PAULA@EXAMPLE.COM", "Paula@Example.com", " paula@example.com "])
def test_email_is_matched_without_regard_to_case(client, typed):
    customer = CustomerFactory(email="paula@example.com")
    post_login(client, typed)
    assert get_user(client).pk == customer.pk


def test_an_account_stored_with_capitals_logs_in_with_lower_case(client):
    customer = CustomerFactory(email="Mixed.Case@Example.com")
    post_login(client, "mixed.case@example.com")
    assert get_user(client).pk == customer.pk


@pytest.mark.parametrize(
    ("email", "password"),
    [("paula@example.com", "wrong-password"), ("nobody@example.com", PASSWORD)],
)
def test_wrong_credentials_get_one_message_and_no_session(client, email, password):
    CustomerFactory(email="paula@example.com")
    response = post_login(client, email, password)
    assert response.status_code == 400
    assert "do not match an account" in response.content.decode()
    assert not get_user(client).is_authenticated


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "", "password": ""}, "Enter your e-mail address."),
        ({"email": "paula@example.com", "password": ""}, "Enter your password."),
        ({"email": "not-an-address", "password": "x"}, "Enter a valid e-mail address"),
        ({}, "Enter your e-mail address."),
    ],
)
def test_missing_or_malformed_input_gets_a_clear_message(client, data, message):
    response = client.post(LOGIN, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not get_user(client).is_authenticated


def test_the_typed_email_is_kept_after_a_failed_attempt(client):
    response = post_login(client, "paula@example.com", "wrong")
    assert 'value="paula@example.com"' in response.content.decode()


def test_a_deactivated_customer_cannot_log_in(client):
    CustomerFactory(email="gone@example.com", is_active=False)
    response = post_login(client, "gone@example.com")
    assert response.status_code == 400
    assert not get_user(client).is_authenticated


def test_a_relative_next_is_followed_after_login(client):
    CustomerFactory(email="paula@example.com")
    response = post_login(client, "paula@example.com", next="/carts/?tab=shared")
    assert response.url == "/carts/?tab=shared"


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/steal",
        "//evil.example/steal",
        "http://testserver.evil.example/",
        "javascript:alert(1)",
        "https:///evil.example",
    ],
)
def test_a_foreign_or_absolute_next_is_ignored(client, next_url):
    CustomerFactory(email="paula@example.com")
    response = post_login(client, "paula@example.com", next=next_url)
    assert response.status_code == 302
    assert response.url == HOME
    assert get_user(client).is_authenticated


def test_the_login_page_carries_a_relative_next_but_never_a_foreign_one(client):
    kept = client.get(LOGIN, {"next": "/products/OFF-0001/"}).content.decode()
    assert 'name="next" value="/products/OFF-0001/"' in kept
    dropped = client.get(LOGIN, {"next": "https://evil.example/"}).content.decode()
    # The page's own forms; the header's language switcher returns to this very page.
    main = dropped.split("<main", 1)[1].split("</main>", 1)[0]
    assert 'name="next"' not in main


def test_a_logged_in_customer_opening_the_login_page_is_sent_on(client):
    client.force_login(CustomerFactory())
    response = client.get(LOGIN, {"next": "/carts/"})
    assert response.status_code == 302
    assert response.url == "/carts/"


@override_settings(CARTSHARE_LOGIN_RATE_LIMIT="3/m")
def test_too_many_attempts_for_one_address_answer_429_even_with_the_right_password(client):
    CustomerFactory(email="target@example.com")
    for _ in range(3):
        assert post_login(client, "target@example.com", "guess").status_code == 400
    response = post_login(client, "target@example.com")
    assert response.status_code == 429
    assert "Too many failed log-in attempts" in response.content.decode()
    assert int(response["Retry-After"]) >= 1
    assert not get_user(client).is_authenticated


def test_put_on_the_login_page_is_not_allowed(client):
    assert client.put(LOGIN).status_code == 405
