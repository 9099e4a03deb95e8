"""While the database cannot be reached, pages answer a 503 page in the shop's look and the API
a 503 problem+json, both with `Retry-After` and without a stack trace; wherever the failure
meets the request (a view, the login check, a rate limit's database cache, the API's token
lookup). Other database errors stay 500s. On SQLite and on PostgreSQL (tests/faults/unreachable.py
makes each backend fail its own way)."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test import Client

from cartshare.common.database import RETRY_AFTER_SECONDS
from tests.api.client import assert_problem
from tests.faults.unreachable import database_unreachable

pytestmark = pytest.mark.django_db(transaction=True)

SHOP_LOOK = "Cart<span>share</span>"  # the header's brand, from storefront/base.html
STYLESHEET = "storefront/shop.css"


def assert_unavailable_page(response) -> str:
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert response["Content-Type"].startswith("text/html")
    assert response["Cache-Control"] == "no-store"
    page = response.content.decode()
    assert SHOP_LOOK in page
    assert STYLESHEET in page
    assert "try again" in page.lower()
    assert "Traceback" not in page
    assert "OperationalError" not in page
    return page


def assert_unavailable_problem(response) -> dict:
    body = assert_problem(response, 503)
    assert body["type"] == "urn:cartshare:problem:service_unavailable"
    assert body["title"] == "Service unavailable"
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert response["Cache-Control"] == "no-store"
    assert "Traceback" not in response.content.decode()
    return body


def test_the_catalog_answers_503_in_the_shops_look(world):
    client = Client()
    assert client.get("/").status_code == 200
    with database_unreachable():
        response = client.get("/")
    page = assert_unavailable_page(response)
    assert 'href="/"' in page  # "Try again" repeats the request


def test_a_logged_in_customers_page_answers_503_without_looking_the_session_up(world):
    client = world.logged_in_client(world.alice)
    assert client.get("/carts/").status_code == 200
    with database_unreachable():
        response = client.get("/carts/")
    page = assert_unavailable_page(response)
    assert world.alice.name not in page  # nobody is looked up: the page names no one
    assert "Log out" not in page


def test_a_form_post_answers_503_and_offers_the_shop_not_the_post(world):
    client = world.logged_in_client(world.alice)
    with database_unreachable():
        response = client.post("/cart/add/", {"sku": "LAMP-1", "quantity": "1"})
    page = assert_unavailable_page(response)
    assert 'href="/"' in page
    assert world.trade_fair.items.count() == 2  # nothing was added


def test_a_share_link_whose_rate_limit_lives_in_the_database_answers_503(
    world, database_cache, settings
):
    """The database cache is read by ShareLinkMiddleware, before any view: the failure is met
    in a middleware and reaches Django's 500 handler (config/outage.py)."""
    settings.CARTSHARE_SHARE_RATE_LIMIT = "60/m"
    token = world.link(world.trade_fair)
    client = Client(raise_request_exception=False)
    assert client.get(f"/share/{token}").status_code == 200
    with database_unreachable():
        page_response = client.get(f"/share/{token}")
        api_response = client.get(f"/api/v1/shared/{token}")
    assert_unavailable_page(page_response)
    assert_unavailable_problem(api_response)
    for response in (page_response, api_response):
        assert response["Referrer-Policy"] == "no-referrer"  # the address holds the token
        assert response["X-Robots-Tag"] == "noindex"


def test_the_api_answers_503_problem_json(world):
    api = world.api_client(world.alice)
    assert api.get("/carts").status_code == 200
    with database_unreachable():
        anonymous = Client().get("/api/v1/products")
        authenticated = api.get("/carts")  # the token lookup itself needs the database
        write = api.post("/carts", {"name": "Never made"})
    for response in (anonymous, authenticated, write):
        assert_unavailable_problem(response)
        assert response["X-Request-ID"]
    assert not world.alice.carts.filter(name="Never made").exists()


def test_healthz_answers_and_readyz_refuses_while_the_database_is_unreachable(world, settings):
    settings.REDIS_URL = ""  # no Redis configured: the database is the one check
    client = Client()
    with database_unreachable():
        health = client.get("/healthz")
        ready = client.get("/readyz")
    assert health.status_code == 200
    assert json.loads(health.content) == {"status": "ok"}
    assert ready.status_code == 503
    assert json.loads(ready.content) == {
        "status": "unavailable",
        "checks": {"database": "unavailable"},
    }
    assert client.get("/readyz").status_code == 200  # and ready again once it answers


def test_service_resumes_on_the_next_request_once_the_database_answers(world):
    client = world.logged_in_client(world.alice)
    with database_unreachable():
        assert client.get("/carts/").status_code == 503
    assert client.get("/carts/").status_code == 200
    assert world.api_client(world.alice).get("/carts").status_code == 200


BAD_SQL = "SELECT no_such_column FROM no_such_table"


def broken_query(*args, **kwargs):
    """A programming error: SQLite reports it as an OperationalError, PostgreSQL as a
    ProgrammingError. Neither is the database being unavailable."""
    with connection.cursor() as cursor:
        cursor.execute(BAD_SQL)


def test_a_programming_error_in_a_page_stays_a_500(world, monkeypatch):
    monkeypatch.setattr("cartshare.storefront.views.catalog.categories_list", broken_query)
    response = Client(raise_request_exception=False).get("/")
    assert response.status_code == 500
    assert not response.has_header("Retry-After")


def test_a_programming_error_in_the_api_stays_a_500(world, monkeypatch):
    monkeypatch.setattr("cartshare.api.routers.catalog.products_list", broken_query)
    response = Client(raise_request_exception=False).get("/api/v1/products")
    assert_problem(response, 500)
    assert not response.has_header("Retry-After")
