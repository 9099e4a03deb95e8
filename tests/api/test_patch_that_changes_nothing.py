"""`PATCH /carts/{id}` that changes nothing (an empty body, unknown fields only, the values the
cart has) keeps the cart's version, so the `If-Match` other clients hold stays valid; a real
change still bumps it, and a stale `If-Match` is still refused."""

from __future__ import annotations

import pytest

from cartshare.activity.models import CartActivity
from cartshare.carts.models import Cart
from tests.api.conftest import assert_problem, client_for

pytestmark = pytest.mark.django_db

NOTHING_CHANGING = [
    pytest.param({}, id="empty object"),
    pytest.param({"colour": "blue", "owner": 7}, id="unknown fields only"),
    pytest.param({"name": "Trade fair"}, id="the same name"),
    pytest.param({"name": "  Trade fair  ", "note": ""}, id="the same values once trimmed"),
]


def snapshot(cart) -> tuple:
    row = Cart.objects.values_list("version", "updated_at", "name", "note").get(pk=cart.pk)
    return row, CartActivity.objects.filter(cart=cart).count()


@pytest.mark.parametrize("body", NOTHING_CHANGING)
def test_a_patch_that_changes_nothing_keeps_the_version_and_other_clients_if_match(world, body):
    owner, colleague = client_for(world.owner), client_for(world.full_access)
    etag = colleague.get(f"/carts/{world.cart.pk}")["ETag"]
    before = snapshot(world.cart)
    response = owner.patch(f"/carts/{world.cart.pk}", body)
    assert response.status_code == 200, response.content
    assert response["ETag"] == etag
    assert response.json()["version"] == before[0][0]
    assert snapshot(world.cart) == before
    renamed = colleague.patch(
        f"/carts/{world.cart.pk}", {"name": "Trade fair 2027"}, headers={"If-Match": etag}
    )
    assert renamed.status_code == 200, renamed.content


def test_a_patch_without_a_body_answers_422_and_keeps_the_version(world):
    before = snapshot(world.cart)
    problem = assert_problem(client_for(world.owner).patch(f"/carts/{world.cart.pk}", b""), 422)
    assert "payload" in problem["errors"]
    assert snapshot(world.cart) == before


def test_a_patch_that_changes_something_still_bumps_the_version(world):
    before = Cart.objects.get(pk=world.cart.pk).version
    response = client_for(world.owner).patch(f"/carts/{world.cart.pk}", {"note": "Booth 12"})
    assert response.json()["version"] == before + 1


def test_a_patch_that_changes_nothing_with_a_stale_if_match_answers_412(world):
    owner = client_for(world.owner)
    stale = owner.get(f"/carts/{world.cart.pk}")["ETag"]
    owner.patch(f"/carts/{world.cart.pk}", {"note": "Booth 12"})
    before = snapshot(world.cart)
    response = owner.patch(f"/carts/{world.cart.pk}", {}, headers={"If-Match": stale})
    assert_problem(response, 412)
    assert snapshot(world.cart) == before
