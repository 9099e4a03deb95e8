"""B2C registration: a customer with one empty "My cart", logged in at once; bad input explained."""

import pytest
from django.contrib.auth import get_user
from django.urls import reverse

from cartshare.accounts.models import CompanyUser, Customer
from cartshare.carts.models import Cart
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

REGISTER = reverse("storefront:register")
HOME = reverse("storefront:product_list")


def registration(**overrides):
    data = {
        "name": "Rita Rowe",
        "email": "rita@example.com",
        "password1": "plum-tree-42",
        "password2": "plum-tree-42",
    }
    data.update(overrides)
    return data


def test_register_page_has_a_label_for_every_field(client):
    html = client.get(REGISTER).content.decode()
    for field, label in [
        ("name", "Your name"),
        ("email", "E-mail"),
        ("password1", "Password"),
        ("password2", "Password again"),
    ]:
        assert f'<label for="id_{field}">{label}</label>' in html


def test_registering_creates_a_b2c_customer_with_an_active_empty_my_cart_and_logs_in(client):
    response = client.post(REGISTER, registration())
    assert response.status_code == 302
    assert response.url == HOME
    customer = Customer.objects.get(email="rita@example.com")
    assert customer.name == "Rita Rowe"
    assert customer.check_password("plum-tree-42")
    assert not CompanyUser.objects.filter(customer=customer).exists()
    cart = Cart.objects.get(owner=customer)
    assert cart.name == "My cart"
    assert cart.items.count() == 0
    assert customer.active_cart_id == cart.pk
    assert get_user(client).pk == customer.pk
    assert "Welcome to Cartshare, Rita Rowe." in client.get(HOME).content.decode()


def test_the_email_is_stored_in_lower_case_and_the_name_trimmed(client):
    client.post(REGISTER, registration(email="Rita.Rowe@Example.COM", name="  Rita Rowe  "))
    customer = Customer.objects.get()
    assert customer.email == "rita.rowe@example.com"
    assert customer.name == "Rita Rowe"


@pytest.mark.parametrize("email", ["taken@example.com", "TAKEN@example.com"])
def test_an_email_already_registered_gets_a_message_not_an_error(client, email):
    CustomerFactory(email="taken@example.com")
    response = client.post(REGISTER, registration(email=email))
    assert response.status_code == 400
    assert "There is already an account with this e-mail address" in response.content.decode()
    assert Customer.objects.count() == 1
    assert not get_user(client).is_authenticated


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": ""}, "Enter your name."),
        ({"name": "   "}, "Enter your name."),
        ({"name": "x" * 151}, "Your name can have at most 150 characters."),
        ({"email": ""}, "Enter your e-mail address."),
        ({"email": "rita-at-example"}, "Enter a valid e-mail address"),
        ({"password1": "", "password2": ""}, "Choose a password."),
        ({"password2": "plum-tree-43"}, "The two passwords are not the same."),
        ({"password1": "short1", "password2": "short1"}, "This password is too short."),
        ({"password1": "49230172", "password2": "49230172"}, "entirely numeric"),
        (
            {"password1": "rita@example.com", "password2": "rita@example.com"},
            "too similar",
        ),
    ],
)
def test_bad_input_gets_a_clear_message_and_creates_nothing(client, overrides, message):
    response = client.post(REGISTER, registration(**overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Customer.objects.count() == 0
    assert Cart.objects.count() == 0
    assert not get_user(client).is_authenticated


def test_a_relative_next_is_followed_after_registering(client):
    response = client.post(REGISTER, registration(next="/products/SKU-1/"))
    assert response.url == "/products/SKU-1/"


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/"])
def test_a_foreign_next_is_ignored_after_registering(client, next_url):
    response = client.post(REGISTER, registration(next=next_url))
    assert response.status_code == 302
    assert response.url == HOME


def test_a_logged_in_customer_opening_register_is_sent_to_the_products(client):
    client.force_login(CustomerFactory())
    response = client.get(REGISTER)
    assert response.status_code == 302
    assert response.url == HOME
    assert Customer.objects.count() == 1


def test_an_email_taken_in_the_same_instant_is_a_message_not_an_error(client, monkeypatch):
    from django.db import IntegrityError

    def taken_meanwhile(**kwargs):
        raise IntegrityError("UNIQUE constraint failed: accounts_customer.email")

    monkeypatch.setattr("cartshare.storefront.views.accounts.customer_register", taken_meanwhile)
    response = client.post(REGISTER, registration())
    assert response.status_code == 400
    assert "There is already an account with this e-mail address" in response.content.decode()
    assert not get_user(client).is_authenticated
