"""Share links over the API (../shared/API.md, spec §5): the owner's endpoints, opening a link
with GET /shared/{token} for every row of the spec's table and both kinds of link, accepting,
copying, the shared rate limit, and a preview whose cost does not grow with the cart."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cartshare.accounts.models import AccessToken
from cartshare.activity.models import CartActivity
from cartshare.activity.services import Verb
from cartshare.carts.models import Cart, CartItem, CartStatus
from cartshare.catalog.models import Product
from cartshare.sharing.link_services import share_link_revoke
from cartshare.sharing.models import CartShare, ShareLink, ShareLinkStats, SharePermission
from tests.api.client import ApiClient, assert_problem, client_for
from tests.api.openapi import assert_matches_component
from tests.factories import (
    CartFactory,
    CategoryFactory,
)
from tests.links.helpers import table_snapshot

pytestmark = pytest.mark.django_db

INTERNAL = ["READ_ONLY", "FULL_ACCESS"]
ALL_OPTIONS = ["PREVIEW", *INTERNAL]
OUTSIDERS = ["carol", "dave", "erin"]
LINK_FIELDS = {
    "id",
    "cart_id",
    "share_option",
    "url",
    "expires_at",
    "revoked_at",
    "created_at",
    "open_count",
    "last_opened_at",
}
PREVIEW_FIELDS = {
    "id",
    "name",
    "owner",
    "access",
    "status",
    "version",
    "is_active",
    "currency",
    "items",
    "totals",
    "created_at",
    "updated_at",
}
CART_FIELDS = PREVIEW_FIELDS | {"note"}
SECRET_NOTE = "Secret note for the team"


def data() -> dict:
    """Every table but the open counts (a GET counts opens) and access tokens (used = touched)."""
    return table_snapshot(exclude=(ShareLinkStats, AccessToken))


def as_(person) -> ApiClient:
    return client_for(person) if person is not None else ApiClient()


def order(cart) -> None:
    Cart.objects.filter(pk=cart.pk).update(status=CartStatus.ORDERED)


def assert_no_cart_data(response) -> None:
    body = response.content.decode()
    for secret in ("Office supplies", "Ballpoint pen", "PEN-001", "100550", SECRET_NOTE):
        assert secret not in body


EXPECTED_ITEMS = [
    {"sku": "PEN-001", "name": "Ballpoint pen", "quantity": 3, "unit_price": 250},
    {"sku": "DESK-9", "name": "Standing desk", "quantity": 2, "unit_price": 49900},
]


def assert_items_and_totals(cart: dict) -> None:
    assert [
        {key: item[key] for key in ("sku", "name", "quantity", "unit_price")}
        for item in cart["items"]
    ] == EXPECTED_ITEMS
    assert [item["total_price"] for item in cart["items"]] == [750, 99800]
    assert cart["totals"] == {
        "item_count": 2,
        "quantity": 5,
        "subtotal": 100550,
        "grand_total": 100550,
    }
    assert cart["currency"] == "EUR"


def assert_preview(response, world, *, option="PREVIEW") -> dict:
    """The preview: the owner's name only, no note, no e-mail, no ids of people."""
    assert response.status_code == 200, response.content
    body = response.json()
    assert_matches_component(body, "SharedCartViewOut")
    assert body["share_option"] == option
    cart = body["cart"]
    assert set(cart) == PREVIEW_FIELDS
    assert cart["id"] == str(world.office_supplies.pk)
    assert cart["name"] == "Office supplies"
    assert cart["owner"] == {"name": "Alice Archer"}
    assert cart["access"] == "PREVIEW"
    assert cart["is_active"] is False
    assert_items_and_totals(cart)
    raw = response.content.decode()
    assert SECRET_NOTE not in raw
    assert world.alice.email not in raw
    assert response["ETag"] == f'"{world.office_supplies.version}"'
    return cart


def assert_cart_seen_as(response, world, access: str, *, option: str) -> dict:
    assert response.status_code == 200, response.content
    body = response.json()
    assert_matches_component(body, "SharedCartViewOut")
    assert body["share_option"] == option
    cart = body["cart"]
    assert set(cart) == CART_FIELDS
    assert cart["access"] == access
    assert cart["note"] == SECRET_NOTE
    assert cart["owner"] == {"id": world.alice.pk, "name": "Alice Archer"}
    assert_items_and_totals(cart)
    return cart


# --- GET /carts/{id}/share-links ---------------------------------------------------------------


