"""Registration tells whether an address has an account (helpful), so one client may only ask so
often (issue 11, item 8): every attempt is counted per client address
(`CARTSHARE_REGISTRATION_RATE_LIMIT`); past the limit the page says to wait, and tells nothing
about any address. Run with the database counters and with Redis."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from cartshare.accounts.models import Customer
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db(transaction=True)

REGISTER = reverse("storefront:register")
TAKEN = "There is already an account with this e-mail address"


def register(client: Client, email: str, **extra):
    return client.post(
        REGISTER,
        {"name": "Rita", "email": email, "password1": "plum-tree-42", "password2": "plum-tree-42"},
        **extra,
    )


@override_settings(CARTSHARE_REGISTRATION_RATE_LIMIT="3/h")
def test_probing_which_addresses_have_accounts_is_throttled_per_client(production_cache):
    for number in range(3):
        CustomerFactory(email=f"known{number}@example.com")
    client = Client()
    for number in range(3):
        response = register(client, f"known{number}@example.com")
        assert response.status_code == 400
        assert TAKEN in response.content.decode()  # helpful while within the limit
    CustomerFactory(email="known3@example.com")
    refused = register(client, "known3@example.com")
    assert refused.status_code == 429
    html = refused.content.decode()
    assert "Too many registration attempts from your network" in html
    assert "If you have an account already, log in instead." in html
    assert TAKEN not in html
    assert 1 <= int(refused["Retry-After"]) <= 3600
    # A new address is refused too (nothing is learnt), and no account is made.
    assert register(client, "new@example.com").status_code == 429
    assert not Customer.objects.filter(email="new@example.com").exists()
    # Another client is not affected.
    assert register(Client(), "new@example.com", REMOTE_ADDR="10.4.4.4").status_code == 302
    assert Customer.objects.filter(email="new@example.com").exists()
