"""Checkout and Order endpoints keep the promises of ../shared/API.md, and an ORDERED cart is
frozen: it reads as ORDERED and every change to it is refused with 409."""

import pytest

from cartshare.carts.models import Cart, CartItem, CartStatus
from cartshare.orders.models import Order
from tests.api.client import assert_problem, client_for
from tests.factories import CartFactory, CustomerFactory

pytestmark = pytest.mark.django_db

ORDER_FIELDS = {
    "id",
    "reference",
    "cart_id",
    "cart_name",
    "placed_by",
    "purchase_order_number",
    "items",
    "totals",
    "currency",
    "created_at",
}


def cart_state(cart) -> tuple:
    row = Cart.objects.values_list("name", "note", "version", "status").get(pk=cart.pk)
    items = list(CartItem.objects.filter(cart=cart).order_by("pk").values_list("pk", "quantity"))
    return row, items


def checkout(world, customer=None, body=None, **kwargs):
    client = client_for(customer or world.bob)
    return client.post(f"/carts/{world.trade_fair.pk}/checkout", body, **kwargs)


def test_checking_out_answers_201_with_the_order_and_freezes_the_cart(world):
    response = checkout(world, body={"purchase_order_number": " PO-77 "})
    assert response.status_code == 201
    body = response.json()
    assert set(body) == ORDER_FIELDS
    order = Order.objects.get()
    assert body["id"] == order.pk
    assert body["reference"] == order.reference
    assert body["reference"].startswith("CS-")
    assert body["cart_id"] == str(world.trade_fair.pk)
    assert body["cart_name"] == "Trade fair"
    assert body["placed_by"] == {"id": world.bob.pk, "name": world.bob.name}
    assert body["purchase_order_number"] == "PO-77"
    assert body["items"] == [
        {
            "sku": "STAPLER-1",
            "name": "Stapler",
            "quantity": 2,
            "unit_price": 1250,
            "total_price": 2500,
            "note": "",
        },
        {
            "sku": "PAPER-A4",
            "name": "Paper A4",
            "quantity": 10,
            "unit_price": 499,
            "total_price": 4990,
            "note": "",
        },
    ]
    assert body["totals"] == {
        "item_count": 2,
        "quantity": 12,
        "subtotal": 7490,
        "grand_total": 7490,
    }
    assert body["currency"] == "EUR"
    cart = client_for(world.alice).get(f"/carts/{world.trade_fair.pk}")
    assert cart.json()["status"] == "ORDERED"
    assert cart["ETag"] == f'"{cart.json()["version"]}"'


