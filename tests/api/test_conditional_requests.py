"""ETag on carts, If-Match refused with 412 when stale (nothing changes), Idempotency-Key."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from cartshare.carts.models import Cart, CartItem
from tests.api.client import assert_problem, client_for
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def test_every_cart_response_carries_its_version_as_etag(world):
    client = client_for(world.alice)
    shown = client.get(f"/carts/{world.trade_fair.pk}")
    assert shown["ETag"] == f'"{world.trade_fair.version}"'
    changed = client.patch(
        f"/carts/{world.trade_fair.pk}", {"note": "x"}, headers={"If-Match": shown["ETag"]}
    )
    assert changed.status_code == 200
    assert changed["ETag"] == f'"{world.trade_fair.version + 1}"'


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("PATCH", "/carts/{cart}", {"name": "Renamed"}),
        ("POST", "/carts/{cart}/items", {"sku": "{sku}", "quantity": 1}),
        ("PATCH", "/carts/{cart}/items/{item}", {"quantity": 9}),
        ("DELETE", "/carts/{cart}/items/{item}", None),
        ("DELETE", "/carts/{cart}", None),
    ],
)
@pytest.mark.parametrize("if_match", ['"999"', '"0"', "garbage", '"99999999999999999999"'])
def test_a_stale_if_match_answers_412_and_changes_nothing(world, method, path, body, if_match):
    stapler = world.item(world.trade_fair, world.stapler)
    paper = world.item(world.trade_fair, world.paper)
    path = path.format(cart=world.trade_fair.pk, item=stapler.pk)
    if body and body.get("sku"):
        body = {**body, "sku": world.lamp.sku}
    response = client_for(world.alice).request(method, path, body, headers={"If-Match": if_match})
    assert_problem(response, 412)
    cart = Cart.objects.get(pk=world.trade_fair.pk)
    assert (cart.version, cart.name) == (world.trade_fair.version, world.trade_fair.name)
    assert list(CartItem.objects.filter(cart=cart).values_list("pk", "quantity")) == [
        (stapler.pk, 2),
        (paper.pk, 10),
    ]


def test_a_stale_if_match_tells_the_current_version(world):
    response = client_for(world.alice).patch(
        f"/carts/{world.trade_fair.pk}", {"name": "New"}, headers={"If-Match": '"999"'}
    )
    assert response.json()["current_version"] == world.trade_fair.version
    assert response["ETag"] == f'"{world.trade_fair.version}"'


def test_if_match_star_and_the_current_etag_are_accepted(world):
    client = client_for(world.alice)
    assert (
        client.patch(
            f"/carts/{world.trade_fair.pk}", {"note": "a"}, headers={"If-Match": "*"}
        ).status_code
        == 200
    )
    etag = client.get(f"/carts/{world.trade_fair.pk}")["ETag"]
    assert (
        client.patch(
            f"/carts/{world.trade_fair.pk}", {"note": "b"}, headers={"If-Match": f"W/{etag}"}
        ).status_code
        == 200
    )


def test_a_repeated_post_with_the_same_key_returns_the_first_response_without_redoing_it(world):
    client = client_for(world.alice)
    headers = {"Idempotency-Key": "add-7f3a"}
    body = {"sku": world.lamp.sku, "quantity": 4}
    first = client.post(f"/carts/{world.trade_fair.pk}/items", body, headers=headers)
    second = client.post(f"/carts/{world.trade_fair.pk}/items", body, headers=headers)
    assert (first.status_code, second.status_code) == (201, 201)
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]
    assert second["Idempotent-Replayed"] == "true"
    assert world.trade_fair.items.get(product=world.lamp).quantity == 4


def test_a_reused_key_with_another_body_answers_422_and_does_nothing(world):
    client = client_for(world.alice)
    headers = {"Idempotency-Key": "add-7f3a"}
    client.post(
        f"/carts/{world.trade_fair.pk}/items",
        {"sku": world.lamp.sku, "quantity": 4},
        headers=headers,
    )
    response = client.post(
        f"/carts/{world.trade_fair.pk}/items",
        {"sku": world.lamp.sku, "quantity": 5},
        headers=headers,
    )
    body = assert_problem(response, 422)
    assert "Idempotency-Key" in body["errors"]
    assert world.trade_fair.items.get(product=world.lamp).quantity == 4


def test_keys_are_per_caller(world):
    headers = {"Idempotency-Key": "same-key"}
    first = client_for(world.alice).post("/carts", {"name": "Mine"}, headers=headers)
    second = client_for(world.erin).post("/carts", {"name": "Mine"}, headers=headers)
    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json()["id"] != second.json()["id"]


def test_creating_a_cart_twice_with_one_key_creates_one_cart():
    customer = CustomerFactory()
    client = client_for(customer)
    for _ in range(3):
        response = client.post("/carts", {"name": "Once"}, headers={"Idempotency-Key": "k"})
        assert response.status_code == 201
    assert Cart.objects.filter(owner=customer).count() == 1


def test_a_failed_post_is_not_stored_so_the_key_can_be_retried(world):
    client = client_for(world.alice)
    headers = {"Idempotency-Key": "retry-me"}
    refused = client.post(
        f"/carts/{world.trade_fair.pk}/items",
        {"sku": world.lamp.sku, "quantity": 1},
        headers={**headers, "If-Match": '"999"'},
    )
    assert refused.status_code == 412
    accepted = client.post(
        f"/carts/{world.trade_fair.pk}/items",
        {"sku": world.lamp.sku, "quantity": 1},
        headers={**headers, "If-Match": "*"},
    )
    assert accepted.status_code == 201


@pytest.mark.parametrize("key", ["", "x" * 256, "spaces are not allowed", "ümlaut"])
def test_malformed_idempotency_keys_answer_422(key):
    client = client_for(CustomerFactory())
    response = client.post("/carts", {"name": "Never"}, headers={"Idempotency-Key": key})
    assert_problem(response, 422)
    assert not Cart.objects.filter(name="Never").exists()


def test_idempotency_keys_expire_after_24_hours(world, settings):

    client = client_for(world.alice)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client.post("/carts", {"name": "Day one"}, headers={"Idempotency-Key": "daily"})
        traveller.shift(timedelta(hours=24, seconds=5))
        client.token = None
        client = client_for(world.alice)
        response = client.post("/carts", {"name": "Day two"}, headers={"Idempotency-Key": "daily"})
    assert response.status_code == 201
    assert response.json()["name"] == "Day two"
