"""SharedCart endpoints keep the promises of ../shared/API.md: grants to colleagues of the owner's
business unit, listed, created, changed and ended by the owner, dismissed by the grantee."""

import pytest

from cartshare.accounts.models import CompanyUser
from cartshare.activity.models import CartActivity
from cartshare.activity.services import Verb
from cartshare.carts.models import Cart, CartStatus
from cartshare.sharing.models import CartShare
from tests.api.client import assert_problem, client_for
from tests.factories import CompanyUserFactory

pytestmark = pytest.mark.django_db

SHARED_CART_FIELDS = {"id", "cart_id", "company_user", "permission", "created_at"}


def grants(cart) -> list[tuple[int, str]]:
    return list(
        CartShare.objects.filter(cart=cart).order_by("pk").values_list("company_user", "permission")
    )


def new_colleague(world) -> CompanyUser:
    unit = CompanyUser.objects.get(customer=world.alice).business_unit
    return CompanyUserFactory(business_unit=unit, customer__name="Zoe Zander")


def share_of(world, customer) -> CartShare:
    return CartShare.objects.get(cart=world.trade_fair, company_user__customer=customer)


def test_the_owner_lists_the_colleagues_the_cart_is_shared_with(world):
    response = client_for(world.alice).get(f"/carts/{world.trade_fair.pk}/shared-carts")
    assert response.status_code == 200
    body = response.json()
    assert body["next"] is None
    assert all(set(share) == SHARED_CART_FIELDS for share in body["results"])
    by_permission = {share["permission"]: share for share in body["results"]}
    assert set(by_permission) == {"READ_ONLY", "FULL_ACCESS"}
    read_only = by_permission["READ_ONLY"]
    assert read_only["id"] == share_of(world, world.frank).pk
    assert read_only["cart_id"] == str(world.trade_fair.pk)
    assert read_only["company_user"] == {
        "id": world.frank.company_user.pk,
        "name": world.frank.name,
        "email": world.frank.email,
    }


def test_a_grantee_may_not_list_the_grants_and_is_told_why(world):
    body = assert_problem(
        client_for(world.bob).get(f"/carts/{world.trade_fair.pk}/shared-carts"), 403
    )
    assert "full access" in body["detail"]


def test_sharing_with_a_colleague_answers_201_and_the_colleague_sees_the_cart(world):
    colleague = new_colleague(world)
    response = client_for(world.alice).post(
        f"/carts/{world.trade_fair.pk}/shared-carts",
        {"company_user_id": colleague.pk, "permission": "READ_ONLY"},
    )
    assert response.status_code == 201
    body = response.json()
    assert set(body) == SHARED_CART_FIELDS
    assert body["company_user"] == {
        "id": colleague.pk,
        "name": "Zoe Zander",
        "email": colleague.customer.email,
    }
    assert body["permission"] == "READ_ONLY"
    assert body["cart_id"] == str(world.trade_fair.pk)
    seen = client_for(colleague.customer).get(f"/carts/{world.trade_fair.pk}")
    assert seen.status_code == 200
    assert seen.json()["access"] == "READ_ONLY"
    entry = CartActivity.objects.filter(cart=world.trade_fair).latest("pk")
    assert (entry.verb, entry.actor_id) == (Verb.SHARED, world.alice.pk)


