"""The contributor level through the API (API.md "Contributor level and line details", spec
§10): greta contributes to alice's "Trade fair". Allowed requests are checked in the database,
refused ones for their status and for changing nothing. Every other caller of every endpoint is
in test_authorization_matrix.py."""

import pytest

from cartshare.carts.services import cart_item_add
from cartshare.orders.models import Order
from cartshare.sharing.models import CartShare, ShareLink, SharePermission
from tests.api.client import assert_problem, client_for
from tests.contributors import alices_line, own_line, quantities
from tests.snapshots import snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def greta(world):
    """greta's API client; she contributes to "Trade fair" and added its lamp line."""
    world.share(world.trade_fair, world.greta, SharePermission.CONTRIBUTOR)
    cart_item_add(cart=world.trade_fair, actor=world.greta, sku=world.lamp.sku, quantity=1)
    return client_for(world.greta)


def cart_path(world, *rest):
    return "/".join([f"/carts/{world.trade_fair.pk}", *map(str, rest)])


def test_she_sees_the_cart_as_a_contributor(world, greta):
    body = greta.get(cart_path(world)).json()
    assert body["access"] == "CONTRIBUTOR"
    assert {item["sku"]: item["added_by"]["name"] for item in body["items"]} == {
        "STAPLER-1": "Alice Archer",
        "PAPER-A4": "Alice Archer",
        "LAMP-1": "Greta Gruber",
    }


def test_her_cart_list_shows_her_level(world, greta):
    body = greta.get("/carts").json()
    assert {cart["name"]: cart["access"] for cart in body["results"]}["Trade fair"] == (
        "CONTRIBUTOR"
    )


def test_she_adds_an_item(world, greta):
    response = greta.post(cart_path(world, "items"), {"sku": world.pens.sku, "quantity": 2})
    assert response.status_code == 201
    line = world.item(world.trade_fair, world.pens)
    assert (line.quantity, line.added_by) == (2, world.greta)
    assert [i["added_by"]["id"] for i in response.json()["items"] if i["sku"] == "PEN-001"] == [
        world.greta.pk
    ]


def test_adding_what_alice_added_raises_alices_line(world, greta):
    response = greta.post(cart_path(world, "items"), {"sku": world.stapler.sku, "quantity": 1})
    assert response.status_code == 201
    line = alices_line(world)
    assert (line.quantity, line.added_by) == (3, world.alice)


def test_she_changes_her_own_line(world, greta):
    response = greta.patch(cart_path(world, "items", own_line(world).pk), {"quantity": 4})
    assert response.status_code == 200
    assert quantities(world)["LAMP-1"] == 4


def test_she_removes_her_own_line(world, greta):
    response = greta.delete(cart_path(world, "items", own_line(world).pk))
    assert response.status_code == 200
    assert "LAMP-1" not in quantities(world)


def test_she_comments(world, greta):
    response = greta.post(cart_path(world, "comments"), {"text": "Lamp added."})
    assert response.status_code == 201
    assert response.json()["author"] == {"id": world.greta.pk, "name": "Greta Gruber"}


def test_she_makes_the_cart_her_active_cart(world, greta):
    response = greta.post(cart_path(world, "activate"))
    assert response.status_code == 200
    world.greta.refresh_from_db()
    assert world.greta.active_cart_id == world.trade_fair.pk


def refused(greta, method, path, body=None, status=403):
    before = snapshot()
    response = greta.request(method, path, body)
    problem = assert_problem(response, status)
    assert snapshot() == before
    return problem


def test_she_cannot_change_alices_line(world, greta):
    problem = refused(
        greta, "PATCH", cart_path(world, "items", alices_line(world).pk), {"quantity": 9}
    )
    assert "only the items you added" in problem["detail"]


def test_she_cannot_write_a_note_on_alices_line(world, greta):
    refused(greta, "PATCH", cart_path(world, "items", alices_line(world).pk), {"note": "Mine"})
    assert alices_line(world).note == ""


def test_the_owner_and_full_access_write_notes_on_any_line(world, greta):
    for person, note in ((world.alice, "Red ones"), (world.bob, "Or blue")):
        response = client_for(person).patch(
            cart_path(world, "items", alices_line(world).pk), {"note": note}
        )
        assert response.status_code == 200
        assert alices_line(world).note == note
        shown = {item["sku"]: item["note"] for item in response.json()["items"]}
        assert shown["STAPLER-1"] == note


def test_she_cannot_remove_alices_line(world, greta):
    refused(greta, "DELETE", cart_path(world, "items", alices_line(world).pk))
    assert "STAPLER-1" in quantities(world)


def test_she_cannot_rename_the_cart(world, greta):
    refused(greta, "PATCH", cart_path(world), {"name": "Mine"})


def test_she_cannot_change_the_note(world, greta):
    refused(greta, "PATCH", cart_path(world), {"note": "Changed"})


def test_she_cannot_delete_the_cart(world, greta):
    refused(greta, "DELETE", cart_path(world))