def test_a_checkout_without_a_body_is_fine(world):
    response = client_for(world.alice).client.post(
        f"/api/v1/carts/{world.trade_fair.pk}/checkout",
        headers={"Authorization": f"Bearer {client_for(world.alice).token}"},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["purchase_order_number"] == ""


def test_checking_out_an_empty_cart_answers_409_and_orders_nothing(world):
    empty = world.cart(world.alice, "Empty")
    before = cart_state(empty)
    response = client_for(world.alice).post(f"/carts/{empty.pk}/checkout")
    assert "empty" in assert_problem(response, 409)["detail"]
    assert not Order.objects.exists()
    assert cart_state(empty) == before


def test_checking_out_an_ordered_cart_again_answers_409(world):
    assert checkout(world).status_code == 201
    body = assert_problem(checkout(world, world.alice), 409)
    assert "already been ordered" in body["detail"]
    assert Order.objects.count() == 1


def test_a_stale_if_match_answers_412_and_orders_nothing(world):
    before = cart_state(world.trade_fair)
    response = checkout(world, headers={"If-Match": f'"{world.trade_fair.version - 1}"'})
    assert assert_problem(response, 412)["current_version"] == world.trade_fair.version
    assert response["ETag"] == f'"{world.trade_fair.version}"'
    assert not Order.objects.exists()
    assert cart_state(world.trade_fair) == before


def test_a_current_if_match_places_the_order(world):
    response = checkout(world, headers={"If-Match": f'"{world.trade_fair.version}"'})
    assert response.status_code == 201


def test_a_checkout_repeated_with_the_same_idempotency_key_creates_one_order(world):
    headers = {"Idempotency-Key": "checkout-trade-fair"}
    first = checkout(world, headers=headers)
    again = checkout(world, headers=headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Order.objects.count() == 1


def test_the_same_idempotency_key_with_another_body_answers_422(world):
    headers = {"Idempotency-Key": "checkout-trade-fair"}
    assert checkout(world, body={"purchase_order_number": "A"}, headers=headers).status_code == 201
    response = checkout(world, body={"purchase_order_number": "B"}, headers=headers)
    assert "Idempotency-Key" in assert_problem(response, 422)["errors"]
    assert list(Order.objects.values_list("purchase_order_number", flat=True)) == ["A"]


@pytest.mark.parametrize("number", ["x" * 51, "PO\n1", 7])
def test_a_bad_purchase_order_number_answers_422_and_orders_nothing(world, number):
    response = checkout(world, body={"purchase_order_number": number})
    assert "purchase_order_number" in assert_problem(response, 422)["errors"]
    assert not Order.objects.exists()
    assert Cart.objects.get(pk=world.trade_fair.pk).status == CartStatus.OPEN


def test_a_read_only_colleague_cannot_check_out(world):
    before = cart_state(world.trade_fair)
    assert_problem(checkout(world, world.frank), 403)
    assert not Order.objects.exists()
    assert cart_state(world.trade_fair) == before


def test_orders_list_what_i_placed_and_what_came_from_my_carts(world):
    order_id = checkout(world).json()["id"]
    CartFactory(owner=world.alice)  # no order
    for customer in (world.alice, world.bob):
        body = client_for(customer).get("/orders").json()
        assert [order["id"] for order in body["results"]] == [order_id]
        assert set(body["results"][0]) == ORDER_FIELDS
        assert body["next"] is None
    for customer in (world.frank, world.carol, CustomerFactory()):
        assert client_for(customer).get("/orders").json() == {
            "results": [],
            "next": None,
            "has_more": False,
        }


def test_an_order_is_shown_to_its_placer_and_the_carts_owner_only(world):
    placed = checkout(world).json()
    for customer in (world.alice, world.bob):
        response = client_for(customer).get(f"/orders/{placed['id']}")
        assert response.status_code == 200
        assert response.json() == placed
    for customer in (world.frank, world.dave, world.erin):
        assert_problem(client_for(customer).get(f"/orders/{placed['id']}"), 404)
    assert_problem(client_for(world.alice).get("/orders/999999"), 404)


# An ORDERED cart


@pytest.fixture
def ordered(world):
    assert checkout(world).status_code == 201
    world.trade_fair.refresh_from_db()
    return world


def test_an_ordered_cart_reads_as_ordered_in_lists_and_detail(ordered):
    client = client_for(ordered.alice)
    assert client.get(f"/carts/{ordered.trade_fair.pk}").json()["status"] == "ORDERED"
    statuses = {cart["name"]: cart["status"] for cart in client.get("/carts").json()["results"]}
    assert statuses["Trade fair"] == "ORDERED"


@pytest.mark.parametrize("customer", ["owner", "full_access"])
@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("PATCH", "/carts/{cart}", {"name": "Renamed"}),
        ("PATCH", "/carts/{cart}", {"note": "Changed"}),
        ("POST", "/carts/{cart}/items", {"sku": "{sku}", "quantity": 1}),
        ("PATCH", "/carts/{cart}/items/{item}", {"quantity": 5}),
        ("DELETE", "/carts/{cart}/items/{item}", None),
    ],
)
def test_every_change_to_an_ordered_cart_answers_409_and_changes_nothing(
    ordered, customer, method, path, body
):
    before = cart_state(ordered.trade_fair)
    path = path.format(
        cart=ordered.trade_fair.pk, item=ordered.item(ordered.trade_fair, ordered.stapler).pk
    )
    if body and body.get("sku") == "{sku}":
        body = {**body, "sku": ordered.lamp.sku}
    response = client_for(ordered.caller(customer)).request(method, path, body)
    assert "ordered" in assert_problem(response, 409)["detail"]
    assert cart_state(ordered.trade_fair) == before