def test_sharing_twice_with_one_idempotency_key_creates_one_grant(world):
    colleague = new_colleague(world)
    client = client_for(world.alice)
    payload = {"company_user_id": colleague.pk, "permission": "FULL_ACCESS"}
    headers = {"Idempotency-Key": "share-zoe-1"}
    first = client.post(f"/carts/{world.trade_fair.pk}/shared-carts", payload, headers=headers)
    again = client.post(f"/carts/{world.trade_fair.pk}/shared-carts", payload, headers=headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert CartShare.objects.filter(cart=world.trade_fair, company_user=colleague).count() == 1


def test_sharing_outside_my_business_unit_answers_422_and_shares_nothing(world):
    before = grants(world.trade_fair)
    stranger = world.carol.company_user
    body = assert_problem(
        client_for(world.alice).post(
            f"/carts/{world.trade_fair.pk}/shared-carts",
            {"company_user_id": stranger.pk, "permission": "READ_ONLY"},
        ),
        422,
    )
    assert "business unit" in body["errors"]["company_user_id"][0]
    assert grants(world.trade_fair) == before


def test_sharing_again_with_the_same_colleague_answers_409_and_keeps_the_grant(world):
    before = grants(world.trade_fair)
    body = assert_problem(
        client_for(world.alice).post(
            f"/carts/{world.trade_fair.pk}/shared-carts",
            {"company_user_id": world.frank.company_user.pk, "permission": "FULL_ACCESS"},
        ),
        409,
    )
    assert "already" in body["detail"]
    assert grants(world.trade_fair) == before


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"company_user_id": 1, "permission": "OWNER"}, "permission"),
        ({"company_user_id": 1, "permission": "PREVIEW"}, "permission"),
        ({"company_user_id": "one", "permission": "READ_ONLY"}, "company_user_id"),
        ({"permission": "READ_ONLY"}, "company_user_id"),
    ],
)
def test_a_bad_grant_answers_422_with_field_errors(world, payload, field):
    before = grants(world.trade_fair)
    response = client_for(world.alice).post(f"/carts/{world.trade_fair.pk}/shared-carts", payload)
    assert field in assert_problem(response, 422)["errors"]
    assert grants(world.trade_fair) == before


def test_the_owner_changes_a_colleagues_permission(world):
    share = share_of(world, world.frank)
    response = client_for(world.alice).patch(
        f"/shared-carts/{share.pk}", {"permission": "FULL_ACCESS"}
    )
    assert response.status_code == 200
    assert set(response.json()) == SHARED_CART_FIELDS
    assert response.json()["permission"] == "FULL_ACCESS"
    share.refresh_from_db()
    assert share.permission == "FULL_ACCESS"


def test_a_grantee_cannot_raise_their_own_permission(world):
    share = share_of(world, world.frank)
    response = client_for(world.frank).patch(
        f"/shared-carts/{share.pk}", {"permission": "FULL_ACCESS"}
    )
    assert_problem(response, 403)
    share.refresh_from_db()
    assert share.permission == "READ_ONLY"


def test_the_owner_stops_sharing_and_the_colleague_loses_the_cart(world):
    share = share_of(world, world.bob)
    response = client_for(world.alice).delete(f"/shared-carts/{share.pk}")
    assert response.status_code == 204
    assert not CartShare.objects.filter(pk=share.pk).exists()
    assert_problem(client_for(world.bob).get(f"/carts/{world.trade_fair.pk}"), 404)
    verb = CartActivity.objects.filter(cart=world.trade_fair).latest("pk").verb
    assert verb == Verb.UNSHARED


def test_a_grantee_dismisses_a_cart_shared_with_them(world):
    share = share_of(world, world.frank)
    response = client_for(world.frank).delete(f"/shared-carts/{share.pk}")
    assert response.status_code == 204
    assert not CartShare.objects.filter(pk=share.pk).exists()
    carts = client_for(world.frank).get("/carts").json()["results"]
    assert [cart["name"] for cart in carts] == ["My cart"]
    entry = CartActivity.objects.filter(cart=world.trade_fair).latest("pk")
    assert (entry.verb, entry.actor_id) == (Verb.SHARE_DISMISSED, world.frank.pk)


def test_another_grantee_cannot_end_someone_elses_grant(world):
    share = share_of(world, world.frank)
    assert_problem(client_for(world.bob).delete(f"/shared-carts/{share.pk}"), 404)
    assert CartShare.objects.filter(pk=share.pk).exists()


def test_an_ordered_cart_can_no_longer_be_shared_but_can_be_dismissed(world):
    Cart.objects.filter(pk=world.trade_fair.pk).update(status=CartStatus.ORDERED)
    before = grants(world.trade_fair)
    owner = client_for(world.alice)
    colleague = new_colleague(world)
    share = share_of(world, world.frank)
    assert_problem(
        owner.post(
            f"/carts/{world.trade_fair.pk}/shared-carts",
            {"company_user_id": colleague.pk, "permission": "READ_ONLY"},
        ),
        409,
    )
    assert_problem(owner.patch(f"/shared-carts/{share.pk}", {"permission": "FULL_ACCESS"}), 409)
    assert (
        owner.get(f"/carts/{world.trade_fair.pk}/shared-carts").status_code == 200
    )  # still listed
    assert grants(world.trade_fair) == before
    assert client_for(world.frank).delete(f"/shared-carts/{share.pk}").status_code == 204
