"""What the server sends is what /api/v1/openapi.json says: the answers of the main endpoints,
for the callers whose answers differ (owner, grantee, preview holder, B2C), are checked against
the operation's declared schema for their status, closed (no undeclared field) and complete."""

from __future__ import annotations

import pytest

from tests.api.client import client_for
from tests.api.openapi import (
    assert_answer_matches_openapi,
    openapi_document,
    schema_errors,
)

pytestmark = pytest.mark.django_db

SUCCESS = {"200", "201", "202", "204"}


def test_every_operation_declares_the_schema_of_its_success_answers():
    for path, methods in openapi_document()["paths"].items():
        for method, operation in methods.items():
            successes = [status for status in operation["responses"] if str(status) in SUCCESS]
            assert successes, f"{method} {path} declares no success answer"
            for status in successes:
                declared = operation["responses"][status]
                if str(status) == "204":
                    assert "content" not in declared, f"{method} {path}: a 204 has no body"
                    continue
                if str(status) == "202" and "content" not in declared:
                    continue  # accepted, with nothing to say (POST /password-resets)
                if "text/event-stream" in declared["content"]:  # the live streams: tests/live
                    assert path.endswith("/events") and list(declared["content"]) == [
                        "text/event-stream"
                    ], f"{method} {path} {status}"
                    assert declared["content"]["text/event-stream"]["schema"] == {"type": "string"}
                    continue
                schema = declared["content"]["application/json"]["schema"]
                assert schema.get("$ref"), f"{method} {path} {status}: no component schema"


def test_the_check_catches_a_field_the_document_does_not_declare_or_one_missing(world):
    _, _, token = world.share_link(world.trade_fair, "PREVIEW")
    body = client_for(None).get(f"/shared/{token}").json()
    assert schema_errors(body, "SharedCartViewOut") == []

    leaking = {**body, "cart": {**body["cart"], "note": "Bring the banner"}}
    assert schema_errors(leaking, "SharedCartViewOut")
    missing = {**body, "cart": {key: v for key, v in body["cart"].items() if key != "totals"}}
    assert schema_errors(missing, "SharedCartViewOut")
    renamed_item = {**body["cart"]["items"][0], "price": 1}
    wrong_items = {**body, "cart": {**body["cart"], "items": [renamed_item]}}
    assert schema_errors(wrong_items, "SharedCartViewOut")


def test_people_catalog_and_tokens_answer_as_documented(world):
    alice = client_for(world.alice)
    checks = [
        (alice.get("/me"), "GET", "/me"),
        (client_for(world.erin).get("/me"), "GET", "/me"),
        (client_for(None).get("/products?limit=2"), "GET", "/products"),
        (alice.get("/company-users"), "GET", "/company-users"),
        (client_for(world.erin).get("/company-users"), "GET", "/company-users"),
        (alice.get("/cart-permission-groups"), "GET", "/cart-permission-groups"),
        (
            client_for(None).post(
                "/access-tokens", {"email": world.alice.email, "password": "demo1234"}
            ),
            "POST",
            "/access-tokens",
        ),
        (alice.delete("/access-tokens/current"), "DELETE", "/access-tokens/current"),
        (client_for(world.bob).delete("/access-tokens"), "DELETE", "/access-tokens"),
    ]
    for response, method, path in checks:
        assert response.status_code < 500, response.content
        assert_answer_matches_openapi(response, method, path)
    assert [status for status, _, _ in [(r.status_code, m, p) for r, m, p in checks]] == [
        200,
        200,
        200,
        200,
        403,
        200,
        201,
        204,
        204,
    ]


def test_carts_and_their_items_answer_as_documented(world):
    alice, frank = client_for(world.alice), client_for(world.frank)
    fair = world.trade_fair.pk
    created = alice.post("/carts", {"name": "Spare", "note": "n"})
    spare = created.json()["id"]
    added = alice.post(f"/carts/{spare}/items", {"sku": "PEN-001", "quantity": 2})
    item = added.json()["items"][0]["id"]
    checks = [
        (alice.get("/carts"), "GET", "/carts", 200),
        (frank.get("/carts"), "GET", "/carts", 200),
        (alice.get(f"/carts/{fair}"), "GET", "/carts/{cart_id}", 200),
        (frank.get(f"/carts/{fair}"), "GET", "/carts/{cart_id}", 200),
        (created, "POST", "/carts", 201),
        (added, "POST", "/carts/{cart_id}/items", 201),
        (
            alice.patch(f"/carts/{spare}/items/{item}", {"quantity": 3}),
            "PATCH",
            "/carts/{cart_id}/items/{item_id}",
            200,
        ),
        (alice.patch(f"/carts/{spare}", {"note": "m"}), "PATCH", "/carts/{cart_id}", 200),
        (
            frank.patch(f"/carts/{fair}", {"note": "x"}),
            "PATCH",
            "/carts/{cart_id}",
            403,
        ),
        (
            alice.patch(f"/carts/{spare}", {"note": "y"}, headers={"If-Match": '"1"'}),
            "PATCH",
            "/carts/{cart_id}",
            412,
        ),
        (alice.post(f"/carts/{fair}/activate"), "POST", "/carts/{cart_id}/activate", 200),
        (
            alice.delete(f"/carts/{spare}/items/{item}"),
            "DELETE",
            "/carts/{cart_id}/items/{item_id}",
            200,
        ),
        (alice.delete(f"/carts/{spare}"), "DELETE", "/carts/{cart_id}", 204),
        (alice.get(f"/carts/{spare}"), "GET", "/carts/{cart_id}", 404),
    ]
    for response, method, path, status in checks:
        assert response.status_code == status, (method, path, response.content)
        assert_answer_matches_openapi(response, method, path)


