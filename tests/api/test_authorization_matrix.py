"""Every endpoint times every kind of caller. The cases come from the operations registered on the
NinjaAPI, so an endpoint without a row in MATRIX fails `test_every_endpoint_has_a_row`.

Callers are the roles of tests/world.py on alice's "Trade fair": anonymous (no token),
preview_holder (erin once she has opened the cart's preview link: it gives her nothing more;
never a party to the discussion), read_only (frank), contributor (greta, given the contributor
level for the test) and full_access (bob) colleagues, the owner (alice), a colleague of another
unit (carol), someone of another company (dave), a B2C customer (erin), a colleague of the
owner's unit with no grant (hanna, made for the test: greta plays the contributor) and staff (the
back office's admin, who has no more rights through the API than any customer without a grant)."""

from __future__ import annotations

import pytest

from cartshare.access.policies import access_level
from cartshare.accounts.models import AccessToken, Customer
from cartshare.activity.models import CartActivity
from cartshare.api.api import api
from cartshare.carts.models import Cart, CartItem, CartStatus
from cartshare.comments.models import Comment
from cartshare.comments.services import comment_create
from cartshare.notifications.models import Mail, Notification
from cartshare.notifications.services import notification_settings_get
from cartshare.orders.models import Order
from cartshare.orders.services import cart_checkout
from cartshare.sharing.access_requests import access_request_create
from cartshare.sharing.models import AccessRequest, CartShare, ShareLink, SharePermission
from tests.api.client import API, ApiClient, assert_problem, client_for
from tests.factories import (
    PASSWORD,
    CartFactory,
    CartItemFactory,
    CartShareFactory,
    CompanyUserFactory,
    CustomerFactory,
)

pytestmark = pytest.mark.django_db

CALLERS = (
    "anonymous",
    "preview_holder",
    "read_only",
    "contributor",
    "full_access",
    "owner",
    "other_unit",
    "other_company",
    "b2c",
    "colleague",
    "staff",
)
VIEWERS = {"read_only", "contributor", "full_access", "owner"}
EDITORS = {"full_access", "owner"}
# Who may add items (spec §10); {item_id} was added by the owner, so a contributor may not
# change or remove it (their own lines: tests/api/test_contributor_api.py).
ADDERS = EDITORS | {"contributor"}


COLLEAGUE_EMAIL = "hanna@acme.example"


def person(world, kind):
    """Who plays `kind`: world.caller; greta (a colleague) with the contributor level; hanna, a
    colleague of the owner's unit without a grant; the staff admin."""
    if kind == "contributor":
        if not CartShare.objects.filter(cart=world.trade_fair, company_user__customer=world.greta):
            world.share(world.trade_fair, world.greta, SharePermission.CONTRIBUTOR)
        return world.greta
    if kind == "colleague":
        hanna = Customer.objects.filter(email=COLLEAGUE_EMAIL).first()
        if hanna is None:
            hanna = CustomerFactory(name="Hanna Hahn", email=COLLEAGUE_EMAIL)
            CompanyUserFactory(customer=hanna, business_unit=world.berlin)
        return hanna
    if kind == "staff":
        return world.admin
    return world.caller(kind)


def expect(anonymous=401, default=None, **levels):
    """Expected status per caller: `default` for everyone with a token unless named."""
    result = dict.fromkeys(CALLERS, default)
    result["anonymous"] = anonymous
    result.update(levels)
    return result


def cart_rule(*, allowed: set[str], ok: int):
    """The policy's answers for one cart action: `ok` for `allowed` levels, 403 for the other
    levels that can see the cart, 404 for those who cannot see it at all."""
    return expect(
        default=404,
        **{level: (ok if level in allowed else 403) for level in VIEWERS},
    )


def credentials(world, kind):
    if kind == "anonymous":
        return {"email": "nobody@example.com", "password": "wrong password"}
    return {"email": person(world, kind).email, "password": PASSWORD}


