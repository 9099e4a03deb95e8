"""The finishing touches of /api/v1/openapi.json that ninja does not make itself: short
verb-first operation ids, a description for every operation, the tags, servers and security,
the headers the API sends and reads, examples, and the problem codes. What a generated client
or a linter reads (tests/api/test_openapi_document.py; redocly: tests/api/test_openapi_lint.py)."""

from __future__ import annotations

import json
from typing import Any

from cartshare.api.errors import PROBLEM_CODES, PROBLEM_CONTENT_TYPE, problem_type
from cartshare.api.examples import EXAMPLES
from cartshare.common.errors import ErrorCode

SERVERS = [{"url": "/", "description": "The host that serves this document."}]
BEARER = "BearerAuth"

# Operation ids are the handler's name in camelCase (`checkout_cart` -> `checkoutCart`): short,
# verb-first, and pinned by tests/api/test_openapi_document.py (renaming a handler must not
# change its id). These handlers' names do not read as one.
OPERATION_IDS = {
    "cart_presence": "getCartPresence",
    "read_notifications": "markNotificationsRead",
}

TAGS = [
    {
        "name": "access tokens",
        "description": "Log in for a bearer token, log out, reset a password.",
    },
    {"name": "people", "description": "Who I am, my colleagues, the levels I can share with."},
    {"name": "catalog", "description": "The products, for anyone."},
    {"name": "carts", "description": "Carts and their items; `ETag` and `If-Match` on every cart."},
    {"name": "sharing", "description": "Sharing a cart with colleagues, and e-mail invitations."},
    {"name": "share links", "description": "A cart's links: create, revoke, open, accept, copy."},
    {"name": "access requests", "description": "Asking a cart's owner for a higher level."},
    {"name": "comments", "description": "The discussion on a cart."},
    {"name": "activity", "description": "Who changed what on a cart."},
    {"name": "orders", "description": "Checkout and the orders placed."},
    {"name": "notifications", "description": "What happened to my carts, and which e-mails I get."},
    {"name": "live", "description": "Who has a cart open now."},
]

# Descriptions of the operations whose handlers have no docstring (the docstring is the
# description where there is one), by operation id.
DESCRIPTIONS = {
    "listShareLinks": "Owner only (403 for grantees, 404 for everyone else). Paginated.",
    "revokeCurrentAccessToken": "The token of this request stops working at once.",
    "getMe": "`company_user_id`, `company` and `business_unit` are null for B2C customers.",
    "listCompanyUsers": "The active company users of my business unit, me excluded; 403 for B2C.",
    "listCartPermissionGroups": "READ_ONLY, CONTRIBUTOR and FULL_ACCESS, each with a label and "
    "what it allows. Always one page.",
    "listCarts": "Carts I own and carts shared with me, without their items, newest first. "
    "Filter by `status` and `access`; `has_more` says whether `next` leads to more.",
    "createCart": "A new open cart of mine (not made active). 409 when I have as many carts as "
    "allowed.",
    "updateCart": "Owner and full access. Only the fields sent change. Send `If-Match` with the "
    "ETag you showed: 412 and nothing changed when the cart changed since; 409 once ordered.",
    "deleteCart": "Owner only. 409 for my last own cart or an ordered one; 412 on a stale "
    "`If-Match`.",
    "listSharedCarts": "Owner only (403 for grantees). Also once the cart is ordered.",
    "updateSharedCart": "Owner only. Lowering a grant also works on an ordered cart; raising one "
    "there answers 409.",
    "deleteSharedCart": "The owner withdraws the grant, or the grantee dismisses the cart; also "
    "on an ordered cart.",
    "listComments": "Owner, full access, contributor and read-only; never a preview. Newest "
    "first, paginated.",
    "updateComment": "Only its author; the comment is marked `edited`.",
    "deleteComment": "Its author, or the cart's owner.",
    "listActivity": "Owner, full access, contributor and read-only. Newest first, paginated.",
    "listOrders": "Orders I placed or that came from my carts, newest first. Filter by "
    "`created_after` and `created_before`.",
    "getOrder": "404 for anyone who neither placed it nor owns its cart.",
    "listNotifications": "Newest first; `unread=true` leaves out the read ones.",
    "markNotificationsRead": "`{ids: [...]}` marks those (ids of others are ignored); "
    "`{all: true}` marks every one of mine.",
    "getNotificationSettings": "One flag per kind of notification that also comes by e-mail.",
    "updateNotificationSettings": "Only the flags sent change; the answer is all of them.",
    "getCartPresence": "Owner and grantees see who has the cart open now; preview visitors are "
    "never listed.",
    "listCartAccessRequests": "Owner only (403 for grantees). Pending ones first.",
    "listMyAccessRequests": "Every request I made, on any cart, newest first.",
    "withdrawAccessRequest": "Only the requester, while it is pending (409 after); its status "
    "becomes WITHDRAWN.",
}

