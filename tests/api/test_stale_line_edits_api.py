"""No lost input over the API (issue 13): `If-Match` on a line write (add, change, remove an
item) is a precondition on that line; a stale ETag whose line did not change since is applied
(200/201, new ETag), a true conflict is 412 with `conflict` (who changed it to what, the line
now) and changes nothing. Writes to the cart itself keep the whole-cart precondition. Without
`If-Match` every write is applied (last writer wins)."""

import pytest

from cartshare.carts import services
from cartshare.carts.models import Cart
from cartshare.sharing.models import SharePermission
from tests.api.client import assert_problem, client_for
from tests.api.openapi import assert_answer_matches_openapi

pytestmark = pytest.mark.django_db

ITEM = "/carts/{cart_id}/items/{item_id}"


def quantities(cart):
    return dict(cart.items.values_list("product__sku", "quantity"))


def version(cart) -> int:
    return Cart.objects.get(pk=cart.pk).version


@pytest.fixture
def lines(world):
    cart = world.trade_fair
    return cart, world.item(cart, world.stapler), world.item(cart, world.paper)


def etag(value: int) -> dict[str, str]:
    return {"If-Match": f'"{value}"'}


def test_a_stale_if_match_on_an_unchanged_line_is_applied(world, lines):
    cart, stapler, paper = lines
    loaded = cart.version
    services.cart_item_update(cart=cart, actor=world.bob, item_id=paper.pk, quantity=20)
    response = client_for(world.alice).patch(
        f"/carts/{cart.pk}/items/{stapler.pk}", {"quantity": 7}, headers=etag(loaded)
    )
    assert response.status_code == 200
    assert response["ETag"] == f'"{version(cart)}"' and version(cart) == loaded + 2
    shown = {item["sku"]: item["quantity"] for item in response.json()["items"]}
    assert shown == {"STAPLER-1": 7, "PAPER-A4": 20} == quantities(cart)
    assert_answer_matches_openapi(response, "PATCH", ITEM)


def test_a_stale_if_match_on_a_line_changed_meanwhile_is_412_with_who_and_what(world, lines):
    cart, stapler, _ = lines
    loaded = cart.version
    services.cart_item_update(cart=cart, actor=world.bob, item_id=stapler.pk, quantity=5)
    now = version(cart)
    response = client_for(world.alice).patch(
        f"/carts/{cart.pk}/items/{stapler.pk}", {"quantity": 9}, headers=etag(loaded)
    )
    body = assert_problem(response, 412)
    assert body["current_version"] == now and response["ETag"] == f'"{now}"'
    assert body["conflict"] == {
        "kind": "quantity",
        "item_id": stapler.pk,
        "sku": "STAPLER-1",
        "product": "Stapler",
        "changed_by": {"id": world.bob.pk, "name": "Bob Brandt"},
        "quantity": 5,
        "note": "",
        "text": "Bob Brandt changed the quantity of Stapler to 5.",
    }
    assert body["detail"].startswith("Bob Brandt changed the quantity of Stapler to 5.")
    assert quantities(cart)["STAPLER-1"] == 5 and version(cart) == now
    assert_answer_matches_openapi(response, "PATCH", ITEM)


def test_a_stale_delete_of_an_unchanged_line_is_applied_and_of_a_changed_one_refused(world, lines):
    cart, stapler, paper = lines
    loaded = cart.version
    services.cart_item_update(cart=cart, actor=world.bob, item_id=paper.pk, note="Recycled")
    alice = client_for(world.alice)
    changed = alice.delete(f"/carts/{cart.pk}/items/{paper.pk}", headers=etag(loaded))
    body = assert_problem(changed, 412)
    assert body["conflict"]["kind"] == "note"
    assert body["conflict"]["text"] == "Bob Brandt changed the note on Paper A4 to “Recycled”."
    assert_answer_matches_openapi(changed, "DELETE", ITEM)
    applied = alice.delete(f"/carts/{cart.pk}/items/{stapler.pk}", headers=etag(loaded))
    assert applied.status_code == 200
    assert quantities(cart) == {"PAPER-A4": 10}