# (METHOD, path as registered) → (body builder or None, expected status per caller)
MATRIX = {
    ("POST", "/access-tokens"): (credentials, expect(anonymous=401, default=201)),
    ("DELETE", "/access-tokens/current"): (None, expect(default=204)),
    ("DELETE", "/access-tokens"): (None, expect(default=204)),
    ("GET", "/me"): (None, expect(default=200)),
    ("GET", "/products"): (None, expect(anonymous=200, default=200)),
    ("GET", "/company-users"): (
        None,
        expect(default=200, b2c=403, preview_holder=403, staff=403),
    ),
    ("GET", "/cart-permission-groups"): (None, expect(default=200)),
    ("GET", "/carts"): (None, expect(default=200)),
    ("POST", "/carts"): (lambda world, kind: {"name": "A new cart"}, expect(default=201)),
    ("GET", "/carts/{cart_id}"): (None, cart_rule(allowed=VIEWERS, ok=200)),
    ("PATCH", "/carts/{cart_id}"): (
        lambda world, kind: {"name": "Renamed"},
        cart_rule(allowed=EDITORS, ok=200),
    ),
    ("DELETE", "/carts/{cart_id}"): (None, cart_rule(allowed={"owner"}, ok=204)),
    # Anyone who sees the cart may ask (404 otherwise); only a cart they can fill becomes
    # active: a read-only one is refused with 409 and the reason (spec §2, §9).
    ("POST", "/carts/{cart_id}/activate"): (
        None,
        expect(default=404, owner=200, full_access=200, contributor=200, read_only=409),
    ),
    ("POST", "/carts/{cart_id}/items"): (
        lambda world, kind: {"sku": world.lamp.sku, "quantity": 1},
        cart_rule(allowed=ADDERS, ok=201),
    ),
    ("PATCH", "/carts/{cart_id}/items/{item_id}"): (
        lambda world, kind: {"quantity": 5},
        cart_rule(allowed=EDITORS, ok=200),
    ),
    ("DELETE", "/carts/{cart_id}/items/{item_id}"): (None, cart_rule(allowed=EDITORS, ok=200)),
    # Grants: {share_id} is read_only's grant on the cart; a grant is found only by the cart's
    # owner and its grantee (404 for everyone else), and only the owner may change it.
    ("GET", "/carts/{cart_id}/shared-carts"): (None, cart_rule(allowed={"owner"}, ok=200)),
    ("POST", "/carts/{cart_id}/shared-carts"): (
        lambda world, kind: {
            "company_user_id": world.company_user("colleague").pk,
            "permission": "READ_ONLY",
        },
        cart_rule(allowed={"owner"}, ok=201),
    ),
    ("PATCH", "/shared-carts/{share_id}"): (
        lambda world, kind: {"permission": "FULL_ACCESS"},
        expect(default=404, owner=200, read_only=403),
    ),
    ("DELETE", "/shared-carts/{share_id}"): (None, expect(default=404, owner=204, read_only=204)),
    # The discussion (COMMENT action): {comment_id} was written by read_only.
    ("GET", "/carts/{cart_id}/comments"): (None, cart_rule(allowed=VIEWERS, ok=200)),
    ("POST", "/carts/{cart_id}/comments"): (
        lambda world, kind: {"text": "Please add staples."},
        cart_rule(allowed=VIEWERS, ok=201),
    ),
    ("PATCH", "/comments/{comment_id}"): (
        lambda world, kind: {"text": "Edited"},
        cart_rule(allowed={"read_only"}, ok=200),
    ),
    ("DELETE", "/comments/{comment_id}"): (
        None,
        cart_rule(allowed={"read_only", "owner"}, ok=204),
    ),
    ("GET", "/carts/{cart_id}/activity"): (None, cart_rule(allowed=VIEWERS, ok=200)),
    # Presence: whoever sees the cart by their own level; a preview holder is nobody here.
    ("GET", "/carts/{cart_id}/presence"): (None, cart_rule(allowed=VIEWERS, ok=200)),
    # Orders: {order_id} was placed by full_access from another cart of the owner's.
    ("POST", "/carts/{cart_id}/checkout"): (None, cart_rule(allowed=EDITORS, ok=201)),
    ("GET", "/orders"): (None, expect(default=200)),
    ("GET", "/orders/{order_id}"): (None, expect(default=404, owner=200, full_access=200)),
}