def test_she_cannot_check_out(world, greta):
    refused(greta, "POST", cart_path(world, "checkout"))
    assert not Order.objects.exists()


def test_she_cannot_share_the_cart(world, greta):
    body = {"company_user_id": world.company_user("other_unit").pk, "permission": "READ_ONLY"}
    refused(greta, "POST", cart_path(world, "shared-carts"), body)
    refused(greta, "GET", cart_path(world, "shared-carts"))


def test_she_cannot_make_a_link(world, greta):
    refused(greta, "POST", cart_path(world, "share-links"), {"share_option": "CONTRIBUTOR"})
    assert not ShareLink.objects.exists()


def test_on_an_ordered_cart_her_own_line_is_frozen(world, greta):
    world.trade_fair.status = "ORDERED"
    world.trade_fair.save(update_fields=["status"])
    refused(greta, "PATCH", cart_path(world, "items", own_line(world).pk), {"quantity": 3}, 409)
    refused(greta, "POST", cart_path(world, "items"), {"sku": world.pens.sku, "quantity": 1}, 409)


def test_a_read_only_colleague_cannot_change_a_line_they_added_before(world):
    """A line is changeable by its adder only while their level lets them (frank was lowered)."""
    world.share(world.trade_fair, world.greta, SharePermission.CONTRIBUTOR)
    cart_item_add(cart=world.trade_fair, actor=world.greta, sku=world.lamp.sku, quantity=1)
    CartShare.objects.filter(company_user__customer=world.greta).update(permission="READ_ONLY")
    refused(
        client_for(world.greta),
        "PATCH",
        cart_path(world, "items", own_line(world).pk),
        {"quantity": 3},
    )


# --- giving the level ----------------------------------------------------------------------------


def test_the_owner_grants_the_contributor_level(world):
    body = {"company_user_id": world.company_user("colleague").pk, "permission": "CONTRIBUTOR"}
    response = client_for(world.alice).post(cart_path(world, "shared-carts"), body)
    assert response.status_code == 201
    assert response.json()["permission"] == "CONTRIBUTOR"
    grant = CartShare.objects.get(cart=world.trade_fair, company_user__customer=world.greta)
    assert grant.permission == SharePermission.CONTRIBUTOR


def test_the_owner_lowers_full_access_to_contributor(world):
    share = CartShare.objects.get(cart=world.trade_fair, company_user__customer=world.bob)
    response = client_for(world.alice).patch(
        f"/shared-carts/{share.pk}", {"permission": "CONTRIBUTOR"}
    )
    assert response.status_code == 200
    share.refresh_from_db()
    assert share.permission == SharePermission.CONTRIBUTOR


def test_the_owner_makes_a_contributor_link_and_a_colleague_accepts_it(world):
    response = client_for(world.alice).post(
        cart_path(world, "share-links"), {"share_option": "CONTRIBUTOR"}
    )
    assert response.status_code == 201
    token = response.json()["url"].rsplit("/", 1)[-1]
    greta = client_for(world.greta)
    seen = greta.get(f"/shared/{token}").json()
    assert (seen["share_option"], seen["cart"]["access"]) == ("CONTRIBUTOR", "CONTRIBUTOR")
    accepted = greta.post(f"/shared/{token}/accept")
    assert accepted.status_code == 200
    assert accepted.json()["permission"] == "CONTRIBUTOR"
    assert accepted.json()["cart"]["is_active"] is True
    grant = CartShare.objects.get(cart=world.trade_fair, company_user__customer=world.greta)
    assert grant.permission == SharePermission.CONTRIBUTOR


def test_a_contributor_link_raises_read_only_and_never_lowers_full_access(world):
    token = world.link(world.trade_fair, "CONTRIBUTOR")
    assert client_for(world.frank).post(f"/shared/{token}/accept").json()["permission"] == (
        "CONTRIBUTOR"
    )
    assert client_for(world.bob).post(f"/shared/{token}/accept").json()["permission"] == (
        "FULL_ACCESS"
    )
    levels = dict(
        CartShare.objects.filter(cart=world.trade_fair).values_list(
            "company_user__customer__name", "permission"
        )
    )
    assert levels == {"Frank Fischer": "CONTRIBUTOR", "Bob Brandt": "FULL_ACCESS"}


def test_a_b2c_owner_cannot_make_a_contributor_link(world):
    before = snapshot()
    response = client_for(world.erin).post(
        f"/carts/{world.own_cart('erin').pk}/share-links", {"share_option": "CONTRIBUTOR"}
    )
    assert_problem(response, 422)
    assert snapshot() == before and not ShareLink.objects.exists()


def test_the_permission_groups_describe_the_contributor(world):
    groups = {
        g["name"]: g
        for g in client_for(world.erin).get("/cart-permission-groups").json()["results"]
    }
    assert groups["CONTRIBUTOR"]["label"] == "Contributor"
    assert "add items" in groups["CONTRIBUTOR"]["description"]
