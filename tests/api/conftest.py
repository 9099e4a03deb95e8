"""Fixtures for the API tests: token-carrying clients and a small organisation with one shared
cart, so every kind of caller exists."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache

from cartshare.sharing.links import share_link_get_or_create
from cartshare.sharing.models import SharePermission
from tests.api.client import API, ApiClient, assert_problem, token_for
from tests.factories import (
    BusinessUnitFactory,
    CartFactory,
    CartItemFactory,
    CartShareFactory,
    CompanyUserFactory,
    CustomerFactory,
    ProductFactory,
)

__all__ = ["API", "ApiClient", "assert_problem", "client_for", "token_for"]

# WhiteNoise warns (an error under pytest) when STATIC_ROOT does not exist yet.
Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)

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


def client_for(customer=None) -> ApiClient:
    return ApiClient(token_for(customer) if customer is not None else None)


@pytest.fixture
def anonymous() -> ApiClient:
    return ApiClient()


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
