"""The cart page and "My carts" run a fixed number of queries, however many items or carts."""

import pytest
from django.urls import reverse

from cartshare.carts.models import CartItem
from cartshare.sharing.models import SharePermission
from tests.factories import CartFactory, CartShareFactory, ProductFactory

pytestmark = pytest.mark.django_db

# One bound for 1 and for 200. The cart page runs 14 queries for its owner (session, user, cart,
# items with products, active cart, own cart count, the header's cart, grants, share links, the
# owner's unit, comment and activity counts, activity page); none of them grows with the items.
CART_PAGE_MAX_QUERIES = 17  # 16, + the newest activity entry: who live.js names
MY_CARTS_MAX_QUERIES = 8


def fill(cart, count):
    products = ProductFactory.create_batch(count)
    CartItem.objects.bulk_create(
        CartItem(cart=cart, product=product, quantity=2) for product in products
    )


@pytest.mark.parametrize("count", [1, 200])
@pytest.mark.parametrize("who", ["alice", "frank"])
def test_cart_page_queries_do_not_grow_with_items(world, django_assert_max_num_queries, count, who):
    cart = CartFactory(owner=world.alice, name="Big")
    fill(cart, count)
    CartShareFactory(
        cart=cart, company_user=world.frank.company_user, permission=SharePermission.READ_ONLY
    )
    client = world.logged_in_client(world.user(who))
    with django_assert_max_num_queries(CART_PAGE_MAX_QUERIES):
        response = client.get(reverse("storefront:cart_detail", args=[cart.pk]))
    assert response.status_code == 200
    assert len(response.context["items"]) == count


@pytest.mark.parametrize("count", [1, 200])
def test_my_carts_queries_do_not_grow_with_carts(world, django_assert_max_num_queries, count):
    for index in range(count):
        cart = CartFactory(owner=world.bob, name=f"Project {index:03d}")
        fill(cart, 1)
        CartShareFactory(
            cart=cart, company_user=world.frank.company_user, permission=SharePermission.READ_ONLY
        )
    client = world.logged_in_client(world.frank)
    with django_assert_max_num_queries(MY_CARTS_MAX_QUERIES):
        response = client.get(reverse("storefront:cart_list"))
    assert response.status_code == 200
    # Her own cart, the one shared by the owner, and `count` shared by the editor.
    assert len(response.context["rows"]) == count + 2
