"""Every cart page and form for every kind of caller: the expected status, and on each refusal
the data exactly as it was. Anonymous → login redirect; cannot see the cart → 404; can see it
but the level does not allow the action → 403; allowed → 200 or a redirect (302)."""

import pytest
from django.urls import reverse

from cartshare.carts.models import CartItem
from cartshare.storefront.views import carts as cart_views
from tests.snapshots import snapshot
from tests.world import CALLERS

pytestmark = pytest.mark.django_db

VIEW, EDIT, DELETE, SHARE, DISMISS, ADD = "view", "edit", "delete", "share", "dismiss", "add"
ALLOWED = {
    "owner": {VIEW, EDIT, DELETE, SHARE, ADD},
    "full_access": {VIEW, EDIT, DISMISS, ADD},
    "read_only": {VIEW, DISMISS},
}
VISIBLE = set(ALLOWED)

# (route name, method, what it needs); the form routes are tested with the method that acts.
ROUTES = [
    ("cart_detail", "GET", VIEW),
    ("cart_update", "POST", EDIT),
    ("cart_duplicate", "POST", VIEW),
    ("cart_delete", "POST", DELETE),
    ("cart_activate", "POST", VIEW),
    ("cart_clear", "POST", EDIT),
    ("cart_item_update", "POST", EDIT),
    ("cart_item_remove", "POST", EDIT),
    ("cart_add", "POST", ADD),
    ("cart_share", "GET", SHARE),
    ("cart_share", "POST", SHARE),
    ("cart_dismiss", "GET", DISMISS),
    ("cart_dismiss", "POST", DISMISS),
]

_STUB = getattr(cart_views, "_todo", None)
PENDING = pytest.mark.xfail(strict=False, reason="cart views land with the foundation merge")


def is_stub(route: str) -> bool:
    """True while the view is still the placeholder that answers 404 to everything."""
    return _STUB is not None and getattr(cart_views, route, None) is _STUB


def expected_status(caller: str, need: str) -> int:
    if caller == "anonymous":
        return 302
    if caller not in VISIBLE:
        return 404
    return 200 if need in ALLOWED[caller] else 403


def cases():
    for route, method, need in ROUTES:
        for caller in CALLERS:
            marks = [PENDING] if is_stub(route) else []
            yield pytest.param(
                route, method, need, caller, marks=marks, id=f"{route}-{method}-{caller}"
            )


def url_and_data(world, route: str) -> tuple[str, dict]:
    item = world.trade_fair.items.order_by("pk").first()
    version = str(world.trade_fair.version)
    if route == "cart_add":
        return reverse("storefront:cart_add"), {"sku": item.product.sku, "quantity": "3"}
    if route in ("cart_item_update", "cart_item_remove"):
        url = reverse(f"storefront:{route}", args=[world.trade_fair.pk, item.pk])
        return url, {"quantity": "7", "version": version}
    url = reverse(f"storefront:{route}", args=[world.trade_fair.pk])
    data = {
        "cart_update": {"name": "Renamed", "note": "Changed", "version": version},
        "cart_share": {f"permission-{world.company_user('colleague').pk}": "FULL_ACCESS"},
    }.get(route, {"version": version})
    return url, data


def cart_contents(cart):
    return sorted(CartItem.objects.filter(cart=cart).values_list("product_id", "quantity"))


@pytest.mark.parametrize(("route", "method", "need", "caller"), cases())
def test_cart_route_answers_each_caller_as_the_policy_says(
    world, client, route, method, need, caller
):
    customer = world.caller(caller)
    if customer is not None:
        client.force_login(customer)
        if route == "cart_add":
            # Everyone points their active cart at the shared cart (outsiders: a stale pointer).
            type(customer).objects.filter(pk=customer.pk).update(active_cart=world.trade_fair)
    url, data = url_and_data(world, route)
    before, contents = snapshot(), cart_contents(world.trade_fair)

    response = client.get(url) if method == "GET" else client.post(url, data)

    expected = expected_status(caller, need)
    if expected == 302:
        assert response.status_code == 302
        assert response.url.startswith(reverse("storefront:login"))
    elif route == "cart_add" and expected == 404:
        # A stale active cart never lets anyone write into a cart they cannot see: the product
        # goes to a cart of their own (or the add is refused), never into the shared cart.
        assert response.status_code in (200, 302, 403, 404)
        assert cart_contents(world.trade_fair) == contents
        return
    elif route == "cart_add" and expected == 403:
        # A read-only active cart: refused with a page or a message; the cart is unchanged.
        assert response.status_code in (302, 403)
    elif expected == 200:
        assert response.status_code in (200, 302)
        return
    else:
        assert response.status_code == expected
    assert snapshot() == before
    assert cart_contents(world.trade_fair) == contents


def test_the_matrix_covers_every_route_of_issue_3():
    names = {route for route, _, _ in ROUTES}
    assert names == {
        "cart_detail",
        "cart_update",
        "cart_duplicate",
        "cart_delete",
        "cart_activate",
        "cart_clear",
        "cart_item_update",
        "cart_item_remove",
        "cart_add",
        "cart_share",
        "cart_dismiss",
    }
