"""Staff read orders and comments in the back office; orders cannot be edited or deleted."""

import pytest
from django.urls import reverse

from cartshare.comments.services import comment_create
from cartshare.orders.services import cart_checkout

pytestmark = pytest.mark.django_db


def test_staff_see_orders_and_comments_but_cannot_delete_orders(world, client):
    comment_create(cart=world.trade_fair, actor=world.alice, text="For the admin")
    order = cart_checkout(cart=world.trade_fair, actor=world.alice)
    client.force_login(world.admin)
    listing = client.get(reverse("admin:orders_order_changelist"))
    assert listing.status_code == 200 and order.reference in listing.content.decode()
    detail = client.get(reverse("admin:orders_order_change", args=[order.pk]))
    assert detail.status_code == 200 and "STAPLER-1" in detail.content.decode()
    assert client.get(reverse("admin:orders_order_delete", args=[order.pk])).status_code == 403
    comments = client.get(reverse("admin:comments_comment_changelist"))
    assert comments.status_code == 200
