"""The cart page and "My carts" run a fixed number of queries, however many items or carts."""

import pytest
from django.conf import settings
from django.urls import reverse

from cartshare.carts import services
from cartshare.carts.models import CartItem
from cartshare.comments.services import comment_create
from cartshare.sharing.access_requests import access_request_create
from cartshare.sharing.models import SharePermission
from tests.factories import CartFactory, CartShareFactory, ProductFactory

pytestmark = pytest.mark.django_db

# One bound for 1, 200 and 1,000 lines (issue 16: 14 before, and 16 with an activity log). The
# owner's cart page runs 12: session, user, the active cart's check, cart, items with products
# and adders (all of them: the totals and the checkout check need every line; the page shows
# CARTSHARE_LINES_PER_PAGE of them), own cart count, the header's active cart (none when it is
# this cart: the page's totals say it), unread notifications, the share line's three counts (one
# query; the pending access requests are read only when there are some), the newest activity
# entry (who live.js names), the first page of comments and of the activity log (no COUNT while
# one page holds them). None grows with the items. A read-only grantee's page runs as many.
CART_PAGE_MAX_QUERIES = 12
MY_CARTS_MAX_QUERIES = 8


def fill(cart, count):
    products = ProductFactory.create_batch(count)
    CartItem.objects.bulk_create(
        CartItem(cart=cart, product=product, quantity=2) for product in products
    )


@pytest.mark.parametrize("count", [1, 200, 1000])
@pytest.mark.parametrize("who", ["alice", "frank"])
def test_cart_page_queries_do_not_grow_with_items(world, django_assert_max_num_queries, count, who):
    cart = CartFactory(owner=world.alice, name="Big")
    fill(cart, count)
    # A log and a discussion, as every used cart has: their panels' queries are counted too.
    cart_rename = services.cart_update(cart=cart, actor=world.alice, name="Big one")
    comment_create(cart=cart_rename, actor=world.alice, text="Is this all?")
    CartShareFactory(
        cart=cart, company_user=world.frank.company_user, permission=SharePermission.READ_ONLY
    )
    client = world.logged_in_client(world.user(who))
    with django_assert_max_num_queries(CART_PAGE_MAX_QUERIES):
        response = client.get(reverse("storefront:cart_detail", args=[cart.pk]))
    assert response.status_code == 200
    assert len(response.context["items"]) == min(count, settings.CARTSHARE_LINES_PER_PAGE)
    assert response.context["totals"].item_count == count


def test_viewing_the_active_cart_costs_one_query_less(world, django_assert_num_queries):
    """The header's active-cart badge comes from the page's own totals."""
    cart = world.trade_fair
    world.alice.active_cart = cart
    world.alice.save(update_fields=["active_cart"])
    client = world.logged_in_client(world.alice)
    client.get(reverse("storefront:cart_detail", args=[cart.pk]))  # the session's active cart seen
    with django_assert_num_queries(CART_PAGE_MAX_QUERIES - 1):  # 11
        response = client.get(reverse("storefront:cart_detail", args=[cart.pk]))
    units = sum(item.quantity for item in cart.items.all())
    assert f'aria-label="{units} units">{units}</span>' in response.content.decode()


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


def test_a_pending_access_request_costs_the_query_that_lists_it(
    world, django_assert_max_num_queries, django_assert_num_queries
):
    cart = world.trade_fair
    client = world.logged_in_client(world.alice)
    url = reverse("storefront:cart_detail", args=[cart.pk])
    client.get(url)
    with django_assert_max_num_queries(CART_PAGE_MAX_QUERIES) as without:
        assert "access-request-list" not in client.get(url).content.decode()
    access_request_create(actor=world.frank, cart=cart, permission="FULL_ACCESS", message="")
    with django_assert_num_queries(len(without.captured_queries) + 1):
        html = client.get(url).content.decode()
    assert "access-request-list" in html and "1 request" in html
