"""The OpenAPI document as integrators and their tools read it: short verb-first operation ids
that stay put, a summary and a description for every operation, declared tags, examples that
are what the server sends, the problem codes of docs/api.md, and every status an operation
answers declared (swept here over an ordered cart, where the 409s are)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cartshare.api.errors import PROBLEM_CODES
from cartshare.api.examples import EXAMPLES
from cartshare.common.errors import ErrorCode
from cartshare.orders.services import cart_checkout
from cartshare.sharing.models import SharePermission
from tests.api.client import API, client_for
from tests.api.openapi import openapi_document, schema_errors

pytestmark = pytest.mark.django_db

DOCS = Path(__file__).resolve().parents[2] / "docs" / "api.md"
VERBS = {
    "accept",
    "activate",
    "add",
    "follow",
    "checkout",
    "copy",
    "create",
    "decide",
    "delete",
    "get",
    "list",
    "mark",
    "open",
    "remove",
    "revoke",
    "send",
    "update",
    "withdraw",
}
# Integrators' generated clients are named after these: changing one breaks them (add, never
# rename; see "Versioning" in the README).
OPERATION_IDS = {
    "acceptShareLink",
    "activateCart",
    "addCartItem",
    "checkoutCart",
    "followCartEvents",
    "followSharedCartEvents",
    "copySharedCart",
    "createAccessRequest",
    "createAccessToken",
    "createCart",
    "createComment",
    "createPasswordReset",
    "createShareLink",
    "createSharedCart",
    "decideAccessRequest",
    "deleteCart",
    "deleteComment",
    "deleteSharedCart",
    "getCart",
    "getCartPresence",
    "getMe",
    "getNotificationSettings",
    "getOrder",
    "listActivity",
    "listCartAccessRequests",
    "listCartPermissionGroups",
    "listCarts",
    "listComments",
    "listCompanyUsers",
    "listMyAccessRequests",
    "listNotifications",
    "listOrders",
    "listProducts",
    "listShareLinks",
    "listSharedCarts",
    "markNotificationsRead",
    "openSharedCart",
    "removeCartItem",
    "revokeAllAccessTokens",
    "revokeCurrentAccessToken",
    "revokeShareLink",
    "sendInvitations",
    "updateCart",
    "updateCartItem",
    "updateComment",
    "updateNotificationSettings",
    "updateSharedCart",
    "withdrawAccessRequest",
}


def operations():
    for path, methods in openapi_document()["paths"].items():
        for method, operation in methods.items():
            yield method, path, operation


def test_operation_ids_are_the_pinned_verb_first_camel_case_ones():
    found = [operation["operationId"] for _, _, operation in operations()]
    assert len(found) == len(set(found))
    for operation_id in found:
        assert re.fullmatch(r"[a-z]+(?:[A-Z][a-z]+)*", operation_id), operation_id
        assert re.match(r"[a-z]+", operation_id).group() in VERBS, operation_id
    assert set(found) >= OPERATION_IDS, f"ids gone: {sorted(OPERATION_IDS - set(found))}"


def test_every_operation_has_a_summary_a_description_and_declared_tags():
    declared = {tag["name"] for tag in openapi_document()["tags"]}
    for method, path, operation in operations():
        assert operation.get("summary"), (method, path)
        assert operation.get("description"), (method, path)
        assert operation["tags"] and set(operation["tags"]) <= declared, (method, path)


def test_anonymous_operations_say_so_and_the_others_need_the_bearer_token():
    anonymous = {
        operation["operationId"]
        for _, _, operation in operations()
        if operation["security"] == [] or {} in operation["security"]
    }
    assert anonymous == {
        "listProducts",
        "createAccessToken",
        "createPasswordReset",
        "openSharedCart",
        "followSharedCartEvents",
    }
    assert openapi_document()["security"] == [{"BearerAuth": []}]
    assert openapi_document()["servers"]


def test_every_example_is_what_its_schema_allows():
    checked = set()
    for method, path, operation in operations():
        bodies = [operation.get("requestBody", {}), *operation["responses"].values()]
        for part in bodies:
            for content_type, media in part.get("content", {}).items():
                if content_type == "text/event-stream":  # a string: test_docs.py checks it
                    assert isinstance(media["example"], str)
                    continue
                component = media["schema"]["$ref"].rsplit("/", 1)[-1]
                examples = [media["example"]] if "example" in media else []
                examples += [entry["value"] for entry in media.get("examples", {}).values()]
                assert examples, f"{method} {path}: no example of {component}"
                for example in examples:
                    assert schema_errors(example, component) == [], (method, path, component)
                checked.add(component)
    assert set(EXAMPLES) <= checked, f"examples nothing uses: {set(EXAMPLES) - checked}"


def test_the_problem_codes_are_one_list_in_the_code_the_document_and_docs_api_md():
    problem = openapi_document()["components"]["schemas"]["Problem"]
    assert set(problem["properties"]["code"]["enum"]) == {code.value for code in ErrorCode}
    assert set(PROBLEM_CODES) == set(ErrorCode)
    rows = re.findall(r"^\| `([a-z_]+)` \| (\d{3}) \|", DOCS.read_text(), flags=re.M)
    assert {code: int(status) for code, status in rows} == {
        code.value: known.status for code, known in PROBLEM_CODES.items()
    }


def test_a_204_has_no_content_type(world):
    response = client_for(world.alice).delete("/access-tokens/current")
    assert response.status_code == 204
    assert not response.has_header("Content-Type")


@pytest.fixture
def ordered(world):
    """Alice's trade fair, ordered, with a preview link, a comment and an access request."""
    fair = world.trade_fair
    world.share(world.trade_fair, world.greta, SharePermission.READ_ONLY)
    link_id = (
        client_for(world.alice)
        .post(f"/carts/{fair.pk}/share-links", {"share_option": "PREVIEW"})
        .json()["id"]
    )
    token = world.link(fair)
    comment = client_for(world.frank).post(f"/carts/{fair.pk}/comments", {"text": "Hi"}).json()
    request = (
        client_for(world.greta)
        .post(f"/carts/{fair.pk}/access-requests", {"permission": "FULL_ACCESS"})
        .json()
    )
    order = cart_checkout(cart=fair, actor=world.alice)
    return {
        "cart_id": fair.pk,
        "item_id": fair.items.first().pk,
        "share_id": fair.shares.get(company_user__customer=world.frank).pk,
        "link_id": link_id,
        "token": token,
        "comment_id": comment["id"],
        "request_id": request["id"],
        "order_id": order.pk,
    }


@pytest.mark.parametrize("role", ["owner", "full_access", "read_only"])
def test_on_an_ordered_cart_every_operation_answers_a_status_it_declares(world, ordered, role):
    """The client checks each answer against the document (tests/api/client.py)."""
    client = client_for(world.caller(role))
    sweep = sorted(operations(), key=lambda entry: (entry[0] == "delete", "{cart_id}" in entry[1]))
    for method, path, operation in sweep:
        if path.startswith(f"{API}/access-tokens"):
            continue  # logging out would end the sweep
        body = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
        response = client.request(
            method, path.removeprefix(API).format(**ordered), body.get("example")
        )
        assert response.status_code < 500, (method, path, response.content)
