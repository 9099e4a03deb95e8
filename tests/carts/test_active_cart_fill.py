"""The active cart is always one you can fill (spec §2, §9; issue 14 part 4), through HTTP: the
product page says which cart "Add to cart" fills and offers the carts the policy lets each
caller fill; adding keeps the place in the catalogue; accepting a read-only link leaves the
active cart; when the active cart stops being one you can fill, the next one is chosen by
`active_cart_move_on` and the next page says so; the API's activate refuses with 409."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from cartshare.carts.models import Cart, CartStatus
from cartshare.orders.services import cart_checkout
from cartshare.sharing.models import SharePermission
from cartshare.sharing.services import cart_share_update
from tests.api.client import assert_problem
from tests.factories import CartFactory
from tests.snapshots import snapshot
from tests.world import CALLERS

pytestmark = pytest.mark.django_db


def product_url(world) -> str:
    return reverse("storefront:product_detail", args=[world.lamp.sku])


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def picker_options(html: str) -> list[str]:
    """The option labels of the product page's "Into cart" select, in order."""
    start = html.find('id="cart-page-')
    if start == -1:
        return []
    block = html[start : html.find("</select>", start)]
    return [part.split("</option>")[0].split(">", 1)[1] for part in block.split("<option")[1:]]


# Who sees which carts in the picker (on the product page), and which one is selected.
PICKER = {
    "anonymous": [],
    "owner": ["Office supplies", "Trade fair"],
    "full_access": ["My cart", "Trade fair (shared by Alice Archer)"],
    "read_only": [],  # only their own cart: no choice to offer
    "other_unit": [],
    "other_company": [],
    "b2c": [],
}


@pytest.mark.parametrize("caller", CALLERS)
def test_the_product_page_offers_exactly_the_carts_each_caller_can_fill(world, caller):
    person = world.caller(caller)
    response = world.logged_in_client(person).get(product_url(world))
    assert response.status_code == 200
    html = response.content.decode()
    assert picker_options(html) == PICKER[caller]
    assert "Trade fair (shared by Alice Archer)" not in html or caller == "full_access"
    if person is None:
        assert "to add products to your carts" in html
        assert 'id="fills-note"' not in html
    else:
        active = {"owner": "Trade fair"}.get(caller, "My cart")
        assert "“Add to cart” fills your active cart," in html
        assert f">{active}</a>" in html.split('id="fills-note"')[1]


def test_the_selected_option_is_the_active_cart(world):
    html = world.logged_in_client(world.alice).get(product_url(world)).content.decode()
    assert f'<option value="{world.trade_fair.pk}" selected>Trade fair</option>' in html


def test_adding_into_a_picked_cart_fills_it_makes_it_active_and_goes_back(world):
    client = world.logged_in_client(world.bob)
    back = reverse("storefront:product_list") + "?category=office&page=2"
    response = client.post(
        reverse("storefront:cart_add"),
        {"sku": "LAMP-1", "quantity": "2", "cart": str(world.trade_fair.pk), "next": back},
    )
    assert response.status_code == 302
    assert response["Location"] == back
    assert messages_of(response) == [
        "Added 2 \N{MULTIPLICATION SIGN} Desk lamp to “Trade fair” (now 2 in the cart). "
        "“Trade fair” is now your active cart."
    ]
    assert world.item(world.trade_fair, world.lamp).quantity == 2
    world.bob.refresh_from_db()
    assert world.bob.active_cart_id == world.trade_fair.pk


def test_an_unsafe_next_is_replaced_by_the_product_list(world):
    response = world.logged_in_client(world.alice).post(
        reverse("storefront:cart_add"),
        {"sku": "LAMP-1", "quantity": "1", "next": "https://evil.example/phish"},
    )
    assert response["Location"] == reverse("storefront:product_list")
    assert world.item(world.trade_fair, world.lamp).quantity == 1


@pytest.mark.parametrize("picked", ["not-a-uuid", "00000000-0000-0000-0000-000000000000"])
def test_a_bad_picked_cart_adds_nothing_and_says_so(world, picked):
    before = snapshot()
    response = world.logged_in_client(world.bob).post(
        reverse("storefront:cart_add"), {"sku": "LAMP-1", "quantity": "1", "cart": picked}
    )
    assert response.status_code == 302
    assert messages_of(response)[0].startswith("Nothing was added. ")
    assert snapshot() == before


def test_an_outsider_cannot_fill_a_cart_by_picking_it(world):
    before = snapshot()
    response = world.logged_in_client(world.carol).post(
        reverse("storefront:cart_add"),
        {"sku": "LAMP-1", "quantity": "1", "cart": str(world.trade_fair.pk)},
    )
    assert messages_of(response) == [
        "Nothing was added. This cart does not exist or is not shared with you."
    ]
    assert snapshot() == before


def test_the_listing_says_which_cart_add_to_cart_fills_and_switches_it(world):
    client = world.logged_in_client(world.alice)
    html = client.get(reverse("storefront:product_list")).content.decode()
    assert '<label for="fills-cart">“Add to cart” fills</label>' in html
    assert f'<option value="{world.trade_fair.pk}" selected>Trade fair</option>' in html
    response = client.post(
        reverse("storefront:active_cart_choose"),
        {"cart": str(world.office_supplies.pk), "next": "/?page=3"},
    )
    assert response["Location"] == "/?page=3"
    assert messages_of(response) == ["“Add to cart” now fills “Office supplies”."]
    world.alice.refresh_from_db()
    assert world.alice.active_cart_id == world.office_supplies.pk


