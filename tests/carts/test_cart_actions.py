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
@pytest.mark.parametrize("who", ["alice", "bob"])
def test_owner_and_full_access_colleague_rename_and_write_the_note(world, who):
    response = world.logged_in_client(world.user(who)).post(
        url("cart_update", world.trade_fair),
        {"name": "Office 2026", "note": "Ask Bob", "version": 1},
    )
    assert response.status_code == 302
    assert messages_of(response) == ["Saved the name and note of “Office 2026”."]
    world.trade_fair.refresh_from_db()
    assert (world.trade_fair.name, world.trade_fair.note, world.trade_fair.version) == (
        "Office 2026",
        "Ask Bob",
        2,
    )


@pytest.mark.parametrize(("who", "status"), [("frank", 403), ("erin", 404)])
def test_others_cannot_rename(world, who, status):
    before = snapshot(world.trade_fair)
    response = world.logged_in_client(world.user(who)).post(
        url("cart_update", world.trade_fair), {"name": "Mine now", "note": "", "version": 1}
    )
    assert response.status_code == status
    assert snapshot(world.trade_fair) == before


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("x" * 101, "A cart name must have 1 to 100 characters."),
        ("", "A cart name must have 1 to 100 characters."),
        (
            "Office supplies",
            "You already have a cart named “Office supplies”. Choose another name.",
        ),
    ],
    ids=["101 characters", "empty", "duplicate"],
)
def test_bad_names_are_refused_with_a_message(world, name, message):
    before = snapshot(world.trade_fair)
    client = world.logged_in_client(world.alice)
    response = client.post(
        url("cart_update", world.trade_fair), {"name": name, "note": "", "version": 1}
    )
    assert response.status_code == 302
    assert messages_of(response) == [message]
    assert snapshot(world.trade_fair) == before
    assert message in client.get(response["Location"]).content.decode()


def test_a_form_without_the_name_field_changes_only_the_note(world):
    world.logged_in_client(world.alice).post(
        url("cart_update", world.trade_fair), {"note": "Only the note"}
    )
    world.trade_fair.refresh_from_db()
    assert (world.trade_fair.name, world.trade_fair.note) == ("Trade fair", "Only the note")


def test_renaming_on_a_stale_page_changes_nothing(world):
    world.trade_fair.version = 4
    world.trade_fair.save()
    before = snapshot(world.trade_fair)
    response = world.logged_in_client(world.bob).post(
        url("cart_update", world.trade_fair), {"name": "Stale", "note": "", "version": 3}
    )
    assert messages_of(response)[0].startswith(
        "This cart was changed by someone else since you loaded it."
    )
    assert snapshot(world.trade_fair) == before


# --- duplicate --------------------------------------------------------------------------
def test_owner_duplicates_a_cart_with_its_items(world):
    response = world.logged_in_client(world.alice).post(url("cart_duplicate", world.trade_fair))
    copy = Cart.objects.get(owner=world.alice, name="Copy of Trade fair")
    assert response["Location"] == url("cart_detail", copy)
    assert messages_of(response) == ["Copied “Trade fair” to your new cart “Copy of Trade fair”."]
    assert snapshot(copy)[4] == snapshot(world.trade_fair)[4]


def test_read_only_colleague_duplicates_a_shared_cart_into_her_own(world):
    world.logged_in_client(world.frank).post(url("cart_duplicate", world.trade_fair))
    copy = Cart.objects.get(name="Copy of Trade fair")
    assert copy.owner == world.frank
    assert copy.items.count() == 2


def test_stranger_cannot_duplicate(world):
    count = Cart.objects.count()
    response = world.logged_in_client(world.erin).post(url("cart_duplicate", world.trade_fair))
    assert response.status_code == 404
    assert Cart.objects.count() == count


# --- delete -----------------------------------------------------------------------------
def test_owner_deletes_a_cart(world):
    response = world.logged_in_client(world.alice).post(url("cart_delete", world.office_supplies))
    assert response["Location"] == reverse("storefront:cart_list")
    assert messages_of(response) == ["Deleted the cart “Office supplies”."]
    assert not Cart.objects.filter(pk=world.office_supplies.pk).exists()


