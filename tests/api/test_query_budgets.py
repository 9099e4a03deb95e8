"""Reads without back and forth: the API's hottest writes and the link paths load, check and
serialise once. Counted as production runs them: the test's own savepoints are left out, the
token has been used once already (its `last_used_at` is written at most once a minute), and
share-link open counts, which production buffers off the request
(`CARTSHARE_LINK_STATS_FLUSH_SECONDS`), are not counted."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cartshare.carts.models import CartItem
from tests.api.client import client_for

pytestmark = pytest.mark.django_db

NOT_COUNTED = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")


def counted(call) -> tuple[list[str], object]:
    with CaptureQueriesContext(connection) as queries:
        response = call()
    statements = [
        query["sql"]
        for query in queries.captured_queries
        if not query["sql"].startswith(NOT_COUNTED) and "sharelinkstats" not in query["sql"]
    ]
    return statements, response


def warm(customer):
    client = client_for(customer)
    assert client.get("/me").status_code == 200
    return client


def test_patch_cart_reads_the_cart_once_and_writes_its_row_once(world):
    client = warm(world.alice)
    statements, response = counted(
        lambda: client.patch(f"/carts/{world.trade_fair.pk}", {"name": "Fair", "note": "Hall 3"})
    )
    assert response.status_code == 200, response.content
    assert (response.json()["name"], response.json()["note"]) == ("Fair", "Hall 3")
    assert response.json()["version"] == world.trade_fair.version + 1
    assert len(response.json()["items"]) == 2
    assert len(statements) <= 8, statements
    cart_updates = [sql for sql in statements if sql.startswith('UPDATE "carts_cart"')]
    assert len(cart_updates) == 1


def test_opening_an_internal_link_as_a_colleague_runs_at_most_five_queries(world):
    _, _, token = world.share_link(world.trade_fair, "FULL_ACCESS")
    client = warm(world.frank)
    statements, response = counted(lambda: client.get(f"/shared/{token}"))
    assert response.status_code == 200, response.content
    assert response.json()["cart"]["access"] == "FULL_ACCESS"
    assert len(statements) <= 5, statements


def test_accepting_an_internal_link_resolves_the_token_once(world):
    _, _, token = world.share_link(world.trade_fair, "FULL_ACCESS")
    client = warm(world.frank)
    statements, response = counted(lambda: client.post(f"/shared/{token}/accept"))
    assert response.status_code == 200, response.content
    assert response.json()["permission"] == "FULL_ACCESS"
    assert len(response.json()["cart"]["items"]) == 2
    assert len([sql for sql in statements if '"sharing_sharelink"' in sql]) == 1
    assert len(statements) <= 10, statements


def item_reads(statements: list[str]) -> list[str]:
    table = CartItem._meta.db_table
    return [sql for sql in statements if f'"{table}"' in sql or f"`{table}`" in sql]


@pytest.mark.parametrize("path", ["/carts/{cart}/comments", "/carts/{cart}/activity"])
def test_reads_that_show_no_items_do_not_load_them(world, path):
    client = warm(world.alice)
    statements, response = counted(lambda: client.get(path.format(cart=world.trade_fair.pk)))
    assert response.status_code == 200
    assert item_reads(statements) == []


def test_a_cart_reads_its_items_as_plain_lines_in_one_query(world):
    cart = world.trade_fair
    client = warm(world.alice)
    statements, response = counted(lambda: client.get(f"/carts/{cart.pk}"))
    assert response.status_code == 200
    assert [item["sku"] for item in response.json()["items"]] == [
        item.product.sku for item in cart.items.select_related("product").order_by("id")
    ]
    (read,) = item_reads(statements)
    assert "INNER JOIN" in read and " * " in read  # cart_lines: the line totals come from SQL
