"""Item notes (spec §10): the owner and full access write a short plain-text note on any line, a
contributor on the lines they added; the note shows on the cart page, the preview and the order
(copied into the order line), and through the API."""

import pytest
from django.urls import reverse

from cartshare.activity.models import CartActivity
from cartshare.carts.services import cart_item_add, cart_item_update
from cartshare.common.errors import InvalidInput
from cartshare.orders.models import OrderLine
from cartshare.orders.services import cart_checkout
from cartshare.sharing.models import SharePermission
from tests.api.client import assert_problem, client_for
from tests.snapshots import snapshot

pytestmark = pytest.mark.django_db


def stapler(world):
    return world.item(world.trade_fair, world.stapler)


def note_url(world, item):
    return reverse("storefront:cart_item_update", args=[world.trade_fair.pk, item.pk])


def cart_page(world, person):
    url = reverse("storefront:cart_detail", args=[world.trade_fair.pk])
    return world.logged_in_client(person).get(url).content.decode()


@pytest.mark.parametrize("who", ["alice", "bob"])
def test_owner_and_full_access_write_a_note_on_the_page(world, who):
    client = world.logged_in_client(world.user(who))
    response = client.post(
        note_url(world, stapler(world)),
        {"note": "  The blue ones, please  ", "version": world.trade_fair.version},
    )
    assert response.status_code == 302
    line = stapler(world)
    assert (line.note, line.quantity) == ("The blue ones, please", 2)  # quantity untouched
    entry = CartActivity.objects.filter(cart=world.trade_fair).latest("pk")
    assert (entry.verb, entry.actor) == ("item_note_changed", world.user(who))


def test_the_cart_page_offers_the_note_field_to_those_who_may_change_the_line(world):
    cart_item_update(
        cart=world.trade_fair, actor=world.alice, item_id=stapler(world).pk, note="Blue"
    )
    owner = cart_page(world, world.alice)
    assert f'id="note-{stapler(world).pk}" type="text" name="note" value="Blue"' in owner
    reader = cart_page(world, world.frank)
    assert "Note: Blue" in reader and 'name="note"' not in reader


def test_a_contributor_writes_notes_on_her_own_lines_only(world):
    world.share(world.trade_fair, world.greta, SharePermission.CONTRIBUTOR)
    lamp = cart_item_add(cart=world.trade_fair, actor=world.greta, sku=world.lamp.sku, quantity=1)
    client = world.logged_in_client(world.greta)
    world.trade_fair.refresh_from_db()
    response = client.post(
        note_url(world, lamp), {"note": "For the booth", "version": world.trade_fair.version}
    )
    assert response.status_code == 302
    assert world.item(world.trade_fair, world.lamp).note == "For the booth"
    world.trade_fair.refresh_from_db()
    before = snapshot()
    response = client.post(
        note_url(world, stapler(world)), {"note": "Mine", "version": world.trade_fair.version}
    )
    assert response.status_code == 403
    assert snapshot() == before and stapler(world).note == ""


def test_a_read_only_colleague_cannot_write_a_note(world):
    before = snapshot()
    response = world.logged_in_client(world.frank).post(
        note_url(world, stapler(world)), {"note": "Mine", "version": world.trade_fair.version}
    )
    assert response.status_code == 403
    assert snapshot() == before and stapler(world).note == ""


@pytest.mark.parametrize(
    "note", ["x" * 501, "two\nlines", "bell\x07"], ids=["too long", "line break", "control"]
)
def test_bad_notes_are_refused_and_change_nothing(world, note):
    before = snapshot()
    with pytest.raises(InvalidInput) as refusal:
        cart_item_update(
            cart=world.trade_fair, actor=world.alice, item_id=stapler(world).pk, note=note
        )
    assert "note" in refusal.value.errors
    assert snapshot() == before


def test_a_note_of_500_characters_fits_and_an_empty_one_removes_it(world):
    line = stapler(world)
    cart_item_update(cart=world.trade_fair, actor=world.alice, item_id=line.pk, note="x" * 500)
    assert stapler(world).note == "x" * 500
    cart_item_update(cart=world.trade_fair, actor=world.alice, item_id=line.pk, note="")
    assert stapler(world).note == ""


def test_the_preview_shows_the_notes(world):
    cart_item_update(
        cart=world.trade_fair, actor=world.alice, item_id=stapler(world).pk, note="Blue"
    )
    token = world.link(world.trade_fair, "PREVIEW")
    html = world.logged_in_client(None).get(f"/share/{token}").content.decode()
    assert "Note: Blue" in html
    body = client_for(None).get(f"/shared/{token}").json()
    assert [item["note"] for item in body["cart"]["items"]] == ["Blue", ""]


def test_the_order_keeps_the_notes(world):
    cart_item_update(
        cart=world.trade_fair, actor=world.alice, item_id=stapler(world).pk, note="Blue"
    )
    order = cart_checkout(cart=world.trade_fair, actor=world.alice)
    assert list(OrderLine.objects.filter(order=order).values_list("sku", "note")) == [
        ("STAPLER-1", "Blue"),
        ("PAPER-A4", ""),
    ]
    url = reverse("storefront:order_detail", args=[order.reference])
    assert "Note: Blue" in world.logged_in_client(world.alice).get(url).content.decode()
    body = client_for(world.alice).get(f"/orders/{order.pk}").json()
    assert [line["note"] for line in body["items"]] == ["Blue", ""]


def test_the_api_writes_and_shows_a_note(world):
    path = f"/carts/{world.trade_fair.pk}/items/{stapler(world).pk}"
    response = client_for(world.bob).patch(path, {"note": "Blue"})
    assert response.status_code == 200
    notes = {item["sku"]: item["note"] for item in response.json()["items"]}
    assert notes == {"STAPLER-1": "Blue", "PAPER-A4": ""}
    assert stapler(world).quantity == 2


def test_the_api_changes_quantity_and_note_together(world):
    path = f"/carts/{world.trade_fair.pk}/items/{stapler(world).pk}"
    assert client_for(world.alice).patch(path, {"quantity": 4, "note": "Blue"}).status_code == 200
    assert (stapler(world).quantity, stapler(world).note) == (4, "Blue")


@pytest.mark.parametrize("body", [{}, {"note": "x" * 501}, {"note": 5}])
def test_the_api_refuses_an_empty_or_bad_patch(world, body):
    before = snapshot()
    path = f"/carts/{world.trade_fair.pk}/items/{stapler(world).pk}"
    assert_problem(client_for(world.alice).patch(path, body), 422)
    assert snapshot() == before


def test_the_api_refuses_a_read_only_note(world):
    before = snapshot()
    path = f"/carts/{world.trade_fair.pk}/items/{stapler(world).pk}"
    assert_problem(client_for(world.frank).patch(path, {"note": "Mine"}), 403)
    assert snapshot() == before


def test_duplicating_a_cart_keeps_its_notes(world):
    cart_item_update(
        cart=world.trade_fair, actor=world.alice, item_id=stapler(world).pk, note="Blue"
    )
    response = world.logged_in_client(world.bob).post(
        reverse("storefront:cart_duplicate", args=[world.trade_fair.pk])
    )
    assert response.status_code == 302
    copy = world.bob.carts.get(name="Copy of Trade fair")
    assert dict(copy.items.values_list("product__sku", "note")) == {
        "STAPLER-1": "Blue",
        "PAPER-A4": "",
    }
