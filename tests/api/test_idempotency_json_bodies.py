"""Idempotency-Key compares what a body means, not its bytes: the same JSON object with its keys
in another order, or spaced differently, replays the first response; another value is another
request (422). With the database cache table and with Redis, as production runs."""

from __future__ import annotations

import pytest

from tests.api.client import assert_problem, client_for

pytestmark = pytest.mark.django_db

SAME_OBJECT = [
    '{"sku": "SKU", "quantity": 4}',
    '{"quantity": 4, "sku": "SKU"}',
    '{ "quantity" : 4 ,\n  "sku" : "SKU" }',
]


def test_the_same_object_in_another_key_order_replays_the_first_response(world, production_cache):
    client = client_for(world.alice)
    headers = {"Idempotency-Key": "add-reordered"}
    path = f"/carts/{world.trade_fair.pk}/items"
    responses = [
        client.post(path, body.replace("SKU", world.lamp.sku), headers=headers)
        for body in SAME_OBJECT
    ]
    assert [response.status_code for response in responses] == [201, 201, 201]
    assert [response.get("Idempotent-Replayed") for response in responses] == [None, "true", "true"]
    assert {response.content for response in responses} == {responses[0].content}
    assert world.trade_fair.items.get(product=world.lamp).quantity == 4


def test_a_body_with_another_value_under_the_same_key_answers_422(world, production_cache):
    client = client_for(world.alice)
    headers = {"Idempotency-Key": "add-other"}
    path = f"/carts/{world.trade_fair.pk}/items"
    client.post(path, SAME_OBJECT[0].replace("SKU", world.lamp.sku), headers=headers)
    other = '{"quantity": 5, "sku": "SKU"}'.replace("SKU", world.lamp.sku)
    assert_problem(client.post(path, other, headers=headers), 422)
    assert world.trade_fair.items.get(product=world.lamp).quantity == 4