def test_the_owner_lists_every_link_newest_first_revoked_and_expired_included(world):
    revoked, _, _ = world.share_link(world.office_supplies, "READ_ONLY")
    share_link_revoke(link=revoked, actor=world.alice)
    expired, _, _ = world.share_link(world.office_supplies, "FULL_ACCESS")
    ShareLink.objects.filter(pk=expired.pk).update(expires_at=timezone.now())
    preview, _, token = world.share_link(world.office_supplies, "PREVIEW")
    as_(world.erin).get(f"/shared/{token}")

    response = as_(world.alice).get(f"/carts/{world.office_supplies.pk}/share-links")

    assert response.status_code == 200
    body = response.json()
    assert body["next"] is None
    assert [link["id"] for link in body["results"]] == [preview.pk, expired.pk, revoked.pk]
    for link in body["results"]:
        assert_matches_component(link, "ShareLinkOut")
        assert set(link) == LINK_FIELDS
        assert link["cart_id"] == str(world.office_supplies.pk)
    first = body["results"][0]
    assert first["share_option"] == "PREVIEW"
    assert first["url"] == f"http://testserver/share/{token}"
    assert first["open_count"] == 1
    assert first["last_opened_at"] is not None
    assert first["revoked_at"] is None
    assert body["results"][1]["expires_at"] is not None
    assert body["results"][2]["revoked_at"] is not None


def test_the_list_of_links_is_paged(world):
    for option in ALL_OPTIONS:
        world.share_link(world.office_supplies, option)
    client = as_(world.alice)
    first = client.get(f"/carts/{world.office_supplies.pk}/share-links?limit=2").json()
    assert len(first["results"]) == 2
    second = client.get(first["next"].removeprefix("http://testserver/api/v1")).json()
    assert len(second["results"]) == 1
    assert second["next"] is None


def test_colleagues_may_not_list_the_links_and_strangers_do_not_see_the_cart(world):
    world.share(world.office_supplies, world.bob, SharePermission.FULL_ACCESS)
    body = assert_problem(as_(world.bob).get(f"/carts/{world.office_supplies.pk}/share-links"), 403)
    assert body["detail"] == "Only the cart's owner can manage its share links."
    assert_problem(as_(world.carol).get(f"/carts/{world.office_supplies.pk}/share-links"), 404)
    assert_problem(as_(None).get(f"/carts/{world.office_supplies.pk}/share-links"), 401)


# --- POST /carts/{id}/share-links --------------------------------------------------------------


@pytest.mark.parametrize("option", ALL_OPTIONS)
def test_asking_for_a_link_creates_it_with_201_and_then_returns_it_with_200(world, option):
    client = as_(world.alice)
    created = client.post(
        f"/carts/{world.office_supplies.pk}/share-links", {"share_option": option}
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert_matches_component(body, "ShareLinkOut")
    assert set(body) == LINK_FIELDS
    assert body["share_option"] == option
    assert body["cart_id"] == str(world.office_supplies.pk)
    assert body["url"].startswith("http://testserver/share/")
    assert len(body["url"].rsplit("/", 1)[-1]) == 43
    assert body["expires_at"] is None
    assert body["revoked_at"] is None
    assert body["open_count"] == 0
    assert (
        CartActivity.objects.filter(cart=world.office_supplies, verb=Verb.LINK_CREATED).count() == 1
    )

    again = client.post(f"/carts/{world.office_supplies.pk}/share-links", {"share_option": option})

    assert again.status_code == 200
    assert again.json() == body
    assert ShareLink.objects.filter(cart=world.office_supplies).count() == 1


def test_a_link_can_be_made_to_expire(world):
    expires_at = (timezone.now() + timedelta(days=7)).replace(microsecond=0)
    response = as_(world.alice).post(
        f"/carts/{world.office_supplies.pk}/share-links",
        {"share_option": "PREVIEW", "expires_at": expires_at.isoformat()},
    )
    assert response.status_code == 201
    assert ShareLink.objects.get().expires_at == expires_at


def test_an_expired_current_link_is_replaced_by_a_new_one(world):
    old, _, old_token = world.share_link(world.office_supplies, "PREVIEW")
    ShareLink.objects.filter(pk=old.pk).update(expires_at=timezone.now())
    response = as_(world.alice).post(
        f"/carts/{world.office_supplies.pk}/share-links", {"share_option": "PREVIEW"}
    )
    assert response.status_code == 201
    assert response.json()["id"] != old.pk
    assert not response.json()["url"].endswith(old_token)
    assert ShareLink.objects.get(pk=old.pk).revoked_at is not None


@pytest.mark.parametrize("option", INTERNAL)
def test_a_b2c_owner_may_not_ask_for_an_internal_link_422(world, option):
    cart = CartFactory(owner=world.erin, name="Birthday")
    before = data()
    response = as_(world.erin).post(f"/carts/{cart.pk}/share-links", {"share_option": option})
    body = assert_problem(response, 422)
    assert "you can share a preview link" in body["detail"]
    assert body["errors"]["share_option"]
    assert data() == before


def test_a_b2c_owner_gets_a_preview_link(world):
    cart = CartFactory(owner=world.erin, name="Birthday")
    response = as_(world.erin).post(f"/carts/{cart.pk}/share-links", {"share_option": "PREVIEW"})
    assert response.status_code == 201


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"share_option": "EVERYONE"}, "share_option"),
        ({}, "share_option"),
        ({"share_option": "PREVIEW", "expires_at": "2001-01-01T00:00:00Z"}, "expires_at"),
        ({"share_option": "PREVIEW", "expires_at": "2999-01-01T00:00:00"}, "expires_at"),
        ({"share_option": "PREVIEW", "expires_at": "next week"}, "expires_at"),
    ],
)
def test_a_bad_request_for_a_link_answers_422_and_creates_nothing(world, payload, field):
    before = data()
    response = as_(world.alice).post(f"/carts/{world.office_supplies.pk}/share-links", payload)
    assert field in assert_problem(response, 422)["errors"]
    assert data() == before


