"""Staff find carts, grants and the activity log in the back office."""

import pytest
from django.urls import reverse

from cartshare.activity.services import Verb, activity_record
from cartshare.sharing.access_requests import access_request_create
from tests.factories import CartItemFactory, CartShareFactory, CustomerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    admin = CustomerFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    return client


@pytest.fixture
def data():
    share = CartShareFactory()
    CartItemFactory(cart=share.cart)
    activity_record(cart=share.cart, actor=share.cart.owner, verb=Verb.CART_CREATED, name="x")
    return share


@pytest.mark.parametrize("name", ["carts_cart", "sharing_cartshare", "activity_cartactivity"])
def test_changelists_answer_200_for_a_superuser(staff_client, data, name):
    response = staff_client.get(reverse(f"admin:{name}_changelist"))
    assert response.status_code == 200


def test_cart_changelist_searches_by_owner_email_and_filters_by_status(staff_client, data):
    url = reverse("admin:carts_cart_changelist")
    response = staff_client.get(url, {"q": data.cart.owner.email, "status__exact": "OPEN"})
    assert response.status_code == 200
    assert data.cart.name in response.content.decode()


def test_cart_change_page_shows_its_items_inline(staff_client, data):
    response = staff_client.get(reverse("admin:carts_cart_change", args=[data.cart.pk]))
    assert response.status_code == 200
    assert "items-TOTAL_FORMS" in response.content.decode()


def test_the_activity_log_cannot_be_edited_in_the_admin(staff_client, data):
    activity = data.cart.activities.first()
    assert staff_client.get(reverse("admin:activity_cartactivity_add")).status_code == 403
    response = staff_client.post(
        reverse("admin:activity_cartactivity_delete", args=[activity.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert data.cart.activities.count() == 1


def test_customers_who_are_not_staff_are_sent_to_the_admin_login(client, data):
    client.force_login(data.cart.owner)
    response = client.get(reverse("admin:carts_cart_changelist"))
    assert response.status_code == 302


def test_staff_see_access_requests_and_cannot_add_one(staff_client, world):
    asked = access_request_create(
        cart=world.trade_fair, actor=world.frank, permission="FULL_ACCESS", message="Banner"
    )
    listing = staff_client.get(
        reverse("admin:sharing_accessrequest_changelist"), {"q": world.frank.email}
    )
    assert listing.status_code == 200
    assert "Trade fair" in listing.content.decode()
    page = staff_client.get(reverse("admin:sharing_accessrequest_change", args=[asked.pk]))
    assert page.status_code == 200 and "Banner" in page.content.decode()
    assert staff_client.get(reverse("admin:sharing_accessrequest_add")).status_code == 403
