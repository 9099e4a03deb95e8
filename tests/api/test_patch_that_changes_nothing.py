"""`PATCH /carts/{id}` that changes nothing (an empty body, unknown fields only, the values the
cart has) keeps the cart's version, so the `If-Match` other clients hold stays valid; a real
change still bumps it, and a stale `If-Match` is still refused."""

from __future__ import annotations

import pytest

from cartshare.activity.models import CartActivity
from cartshare.carts.models import Cart
from tests.api.client import assert_problem, client_for

pytestmark = pytest.mark.django_db

NOTHING_CHANGING = [
    pytest.param({}, id="empty object"),
    pytest.param({"colour": "blue", "owner": 7}, id="unknown fields only"),
    pytest.param({"name": "Trade fair"}, id="the same name"),
    pytest.param(
        {"name": "  Trade fair  ", "note": "Bring the banner"}, id="the same values trimmed"
    ),
]


def snapshot(cart) -> tuple:
    row = Cart.objects.values_list("version", "updated_at", "name", "note").get(pk=cart.pk)
    return row, CartActivity.objects.filter(cart=cart).count()


@pytest.mark.parametrize("body", NOTHING_CHANGING)
def test_a_patch_that_changes_nothing_keeps_the_version_and_other_clients_if_match(world, body):
    owner, colleague = client_for(world.alice), client_for(world.bob)
    etag = colleague.get(f"/carts/{world.trade_fair.pk}")["ETag"]
    before = snapshot(world.trade_fair)
    response = owner.patch(f"/carts/{world.trade_fair.pk}", body)
    assert response.status_code == 200, response.content
    assert response["ETag"] == etag
    assert response.json()["version"] == before[0][0]
    assert snapshot(world.trade_fair) == before
    renamed = colleague.patch(
        f"/carts/{world.trade_fair.pk}", {"name": "Trade fair 2027"}, headers={"If-Match": etag}
    )
    assert renamed.status_code == 200, renamed.content


def test_a_patch_without_a_body_answers_422_and_keeps_the_version(world):
    before = snapshot(world.trade_fair)
    problem = assert_problem(
        client_for(world.alice).patch(f"/carts/{world.trade_fair.pk}", b""), 422
    )
    assert "payload" in problem["errors"]
    assert snapshot(world.trade_fair) == before


def test_a_patch_that_changes_something_still_bumps_the_version(world):
    before = Cart.objects.get(pk=world.trade_fair.pk).version
    response = client_for(world.alice).patch(f"/carts/{world.trade_fair.pk}", {"note": "Booth 12"})
    assert response.json()["version"] == before + 1


def test_a_patch_that_changes_nothing_with_a_stale_if_match_answers_412(world):
    owner = client_for(world.alice)
    stale = owner.get(f"/carts/{world.trade_fair.pk}")["ETag"]
    owner.patch(f"/carts/{world.trade_fair.pk}", {"note": "Booth 12"})
    before = snapshot(world.trade_fair)
    response = owner.patch(f"/carts/{world.trade_fair.pk}", {}, headers={"If-Match": stale})
    assert_problem(response, 412)
    assert snapshot(world.trade_fair) == before
