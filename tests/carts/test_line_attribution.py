"""Every line records who first added it (spec §10) and the cart page and the API show it
("added by Bob Brandt"); a preview shows no names."""

import pytest
from django.urls import reverse

from cartshare.carts.models import CartItem
from cartshare.carts.services import cart_duplicate, cart_item_add, cart_item_update
from cartshare.sharing.link_visits import share_link_copy
from tests.api.client import client_for
from tests.factories import CartItemFactory, ProductFactory

pytestmark = pytest.mark.django_db


def page_url(cart):
    return reverse("storefront:cart_detail", args=[cart.pk])


def test_adding_a_product_records_who_added_it(world):
    item = cart_item_add(cart=world.trade_fair, actor=world.bob, sku=world.lamp.sku, quantity=1)
    assert CartItem.objects.get(pk=item.pk).added_by == world.bob


def test_adding_more_of_a_line_keeps_who_first_added_it(world):
    cart_item_add(cart=world.trade_fair, actor=world.bob, sku=world.lamp.sku, quantity=1)
    cart_item_add(cart=world.trade_fair, actor=world.alice, sku=world.lamp.sku, quantity=2)
    line = world.item(world.trade_fair, world.lamp)
    assert (line.quantity, line.added_by) == (3, world.bob)


def test_changing_the_quantity_keeps_who_added_the_line(world):
    line = world.item(world.trade_fair, world.stapler)
    cart_item_update(cart=world.trade_fair, actor=world.bob, item_id=line.pk, quantity=7)
    line.refresh_from_db()
    assert (line.quantity, line.added_by) == (7, world.alice)


def test_a_duplicate_is_added_by_whoever_made_the_copy(world):
    copy = cart_duplicate(cart=world.trade_fair, actor=world.bob)
    assert set(copy.items.values_list("added_by", flat=True)) == {world.bob.pk}


def test_a_copy_through_a_link_is_added_by_the_visitor(world):
    copy = share_link_copy(token=world.link(world.trade_fair, "PREVIEW"), actor=world.erin)
    assert set(copy.items.values_list("added_by", flat=True)) == {world.erin.pk}


def test_adding_through_the_page_records_the_person(world):
    client = world.logged_in_client(world.bob)
    response = client.post(
        reverse("storefront:cart_add"),
        {"sku": world.lamp.sku, "quantity": "1", "cart": str(world.trade_fair.pk)},
    )
    assert response.status_code == 302
    assert world.item(world.trade_fair, world.lamp).added_by == world.bob


def test_the_cart_page_says_who_added_each_line(world):
    cart_item_add(cart=world.trade_fair, actor=world.bob, sku=world.lamp.sku, quantity=1)
    html = world.logged_in_client(world.frank).get(page_url(world.trade_fair)).content.decode()
    assert html.count("added by Alice Archer") == 2
    assert html.count("added by Bob Brandt") == 1


def test_a_line_whose_adder_was_deleted_shows_no_name(world):
    world.share(world.trade_fair, world.greta, "FULL_ACCESS")
    cart_item_add(cart=world.trade_fair, actor=world.greta, sku=world.lamp.sku, quantity=1)
    world.greta.delete()
    line = world.item(world.trade_fair, world.lamp)
    assert line.added_by is None
    html = world.logged_in_client(world.alice).get(page_url(world.trade_fair)).content.decode()
    assert "Desk lamp" in html and "Greta" not in html


@pytest.mark.parametrize("count", [1, 30])
def test_the_cart_page_names_adders_without_a_query_per_line(
    world, django_assert_max_num_queries, count
):
    people = [world.alice, world.bob, world.frank]
    for number, product in enumerate(ProductFactory.create_batch(count)):
        CartItemFactory(cart=world.trade_fair, product=product, added_by=people[number % 3])
    client = world.logged_in_client(world.alice)
    with django_assert_max_num_queries(12):  # tests/carts/test_query_counts.py's bound
        response = client.get(page_url(world.trade_fair))
    html = response.content.decode()
    assert len(response.context["items"]) == count + 2
    assert "added by Alice Archer" in html
    if count > 1:
        assert "added by Bob Brandt" in html and "added by Frank Fischer" in html


def test_the_api_shows_who_added_each_line(world):
    cart_item_add(cart=world.trade_fair, actor=world.bob, sku=world.lamp.sku, quantity=1)
    body = client_for(world.frank).get(f"/carts/{world.trade_fair.pk}").json()
    adders = {item["sku"]: item["added_by"] for item in body["items"]}
    assert adders == {
        "STAPLER-1": {"id": world.alice.pk, "name": "Alice Archer"},
        "PAPER-A4": {"id": world.alice.pk, "name": "Alice Archer"},
        "LAMP-1": {"id": world.bob.pk, "name": "Bob Brandt"},
    }


def test_the_api_answers_null_once_the_adder_is_deleted(world):
    world.share(world.trade_fair, world.greta, "FULL_ACCESS")
    cart_item_add(cart=world.trade_fair, actor=world.greta, sku=world.lamp.sku, quantity=1)
    world.greta.delete()
    body = client_for(world.alice).get(f"/carts/{world.trade_fair.pk}").json()
    assert [item["added_by"] for item in body["items"] if item["sku"] == "LAMP-1"] == [None]


def test_an_internal_link_shows_who_added_each_line(world):
    token = world.link(world.trade_fair, "READ_ONLY")
    body = client_for(world.greta).get(f"/shared/{token}").json()
    assert [item["added_by"]["name"] for item in body["cart"]["items"]] == ["Alice Archer"] * 2


def test_a_preview_names_nobody(world):
    token = world.link(world.trade_fair, "PREVIEW")
    body = client_for(world.erin).get(f"/shared/{token}").json()
    assert body["cart"]["items"] and all("added_by" not in item for item in body["cart"]["items"])
    html = world.logged_in_client(None).get(f"/share/{token}").content.decode()
    assert "Stapler" in html and "Alice Archer" in html  # the owner's name only, in the title
    assert "added by" not in html