def test_an_ordered_cart_gets_no_new_link_409(world):
    order(world.office_supplies)
    before = data()
    response = as_(world.alice).post(
        f"/carts/{world.office_supplies.pk}/share-links", {"share_option": "PREVIEW"}
    )
    assert "ordered" in assert_problem(response, 409)["detail"]
    assert data() == before


@pytest.mark.parametrize(
    "person, status", [("bob_full", 403), ("bob_read", 403), ("carol", 404), ("erin", 404)]
)
def test_only_the_owner_creates_links(world, person, status):
    if person.startswith("bob"):
        permission = "FULL_ACCESS" if person == "bob_full" else "READ_ONLY"
        world.share(world.office_supplies, world.bob, permission)
        person = "bob"
    before = data()
    response = as_(world.user(person)).post(
        f"/carts/{world.office_supplies.pk}/share-links", {"share_option": "PREVIEW"}
    )
    assert_problem(response, status)
    assert data() == before


def test_asking_twice_with_one_idempotency_key_replays_the_first_answer(world):
    client = as_(world.alice)
    headers = {"Idempotency-Key": "link-1"}
    path = f"/carts/{world.office_supplies.pk}/share-links"
    first = client.post(path, {"share_option": "PREVIEW"}, headers=headers)
    again = client.post(path, {"share_option": "PREVIEW"}, headers=headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()


# --- DELETE /share-links/{id} ------------------------------------------------------------------


@pytest.mark.parametrize("option", ALL_OPTIONS)
def test_the_owner_revokes_a_link_and_it_stops_working_at_once(world, option):
    link, _, token = world.share_link(world.office_supplies, option)
    response = as_(world.alice).delete(f"/share-links/{link.pk}")
    assert response.status_code == 204
    assert response.content == b""
    assert ShareLink.objects.get(pk=link.pk).revoked_at is not None
    assert (
        CartActivity.objects.filter(cart=world.office_supplies, verb=Verb.LINK_REVOKED).count() == 1
    )
    assert_problem(as_(world.bob).get(f"/shared/{token}"), 410)


def test_revoking_twice_is_fine_and_changes_nothing_more(world):
    link, _, _ = world.share_link(world.office_supplies, "PREVIEW")
    client = as_(world.alice)
    assert client.delete(f"/share-links/{link.pk}").status_code == 204
    revoked_at = ShareLink.objects.get(pk=link.pk).revoked_at
    assert client.delete(f"/share-links/{link.pk}").status_code == 204
    assert ShareLink.objects.get(pk=link.pk).revoked_at == revoked_at


def test_the_link_of_an_ordered_cart_can_still_be_revoked(world):
    link, _, _ = world.share_link(world.office_supplies, "PREVIEW")
    order(world.office_supplies)
    assert as_(world.alice).delete(f"/share-links/{link.pk}").status_code == 204


@pytest.mark.parametrize("person, status", [("bob", 403), ("carol", 404), ("erin", 404)])
def test_only_the_owner_revokes_and_a_refusal_changes_nothing(world, person, status):
    world.share(world.office_supplies, world.bob, SharePermission.FULL_ACCESS)
    link, _, _ = world.share_link(world.office_supplies, "PREVIEW")
    before = data()
    assert_problem(as_(world.user(person)).delete(f"/share-links/{link.pk}"), status)
    assert data() == before


@pytest.mark.parametrize("link_id", ["0", "999999", "99999999999999999999999"])
def test_revoking_an_unknown_link_answers_404(world, link_id):
    assert_problem(as_(world.alice).delete(f"/share-links/{link_id}"), 404)


# --- GET /shared/{token}: the spec §5 table ----------------------------------------------------

# Row 1: unknown token


@pytest.mark.parametrize("option", ALL_OPTIONS)
def test_an_unknown_token_answers_404_saying_so(world, option):
    _, _, token = world.share_link(world.office_supplies, option)
    unknown = token[:-1] + ("A" if token[-1] != "A" else "B")
    body = assert_problem(as_(world.bob).get(f"/shared/{unknown}"), 404)
    assert body["detail"].startswith("This link does not exist.")


@pytest.mark.parametrize("token", ["x", "a" * 500, "%00", "<script>", "..%2Fcarts", "%E2%82%AC"])
def test_a_token_of_any_shape_answers_404_never_500(world, token):
    assert_problem(as_(None).get(f"/shared/{token}"), 404)


# Row 2: revoked or expired


@pytest.mark.parametrize("option", ALL_OPTIONS)
def test_a_revoked_link_answers_410_and_says_whom_to_ask(world, option):
    link, _, token = world.share_link(world.office_supplies, option)
    share_link_revoke(link=link, actor=world.alice)
    response = as_(world.bob).get(f"/shared/{token}")
    body = assert_problem(response, 410)
    assert body["detail"] == (
        "This link has been turned off by Alice Archer. Ask Alice Archer for a new link."
    )
    assert_no_cart_data(response)


@pytest.mark.parametrize("option", ALL_OPTIONS)
def test_an_expired_link_answers_410_and_says_whom_to_ask(world, option):
    link, _, token = world.share_link(world.office_supplies, option)
    ShareLink.objects.filter(pk=link.pk).update(expires_at=timezone.now())
    response = as_(None).get(f"/shared/{token}")
    body = assert_problem(response, 410)
    assert body["detail"].startswith("This link expired on ")
    assert body["detail"].endswith("Ask Alice Archer for a new link.")
    assert_no_cart_data(response)


def test_a_link_is_valid_until_the_instant_it_expires(world):
    link, _, token = world.share_link(world.office_supplies, "PREVIEW")
    ShareLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() + timedelta(seconds=5))
    assert as_(None).get(f"/shared/{token}").status_code == 200


