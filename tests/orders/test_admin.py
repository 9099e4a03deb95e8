"""Staff read orders and comments in the back office; orders cannot be edited or deleted."""

import pytest
from django.urls import reverse

from cartshare.comments.services import comment_create
from cartshare.orders.services import cart_checkout
from tests.discuss_helpers import shared_cart_world
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def test_staff_see_orders_and_comments_but_cannot_delete_orders(client):
    world = shared_cart_world()
    comment_create(cart=world.cart, actor=world.owner, text="For the admin")
    order = cart_checkout(cart=world.cart, actor=world.owner)
    client.force_login(CustomerFactory(is_staff=True, is_superuser=True))
    listing = client.get(reverse("admin:orders_order_changelist"))
    assert listing.status_code == 200 and order.reference in listing.content.decode()
    detail = client.get(reverse("admin:orders_order_change", args=[order.pk]))
    assert detail.status_code == 200 and "STAPLER-1" in detail.content.decode()
    assert client.get(reverse("admin:orders_order_delete", args=[order.pk])).status_code == 403
    comments = client.get(reverse("admin:comments_comment_changelist"))
    assert comments.status_code == 200
