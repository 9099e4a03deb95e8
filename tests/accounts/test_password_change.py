"""Changing the password: logged-in customers only, the current password is asked for."""

import pytest
from django.contrib.auth import get_user
from django.urls import reverse

from tests.factories import PASSWORD, CustomerFactory

pytestmark = pytest.mark.django_db

PASSWORD_CHANGE = reverse("storefront:password_change")


def change(**overrides):
    data = {
        "old_password": PASSWORD,
        "new_password1": "green-apple-77",
        "new_password2": "green-apple-77",
    }
    data.update(overrides)
    return data


def test_an_anonymous_visitor_is_asked_to_log_in_first(client):
    response = client.get(PASSWORD_CHANGE)
    assert response.status_code == 302
    assert response.url == f"{reverse('storefront:login')}?next={PASSWORD_CHANGE}"


def test_the_page_shows_the_account_and_labelled_fields(client):
    client.force_login(CustomerFactory(name="Paula Plum", email="paula@example.com"))
    html = client.get(PASSWORD_CHANGE).content.decode()
    assert "paula@example.com" in html
    assert '<label for="id_old_password">Current password</label>' in html
    assert '<label for="id_new_password1">New password</label>' in html
    assert '<label for="id_new_password2">New password again</label>' in html


def test_a_customer_changes_the_password_and_stays_logged_in(client):
    customer = CustomerFactory()
    client.force_login(customer)
    response = client.post(PASSWORD_CHANGE, change())
    assert response.status_code == 302
    customer.refresh_from_db()
    assert customer.check_password("green-apple-77")
    assert get_user(client).pk == customer.pk
    assert "Your password has been changed." in client.get(PASSWORD_CHANGE).content.decode()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"old_password": "wrong"}, "Your current password is not correct."),
        ({"old_password": ""}, "Enter your current password."),
        ({"new_password2": "green-apple-78"}, "The two new passwords are not the same."),
        ({"new_password1": "abc", "new_password2": "abc"}, "This password is too short."),
        ({"new_password1": "", "new_password2": ""}, "Choose a new password."),
    ],
)
def test_bad_input_gets_a_message_and_leaves_the_password_unchanged(client, overrides, message):
    customer = CustomerFactory()
    client.force_login(customer)
    response = client.post(PASSWORD_CHANGE, change(**overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    customer.refresh_from_db()
    assert customer.check_password(PASSWORD)