# Row 3: cart deleted


@pytest.mark.parametrize("option", ALL_OPTIONS)
def test_the_link_of_a_deleted_cart_answers_410_no_longer_available(world, option):
    _, _, token = world.share_link(world.office_supplies, option)
    world.office_supplies.delete()
    body = assert_problem(as_(world.bob).get(f"/shared/{token}"), 410)
    assert body["detail"].startswith("This cart is no longer available")
    assert "Ask Alice Archer" in body["detail"]


# Row 4: logged out


def test_anyone_without_a_token_sees_the_preview_of_a_preview_link(world):
    assert_preview(as_(None).get(f"/shared/{world.link(world.office_supplies, 'PREVIEW')}"), world)


@pytest.mark.parametrize("option", INTERNAL)
def test_an_internal_link_without_a_token_answers_401_saying_to_log_in(world, option):
    _, _, token = world.share_link(world.office_supplies, option)
    response = as_(None).get(f"/shared/{token}")
    body = assert_problem(response, 401)
    assert body["detail"] == "This link is for colleagues in Berlin HQ. Log in to open it."
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert_no_cart_data(response)


def test_a_bad_access_token_answers_401_even_for_a_preview_link(world):
    response = ApiClient("not-a-token").get(
        f"/shared/{world.link(world.office_supplies, 'PREVIEW')}"
    )
    assert_problem(response, 401)
    assert_no_cart_data(response)


# Row 5: logged in, same business unit


def test_a_colleague_sees_the_preview_of_a_preview_link(world):
    assert_preview(
        as_(world.bob).get(f"/shared/{world.link(world.office_supplies, 'PREVIEW')}"), world
    )


