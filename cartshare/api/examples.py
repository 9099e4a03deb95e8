"""Examples for the OpenAPI document: one per request body and main response, by component
name. `cartshare.api.openapi` puts them on the media types that use the component;
tests/api/test_openapi_document.py checks each one against its schema, so they cannot drift."""

from __future__ import annotations

from typing import Any

CART_ID = "6083d130-96ea-4194-b5d9-8862ed250d48"
BASE = "https://shop.example.com"
WHEN = "2026-12-03T08:39:12.829104Z"
LATER = "2026-12-03T08:41:02.861014Z"
ALICE = {"id": 1, "name": "Alice Archer"}
BOB = {"id": 2, "name": "Bob Brandt"}
FRANK = {"id": 3, "name": "Frank Fischer"}
TOTALS = {"item_count": 1, "quantity": 2, "subtotal": 500, "grand_total": 500}
PREVIEW_ITEM = {
    "id": 5,
    "sku": "PEN-001",
    "name": "Ballpoint pen",
    "quantity": 2,
    "unit_price": 250,
    "total_price": 500,
    "note": "",
}
ITEM = {**PREVIEW_ITEM, "added_by": ALICE}
CART_SUMMARY = {
    "id": CART_ID,
    "name": "Trade fair 2027",
    "note": "Booth 12",
    "owner": ALICE,
    "access": "OWNER",
    "status": "OPEN",
    "version": 2,
    "is_active": True,
    "currency": "EUR",
    "totals": TOTALS,
    "created_at": WHEN,
    "updated_at": LATER,
}
CART = {**CART_SUMMARY, "items": [ITEM]}
PREVIEW_CART = {
    "id": CART_ID,
    "name": "Trade fair 2027",
    "owner": {"name": "Alice Archer"},
    "access": "PREVIEW",
    "status": "OPEN",
    "version": 2,
    "is_active": False,
    "currency": "EUR",
    "items": [PREVIEW_ITEM],
    "totals": TOTALS,
    "created_at": WHEN,
    "updated_at": LATER,
}
SHARE_LINK = {
    "id": 1,
    "cart_id": CART_ID,
    "share_option": "PREVIEW",
    "url": f"{BASE}/share/KI2TLmUCmQS_1GWk3oMhnyNjRKpczV8PNzQ4QssJwgg",
    "expires_at": None,
    "revoked_at": None,
    "created_at": WHEN,
    "open_count": 3,
    "last_opened_at": LATER,
}
SHARED_CART = {
    "id": 3,
    "cart_id": CART_ID,
    "company_user": {"id": 2, "name": "Bob Brandt", "email": "bob@acme.example"},
    "permission": "FULL_ACCESS",
    "created_at": WHEN,
}
COMMENT = {
    "id": 1,
    "author": BOB,
    "text": "Do we need more pens?",
    "created_at": WHEN,
    "updated_at": WHEN,
    "edited": False,
}
ACTIVITY = {
    "id": 7,
    "actor": BOB,
    "verb": "commented",
    "details": {"comment_id": 1},
    "text": "Bob Brandt commented",
    "created_at": WHEN,
}
ACCESS_REQUEST = {
    "id": 1,
    "cart_id": CART_ID,
    "requester": FRANK,
    "permission": "FULL_ACCESS",
    "granted_permission": None,
    "message": "I can place the order while you are away.",
    "status": "PENDING",
    "created_at": WHEN,
    "decided_at": None,
    "decided_by": None,
}
ORDER = {
    "id": 1,
    "reference": "CS-2026-000001",
    "cart_id": CART_ID,
    "cart_name": "Trade fair 2027",
    "placed_by": BOB,
    "purchase_order_number": "PO-4711",
    "items": [{k: v for k, v in PREVIEW_ITEM.items() if k != "id"}],
    "totals": TOTALS,
    "currency": "EUR",
    "created_at": LATER,
}
NOTIFICATION = {
    "id": 1,
    "kind": "cart.shared",
    "cart_id": CART_ID,
    "actor": ALICE,
    "text": "Alice Archer shared the cart 'Trade fair 2027' with you (full access).",
    "url": f"{BASE}/carts/{CART_ID}/",
    "created_at": WHEN,
    "read_at": None,
}
PRODUCT = {"sku": "PEN-001", "name": "Ballpoint pen", "unit_price": 250, "currency": "EUR"}
COLLEAGUE = {"id": 2, "name": "Bob Brandt", "email": "bob@acme.example"}
PERMISSION_GROUP = {
    "name": "READ_ONLY",
    "label": "Read-only",
    "description": "Your access is read-only: you can view this cart and comment on it, but "
    "not change it.",
}
EMAIL_SETTINGS = {
    "shared_with_me": True,
    "comments": True,
    "mentions": True,
    "orders": True,
    "access_requests": False,
}