def test_a_stale_edit_of_a_removed_line_is_412_saying_who_removed_it(world, lines):
    cart, stapler, _ = lines
    loaded = cart.version
    services.cart_item_remove(cart=cart, actor=world.bob, item_id=stapler.pk)
    response = client_for(world.alice).patch(
        f"/carts/{cart.pk}/items/{stapler.pk}", {"quantity": 9}, headers=etag(loaded)
    )
    body = assert_problem(response, 412)
    assert body["conflict"] == {
        "kind": "removed",
        "item_id": stapler.pk,
        "sku": "STAPLER-1",
        "product": "Stapler",
        "changed_by": {"id": world.bob.pk, "name": "Bob Brandt"},
        "text": "Bob Brandt removed Stapler from the cart.",
    }
    assert_answer_matches_openapi(response, "PATCH", ITEM)
    # Without If-Match the line is simply not there.
    assert_problem(
        client_for(world.alice).patch(f"/carts/{cart.pk}/items/{stapler.pk}", {"quantity": 9}), 404
    )


def test_without_if_match_a_line_write_is_applied_whatever_changed(world, lines):
    cart, stapler, _ = lines
    services.cart_item_update(cart=cart, actor=world.bob, item_id=stapler.pk, quantity=5)
    response = client_for(world.alice).patch(
        f"/carts/{cart.pk}/items/{stapler.pk}", {"quantity": 9}
    )
    assert response.status_code == 200
    assert quantities(cart)["STAPLER-1"] == 9


def test_a_stale_add_merges_unless_that_product_s_line_changed(world, lines):
    cart, _stapler, paper = lines
    loaded = cart.version
    services.cart_item_update(cart=cart, actor=world.bob, item_id=paper.pk, quantity=20)
    alice = client_for(world.alice)
    added = alice.post(
        f"/carts/{cart.pk}/items", {"sku": "STAPLER-1", "quantity": 1}, headers=etag(loaded)
    )
    assert added.status_code == 201
    assert quantities(cart) == {"STAPLER-1": 3, "PAPER-A4": 20}
    refused = alice.post(
        f"/carts/{cart.pk}/items", {"sku": "PAPER-A4", "quantity": 1}, headers=etag(loaded)
    )
    body = assert_problem(refused, 412)
    assert body["conflict"]["text"] == "Bob Brandt changed the quantity of Paper A4 to 20."
    assert quantities(cart) == {"STAPLER-1": 3, "PAPER-A4": 20}
    assert_answer_matches_openapi(refused, "POST", "/carts/{cart_id}/items")


def test_writes_to_the_cart_itself_keep_the_whole_cart_precondition(world, lines):
    cart, _, paper = lines
    loaded = cart.version
    services.cart_item_update(cart=cart, actor=world.bob, item_id=paper.pk, quantity=20)
    response = client_for(world.alice).patch(
        f"/carts/{cart.pk}", {"name": "Renamed"}, headers=etag(loaded)
    )
    body = assert_problem(response, 412)
    assert "conflict" not in body
    assert Cart.objects.get(pk=cart.pk).name == cart.name


def test_a_contributor_s_stale_edit_merges_on_their_line_and_is_403_on_another(world, lines):
    cart, _stapler, paper = lines
    world.share(cart, world.greta, SharePermission.CONTRIBUTOR)
    lamp = services.cart_item_add(cart=cart, actor=world.greta, sku=world.lamp.sku, quantity=1)
    loaded = cart.version
    services.cart_item_update(cart=cart, actor=world.alice, item_id=paper.pk, quantity=20)
    greta = client_for(world.greta)
    mine = greta.patch(f"/carts/{cart.pk}/items/{lamp.pk}", {"quantity": 4}, headers=etag(loaded))
    assert mine.status_code == 200
    theirs = greta.patch(
        f"/carts/{cart.pk}/items/{paper.pk}", {"quantity": 4}, headers=etag(loaded)
    )
    assert_problem(theirs, 403)  # the policy decides before any version is compared
    assert quantities(cart) == {"STAPLER-1": 2, "PAPER-A4": 20, "LAMP-1": 4}


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 401),
        ("read_only", 403),
        ("other_unit", 404),
        ("other_company", 404),
        ("b2c", 404),
    ],
)
def test_callers_who_may_not_change_lines_are_refused_stale_or_not(world, lines, role, status):
    cart, stapler, _paper = lines
    loaded = cart.version
    services.cart_item_update(cart=cart, actor=world.bob, item_id=stapler.pk, quantity=5)
    response = client_for(world.caller(role)).patch(
        f"/carts/{cart.pk}/items/{stapler.pk}", {"quantity": 9}, headers=etag(loaded)
    )
    body = assert_problem(response, status)
    assert "conflict" not in body  # nobody learns who changed what without the right to edit
    assert quantities(cart)["STAPLER-1"] == 5