@pytest.mark.parametrize("option", INTERNAL)
def test_a_colleague_sees_the_cart_as_after_accepting_and_nothing_changes(world, option):
    _, _, token = world.share_link(world.office_supplies, option)
    before = data()
    cart = assert_cart_seen_as(
        as_(world.bob).get(f"/shared/{token}"), world, access=option, option=option
    )
    assert cart["is_active"] is False
    assert data() == before


def test_a_read_only_link_shows_full_access_to_a_colleague_who_has_it(world):
    world.share(world.office_supplies, world.bob, SharePermission.FULL_ACCESS)
    world.bob.active_cart_id = world.office_supplies.pk
    world.bob.save()
    _, _, token = world.share_link(world.office_supplies, "READ_ONLY")
    cart = assert_cart_seen_as(
        as_(world.bob).get(f"/shared/{token}"), world, access="FULL_ACCESS", option="READ_ONLY"
    )
    assert cart["is_active"] is True


def test_a_full_access_link_shows_full_access_to_a_read_only_colleague(world):
    world.share(world.office_supplies, world.bob)
    _, _, token = world.share_link(world.office_supplies, "FULL_ACCESS")
    assert_cart_seen_as(
        as_(world.bob).get(f"/shared/{token}"), world, access="FULL_ACCESS", option="FULL_ACCESS"
    )


# Row 6: the owner


def test_the_owner_sees_the_preview_of_a_preview_link(world):
    assert_preview(
        as_(world.alice).get(f"/shared/{world.link(world.office_supplies, 'PREVIEW')}"), world
    )


@pytest.mark.parametrize("option", INTERNAL)
def test_the_owner_of_an_internal_link_sees_the_cart_itself(world, option):
    _, _, token = world.share_link(world.office_supplies, option)
    assert_cart_seen_as(
        as_(world.alice).get(f"/shared/{token}"), world, access="OWNER", option=option
    )


# Row 7: other business unit, other company, B2C


@pytest.mark.parametrize("person", OUTSIDERS)
def test_outsiders_see_the_preview_of_a_preview_link(world, person):
    assert_preview(
        as_(world.user(person)).get(f"/shared/{world.link(world.office_supplies, 'PREVIEW')}"),
        world,
    )


@pytest.mark.parametrize("option", INTERNAL)
@pytest.mark.parametrize("person", OUTSIDERS)
def test_outsiders_of_an_internal_link_get_403_naming_the_unit_and_no_cart_data(
    world, person, option
):
    _, _, token = world.share_link(world.office_supplies, option)
    response = as_(world.user(person)).get(f"/shared/{token}")
    body = assert_problem(response, 403)
    assert body["detail"] == (
        "This link is for colleagues in Berlin HQ. Log in with another account."
    )
    assert_no_cart_data(response)


def test_a_colleague_whose_company_user_is_deactivated_is_an_outsider(world):
    _, _, token = world.share_link(world.office_supplies, "FULL_ACCESS")
    client = as_(world.bob)
    world.bob.company_user.is_active = False
    world.bob.company_user.save()
    assert_problem(client.get(f"/shared/{token}"), 403)


# Row 8: cart ORDERED


def test_the_preview_of_an_ordered_cart_is_marked_ordered(world):
    _, _, token = world.share_link(world.office_supplies, "PREVIEW")
    order(world.office_supplies)
    assert assert_preview(as_(None).get(f"/shared/{token}"), world)["status"] == "ORDERED"


@pytest.mark.parametrize("option", INTERNAL)
def test_an_internal_link_to_an_ordered_cart_shows_a_colleague_the_cart_read_only(world, option):
    _, _, token = world.share_link(world.office_supplies, option)
    order(world.office_supplies)
    cart = assert_cart_seen_as(
        as_(world.bob).get(f"/shared/{token}"), world, access="READ_ONLY", option=option
    )
    assert cart["status"] == "ORDERED"


@pytest.mark.parametrize("option", INTERNAL)
def test_outsiders_of_an_internal_link_to_an_ordered_cart_still_get_403(world, option):
    _, _, token = world.share_link(world.office_supplies, option)
    order(world.office_supplies)
    assert_problem(as_(world.carol).get(f"/shared/{token}"), 403)


# What every answer of /shared/ carries, and what opening counts


