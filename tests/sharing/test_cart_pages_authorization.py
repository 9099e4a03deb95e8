"""Every cart page and form for every kind of caller, with its exact outcome. Anonymous → the
login page, nothing changed; cannot see the cart → 404, nothing changed; can see it but the
level does not allow the action → 403, nothing changed; allowed → the exact status and page
(200) or redirect (302 to where the form leads), a success message for a form, and the change
itself in the database. A service that refused everything would fail every allowed row."""

import pytest
from django.contrib.messages import constants, get_messages
from django.urls import reverse

from cartshare.carts.models import Cart, CartItem
from cartshare.sharing.models import CartShare, SharePermission
from cartshare.storefront.urls import urlpatterns
from tests.snapshots import snapshot
from tests.world import CALLERS, ROLES

pytestmark = pytest.mark.django_db

VIEW, EDIT, DELETE, SHARE, DISMISS, ADD = "view", "edit", "delete", "share", "dismiss", "add"
FILL = "fill"  # become the active cart: asked by anyone who sees it, done only if they can fill it
ALLOWED = {
    "owner": {VIEW, EDIT, DELETE, SHARE, ADD, FILL},
    "full_access": {VIEW, EDIT, DISMISS, ADD, FILL},
    "read_only": {VIEW, DISMISS},
}
READ_ONLY_REFUSAL = (
    "Your access to “Trade fair” is read-only, so “Add to cart” cannot fill it: it cannot be "
    "your active cart. Ask its owner for full access."
)

# (route name, method, what it needs); the form routes are tested with the method that acts.
ROUTES = [
    ("cart_detail", "GET", VIEW),
    ("cart_update", "POST", EDIT),
    ("cart_duplicate", "POST", VIEW),
    ("cart_delete", "POST", DELETE),
    ("cart_activate", "POST", FILL),
    ("active_cart_choose", "POST", FILL),
    ("cart_clear", "POST", EDIT),
    ("cart_item_update", "POST", EDIT),
    ("cart_item_remove", "POST", EDIT),
    ("cart_add", "POST", ADD),
    ("cart_share", "GET", VIEW),  # the share dialog: grantees see their own access there
    ("cart_share", "POST", SHARE),
    ("cart_dismiss", "GET", DISMISS),
    ("cart_dismiss", "POST", DISMISS),
]
# The other pages of a cart run through every kind of caller in their own modules.
COVERED_ELSEWHERE = {
    "cart_discussion": "tests/comments/test_comment_pages.py",
    "comment_create": "tests/comments/test_comment_pages.py",
    "comment_update": "tests/comments/test_comment_pages.py",
    "comment_delete": "tests/comments/test_comment_pages.py",
    "cart_checkout": "tests/orders/test_checkout_pages.py",
    "cart_checkout_confirm": "tests/orders/test_checkout_pages.py",
    "cart_checkout_place": "tests/orders/test_checkout_pages.py",
    "cart_links": "tests/links/test_share_panel.py",
    "cart_mention_suggestions": "tests/notifications/test_mention_suggestions.py",
    "cart_invitations": "tests/notifications/test_invitations.py",
    "cart_access_request": "tests/links/test_access_request_pages.py",
    "my_access_request": "tests/links/test_access_request_pages.py",
}


def expected_status(caller: str, need: str) -> int:
    if caller == "anonymous":
        return 302
    if caller not in ALLOWED:
        return 404
    if need == FILL and need not in ALLOWED[caller]:
        return 409  # seen, but not a cart they can fill: refused with the reason
    return 200 if need in ALLOWED[caller] else 403


def cases():
    for route, method, need in ROUTES:
        for caller in CALLERS:
            yield pytest.param(route, method, need, caller, id=f"{route}-{method}-{caller}")


def the_item(world) -> CartItem:
    return world.item(world.trade_fair, world.stapler)  # quantity 2


