"""The API's JSON renderer (`cartshare.api.renderers`): pydantic-core writes the answer, and it
reads back as exactly what the declared shapes hold, names in any script included."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

from django.utils.translation import gettext_lazy

from cartshare.api.api import api
from cartshare.api.renderers import FastJSONRenderer
from tests.api.client import ApiClient, client_for


def test_the_api_renders_with_pydantic_core():
    assert isinstance(api.renderer, FastJSONRenderer)


def test_values_json_cannot_hold_are_written_as_the_api_documents_them():
    when = datetime(2026, 12, 2, 9, 30, 5, 123456, tzinfo=UTC)
    cart = uuid.UUID("12345678-1234-5678-1234-567812345678")
    body = FastJSONRenderer().render(
        None,  # type: ignore[arg-type]
        {"at": when, "cart": cart, "text": gettext_lazy("Cart"), "n": [1, None, True]},
        response_status=200,
    )
    assert json.loads(body) == {
        "at": "2026-12-02T09:30:05.123456Z",
        "cart": "12345678-1234-5678-1234-567812345678",
        "text": "Cart",
        "n": [1, None, True],
    }


def test_a_cart_named_in_another_script_reads_back_unchanged_as_utf8(world):
    name = "Bürobedarf 東京 ½ €"
    world.trade_fair.name = name
    world.trade_fair.save(update_fields=["name"])
    response = client_for(world.alice).get(f"/carts/{world.trade_fair.pk}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert name.encode() in response.content  # UTF-8, not \\u escapes
    assert response.json()["name"] == name
    assert response.json()["totals"]["subtotal"] == sum(
        item["total_price"] for item in response.json()["items"]
    )


def test_problems_are_still_problem_json(db):
    response = ApiClient().get("/shared/not-a-token")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["status"] == 404