# Share links. {link_id} is the cart's preview link, the one `preview_holder` holds (it gives no
# access to /carts/...), and {token} is its token, except for /accept, which takes the
# FULL_ACCESS link: a preview link has nothing to accept (422). What the internal links answer
# every kind of caller is in test_share_links_api.py.
MATRIX |= {
    ("GET", "/carts/{cart_id}/share-links"): (None, cart_rule(allowed={"owner"}, ok=200)),
    ("POST", "/carts/{cart_id}/share-links"): (
        lambda world, kind: {"share_option": "PREVIEW"},
        cart_rule(allowed={"owner"}, ok=201),
    ),
    ("DELETE", "/share-links/{link_id}"): (None, cart_rule(allowed={"owner"}, ok=204)),
    ("GET", "/shared/{token}"): (None, expect(anonymous=200, default=200)),
    # A colleague of the owner's unit without a grant joins (the grant is made); outsiders 403.
    ("POST", "/shared/{token}/accept"): (
        None,
        expect(default=403, colleague=200, **dict.fromkeys(VIEWERS, 200)),
    ),
    ("POST", "/shared/{token}/copy"): (None, expect(default=201)),
}
LINK_FOR_TOKEN = {("POST", "/shared/{token}/accept"): "FULL_ACCESS"}

# Notifications and e-mail settings: everyone with a token, about themselves only.
MATRIX |= {
    ("GET", "/notifications"): (None, expect(default=200)),
    ("POST", "/notifications/read"): (lambda world, kind: {"all": True}, expect(default=204)),
    ("GET", "/me/notification-settings"): (None, expect(default=200)),
    ("POST", "/password-resets"): (
        lambda world, kind: {"email": "alice@acme.example"},
        expect(anonymous=202, default=202),
    ),
    ("POST", "/carts/{cart_id}/invitations"): (
        lambda world, kind: {"emails": ["someone@example.org"], "share_option": "PREVIEW"},
        cart_rule(allowed={"owner"}, ok=202),
    ),
    ("PATCH", "/me/notification-settings"): (
        lambda world, kind: {"email": {"comments": False}},
        expect(default=200),
    ),
}

# Access requests (spec §11). {request_id} is read_only's pending request for full access to
# another cart of the owner's ("Party", shared with them read-only): the owner answers it, its
# requester withdraws it, nobody else finds it. Asking for full access to "Trade fair" is open
# to read_only and contributor (lower levels): full access and the owner have it already (422);
# whoever cannot see the cart is not told it exists (404).
MATRIX |= {
    ("POST", "/carts/{cart_id}/access-requests"): (
        lambda world, kind: {"permission": "FULL_ACCESS", "message": "For the fair, please."},
        expect(default=404, read_only=201, contributor=201, full_access=422, owner=422),
    ),
    ("GET", "/carts/{cart_id}/access-requests"): (None, cart_rule(allowed={"owner"}, ok=200)),
    ("GET", "/access-requests"): (None, expect(default=200)),
    ("PATCH", "/access-requests/{request_id}"): (
        lambda world, kind: {"status": "APPROVED"},
        expect(default=404, owner=200, read_only=403),
    ),
    ("DELETE", "/access-requests/{request_id}"): (
        None,
        expect(default=404, owner=403, read_only=204),
    ),
}


def with_link(world, operation, template: str, caller: str) -> str:
    """The template with {link_id} and {token} filled in (the link is made when needed). The
    preview holder has opened the cart's preview link first: it gives them nothing more."""
    if caller == "preview_holder":
        token = world.link(world.trade_fair, "PREVIEW")
        assert client_for(world.caller(caller)).get(f"/shared/{token}").status_code == 200
    if "{link_id}" in template or "{token}" in template:
        link, _, token = world.share_link(
            world.trade_fair, LINK_FOR_TOKEN.get(operation, "PREVIEW")
        )
        template = template.replace("{link_id}", str(link.pk)).replace("{token}", token)
    return template


def registered_operations() -> set[tuple[str, str]]:
    operations = set()
    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                for method in operation.methods:
                    operations.add((method, f"{prefix}{path}"))
    return operations


def test_every_endpoint_has_a_row():
    assert registered_operations() == set(MATRIX)


def test_every_row_names_every_kind_of_caller():
    for _, expected in MATRIX.values():
        assert set(expected) == set(CALLERS)
        assert None not in expected.values()


