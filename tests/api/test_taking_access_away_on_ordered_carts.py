"""Taking access away always works (issue 11, item 9): on an ORDERED cart the owner can still
withdraw or lower a grant and the grantee can still dismiss it, through pages and API, as
revoking a link does; giving access is refused there (409)."""

from __future__ import annotations

import pytest

from cartshare.carts.models import Cart, CartStatus
from cartshare.sharing.models import CartShare
from tests.api.client import assert_problem, client_for

pytestmark = pytest.mark.django_db


def order(cart) -> None:
    Cart.objects.filter(pk=cart.pk).update(status=CartStatus.ORDERED)


def grant_of(world, customer) -> CartShare:
    return CartShare.objects.get(cart=world.trade_fair, company_user__customer=customer)


def test_the_owner_withdraws_a_grant_of_an_ordered_cart_over_the_api(world):
    order(world.trade_fair)
    share = grant_of(world, world.frank)
    response = client_for(world.alice).delete(f"/shared-carts/{share.pk}")
    assert response.status_code == 204
    assert not CartShare.objects.filter(pk=share.pk).exists()


def test_the_owner_lowers_a_grant_of_an_ordered_cart_but_cannot_raise_one(world):
    order(world.trade_fair)
    full, reader = grant_of(world, world.bob), grant_of(world, world.frank)
    owner = client_for(world.alice)
    lowered = owner.patch(f"/shared-carts/{full.pk}", {"permission": "READ_ONLY"})
    assert lowered.status_code == 200
    assert grant_of(world, world.bob).permission == "READ_ONLY"
    raised = owner.patch(f"/shared-carts/{reader.pk}", {"permission": "FULL_ACCESS"})
    assert_problem(raised, 409)
    assert grant_of(world, world.frank).permission == "READ_ONLY"


def test_the_grantee_dismisses_an_ordered_cart_over_the_api_and_the_page(world, client):
    order(world.trade_fair)
    share = grant_of(world, world.frank)
    assert client_for(world.frank).delete(f"/shared-carts/{share.pk}").status_code == 204
    assert not CartShare.objects.filter(pk=share.pk).exists()
    client.force_login(world.bob)
    response = client.post(f"/carts/{world.trade_fair.pk}/dismiss/")
    assert response.status_code == 302
    assert not CartShare.objects.filter(cart=world.trade_fair, company_user__customer=world.bob)


def test_a_new_grant_on_an_ordered_cart_is_refused_and_nothing_changes(world):
    order(world.trade_fair)
    before = list(CartShare.objects.values_list("pk", "permission"))
    response = client_for(world.alice).post(
        f"/carts/{world.trade_fair.pk}/shared-carts",
        {"company_user_id": world.carol.company_user.pk, "permission": "READ_ONLY"},
    )
    assert_problem(response, 409)
    assert list(CartShare.objects.values_list("pk", "permission")) == before