def url_and_data(world, route: str) -> tuple[str, dict]:
    cart = world.trade_fair
    version = str(cart.version)
    if route == "cart_add":
        return reverse("storefront:cart_add"), {"sku": "STAPLER-1", "quantity": "3"}
    if route == "active_cart_choose":
        return reverse("storefront:active_cart_choose"), {"cart": str(cart.pk)}
    if route in ("cart_item_update", "cart_item_remove"):
        url = reverse(f"storefront:{route}", args=[cart.pk, the_item(world).pk])
        return url, {"quantity": "7", "version": version}
    url = reverse(f"storefront:{route}", args=[cart.pk])
    data = {
        "cart_update": {"name": "Renamed", "note": "Changed", "version": version},
        "cart_share": {f"permission-{world.company_user('colleague').pk}": "FULL_ACCESS"},
    }.get(route, {"version": version})
    return url, data


def cart_url(cart) -> str:
    return reverse("storefront:cart_detail", args=[cart.pk])


def share_url(cart) -> str:
    return reverse("storefront:cart_share", args=[cart.pk])


def cart_contents(cart) -> list:
    return sorted(CartItem.objects.filter(cart=cart).values_list("product__sku", "quantity"))


def success_messages(response) -> list[str]:
    return [
        str(message)
        for message in get_messages(response.wsgi_request)
        if message.level == constants.SUCCESS
    ]


# What an allowed request answers and changes: (status, where it leads or None, check).
def _detail(world, person, response):
    assert response.context["cart"].pk == world.trade_fair.pk
    assert "Trade fair" in response.content.decode()


def _updated(world, person, response):
    cart = Cart.objects.get(pk=world.trade_fair.pk)
    assert (cart.name, cart.note, cart.version) == ("Renamed", "Changed", 2)


def _duplicated(world, person, response):
    copy = Cart.objects.get(owner=person, name="Copy of Trade fair")
    assert response["Location"] == cart_url(copy)
    assert cart_contents(copy) == [("PAPER-A4", 10), ("STAPLER-1", 2)]


def _deleted(world, person, response):
    assert not Cart.objects.filter(pk=world.trade_fair.pk).exists()


def _activated(world, person, response):
    person.refresh_from_db()
    assert person.active_cart_id == world.trade_fair.pk


def _cleared(world, person, response):
    assert cart_contents(world.trade_fair) == []


def _quantity_changed(world, person, response):
    assert cart_contents(world.trade_fair) == [("PAPER-A4", 10), ("STAPLER-1", 7)]


def _removed(world, person, response):
    assert cart_contents(world.trade_fair) == [("PAPER-A4", 10)]


def _added(world, person, response):
    assert cart_contents(world.trade_fair) == [("PAPER-A4", 10), ("STAPLER-1", 5)]


def _share_page(world, person, response):
    html = response.content.decode()
    if person == world.alice:  # the owner manages it; a grantee sees their own access
        assert f"Access for {world.frank.name}</label>" in html and "Everyone in Berlin HQ" in html
    else:
        assert "Your access" in html and "Everyone in Berlin HQ" not in html


def _shared(world, person, response):
    grant = CartShare.objects.get(cart=world.trade_fair, company_user__customer=world.greta)
    assert grant.permission == SharePermission.FULL_ACCESS


def _dismiss_page(world, person, response):
    assert "Remove “Trade fair” from your carts?" in response.content.decode()


def _dismissed(world, person, response):
    assert not CartShare.objects.filter(
        cart=world.trade_fair, company_user__customer=person
    ).exists()


