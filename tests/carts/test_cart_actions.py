"""Rename and note, duplicate, delete and make active: who may, and what bad input says."""

import pytest
from django.urls import reverse

from cartshare.carts.models import Cart
from tests.carts.helpers import messages_of, snapshot
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def url(name, cart):
    return reverse(f"storefront:{name}", args=[cart.pk])


# --- rename and note --------------------------------------------------------------------
@pytest.mark.parametrize("who", ["owner", "editor"])
def test_owner_and_full_access_colleague_rename_and_write_the_note(world, as_user, who):
    response = as_user(getattr(world, who)).post(
        url("cart_update", world.cart), {"name": "Office 2026", "note": "Ask Bob", "version": 1}
    )
    assert response.status_code == 302
    assert messages_of(response) == ["Saved the name and note of “Office 2026”."]
    world.cart.refresh_from_db()
    assert (world.cart.name, world.cart.note, world.cart.version) == ("Office 2026", "Ask Bob", 2)


@pytest.mark.parametrize(("who", "status"), [("reader", 403), ("stranger", 404)])
def test_others_cannot_rename(world, as_user, who, status):
    before = snapshot(world.cart)
    response = as_user(getattr(world, who)).post(
        url("cart_update", world.cart), {"name": "Mine now", "note": "", "version": 1}
    )
    assert response.status_code == status
    assert snapshot(world.cart) == before


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("x" * 101, "A cart name must have 1 to 100 characters."),
        ("", "A cart name must have 1 to 100 characters."),
        ("Trade fair", "You already have a cart named “Trade fair”. Choose another name."),
    ],
    ids=["101 characters", "empty", "duplicate"],
)
def test_bad_names_are_refused_with_a_message(world, as_user, name, message):
    before = snapshot(world.cart)
    client = as_user(world.owner)
    response = client.post(url("cart_update", world.cart), {"name": name, "note": "", "version": 1})
    assert response.status_code == 302
    assert messages_of(response) == [message]
    assert snapshot(world.cart) == before
    assert message in client.get(response["Location"]).content.decode()


def test_a_form_without_the_name_field_changes_only_the_note(world, as_user):
    as_user(world.owner).post(url("cart_update", world.cart), {"note": "Only the note"})
    world.cart.refresh_from_db()
    assert (world.cart.name, world.cart.note) == ("Office supplies", "Only the note")


def test_renaming_on_a_stale_page_changes_nothing(world, as_user):
    world.cart.version = 4
    world.cart.save()
    before = snapshot(world.cart)
    response = as_user(world.editor).post(
        url("cart_update", world.cart), {"name": "Stale", "note": "", "version": 3}
    )
    assert messages_of(response)[0].startswith(
        "This cart was changed by someone else since you loaded it."
    )
    assert snapshot(world.cart) == before


# --- duplicate --------------------------------------------------------------------------
def test_owner_duplicates_a_cart_with_its_items(world, as_user):
    response = as_user(world.owner).post(url("cart_duplicate", world.cart))
    copy = Cart.objects.get(owner=world.owner, name="Copy of Office supplies")
    assert response["Location"] == url("cart_detail", copy)
    assert messages_of(response) == [
        "Copied “Office supplies” to your new cart “Copy of Office supplies”."
    ]
    assert snapshot(copy)[4] == snapshot(world.cart)[4]


def test_read_only_colleague_duplicates_a_shared_cart_into_her_own(world, as_user):
    as_user(world.reader).post(url("cart_duplicate", world.cart))
    copy = Cart.objects.get(name="Copy of Office supplies")
    assert copy.owner == world.reader
    assert copy.items.count() == 2


def test_stranger_cannot_duplicate(world, as_user):
    count = Cart.objects.count()
    response = as_user(world.stranger).post(url("cart_duplicate", world.cart))
    assert response.status_code == 404
    assert Cart.objects.count() == count


# --- delete -----------------------------------------------------------------------------
def test_owner_deletes_a_cart(world, as_user):
    response = as_user(world.owner).post(url("cart_delete", world.other_cart))
    assert response["Location"] == reverse("storefront:cart_list")
    assert messages_of(response) == ["Deleted the cart “Trade fair”."]
    assert not Cart.objects.filter(pk=world.other_cart.pk).exists()