def test_deleting_the_active_cart_falls_back_to_another_own_cart(world):
    client = world.logged_in_client(world.alice)
    client.post(url("cart_delete", world.trade_fair))
    response = client.get(reverse("storefront:cart_list"))
    rows = [row for row, *_ in response.context["rows"]]
    assert [(row.cart.name, row.is_active) for row in rows] == [("Office supplies", True)]


def test_the_last_own_cart_cannot_be_deleted(world):
    world.logged_in_client(world.alice).post(url("cart_delete", world.office_supplies))
    before = snapshot(world.trade_fair)
    response = world.logged_in_client(world.alice).post(url("cart_delete", world.trade_fair))
    assert response.status_code == 302
    assert messages_of(response) == [
        "You cannot delete your last cart: every customer keeps at least one."
    ]
    assert snapshot(world.trade_fair) == before


@pytest.mark.parametrize(("who", "status"), [("frank", 403), ("bob", 403), ("erin", 404)])
def test_only_the_owner_deletes(world, who, status):
    response = world.logged_in_client(world.user(who)).post(url("cart_delete", world.trade_fair))
    assert response.status_code == status
    assert Cart.objects.filter(pk=world.trade_fair.pk).exists()


# --- make active ------------------------------------------------------------------------
def test_owner_makes_another_cart_active(world):
    response = world.logged_in_client(world.alice).post(
        url("cart_activate", world.office_supplies), {"next": "/carts/"}
    )
    assert response["Location"] == "/carts/"
    assert messages_of(response) == [
        "“Office supplies” is now your active cart: products you add go there."
    ]
    world.alice.refresh_from_db()
    assert world.alice.active_cart_id == world.office_supplies.pk


def test_a_read_only_colleague_cannot_make_a_shared_cart_active_and_is_told_why(world):
    active = world.frank.active_cart_id
    response = world.logged_in_client(world.frank).post(url("cart_activate", world.trade_fair))
    assert response.status_code == 302
    assert messages_of(response) == [
        "Your access to “Trade fair” is read-only, so “Add to cart” cannot fill it: it cannot "
        "be your active cart. Ask its owner for full access."
    ]
    world.frank.refresh_from_db()
    assert world.frank.active_cart_id == active


def test_an_ordered_cart_cannot_become_the_active_cart(world):
    Cart.objects.filter(pk=world.office_supplies.pk).update(status="ORDERED")
    active = world.alice.active_cart_id
    response = world.logged_in_client(world.alice).post(
        url("cart_activate", world.office_supplies), {"next": "/carts/"}
    )
    assert messages_of(response) == [
        "“Office supplies” has been ordered, so “Add to cart” cannot fill it: it cannot be your "
        "active cart."
    ]
    world.alice.refresh_from_db()
    assert world.alice.active_cart_id == active
    page = (
        world.logged_in_client(world.alice)
        .get(url("cart_detail", world.office_supplies))
        .content.decode()
    )
    assert url("cart_activate", world.office_supplies) not in page


def test_stranger_cannot_activate_and_keeps_her_active_cart(world):
    active = world.erin.active_cart_id
    response = world.logged_in_client(world.erin).post(url("cart_activate", world.trade_fair))
    assert response.status_code == 404
    world.erin.refresh_from_db()
    assert world.erin.active_cart_id == active


def test_an_unsafe_next_is_ignored(world):
    response = world.logged_in_client(world.alice).post(
        url("cart_activate", world.office_supplies), {"next": "https://evil.example/"}
    )
    assert response["Location"] == url("cart_detail", world.office_supplies)


# --- every action -----------------------------------------------------------------------
ACTIONS = ["cart_update", "cart_duplicate", "cart_delete", "cart_activate", "cart_clear"]


@pytest.mark.parametrize("name", ACTIONS)
def test_actions_answer_405_to_get(world, name):
    before = snapshot(world.trade_fair)
    assert world.logged_in_client(world.alice).get(url(name, world.trade_fair)).status_code == 405
    assert snapshot(world.trade_fair) == before


@pytest.mark.parametrize("name", [*ACTIONS, "cart_detail"])
def test_a_cart_id_of_another_customer_answers_404_for_every_action(world, name):
    other = CustomerFactory()
    before = snapshot(world.trade_fair)
    client = world.logged_in_client(other)
    response = (
        client.get(url(name, world.trade_fair))
        if name == "cart_detail"
        else client.post(url(name, world.trade_fair), {"name": "x", "version": 1})
    )
    assert response.status_code == 404
    assert snapshot(world.trade_fair) == before