def snapshot(world):
    return (
        list(Cart.objects.order_by("pk").values_list("pk", "name", "note", "version", "status")),
        list(CartItem.objects.order_by("pk").values_list("pk", "cart_id", "quantity")),
        list(CartShare.objects.order_by("pk").values_list("pk", "permission")),
        list(Comment.objects.order_by("pk").values_list("pk", "text")),
        list(Order.objects.order_by("pk").values_list("pk", flat=True)),
        list(AccessRequest.objects.order_by("pk").values_list("pk", "status", "permission")),
        CartActivity.objects.count(),
    )


@pytest.fixture
def places(world) -> dict:
    """Values for the path placeholders, and what the bodies need."""
    ordered = CartFactory(owner=world.alice, name="Ordered")
    CartItemFactory(cart=ordered)
    CartShareFactory(
        cart=ordered,
        company_user=world.bob.company_user,
        permission=SharePermission.FULL_ACCESS,
    )
    order = cart_checkout(cart=ordered, actor=world.bob)
    comment = comment_create(cart=world.trade_fair, actor=world.frank, text="Do we need this?")
    party = world.cart(world.alice, "Party")
    world.share(party, world.frank, SharePermission.READ_ONLY)
    asked = access_request_create(cart=party, actor=world.frank, permission="FULL_ACCESS")
    return {
        "request_id": asked.pk,
        "cart_id": world.trade_fair.pk,
        "item_id": world.item(world.trade_fair, world.stapler).pk,
        "share_id": CartShare.objects.get(
            cart=world.trade_fair, company_user__customer=world.frank
        ).pk,
        "comment_id": comment.pk,
        "order_id": order.pk,
    }


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize(
    "operation", sorted(MATRIX), ids=[f"{method} {path}" for method, path in sorted(MATRIX)]
)
def test_authorization(world, places, operation, caller):
    method, template = operation
    template = with_link(world, operation, template, caller)
    body_for, expected = MATRIX[operation]
    customer = person(world, caller)
    client = client_for(customer) if customer is not None else ApiClient()
    path = template.format(**places)
    before = snapshot(world)

    response = client.request(method, path, body_for(world, caller) if body_for else None)

    assert response.status_code == expected[caller], (caller, method, path, response.content)
    if response.status_code >= 400:
        assert_problem(response, expected[caller])
        assert snapshot(world) == before, "a refused request changed data"
    elif method == "GET":
        assert snapshot(world) == before, "a GET changed data"
    else:
        EFFECTS[operation](world, places, customer, client, response)


# What each allowed write changed, checked in the database (or, for a token, by using it): a
# service that answered success without doing its work fails here.
def _token_made(world, places, person, client, response):
    assert ApiClient(response.json()["access_token"]).get("/me").json()["id"] == person.pk


def _token_revoked(world, places, person, client, response):
    assert client.get("/me").status_code == 401


def _every_token_revoked(world, places, person, client, response):
    assert client.get("/me").status_code == 401
    assert not AccessToken.objects.filter(customer=person, revoked_at__isnull=True).exists()


def _cart_made(world, places, person, client, response):
    made = Cart.objects.get(owner=person, name="A new cart")
    assert response.json()["id"] == str(made.pk)


def _cart_renamed(world, places, person, client, response):
    assert Cart.objects.get(pk=places["cart_id"]).name == "Renamed"


def _cart_deleted(world, places, person, client, response):
    assert not Cart.objects.filter(pk=places["cart_id"]).exists()


def _cart_activated(world, places, person, client, response):
    person.refresh_from_db()
    assert person.active_cart_id == places["cart_id"]


def _item_added(world, places, person, client, response):
    assert world.item(world.trade_fair, world.lamp).quantity == 1


def _item_changed(world, places, person, client, response):
    assert CartItem.objects.get(pk=places["item_id"]).quantity == 5


def _item_removed(world, places, person, client, response):
    assert not CartItem.objects.filter(pk=places["item_id"]).exists()


def _grant_made(world, places, person, client, response):
    grant = CartShare.objects.get(cart=world.trade_fair, company_user__customer=world.greta)
    assert grant.permission == SharePermission.READ_ONLY


