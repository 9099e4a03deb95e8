"""Fixtures for the API tests: token-carrying clients and a small organisation with one shared
cart, so every kind of caller exists."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client

from cartshare.accounts.tokens import access_token_create
from cartshare.sharing.link_services import share_link_get_or_create
from cartshare.sharing.models import SharePermission
from tests.factories import (
    PASSWORD,
    BusinessUnitFactory,
    CartFactory,
    CartItemFactory,
    CartShareFactory,
    CompanyUserFactory,
    CustomerFactory,
    ProductFactory,
)

# WhiteNoise warns (an error under pytest) when STATIC_ROOT does not exist yet.
Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)

API = "/api/v1"
BASE_URL = "http://testserver"


def pytest_collection_modifyitems(config, items):
    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters and idempotency keys live in the cache: no test sees another's."""
    cache.clear()
    yield
    cache.clear()


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
        return getattr(self.client, method.lower())(API + path, **kwargs)

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, body=None, **kwargs):
        return self.request("POST", path, body, **kwargs)

    def patch(self, path, body=None, **kwargs):
        return self.request("PATCH", path, body, **kwargs)

    def delete(self, path, **kwargs):
        return self.request("DELETE", path, **kwargs)


def token_for(customer) -> str:
    return access_token_create(email=customer.email, password=PASSWORD, client="tests").raw


def client_for(customer=None) -> ApiClient:
    return ApiClient(token_for(customer) if customer is not None else None)


@pytest.fixture
def anonymous() -> ApiClient:
    return ApiClient()


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    body = json.loads(response.content)
    assert {"type", "title", "status", "detail", "errors", "request_id"} <= set(body)
    assert body["status"] == status
    assert isinstance(body["errors"], dict)
    assert body["detail"]
    return body


@dataclass
class World:
    """An owner in a business unit with one cart (one item) shared read-only and full access
    with colleagues, and the people who must not see it."""

    owner: object
    read_only: object
    full_access: object
    other_unit: object
    other_company: object
    b2c: object
    preview_holder: object
    cart: object
    spare_cart: object
    item: object
    product: object

    links: dict = field(default_factory=dict)

    def caller(self, kind: str):
        return None if kind == "anonymous" else getattr(self, kind)

    def link(self, option: str = "PREVIEW"):
        """(link, token): the cart's current link for `option`, made by the owner when first
        asked for. The preview link is the one `preview_holder` holds."""
        if option not in self.links:
            link, url, _ = share_link_get_or_create(
                cart=self.cart, actor=self.owner, share_option=option, base_url=BASE_URL
            )
            self.links[option] = (link, url.rsplit("/", 1)[-1])
        return self.links[option]


@pytest.fixture
def world(db) -> World:
    unit = BusinessUnitFactory()
    owner = CompanyUserFactory(business_unit=unit).customer
    read_only = CompanyUserFactory(business_unit=unit)
    full_access = CompanyUserFactory(business_unit=unit)
    other_unit = CompanyUserFactory(business_unit=BusinessUnitFactory(company=unit.company))
    cart = CartFactory(owner=owner, name="Trade fair")
    spare_cart = CartFactory(owner=owner, name="Spare")
    product = ProductFactory()
    item = CartItemFactory(cart=cart, quantity=2)
    CartShareFactory(cart=cart, company_user=read_only, permission=SharePermission.READ_ONLY)
    CartShareFactory(cart=cart, company_user=full_access, permission=SharePermission.FULL_ACCESS)
    for colleague in (read_only, full_access):
        CartFactory(owner=colleague.customer, name="My cart")
    return World(
        owner=owner,
        read_only=read_only.customer,
        full_access=full_access.customer,
        other_unit=other_unit.customer,
        other_company=CompanyUserFactory().customer,
        b2c=CustomerFactory(),
        preview_holder=CustomerFactory(),
        cart=cart,
        spare_cart=spare_cart,
        item=item,
        product=product,
    )