@pytest.mark.parametrize("option", ALL_OPTIONS)
def test_answers_under_shared_keep_the_link_out_of_referrers_caches_and_indexes(world, option):
    _, _, token = world.share_link(world.office_supplies, option)
    for response in (as_(world.bob).get(f"/shared/{token}"), as_(None).get(f"/shared/{token}x")):
        assert response["Referrer-Policy"] == "no-referrer"
        assert response["Cache-Control"] == "no-store"
        assert response["X-Robots-Tag"] == "noindex"


def test_opens_are_counted_except_the_owners_own(world):
    link, _, token = world.share_link(world.office_supplies, "PREVIEW")
    as_(None).get(f"/shared/{token}")
    as_(world.erin).get(f"/shared/{token}")
    as_(world.alice).get(f"/shared/{token}")
    stats = ShareLinkStats.objects.get(link=link)
    assert stats.open_count == 2
    assert stats.last_opened_at is not None


def test_the_preview_serialises_like_the_rest_of_the_api(world):
    """The light serialiser writes dates and ids the way ninja does for GET /carts/{id}."""
    _, _, token = world.share_link(world.office_supplies, "FULL_ACCESS")
    opened = as_(world.alice).get(f"/shared/{token}").json()["cart"]
    detail = as_(world.alice).get(f"/carts/{world.office_supplies.pk}").json()
    assert opened == detail


# --- POST /shared/{token}/accept ---------------------------------------------------------------


@pytest.mark.parametrize("option", INTERNAL)
def test_accepting_creates_the_grant_makes_the_cart_active_and_answers_the_cart(world, option):
    """The cart becomes active when the level lets "Add to cart" fill it: never read-only."""
    fills = option != "READ_ONLY"
    active_before = world.bob.active_cart_id
    _, _, token = world.share_link(world.office_supplies, option)
    response = as_(world.bob).post(f"/shared/{token}/accept")
    assert response.status_code == 200, response.content
    body = response.json()
    assert_matches_component(body, "ShareLinkAcceptOut")
    assert body["permission"] == option
    assert body["cart"]["access"] == option
    assert body["cart"]["is_active"] is fills
    assert body["cart"]["note"] == SECRET_NOTE
    assert response["ETag"] == f'"{world.office_supplies.version}"'
    share = CartShare.objects.get(cart=world.office_supplies, company_user=world.bob.company_user)
    assert share.permission == option
    world.bob.refresh_from_db()
    assert world.bob.active_cart_id == (world.office_supplies.pk if fills else active_before)
    entry = CartActivity.objects.get(cart=world.office_supplies, verb=Verb.LINK_ACCEPTED)
    assert entry.actor == world.bob


def test_accepting_a_full_access_link_raises_read_only(world):
    world.share(world.office_supplies, world.bob)
    _, _, token = world.share_link(world.office_supplies, "FULL_ACCESS")
    assert as_(world.bob).post(f"/shared/{token}/accept").json()["permission"] == "FULL_ACCESS"
    share = CartShare.objects.get(cart=world.office_supplies, company_user=world.bob.company_user)
    assert share.permission == SharePermission.FULL_ACCESS


def test_accepting_a_read_only_link_never_lowers_full_access(world):
    world.share(world.office_supplies, world.bob, SharePermission.FULL_ACCESS)
    _, _, token = world.share_link(world.office_supplies, "READ_ONLY")
    response = as_(world.bob).post(f"/shared/{token}/accept")
    assert response.json()["permission"] == "FULL_ACCESS"
    share = CartShare.objects.get(cart=world.office_supplies, company_user=world.bob.company_user)
    assert share.permission == SharePermission.FULL_ACCESS


def test_accepting_twice_keeps_one_grant(world):
    _, _, token = world.share_link(world.office_supplies, "READ_ONLY")
    client = as_(world.bob)
    assert client.post(f"/shared/{token}/accept").status_code == 200
    assert client.post(f"/shared/{token}/accept").status_code == 200
    assert CartShare.objects.filter(cart=world.office_supplies).count() == 1


def test_the_owner_accepting_their_own_link_only_makes_the_cart_active(world):
    _, _, token = world.share_link(world.office_supplies, "FULL_ACCESS")
    response = as_(world.alice).post(f"/shared/{token}/accept")
    assert response.status_code == 200
    assert response.json()["permission"] == "OWNER"
    assert response.json()["cart"]["is_active"] is True
    assert not CartShare.objects.filter(cart=world.office_supplies).exists()