def test_deleting_the_active_cart_falls_back_to_another_own_cart(world, as_user):
    client = as_user(world.owner)
    client.post(url("cart_delete", world.cart))
    response = client.get(reverse("storefront:cart_list"))
    rows = [row for row, *_ in response.context["rows"]]
    assert [(row.cart.name, row.is_active) for row in rows] == [("Trade fair", True)]


def test_the_last_own_cart_cannot_be_deleted(world, as_user):
    as_user(world.owner).post(url("cart_delete", world.other_cart))
    before = snapshot(world.cart)
    response = as_user(world.owner).post(url("cart_delete", world.cart))
    assert response.status_code == 302
    assert messages_of(response) == [
        "You cannot delete your last cart: every customer keeps at least one."
    ]
    assert snapshot(world.cart) == before


@pytest.mark.parametrize(("who", "status"), [("reader", 403), ("editor", 403), ("stranger", 404)])
def test_only_the_owner_deletes(world, as_user, who, status):
    response = as_user(getattr(world, who)).post(url("cart_delete", world.cart))
    assert response.status_code == status
    assert Cart.objects.filter(pk=world.cart.pk).exists()


# --- make active ------------------------------------------------------------------------
def test_owner_makes_another_cart_active(world, as_user):
    response = as_user(world.owner).post(
        url("cart_activate", world.other_cart), {"next": "/carts/"}
    )
    assert response["Location"] == "/carts/"
    assert messages_of(response) == [
        "“Trade fair” is now your active cart: products you add go there."
    ]
    world.owner.refresh_from_db()
    assert world.owner.active_cart_id == world.other_cart.pk


def test_read_only_colleague_activates_a_shared_cart_and_is_told_she_cannot_add(world, as_user):
    response = as_user(world.reader).post(url("cart_activate", world.cart))
    assert messages_of(response) == [
        "“Office supplies” is now your active cart. You can view it but not add products to it."
    ]
    world.reader.refresh_from_db()
    assert world.reader.active_cart_id == world.cart.pk


def test_an_ordered_cart_cannot_become_the_active_cart(world, as_user):
    Cart.objects.filter(pk=world.other_cart.pk).update(status="ORDERED")
    active = world.owner.active_cart_id
    response = as_user(world.owner).post(
        url("cart_activate", world.other_cart), {"next": "/carts/"}
    )
    assert messages_of(response) == ["This cart has been ordered and can no longer be changed."]
    world.owner.refresh_from_db()
    assert world.owner.active_cart_id == active
    page = as_user(world.owner).get(url("cart_detail", world.other_cart)).content.decode()
    assert url("cart_activate", world.other_cart) not in page


def test_stranger_cannot_activate_and_keeps_her_active_cart(world, as_user):
    active = world.stranger.active_cart_id
    response = as_user(world.stranger).post(url("cart_activate", world.cart))
    assert response.status_code == 404
    world.stranger.refresh_from_db()
    assert world.stranger.active_cart_id == active


def test_an_unsafe_next_is_ignored(world, as_user):
    response = as_user(world.owner).post(
        url("cart_activate", world.other_cart), {"next": "https://evil.example/"}
    )
    assert response["Location"] == url("cart_detail", world.other_cart)


# --- every action -----------------------------------------------------------------------
ACTIONS = ["cart_update", "cart_duplicate", "cart_delete", "cart_activate", "cart_clear"]


@pytest.mark.parametrize("name", ACTIONS)
def test_actions_answer_405_to_get(world, as_user, name):
    before = snapshot(world.cart)
    assert as_user(world.owner).get(url(name, world.cart)).status_code == 405
    assert snapshot(world.cart) == before


@pytest.mark.parametrize("name", [*ACTIONS, "cart_detail"])
def test_a_cart_id_of_another_customer_answers_404_for_every_action(world, as_user, name):
    other = CustomerFactory()
    before = snapshot(world.cart)
    client = as_user(other)
    response = (
        client.get(url(name, world.cart))
        if name == "cart_detail"
        else client.post(url(name, world.cart), {"name": "x", "version": 1})
    )
    assert response.status_code == 404
    assert snapshot(world.cart) == before