OUTCOMES = {
    ("cart_detail", "GET"): (200, None, _detail),
    ("cart_update", "POST"): (302, cart_url, _updated),
    ("cart_duplicate", "POST"): (302, None, _duplicated),  # the copy's page: see _duplicated
    ("cart_delete", "POST"): (302, lambda cart: reverse("storefront:cart_list"), _deleted),
    ("cart_activate", "POST"): (302, cart_url, _activated),
    ("active_cart_choose", "POST"): (
        302,
        lambda cart: reverse("storefront:product_list"),
        _activated,
    ),
    ("cart_clear", "POST"): (302, cart_url, _cleared),
    ("cart_item_update", "POST"): (302, cart_url, _quantity_changed),
    ("cart_item_remove", "POST"): (302, cart_url, _removed),
    ("cart_add", "POST"): (302, lambda cart: reverse("storefront:product_list"), _added),
    ("cart_share", "GET"): (200, None, _share_page),
    ("cart_share", "POST"): (
        302,
        lambda cart: reverse("storefront:cart_share", args=[cart.pk]),
        _shared,
    ),
    ("cart_dismiss", "GET"): (200, None, _dismiss_page),
    ("cart_dismiss", "POST"): (302, lambda cart: reverse("storefront:cart_list"), _dismissed),
}


@pytest.mark.parametrize(("route", "method", "need", "caller"), cases())
def test_cart_route_answers_each_caller_exactly_as_the_policy_says(
    world, client, route, method, need, caller
):
    person = world.caller(caller)
    if person is not None:
        client.force_login(person)
        if route == "cart_add":
            # Everyone points their active cart at the shared cart (outsiders: a stale pointer).
            type(person).objects.filter(pk=person.pk).update(active_cart=world.trade_fair)
    url, data = url_and_data(world, route)
    before, contents = snapshot(), cart_contents(world.trade_fair)

    response = client.get(url) if method == "GET" else client.post(url, data)

    expected = expected_status(caller, need)
    if expected == 302:
        assert response.status_code == 302
        assert response.url.startswith(reverse("storefront:login") + "?next=")
    elif route == "cart_add" and expected in (403, 404):
        # A stale active cart never lets anyone write into a cart they cannot see or fill
        # (read-only): the product goes to their own cart, and the shared cart is as it was.
        assert response.status_code == 302
        assert response["Location"] == reverse("storefront:product_list")
        assert success_messages(response) == [
            "Added 3 \N{MULTIPLICATION SIGN} Stapler to “My cart” (now 3 in the cart)."
        ]
        assert cart_contents(world.own_cart(ROLES[caller])) == [("STAPLER-1", 3)]
        assert cart_contents(world.trade_fair) == contents
        return
    elif expected == 409:
        # A read-only cart never becomes the active cart: a message on the page, the reason.
        assert response.status_code == 302
        leads_to = OUTCOMES[(route, method)][1]
        assert response["Location"] == leads_to(world.trade_fair)
        assert [str(message) for message in get_messages(response.wsgi_request)] == [
            READ_ONLY_REFUSAL
        ]
    elif route == "active_cart_choose" and expected == 404:
        # Picking a cart one cannot see: a message on the listing, nothing changed.
        assert response.status_code == 302
        assert response["Location"] == reverse("storefront:product_list")
        assert [str(message) for message in get_messages(response.wsgi_request)] == [
            "This cart does not exist or is not shared with you."
        ]
    elif expected == 200:
        status, leads_to, check = OUTCOMES[(route, method)]
        assert response.status_code == status, response.content.decode()[:500]
        if leads_to is not None:
            assert response["Location"] == leads_to(world.trade_fair)
        if method == "POST":
            assert len(success_messages(response)) >= 1, "an allowed form says what it did"
        else:
            assert snapshot() == before  # a page never changes anything
        check(world, person, response)
        return
    else:
        assert response.status_code == expected
    assert snapshot() == before
    assert cart_contents(world.trade_fair) == contents


def test_every_allowed_row_has_an_outcome():
    assert set(OUTCOMES) == {(route, method) for route, method, _ in ROUTES}


def test_every_storefront_route_of_a_cart_is_in_a_matrix():
    """A new page of a cart joins ROUTES, or a module that runs it through every caller."""
    cart_routes = {
        pattern.name for pattern in urlpatterns if "<uuid:cart_id>" in str(pattern.pattern)
    }
    not_of_a_cart = {"cart_add", "active_cart_choose"}
    assert cart_routes == ({route for route, _, _ in ROUTES} - not_of_a_cart) | set(
        COVERED_ELSEWHERE
    )