def _page(item: dict[str, Any], path: str | None = None) -> dict[str, Any]:
    """A page holding `item`; with a `path`, a first page of more."""
    if path is None:
        return {"results": [item], "next": None, "has_more": False}
    next_url = f"{BASE}/api/v1{path}?cursor=eyJvIjoyMH0&limit=20"
    return {"results": [item], "next": next_url, "has_more": True}


EXAMPLES: dict[str, Any] = {
    # request bodies
    "AccessTokenIn": {"email": "alice@acme.example", "password": "demo1234"},
    "PasswordResetIn": {"email": "alice@acme.example"},
    "CartCreateIn": {"name": "Trade fair 2027", "note": "Booth 12"},
    "CartUpdateIn": {"note": "Booth 12, next to the entrance"},
    "CartItemAddIn": {"sku": "PEN-001", "quantity": 2},
    "CartItemUpdateIn": {"quantity": 3, "note": "Blue ink, please"},
    "SharedCartCreateIn": {"company_user_id": 2, "permission": "FULL_ACCESS"},
    "SharedCartUpdateIn": {"permission": "READ_ONLY"},
    "ShareLinkCreateIn": {"share_option": "PREVIEW", "expires_at": "2027-01-31T23:59:00+01:00"},
    "CommentIn": {"text": "Do we need more pens?"},
    "CheckoutIn": {"purchase_order_number": "PO-4711"},
    "NotificationsReadIn": {"ids": [1, 2]},
    "NotificationSettingsIn": {"email": {"comments": False}},
    "InvitationIn": {
        "emails": ["carol@acme.example"],
        "share_option": "PREVIEW",
        "message": "Have a look before Friday.",
    },
    "AccessRequestCreateIn": {
        "permission": "FULL_ACCESS",
        "message": "I can place the order while you are away.",
    },
    "AccessRequestDecideIn": {"status": "APPROVED", "permission": "CONTRIBUTOR"},
    # responses
    "AccessTokenOut": {
        "access_token": "cs_QfIhZfqV6olM1bAyh786om_ZkjgBfshI33a_p5D_Xlo",
        "token_type": "Bearer",
        "expires_in": 86400,
    },
    "MeOut": {
        "id": 1,
        "name": "Alice Archer",
        "email": "alice@acme.example",
        "company_user_id": 1,
        "company": {"id": 1, "name": "Acme Corporation"},
        "business_unit": {"id": 1, "name": "Berlin HQ"},
    },
    "ProductPage": _page(PRODUCT, "/products"),
    "CompanyUserPage": _page(COLLEAGUE, "/company-users"),
    "PermissionGroupPage": _page(PERMISSION_GROUP),
    "CartOut": CART,
    "CartPage": _page(CART_SUMMARY, "/carts"),
    "SharedCartOut": SHARED_CART,
    "SharedCartPage": _page(SHARED_CART),
    "ShareLinkOut": SHARE_LINK,
    "ShareLinkPage": _page(SHARE_LINK),
    "SharedCartViewOut": {"share_option": "PREVIEW", "cart": PREVIEW_CART},
    "ShareLinkAcceptOut": {
        "permission": "READ_ONLY",
        "cart": {**CART, "access": "READ_ONLY", "is_active": False},
    },
    "CommentOut": COMMENT,
    "CommentPage": _page(COMMENT),
    "ActivityPage": _page(ACTIVITY),
    "AccessRequestOut": ACCESS_REQUEST,
    "AccessRequestPage": _page(ACCESS_REQUEST),
    "InvitationOut": {
        "sent": ["carol@acme.example"],
        "refused": [{"email": "dave@globex.example", "reason": "Not a colleague of your unit."}],
    },
    "OrderOut": ORDER,
    "OrderPage": _page(ORDER),
    "NotificationPage": _page(NOTIFICATION),
    "NotificationSettingsOut": {"email": EMAIL_SETTINGS},
    "PresenceOut": {"viewers": [{**BOB, "since": WHEN}]},
}
