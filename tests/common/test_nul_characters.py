"""A NUL character in any input is refused with a clear 400 on both front doors, and nothing
changes: PostgreSQL cannot store NUL in text, so without this guard it was a 500 there only."""

import json

import pytest

from cartshare.carts.models import Cart
from cartshare.carts.services import cart_create
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner_client(client):
    owner = CustomerFactory()
    cart = cart_create(owner=owner, name="Office")
    client.force_login(owner)
    return client, owner, cart


def test_a_nul_in_a_form_field_is_refused_and_changes_nothing(owner_client):
    client, owner, cart = owner_client
    before = list(Cart.objects.filter(owner=owner).values("name", "note", "version"))
    responses = [
        client.post("/carts/new/", {"name": "a\x00b"}),
        client.post(f"/carts/{cart.pk}/edit/", {"name": "ok", "note": "a\x00b", "version": 1}),
    ]
    for response in responses:
        assert response.status_code == 400
        assert "NUL character" in response.content.decode()
    assert list(Cart.objects.filter(owner=owner).values("name", "note", "version")) == before


def test_a_nul_in_the_query_string_answers_a_400_page(owner_client):
    client, _, _ = owner_client
    response = client.get("/?q=a%00b")
    assert response.status_code == 400
    assert "That input cannot be used" in response.content.decode()


@pytest.mark.parametrize("path", ["/products/a%00b/", "/orders/a%00b/", "/share/a%00b"])
def test_a_nul_in_the_path_answers_the_404_page(owner_client, path):
    client, _, _ = owner_client
    response = client.get(path)
    assert response.status_code == 404
    assert "There is nothing at this address." in response.content.decode()
    if path.startswith("/share/"):
        assert response["Referrer-Policy"] == "no-referrer"
        assert response["Cache-Control"] == "no-store"


def test_a_nul_in_api_json_is_a_422_problem_naming_the_field(owner_client):
    client, _, cart = owner_client
    body = json.dumps({"name": "ok", "note": "a\x00b"})
    response = client.patch(f"/api/v1/carts/{cart.pk}", body, content_type="application/json")
    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/problem+json")
    assert list(response.json()["errors"]) == ["note"]
    cart.refresh_from_db()
    assert (cart.name, cart.note, cart.version) == ("Office", "", 1)


def test_a_nul_in_an_api_query_is_a_422_naming_the_parameter(owner_client):
    client, _, _ = owner_client
    response = client.get("/api/v1/products?q=a%00b")
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["q"]


def test_a_nul_in_an_api_path_is_a_404_problem(owner_client):
    client, _, _ = owner_client
    response = client.get("/api/v1/orders/a%00b")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/problem+json")


def test_ordinary_input_passes_untouched(owner_client):
    client, owner, _ = owner_client
    response = client.post("/carts/new/", {"name": "Backslash \\0 is fine"})
    assert response.status_code == 302
    assert Cart.objects.filter(owner=owner, name="Backslash \\0 is fine").exists()
