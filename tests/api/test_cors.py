"""CORS for front ends on other origins (django-cors-headers): off by default; with
CARTSHARE_CORS_ALLOWED_ORIGINS (CORS_ALLOWED_ORIGINS) a listed origin's preflight is answered
with the methods and headers the API takes, and its answers expose the API's headers. Only under
/api/v1/, never with credentials."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

from tests.api.client import API, token_for

pytestmark = pytest.mark.django_db

FRONT_END = "https://app.example.org"
PREFLIGHT = {
    "Origin": FRONT_END,
    "Access-Control-Request-Method": "POST",
    "Access-Control-Request-Headers": "authorization, content-type, if-match, idempotency-key",
}


def preflight(path: str, origin: str = FRONT_END):
    return Client().options(path, headers={**PREFLIGHT, "Origin": origin})


def test_by_default_no_origin_is_allowed(world):
    response = preflight(f"{API}/carts")
    assert not response.has_header("Access-Control-Allow-Origin")
    answer = Client().get(f"{API}/products", headers={"Origin": FRONT_END})
    assert answer.status_code == 200
    assert not answer.has_header("Access-Control-Allow-Origin")


@override_settings(CORS_ALLOWED_ORIGINS=[FRONT_END])
def test_a_listed_origin_gets_its_preflight_answered(world):
    response = preflight(f"{API}/carts/{world.trade_fair.pk}/items")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == FRONT_END
    allowed = {name.strip() for name in response["Access-Control-Allow-Headers"].split(",")}
    assert {"authorization", "content-type", "if-match", "idempotency-key"} <= allowed
    assert "POST" in response["Access-Control-Allow-Methods"]
    assert "PATCH" in response["Access-Control-Allow-Methods"]
    assert not response.has_header("Access-Control-Allow-Credentials")


@override_settings(CORS_ALLOWED_ORIGINS=[FRONT_END])
def test_a_listed_origin_reads_the_answer_and_its_headers(world):
    token = token_for(world.alice)
    response = Client().get(
        f"{API}/carts/{world.trade_fair.pk}",
        headers={"Origin": FRONT_END, "Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == FRONT_END
    exposed = {
        name.strip().lower() for name in response["Access-Control-Expose-Headers"].split(",")
    }
    assert {"etag", "x-request-id", "retry-after", "idempotent-replayed"} <= exposed


@override_settings(CORS_ALLOWED_ORIGINS=[FRONT_END])
def test_other_origins_and_the_pages_get_no_cors(world):
    assert not preflight(f"{API}/carts", origin="https://evil.example").has_header(
        "Access-Control-Allow-Origin"
    )
    page = Client().get("/", headers={"Origin": FRONT_END})
    assert not page.has_header("Access-Control-Allow-Origin")
