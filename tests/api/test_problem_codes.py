"""Each refusal a client can act on has its own stable `code` (and `type` per code), so that
"cart is empty" and "already ordered" differ without reading `detail`; the rest carry the
generic code of their status. (Every API test's client also checks that each problem's code is
a documented one: tests/api/client.py.)"""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.utils import timezone

from cartshare.carts.models import Cart, CartItem
from cartshare.sharing.link_services import share_link_revoke
from cartshare.sharing.models import ShareLink
from tests.api.client import ApiClient, assert_problem, client_for

pytestmark = pytest.mark.django_db


def code_of(response, status: int) -> str:
    body = assert_problem(response, status)
    assert body["type"] == f"urn:cartshare:problem:{body['code']}"
    return body["code"]


def test_an_empty_cart_and_an_ordered_one_are_told_apart(world):
    alice = client_for(world.alice)
    empty = alice.post("/carts", {"name": "Empty"}).json()["id"]
    assert code_of(alice.post(f"/carts/{empty}/checkout"), 409) == "cart_empty"
    assert alice.post(f"/carts/{world.trade_fair.pk}/checkout").status_code == 201
    assert code_of(alice.post(f"/carts/{world.trade_fair.pk}/checkout"), 409) == "cart_ordered"
    item = {"sku": world.stapler.sku, "quantity": 1}
    assert code_of(alice.post(f"/carts/{world.trade_fair.pk}/items", item), 409) == "cart_ordered"


def test_revoked_expired_and_deleted_links_have_their_codes(world):
    revoked = world.share_link(world.office_supplies, "PREVIEW")
    share_link_revoke(link=revoked.link, actor=world.alice)
    expired = world.share_link(world.office_supplies, "READ_ONLY")
    ShareLink.objects.filter(pk=expired.link.pk).update(expires_at=timezone.now())
    anonymous = ApiClient()
    assert code_of(anonymous.get(f"/shared/{revoked.token}"), 410) == "link_revoked"
    assert code_of(client_for(world.bob).get(f"/shared/{expired.token}"), 410) == "link_expired"
    gone = world.share_link(world.trade_fair, "PREVIEW")
    Cart.objects.filter(pk=world.trade_fair.pk).delete()
    assert code_of(anonymous.get(f"/shared/{gone.token}"), 410) == "cart_deleted"
    assert code_of(anonymous.get("/shared/unknown"), 404) == "not_found"


def test_stale_version_last_cart_and_read_only_activation(world):
    alice, frank = client_for(world.alice), client_for(world.frank)
    fair = world.trade_fair.pk
    stale = alice.patch(f"/carts/{fair}", {"note": "x"}, headers={"If-Match": '"999"'})
    assert code_of(stale, 412) == "stale_version"
    assert code_of(frank.post(f"/carts/{fair}/activate"), 409) == "cart_not_fillable"
    assert code_of(frank.patch(f"/carts/{fair}", {"note": "x"}), 403) == "forbidden"
    own = client_for(world.bob)
    only = world.own_carts["bob"].pk
    assert code_of(own.delete(f"/carts/{only}"), 409) == "last_cart"


def test_sharing_twice_and_asking_twice(world):
    alice = client_for(world.alice)
    again = alice.post(
        f"/carts/{world.trade_fair.pk}/shared-carts",
        {"company_user_id": world.bob.company_user.pk, "permission": "READ_ONLY"},
    )
    assert code_of(again, 409) == "already_shared"
    frank = client_for(world.frank)
    ask = {"permission": "FULL_ACCESS"}
    assert frank.post(f"/carts/{world.trade_fair.pk}/access-requests", ask).status_code == 201
    repeat = frank.post(f"/carts/{world.trade_fair.pk}/access-requests", ask)
    assert code_of(repeat, 409) == "access_request_pending"


def test_an_internal_link_of_another_unit(world):
    link = world.share_link(world.trade_fair, "FULL_ACCESS")
    assert code_of(client_for(world.carol).get(f"/shared/{link.token}"), 403) == "link_other_unit"
    assert code_of(ApiClient().get(f"/shared/{link.token}"), 401) == "authentication_required"


def test_credentials_validation_and_malformed_bodies(world):
    anonymous = ApiClient()
    wrong = {"email": world.alice.email, "password": "wrong"}
    assert code_of(anonymous.post("/access-tokens", wrong), 401) == "invalid_credentials"
    alice = client_for(world.alice)
    assert code_of(alice.post("/carts", {"name": 5}), 422) == "validation_error"
    assert code_of(alice.post("/carts", "[1]"), 400) == "malformed_request"
    assert code_of(alice.request("PUT", "/carts"), 405) == "method_not_allowed"
    with override_settings(CARTSHARE_API_MAX_BODY_BYTES=10):
        assert code_of(alice.post("/carts", {"name": "x" * 20}), 413) == "body_too_large"


def test_an_idempotency_key_used_for_another_body(world):
    alice = client_for(world.alice)
    key = {"Idempotency-Key": "k-1"}
    assert alice.post("/carts", {"name": "One"}, headers=key).status_code == 201
    reused = alice.post("/carts", {"name": "Two"}, headers=key)
    assert code_of(reused, 422) == "idempotency_key_reused"


def test_too_many_link_opens(world, settings):
    settings.CARTSHARE_SHARE_RATE_LIMIT = "1/m"
    token = world.share_link(world.office_supplies, "PREVIEW").token
    anonymous = ApiClient()
    assert anonymous.get(f"/shared/{token}").status_code == 200
    assert code_of(anonymous.get(f"/shared/{token}"), 429) == "rate_limited"


def test_a_full_cart(world, monkeypatch):
    monkeypatch.setattr("cartshare.carts.services.MAX_DISTINCT_ITEMS", 2)
    assert CartItem.objects.filter(cart=world.trade_fair).count() == 2
    alice = client_for(world.alice)
    more = alice.post(f"/carts/{world.trade_fair.pk}/items", {"sku": world.pens.sku, "quantity": 1})
    assert code_of(more, 409) == "cart_full"
    assert CartItem.objects.filter(cart=world.trade_fair).count() == 2