def _grant_changed(world, places, person, client, response):
    assert CartShare.objects.get(pk=places["share_id"]).permission == SharePermission.FULL_ACCESS


def _grant_gone(world, places, person, client, response):
    assert not CartShare.objects.filter(pk=places["share_id"]).exists()


def _commented(world, places, person, client, response):
    comment = Comment.objects.get(pk=response.json()["id"])
    assert (comment.cart_id, comment.author, comment.text) == (
        places["cart_id"],
        person,
        "Please add staples.",
    )


def _comment_edited(world, places, person, client, response):
    assert Comment.objects.get(pk=places["comment_id"]).text == "Edited"


def _comment_deleted(world, places, person, client, response):
    assert not Comment.objects.filter(pk=places["comment_id"]).exists()


def _ordered(world, places, person, client, response):
    order = Order.objects.get(pk=response.json()["id"])
    assert (order.cart_id, order.placed_by) == (places["cart_id"], person)
    assert Cart.objects.get(pk=places["cart_id"]).status == CartStatus.ORDERED


def _link_made(world, places, person, client, response):
    link = ShareLink.objects.get(pk=response.json()["id"])
    assert (link.cart_id, link.share_option, link.revoked_at) == (
        places["cart_id"],
        "PREVIEW",
        None,
    )


def _link_revoked(world, places, person, client, response):
    links = ShareLink.objects.filter(cart=world.trade_fair, share_option="PREVIEW")
    assert [link.revoked_at is not None for link in links] == [True]


def _accepted(world, places, person, client, response):
    expected_level = "OWNER" if person == world.alice else "FULL_ACCESS"
    fresh = type(person).objects.get(pk=person.pk), Cart.objects.get(pk=places["cart_id"])
    assert access_level(*fresh) == expected_level  # fresh rows: levels are remembered
    person.refresh_from_db()
    assert person.active_cart_id == places["cart_id"]


def _copied(world, places, person, client, response):
    copy = Cart.objects.get(owner=person, name="Copy of Trade fair")
    assert response.json()["id"] == str(copy.pk)
    assert sorted(copy.items.values_list("product__sku", "quantity")) == [
        ("PAPER-A4", 10),
        ("STAPLER-1", 2),
    ]


def _notifications_read(world, places, person, client, response):
    assert not Notification.objects.filter(recipient=person, read_at__isnull=True).exists()
    if person in (world.alice, world.bob):  # told about frank's comment in `places`
        assert Notification.objects.filter(recipient=person).exists()


def _settings_changed(world, places, person, client, response):
    assert notification_settings_get(person)["comments"] is False
    assert response.json()["email"]["orders"] is True


def _invited(world, places, person, client, response):
    assert response.json() == {"sent": ["someone@example.org"], "refused": []}
    assert Mail.objects.filter(to_address="someone@example.org", kind="invitation").exists()


def _reset_mail_queued(world, places, person, client, response):
    assert Mail.objects.filter(to_address="alice@acme.example", kind="password.reset").exists()


def _access_requested(world, places, person, client, response):
    asked = AccessRequest.objects.get(pk=response.json()["id"])
    assert (asked.cart_id, asked.requester, asked.permission, asked.status, asked.message) == (
        places["cart_id"],
        person,
        "FULL_ACCESS",
        "PENDING",
        "For the fair, please.",
    )
    assert Notification.objects.filter(recipient=world.alice, kind="access.requested").exists()


def _access_approved(world, places, person, client, response):
    asked = AccessRequest.objects.get(pk=places["request_id"])
    assert (asked.status, asked.granted_permission, asked.decided_by) == (
        "APPROVED",
        "FULL_ACCESS",
        person,
    )
    grant = CartShare.objects.get(cart=asked.cart, company_user__customer=world.frank)
    assert grant.permission == SharePermission.FULL_ACCESS


def _access_request_withdrawn(world, places, person, client, response):
    assert AccessRequest.objects.get(pk=places["request_id"]).status == "WITHDRAWN"


