"""The REST API as the tests call it: a JSON client with an optional bearer token, and the
check every problem+json answer must pass."""

from __future__ import annotations

import json

from django.test import Client

from cartshare.accounts.tokens import access_token_create
from cartshare.api.errors import PROBLEM_CODES, problem_type
from cartshare.common.errors import ErrorCode
from tests.factories import PASSWORD

API = "/api/v1"


class ApiClient:
    """Django's test client speaking JSON to /api/v1 with an optional bearer token."""

    def __init__(self, token: str | None = None) -> None:
        self.client = Client()
        self.token = token

    def request(self, method: str, path: str, body=None, headers: dict | None = None, **extra):
        all_headers = dict(headers or {})
        if self.token:
            all_headers.setdefault("Authorization", f"Bearer {self.token}")
        kwargs = {"headers": all_headers, **extra}
        if body is not None:
            kwargs["data"] = body if isinstance(body, str | bytes) else json.dumps(body)
            kwargs["content_type"] = "application/json"
        elif method.upper() in {"POST", "PATCH"}:  # no body at all, as JSON clients send it
            kwargs["data"] = b""
            kwargs["content_type"] = "application/json"
        response = getattr(self.client, method.lower())(API + path, **kwargs)
        check_answer_is_documented(method, API + path, response)
        return response

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, body=None, **kwargs):
        return self.request("POST", path, body, **kwargs)

    def patch(self, path, body=None, **kwargs):
        return self.request("PATCH", path, body, **kwargs)

    def delete(self, path, **kwargs):
        return self.request("DELETE", path, **kwargs)


def token_for(customer) -> str:
    """A fresh access token of `customer`, made as a client gets one (their password)."""
    return access_token_create(email=customer.email, password=PASSWORD, client="tests").raw


def client_for(customer=None) -> ApiClient:
    """A client with `customer`'s token; without one, an anonymous client."""
    return ApiClient(token_for(customer) if customer is not None else None)


def assert_problem(response, status: int) -> dict:
    """The answer is `status` with a complete problem+json body; the body, for more checks."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    body = json.loads(response.content)
    assert {"type", "code", "title", "status", "detail", "errors", "request_id"} <= set(body)
    assert body["status"] == status
    assert body["code"] in PROBLEM_CODES, f"undocumented problem code {body['code']!r}"
    assert body["type"] == problem_type(ErrorCode(body["code"]))
    assert isinstance(body["errors"], dict)
    assert body["detail"]
    return body


def check_answer_is_documented(method: str, path: str, response) -> None:
    """Every answer any API test sees: its status is one the operation declares in the OpenAPI
    document, and a problem carries a documented code. (Methods the document does not have for
    the path, like a PUT answered 405, are left to their own tests.)"""
    from tests.api.openapi import documented_operation

    if response.get("Content-Type", "").startswith("application/problem+json"):
        code = json.loads(response.content).get("code")
        assert code in PROBLEM_CODES, f"{method} {path}: undocumented problem code {code!r}"
    found = documented_operation(method, path)
    if found is None:
        return
    template, operation = found
    declared = {str(status) for status in operation["responses"]}
    assert str(response.status_code) in declared, (
        f"{method} {template} answered {response.status_code}, which its operation does not "
        f"declare (declared: {sorted(declared)}): {response.content[:300]!r}"
    )
