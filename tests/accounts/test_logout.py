"""Logging out takes a POST: a link or an image can never log anyone out."""

import pytest
from django.contrib.auth import get_user
from django.urls import reverse

from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

LOGOUT = reverse("storefront:logout")


def test_posting_to_logout_ends_the_session(client):
    client.force_login(CustomerFactory())
    response = client.post(LOGOUT)
    assert response.status_code == 302
    assert response.url == reverse("storefront:product_list")
    assert not get_user(client).is_authenticated
    assert "You are logged out." in client.get(response.url).content.decode()


def test_opening_logout_with_get_asks_and_keeps_the_session(client):
    client.force_login(CustomerFactory(name="Paula Plum"))
    response = client.get(LOGOUT)
    assert response.status_code == 200
    assert "Log out?" in response.content.decode()
    assert get_user(client).is_authenticated


def test_an_anonymous_visitor_opening_logout_is_sent_to_the_products(client):
    response = client.get(LOGOUT)
    assert response.status_code == 302
    assert response.url == reverse("storefront:product_list")


def test_the_header_of_a_logged_in_page_logs_out_with_a_post_form(client):
    client.force_login(CustomerFactory())
    html = client.get(reverse("storefront:product_list")).content.decode()
    assert f'<form action="{LOGOUT}" method="post"' in html