EFFECTS = {
    ("POST", "/carts/{cart_id}/access-requests"): _access_requested,
    ("PATCH", "/access-requests/{request_id}"): _access_approved,
    ("DELETE", "/access-requests/{request_id}"): _access_request_withdrawn,
    ("POST", "/password-resets"): _reset_mail_queued,
    ("POST", "/carts/{cart_id}/invitations"): _invited,
    ("POST", "/notifications/read"): _notifications_read,
    ("PATCH", "/me/notification-settings"): _settings_changed,
    ("POST", "/access-tokens"): _token_made,
    ("DELETE", "/access-tokens/current"): _token_revoked,
    ("DELETE", "/access-tokens"): _every_token_revoked,
    ("POST", "/carts"): _cart_made,
    ("PATCH", "/carts/{cart_id}"): _cart_renamed,
    ("DELETE", "/carts/{cart_id}"): _cart_deleted,
    ("POST", "/carts/{cart_id}/activate"): _cart_activated,
    ("POST", "/carts/{cart_id}/items"): _item_added,
    ("PATCH", "/carts/{cart_id}/items/{item_id}"): _item_changed,
    ("DELETE", "/carts/{cart_id}/items/{item_id}"): _item_removed,
    ("POST", "/carts/{cart_id}/shared-carts"): _grant_made,
    ("PATCH", "/shared-carts/{share_id}"): _grant_changed,
    ("DELETE", "/shared-carts/{share_id}"): _grant_gone,
    ("POST", "/carts/{cart_id}/comments"): _commented,
    ("PATCH", "/comments/{comment_id}"): _comment_edited,
    ("DELETE", "/comments/{comment_id}"): _comment_deleted,
    ("POST", "/carts/{cart_id}/checkout"): _ordered,
    ("POST", "/carts/{cart_id}/share-links"): _link_made,
    ("DELETE", "/share-links/{link_id}"): _link_revoked,
    ("POST", "/shared/{token}/accept"): _accepted,
    ("POST", "/shared/{token}/copy"): _copied,
}


def test_every_write_has_an_effect_to_check():
    assert set(EFFECTS) == {operation for operation in MATRIX if operation[0] != "GET"}


def test_the_matrix_covers_the_served_paths():
    """The rows' paths are the ones clients call (the registered paths under /api/v1). The
    live event streams never end, so they are checked through real servers instead, every
    caller included (tests/live/test_event_streams.py)."""
    schema = ApiClient().client.get(f"{API}/openapi.json").json()
    served = {
        (method.upper(), path.removeprefix(API))
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
        if not any(
            "text/event-stream" in answer.get("content", {})
            for answer in operation["responses"].values()
        )
    }
    assert served == set(MATRIX)


# A contributor's own line (spec §10): greta, the contributor, added the lamp. She, full access
# and the owner change its quantity or note, or remove it; read-only is refused (403); whoever
# cannot see the cart gets 404 (the matrix's {item_id} row is a line the owner added, which the
# contributor may not change).
OWN_LINE = expect(default=404, owner=200, full_access=200, contributor=200, read_only=403)
OWN_LINE_CHANGES = {
    "quantity": ("PATCH", {"quantity": 4}),
    "note": ("PATCH", {"note": "For the booth"}),
    "remove": ("DELETE", None),
}


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("change", OWN_LINE_CHANGES)
def test_a_contributor_s_own_line_for_every_kind_of_caller(world, caller, change):
    contributor = person(world, "contributor")
    line = CartItemFactory(
        cart=world.trade_fair, product=world.lamp, quantity=1, added_by=contributor
    )
    with_link(world, None, "", caller)
    customer = person(world, caller)
    client = client_for(customer) if customer is not None else ApiClient()
    method, body = OWN_LINE_CHANGES[change]
    before = snapshot(world)

    response = client.request(method, f"/carts/{world.trade_fair.pk}/items/{line.pk}", body)

    assert response.status_code == OWN_LINE[caller], (caller, response.content)
    if response.status_code >= 400:
        assert_problem(response, OWN_LINE[caller])
        assert snapshot(world) == before
        assert CartItem.objects.get(pk=line.pk).note == ""
    elif change == "remove":
        assert not CartItem.objects.filter(pk=line.pk).exists()
    else:
        line.refresh_from_db()
        assert (line.quantity, line.note, line.added_by) == (
            4 if change == "quantity" else 1,
            "For the booth" if change == "note" else "",
            contributor,  # still hers, whoever changed it
        )