@pytest.mark.parametrize("fillable", [1, 20])
def test_the_product_page_query_count_does_not_grow_with_fillable_carts(
    world, django_assert_max_num_queries, fillable
):
    for number in range(fillable):
        CartFactory(owner=world.alice, name=f"Extra {number}")
    client = world.logged_in_client(world.alice)
    client.get(product_url(world))  # the session has seen the active cart
    with django_assert_max_num_queries(9):
        response = client.get(product_url(world))
    assert len(picker_options(response.content.decode())) == fillable + 2


# --- accepting a link ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("option", "becomes_active"), [("READ_ONLY", False), ("FULL_ACCESS", True)]
)
def test_accepting_a_link_makes_the_cart_active_only_when_it_can_be_filled(
    world, option, becomes_active
):
    link, _, token = world.share_link(world.office_supplies, option)
    client = world.logged_in_client(world.greta)
    active = world.greta.active_cart_id
    page = client.get(f"/share/{token}", follow=True).content.decode()
    assert "Open cart" in page
    promise = "Opening the cart makes it your active cart"
    assert (promise in page) is becomes_active
    response = client.post(reverse("storefront:share_link_join", args=[link.pk]))
    assert response["Location"] == reverse(
        "storefront:cart_detail", args=[world.office_supplies.pk]
    )
    world.greta.refresh_from_db()
    expected = world.office_supplies.pk if becomes_active else active
    assert world.greta.active_cart_id == expected
    message = messages_of(response)[-1]
    if becomes_active:
        assert message.endswith("It is now your active cart: “Add to cart” fills it.")
    else:
        assert message.endswith(
            "Your active cart stays as it was: you can view this one but not add to it."
        )


# --- moving on, and saying so -------------------------------------------------------------------


def test_when_someone_orders_my_active_cart_the_next_page_says_which_cart_is_filled_now(world):
    client = world.logged_in_client(world.alice)
    assert client.get("/").status_code == 200  # Trade fair is active, and shown
    cart_checkout(cart=world.trade_fair, actor=world.bob)
    response = client.get(product_url(world))
    assert messages_of(response) == [
        "“Trade fair” was ordered by Bob Brandt; “Add to cart” now fills “Office supplies”."
    ]
    world.alice.refresh_from_db()
    assert world.alice.active_cart_id == world.office_supplies.pk
    assert messages_of(client.get("/")) == []  # said once


def test_when_my_access_is_lowered_the_next_page_says_so(world):
    client = world.logged_in_client(world.bob)
    type(world.bob).objects.filter(pk=world.bob.pk).update(active_cart=world.trade_fair)
    world.bob.refresh_from_db()
    assert client.get("/").status_code == 200
    cart_share_update(
        share=world.trade_fair.shares.get(company_user__customer=world.bob),
        actor=world.alice,
        permission=SharePermission.READ_ONLY,
    )
    response = client.get("/")
    assert messages_of(response) == [
        "Your access to “Trade fair” is now read-only; “Add to cart” now fills “My cart”."
    ]
    world.bob.refresh_from_db()
    assert world.bob.active_cart_id == world.own_cart("bob").pk


def test_a_grant_that_stops_counting_moves_the_active_cart_on_and_stores_the_next_one(world):
    type(world.bob).objects.filter(pk=world.bob.pk).update(active_cart=world.trade_fair)
    client = world.logged_in_client(world.bob)
    assert client.get("/").status_code == 200
    world.company_user("full_access").__class__.objects.filter(customer=world.bob).update(
        business_unit=world.munich
    )  # moved: the grant no longer counts
    response = client.get("/")
    assert messages_of(response) == [
        "“Trade fair” is no longer shared with you; “Add to cart” now fills “My cart”."
    ]
    world.bob.refresh_from_db()
    assert world.bob.active_cart_id == world.own_cart("bob").pk  # stored by the one service


def test_switching_carts_myself_gives_no_moved_on_message(world):
    client = world.logged_in_client(world.alice)
    client.get("/")
    client.post(reverse("storefront:cart_activate", args=[world.office_supplies.pk]))
    assert messages_of(client.get("/")) == [
        "“Office supplies” is now your active cart: products you add go there."
    ]


# --- the API ------------------------------------------------------------------------------------


@pytest.mark.parametrize("caller", CALLERS)
def test_api_activate_of_an_ordered_cart_is_409_for_those_who_see_it(world, caller):
    Cart.objects.filter(pk=world.trade_fair.pk).update(status=CartStatus.ORDERED)
    person = world.caller(caller)
    before = snapshot()
    response = world.api_client(person).post(f"/carts/{world.trade_fair.pk}/activate")
    expected = {"anonymous": 401, "owner": 409, "full_access": 409, "read_only": 409}
    assert response.status_code == expected.get(caller, 404)
    assert_problem(response, response.status_code)
    if response.status_code == 409:
        assert response.json()["detail"] == (
            "“Trade fair” has been ordered, so “Add to cart” cannot fill it: it cannot be "
            "your active cart."
        )
    assert snapshot() == before


def test_api_activate_of_a_read_only_cart_says_why(world):
    response = world.api_client(world.frank).post(f"/carts/{world.trade_fair.pk}/activate")
    assert response.status_code == 409
    assert response.json()["detail"] == (
        "Your access to “Trade fair” is read-only, so “Add to cart” cannot fill it: it cannot "
        "be your active cart. Ask its owner for full access."
    )