def test_sharing_links_comments_activity_and_orders_answer_as_documented(world):
    alice, frank = client_for(world.alice), client_for(world.frank)
    greta, erin = client_for(world.greta), client_for(world.erin)
    fair = world.trade_fair.pk
    share = alice.post(
        f"/carts/{world.office_supplies.pk}/shared-carts",
        {"company_user_id": world.greta.company_user.pk, "permission": "READ_ONLY"},
    )
    preview = alice.post(f"/carts/{fair}/share-links", {"share_option": "PREVIEW"})
    full = alice.post(f"/carts/{fair}/share-links", {"share_option": "FULL_ACCESS"})
    preview_token = preview.json()["url"].rsplit("/", 1)[-1]
    full_token = full.json()["url"].rsplit("/", 1)[-1]
    comment = frank.post(f"/carts/{fair}/comments", {"text": "Enough paper?"})
    checks = [
        (alice.get(f"/carts/{fair}/shared-carts"), "GET", "/carts/{cart_id}/shared-carts", 200),
        (share, "POST", "/carts/{cart_id}/shared-carts", 201),
        (
            alice.patch(f"/shared-carts/{share.json()['id']}", {"permission": "FULL_ACCESS"}),
            "PATCH",
            "/shared-carts/{share_id}",
            200,
        ),
        (preview, "POST", "/carts/{cart_id}/share-links", 201),
        (
            alice.post(f"/carts/{fair}/share-links", {"share_option": "PREVIEW"}),
            "POST",
            "/carts/{cart_id}/share-links",
            200,
        ),
        (alice.get(f"/carts/{fair}/share-links"), "GET", "/carts/{cart_id}/share-links", 200),
        (client_for(None).get(f"/shared/{preview_token}"), "GET", "/shared/{token}", 200),
        (erin.get(f"/shared/{preview_token}"), "GET", "/shared/{token}", 200),
        (alice.get(f"/shared/{preview_token}"), "GET", "/shared/{token}", 200),
        (greta.get(f"/shared/{full_token}"), "GET", "/shared/{token}", 200),
        (alice.get(f"/shared/{full_token}"), "GET", "/shared/{token}", 200),
        (client_for(None).get(f"/shared/{full_token}"), "GET", "/shared/{token}", 401),
        (client_for(None).get("/shared/unknown"), "GET", "/shared/{token}", 404),
        (greta.post(f"/shared/{full_token}/accept"), "POST", "/shared/{token}/accept", 200),
        (erin.post(f"/shared/{preview_token}/copy"), "POST", "/shared/{token}/copy", 201),
        (comment, "POST", "/carts/{cart_id}/comments", 201),
        (frank.get(f"/carts/{fair}/comments"), "GET", "/carts/{cart_id}/comments", 200),
        (
            frank.patch(f"/comments/{comment.json()['id']}", {"text": "Enough staples?"}),
            "PATCH",
            "/comments/{comment_id}",
            200,
        ),
        (frank.get(f"/carts/{fair}/activity"), "GET", "/carts/{cart_id}/activity", 200),
        (erin.get(f"/carts/{fair}/activity"), "GET", "/carts/{cart_id}/activity", 404),
        (frank.get(f"/carts/{fair}/presence"), "GET", "/carts/{cart_id}/presence", 200),
        (erin.get(f"/carts/{fair}/presence"), "GET", "/carts/{cart_id}/presence", 404),
    ]
    checkout = alice.post(f"/carts/{fair}/checkout", {"purchase_order_number": "PO-7"})
    order = checkout.json()["id"]
    checks += [
        (checkout, "POST", "/carts/{cart_id}/checkout", 201),
        (alice.get("/orders"), "GET", "/orders", 200),
        (alice.get(f"/orders/{order}"), "GET", "/orders/{order_id}", 200),
        (alice.get(f"/carts/{fair}"), "GET", "/carts/{cart_id}", 200),
        (
            alice.delete(f"/share-links/{preview.json()['id']}"),
            "DELETE",
            "/share-links/{link_id}",
            204,
        ),
        (client_for(None).get(f"/shared/{preview_token}"), "GET", "/shared/{token}", 410),
    ]
    for response, method, path, status in checks:
        assert response.status_code == status, (method, path, response.content)
        assert_answer_matches_openapi(response, method, path)