HEADERS: dict[str, dict[str, Any]] = {
    "X-Request-ID": {
        "description": "The request's id (also `request_id` in problems): quote it when you "
        "report a problem.",
        "schema": {"type": "string"},
    },
    "ETag": {
        "description": 'The cart\'s version, like "7"; send it back in If-Match to change the '
        "cart.",
        "schema": {"type": "string"},
    },
    "Idempotent-Replayed": {
        "description": "`true` when this is the stored answer to an earlier request with the "
        "same `Idempotency-Key` (the work was not done again).",
        "schema": {"type": "string", "enum": ["true"]},
    },
    "Retry-After": {
        "description": "Seconds to wait before trying again.",
        "schema": {"type": "integer", "minimum": 0},
    },
    "WWW-Authenticate": {
        "description": 'Bearer realm="cartshare"',
        "schema": {"type": "string"},
    },
}
HTTP_METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}


def operation_id_for(view_name: str) -> str:
    if view_name in OPERATION_IDS:
        return OPERATION_IDS[view_name]
    first, *rest = view_name.split("_")
    return first + "".join(part.capitalize() for part in rest)


def _header(name: str, *, required: bool = False) -> dict[str, Any]:
    return {**HEADERS[name], "required": required}


def _component_name(media: dict[str, Any]) -> str | None:
    schema = media.get("schema", {})
    if set(schema) == {"allOf"} and len(schema["allOf"]) == 1:  # ninja's optional body
        schema = media["schema"] = schema["allOf"][0]
    reference = schema.get("$ref", "")
    return reference.rsplit("/", 1)[-1] if reference else None


def _problem_examples(status: int) -> dict[str, Any]:
    examples = {}
    for code, known in PROBLEM_CODES.items():
        if known.status == status:
            examples[code.value] = {
                "summary": str(known.title),
                "value": {
                    "type": problem_type(code),
                    "code": code.value,
                    "title": str(known.title),
                    "status": status,
                    "detail": known.meaning,
                    "errors": {"quantity": ["Enter a whole number from 1 to 9,999."]}
                    if code == ErrorCode.VALIDATION_ERROR
                    else {},
                    "request_id": "bf878f2bc3094bd7abf4308073e983e2",
                },
            }
    return examples


def _finish_response(status: str, response: dict[str, Any], *, idempotent: bool) -> None:
    headers = response.setdefault("headers", {})
    headers["X-Request-ID"] = _header("X-Request-ID", required=True)
    if "ETag" in headers:
        headers["ETag"] = _header("ETag", required=True)
    code = int(status) if status.isdigit() else 0
    if idempotent and 200 <= code < 300:
        headers["Idempotent-Replayed"] = _header("Idempotent-Replayed")
    if code in {429, 503}:
        headers["Retry-After"] = _header("Retry-After", required=code == 503)
    if code == 412:
        headers["ETag"] = _header("ETag")
    if code == 401:
        headers["WWW-Authenticate"] = _header("WWW-Authenticate", required=True)
    for content_type, media in response.get("content", {}).items():
        name = _component_name(media)
        if content_type == PROBLEM_CONTENT_TYPE:
            media["examples"] = _problem_examples(code)
        elif name in EXAMPLES:
            media["example"] = EXAMPLES[name]


def _finish_operation(operation: dict[str, Any]) -> None:
    if "security" not in operation:
        operation["security"] = []  # anonymous: no token needed
    operation.setdefault("description", DESCRIPTIONS.get(operation["operationId"], ""))
    parameters = [parameter["name"] for parameter in operation.get("parameters", [])]
    body = operation.get("requestBody")
    if body:
        for media in body.get("content", {}).values():
            name = _component_name(media)
            if name in EXAMPLES:
                media["example"] = EXAMPLES[name]
    for status, response in operation.get("responses", {}).items():
        _finish_response(str(status), response, idempotent="Idempotency-Key" in parameters)


def _discriminate_link_views(schemas: dict[str, Any]) -> None:
    """The link view's `cart` is a CartOut or, for a preview, a PreviewCartOut: by `access`."""
    cart = schemas.get("SharedCartViewOut", {}).get("properties", {}).get("cart", {})
    if "oneOf" in cart:
        full = "#/components/schemas/CartOut"
        cart["discriminator"] = {
            "propertyName": "access",
            "mapping": {
                "OWNER": full,
                "FULL_ACCESS": full,
                "CONTRIBUTOR": full,
                "READ_ONLY": full,
                "PREVIEW": "#/components/schemas/PreviewCartOut",
            },
        }


def _drop_unused_schemas(schema: dict[str, Any]) -> None:
    """Query-parameter models that ninja lists as components though nothing refers to them."""
    schemas = schema.get("components", {}).get("schemas", {})
    while True:
        text = json.dumps(schema)
        unused = [name for name in schemas if f'"#/components/schemas/{name}"' not in text]
        if not unused:
            return
        for name in unused:
            del schemas[name]


def document_finish(schema: dict[str, Any]) -> None:
    schema["servers"] = SERVERS
    schema["security"] = [{BEARER: []}]
    schema["tags"] = TAGS
    components = schema.setdefault("components", {})
    _discriminate_link_views(components.get("schemas", {}))
    for methods in schema.get("paths", {}).values():
        for method, operation in methods.items():
            if method in HTTP_METHODS:
                _finish_operation(operation)
    _drop_unused_schemas(schema)
