"""The OpenAPI document and the browsable docs are served, the docs with no CDN."""

import re

import pytest

from tests.api.client import API, ApiClient

pytestmark = pytest.mark.django_db


def test_the_openapi_document_describes_every_endpoint_of_the_contract():
    schema = ApiClient().client.get(f"{API}/openapi.json").json()
    operations = {
        (method.upper(), path.removeprefix(API))
        for path, methods in schema["paths"].items()
        for method in methods
    }
    assert {
        ("POST", "/access-tokens"),
        ("DELETE", "/access-tokens/current"),
        ("GET", "/me"),
        ("GET", "/products"),
        ("GET", "/company-users"),
        ("GET", "/cart-permission-groups"),
        ("GET", "/carts"),
        ("POST", "/carts"),
        ("GET", "/carts/{cart_id}"),
        ("PATCH", "/carts/{cart_id}"),
        ("DELETE", "/carts/{cart_id}"),
        ("POST", "/carts/{cart_id}/activate"),
        ("POST", "/carts/{cart_id}/items"),
        ("PATCH", "/carts/{cart_id}/items/{item_id}"),
        ("DELETE", "/carts/{cart_id}/items/{item_id}"),
    } <= operations


def test_every_error_response_is_documented_as_problem_json():
    schema = ApiClient().client.get(f"{API}/openapi.json").json()
    for methods in schema["paths"].values():
        for operation in methods.values():
            for status, response in operation["responses"].items():
                if int(status) >= 400:
                    assert list(response["content"]) == ["application/problem+json"]


def test_the_docs_load_only_same_origin_assets():
    client = ApiClient().client
    response = client.get(f"{API}/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets
    for asset in assets:
        assert asset.startswith("/"), asset
        assert not asset.startswith("//"), asset
        served = client.get(asset)
        assert served.status_code == 200, asset
        served.close()  # a file response: close it, or the file handle leaks
    assert '"validatorUrl": null' in html  # Swagger UI would call validator.swagger.io


def test_the_event_streams_are_documented_as_text_event_stream():
    schema = ApiClient().client.get(f"{API}/openapi.json").json()
    for path in (f"{API}/carts/{{cart_id}}/events", f"{API}/shared/{{token}}/events"):
        operation = schema["paths"][path]["get"]
        answer = operation["responses"]["200"]
        assert list(answer["content"]) == ["text/event-stream"]
        assert "cart.changed" in answer["description"]
        assert "Last-Event-ID" in {parameter["name"] for parameter in operation["parameters"]}
    shared = schema["paths"][f"{API}/shared/{{token}}/events"]["get"]
    assert "link.revoked" in shared["responses"]["200"]["description"]
    assert "410" in shared["responses"] and shared["security"] == []