@pytest.mark.parametrize("person", OUTSIDERS)
def test_outsiders_cannot_accept_and_nothing_changes(world, person):
    _, _, token = world.share_link(world.office_supplies, "FULL_ACCESS")
    client = as_(world.user(person))
    before = data()
    response = client.post(f"/shared/{token}/accept")
    assert "Berlin HQ" in assert_problem(response, 403)["detail"]
    assert_no_cart_data(response)
    assert data() == before


def test_accepting_needs_an_access_token(world):
    _, _, token = world.share_link(world.office_supplies, "FULL_ACCESS")
    before = data()
    assert_problem(as_(None).post(f"/shared/{token}/accept"), 401)
    assert data() == before


def test_a_preview_link_has_nothing_to_accept_422(world):
    _, _, token = world.share_link(world.office_supplies, "PREVIEW")
    client = as_(world.bob)
    before = data()
    body = assert_problem(client.post(f"/shared/{token}/accept"), 422)
    assert body["detail"] == (
        "A preview link needs no accepting: anyone with it can look at the cart."
    )
    assert data() == before


@pytest.mark.parametrize("option", INTERNAL)
def test_nobody_joins_an_ordered_cart_409(world, option):
    _, _, token = world.share_link(world.office_supplies, option)
    order(world.office_supplies)
    client = as_(world.bob)
    before = data()
    body = assert_problem(client.post(f"/shared/{token}/accept"), 409)
    assert "ordered" in body["detail"]
    assert data() == before


def test_accepting_a_revoked_or_unknown_link_answers_410_or_404(world):
    link, _, token = world.share_link(world.office_supplies, "FULL_ACCESS")
    share_link_revoke(link=link, actor=world.alice)
    client = as_(world.bob)
    before = data()
    assert (
        "Ask Alice Archer" in assert_problem(client.post(f"/shared/{token}/accept"), 410)["detail"]
    )
    assert_problem(client.post(f"/shared/{token}x/accept"), 404)
    assert data() == before


# --- POST /shared/{token}/copy -----------------------------------------------------------------


@pytest.mark.parametrize("person", ["alice", "bob", "carol", "dave", "erin"])
def test_anyone_logged_in_copies_a_preview_link_into_a_new_cart_of_theirs(world, person):
    customer = world.user(person)
    _, _, token = world.share_link(world.office_supplies, "PREVIEW")
    response = as_(customer).post(f"/shared/{token}/copy")
    assert response.status_code == 201, response.content
    body = response.json()
    copy = Cart.objects.get(pk=body["id"])
    assert copy.owner == customer
    assert body["name"] == "Copy of Office supplies"
    assert body["access"] == "OWNER"
    assert body["is_active"] is True
    assert body["note"] == ""
    assert response["ETag"] == f'"{copy.version}"'
    assert_items_and_totals(body)
    assert (
        CartItem.objects.filter(cart=world.office_supplies).count() == 2
    )  # the original is unchanged


def test_copying_twice_numbers_the_copies(world):
    _, _, token = world.share_link(world.office_supplies, "PREVIEW")
    client = as_(world.erin)
    client.post(f"/shared/{token}/copy")
    assert client.post(f"/shared/{token}/copy").json()["name"] == "Copy of Office supplies (2)"


def test_copying_with_one_idempotency_key_makes_one_copy(world):
    _, _, token = world.share_link(world.office_supplies, "PREVIEW")
    client = as_(world.erin)
    headers = {"Idempotency-Key": "copy-1"}
    first = client.post(f"/shared/{token}/copy", headers=headers)
    again = client.post(f"/shared/{token}/copy", headers=headers)
    assert again.json() == first.json()
    assert Cart.objects.filter(owner=world.erin, name__startswith="Copy of").count() == 1


@pytest.mark.parametrize("option", INTERNAL)
def test_a_colleague_copies_an_internal_link(world, option):
    _, _, token = world.share_link(world.office_supplies, option)
    assert as_(world.bob).post(f"/shared/{token}/copy").status_code == 201


@pytest.mark.parametrize("option", INTERNAL)
@pytest.mark.parametrize("person", OUTSIDERS)
def test_outsiders_cannot_copy_an_internal_link_and_nothing_changes(world, person, option):
    _, _, token = world.share_link(world.office_supplies, option)
    client = as_(world.user(person))
    before = data()
    assert_problem(client.post(f"/shared/{token}/copy"), 403)
    assert data() == before


def test_copying_needs_an_access_token(world):
    _, _, token = world.share_link(world.office_supplies, "PREVIEW")
    before = data()
    assert_problem(as_(None).post(f"/shared/{token}/copy"), 401)
    assert data() == before


