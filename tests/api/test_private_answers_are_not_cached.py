"""Answers that carry live share URLs, access tokens or private cart data are never kept by a
browser, proxy or shared computer: `Cache-Control: no-store` on every API response (errors
included) and on every page served to a logged-in customer — the owner's cart page and links
page above all. With the database cache table, as production runs."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.api.client import ApiClient, client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def linked(world, database_cache):
    """The world, with a live link of each kind on the cart."""
    for option in ("PREVIEW", "READ_ONLY", "FULL_ACCESS"):
        world.link(world.trade_fair, option)
    return world


def api_answers(world):
    owner = client_for(world.alice)
    cart = f"/carts/{world.trade_fair.pk}"
    token = world.link(world.trade_fair, "FULL_ACCESS")
    yield (
        "POST /access-tokens",
        ApiClient().post("/access-tokens", {"email": world.alice.email, "password": "demo1234"}),
    )
    yield "GET /me", owner.get("/me")
    yield "GET /carts", owner.get("/carts")
    yield "POST /carts", owner.post("/carts", {"name": "Fresh"})
    yield "GET /carts/{id}", owner.get(cart)
    yield "PATCH /carts/{id}", owner.patch(cart, {"note": "Booth 12"})
    yield "GET share-links", owner.get(f"{cart}/share-links")
    yield "POST share-links", owner.post(f"{cart}/share-links", {"share_option": "PREVIEW"})
    yield "GET shared-carts", owner.get(f"{cart}/shared-carts")
    yield "GET comments", owner.get(f"{cart}/comments")
    yield "GET activity", owner.get(f"{cart}/activity")
    yield "GET /orders", owner.get("/orders")
    yield (
        "GET /shared/{token}",
        client_for(world.carol).get(f"/shared/{world.link(world.trade_fair)}"),
    )
    yield "POST accept", client_for(world.greta).post(f"/shared/{token}/accept")
    yield "404 of another's cart", client_for(world.erin).get(cart)
    yield "401 without a token", ApiClient().get("/carts")


def test_every_api_answer_with_private_data_says_no_store(linked):
    answers = list(api_answers(linked))
    assert {response.status_code for _, response in answers} >= {200, 201, 401, 404}
    for name, response in answers:
        assert response.get("Cache-Control") == "no-store", name


@pytest.mark.parametrize(
    "page",
    ["/carts/{cart}/", "/carts/{cart}/share/", "/carts/", "/carts/{cart}/discussion/", "/"],
)
def test_the_owners_pages_say_no_store(linked, page):
    client = Client()
    client.force_login(linked.alice)
    response = client.get(page.format(cart=linked.trade_fair.pk))
    assert response.status_code == 200
    if "share" in page:
        assert "http://testserver/share/" in response.content.decode()  # it shows live links
    assert response["Cache-Control"] == "no-store"


def test_a_colleagues_view_of_the_cart_says_no_store(linked):
    client = Client()
    client.force_login(linked.bob)
    response = client.get(f"/carts/{linked.trade_fair.pk}/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