def test_copying_a_revoked_link_answers_410_and_copies_nothing(world):
    link, _, token = world.share_link(world.office_supplies, "PREVIEW")
    share_link_revoke(link=link, actor=world.alice)
    client = as_(world.erin)
    before = data()
    assert_problem(client.post(f"/shared/{token}/copy"), 410)
    assert data() == before


def test_an_ordered_cart_can_still_be_copied(world):
    _, _, token = world.share_link(world.office_supplies, "PREVIEW")
    order(world.office_supplies)
    response = as_(world.erin).post(f"/shared/{token}/copy")
    assert response.status_code == 201
    assert response.json()["status"] == "OPEN"


# --- Rate limit: /share/ and /api/v1/shared/ count together ------------------------------------


def test_opening_links_too_often_answers_429_problem_with_retry_after(world, settings):
    settings.CARTSHARE_SHARE_RATE_LIMIT = "3/m"
    _, _, token = world.share_link(world.office_supplies, "PREVIEW")
    client = as_(None)
    assert client.get(f"/shared/{token}").status_code == 200
    assert client.client.get(f"/share/{token}").status_code == 200  # the page counts too
    assert client.get(f"/shared/{token}x").status_code == 404  # and so do misses

    response = client.get(f"/shared/{token}")

    body = assert_problem(response, 429)
    assert body["detail"].startswith("Too many links were opened from your network")
    assert 1 <= int(response["Retry-After"]) <= 60
    assert response["X-Request-ID"] == body["request_id"]
    assert_no_cart_data(response)
    assert client.client.get(f"/share/{token}").status_code == 429


def test_the_rate_limit_covers_accept_and_copy(world, settings):
    settings.CARTSHARE_SHARE_RATE_LIMIT = "1/m"
    _, _, token = world.share_link(world.office_supplies, "PREVIEW")
    client = as_(world.erin)
    assert client.get(f"/shared/{token}").status_code == 200
    before = data()
    assert_problem(client.post(f"/shared/{token}/copy"), 429)
    assert data() == before


# --- The preview is cheap: flat queries, no per-item work beyond building the item --------------


def cart_with_items(owner, count: int):
    category = CategoryFactory()
    cart = CartFactory(owner=owner, name=f"{count} items")
    products = Product.objects.bulk_create(
        Product(
            sku=f"BULK-{count}-{number:04d}",
            name=f"Product {number}",
            category=category,
            unit_price=100 + number,
            currency="EUR",
        )
        for number in range(count)
    )
    CartItem.objects.bulk_create(
        CartItem(cart=cart, product=product, quantity=1 + number % 5)
        for number, product in enumerate(products)
    )
    return cart


def queries_to_open(client, token) -> int:
    client.get(f"/shared/{token}")  # the token's first use records it; count the second
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"/shared/{token}")
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize(
    "who, option",
    [
        ("anonymous", "PREVIEW"),
        ("outsider", "PREVIEW"),
        ("colleague", "PREVIEW"),
        ("colleague", "FULL_ACCESS"),
    ],
)
def test_opening_a_link_runs_as_many_queries_for_1000_items_as_for_10(
    world, who, option, django_assert_max_num_queries
):
    person = {"anonymous": None, "outsider": world.erin, "colleague": world.bob}[who]
    small, large = cart_with_items(world.alice, 10), cart_with_items(world.alice, 1000)
    _, _, small_token = world.share_link(small, option)
    _, _, large_token = world.share_link(large, option)
    client = as_(person)
    few = queries_to_open(client, small_token)
    with django_assert_max_num_queries(few):
        response = client.get(f"/shared/{large_token}")
    assert len(response.json()["cart"]["items"]) == 1000
    # Anonymous preview: the link (with cart and owner), the open count, the items. A token adds
    # the caller and their grant; an internal link adds both business units and the active cart.
    assert few <= {"anonymous": 3, "outsider": 5, "colleague": 5}[who] + (
        5 if option != "PREVIEW" else 0
    )


def test_the_preview_of_1000_items_is_complete_and_valid(world):
    cart = cart_with_items(world.alice, 1000)
    _, _, token = world.share_link(cart, "PREVIEW")
    response = as_(None).get(f"/shared/{token}")
    body = json.loads(response.content)
    assert_matches_component(body, "SharedCartViewOut")
    items = body["cart"]["items"]
    assert len(items) == 1000
    assert body["cart"]["totals"]["item_count"] == 1000
    assert body["cart"]["totals"]["subtotal"] == sum(item["total_price"] for item in items)
