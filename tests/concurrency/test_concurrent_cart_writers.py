"""Several people changing carts at the same moment: no "database is locked", no lost quantity.

Real threads, each with its own database connection, against the configured database: the file
SQLite of config/settings/test.py by default (WAL, BEGIN IMMEDIATE, busy timeout), PostgreSQL when
DATABASE_URL points there (row locks taken by the version compare-and-swap). See
docs/decisions/0002-sqlite-concurrency.md.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection
from django.db.utils import ConnectionHandler

from cartshare.accounts.models import Customer
from cartshare.carts.models import Cart, CartItem
from cartshare.carts.services import cart_create, cart_item_add
from cartshare.common.errors import InvalidInput
from config.settings.base import database_from_url
from tests.factories import CustomerFactory, ProductFactory

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 8
ROUNDS = 10


def run_concurrently(workers: list[Callable[[], object]]) -> tuple[list, list[BaseException]]:
    """Start every worker at the same instant, each in its own thread with its own connection;
    return their results and every exception they raised."""
    barrier = threading.Barrier(len(workers))
    results: list = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def run(worker: Callable[[], object]) -> None:
        try:
            barrier.wait(timeout=30)
            result = worker()
            with lock:
                results.append(result)
        except BaseException as error:  # collected and asserted on by the test thread
            with lock:
                errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(worker,)) for worker in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a writer hung"
    return results, errors


def describe(errors: list[BaseException]) -> str:
    return "; ".join(f"{type(error).__name__}: {error}" for error in errors)


def test_eight_writers_on_one_cart_lose_no_quantity():
    owner = CustomerFactory()
    pen, paper = ProductFactory(), ProductFactory()
    cart_id = cart_create(owner=owner, name="Shared office order").pk

    def add_many(sku: str) -> None:
        actor = Customer.objects.get(pk=owner.pk)
        for _ in range(ROUNDS):
            cart = Cart.objects.get(pk=cart_id)  # a fresh view, as a new request would have
            cart_item_add(cart=cart, actor=actor, sku=sku, quantity=1)

    workers = [lambda sku=(pen.sku if n % 2 else paper.sku): add_many(sku) for n in range(THREADS)]
    _, errors = run_concurrently(workers)

    assert errors == [], describe(errors)
    quantities = dict(
        CartItem.objects.filter(cart_id=cart_id).values_list("product__sku", "quantity")
    )
    assert quantities == {pen.sku: THREADS // 2 * ROUNDS, paper.sku: THREADS // 2 * ROUNDS}
    # Every add bumped the version exactly once: no compare-and-swap was lost either.
    assert Cart.objects.get(pk=cart_id).version == 1 + THREADS * ROUNDS


def test_writers_on_different_carts_and_new_carts_do_not_lock_each_other_out():
    """Eight threads at once: three add to one shared cart, three add to carts of their own,
    two create new carts."""
    products = [ProductFactory() for _ in range(3)]
    team_owner = CustomerFactory()
    team_cart_id = cart_create(owner=team_owner, name="Team cart").pk
    solo_owners = [CustomerFactory() for _ in range(3)]
    solo_cart_ids = [cart_create(owner=o, name="Own cart").pk for o in solo_owners]
    creators = [CustomerFactory() for _ in range(2)]

    def add_to(cart_id, owner_pk: int, quantity: int) -> Callable[[], None]:
        def work() -> None:
            actor = Customer.objects.get(pk=owner_pk)
            for round_number in range(ROUNDS):
                cart = Cart.objects.get(pk=cart_id)
                sku = products[round_number % len(products)].sku
                cart_item_add(cart=cart, actor=actor, sku=sku, quantity=quantity)

        return work

    def create_carts(owner_pk: int) -> Callable[[], None]:
        def work() -> None:
            owner = Customer.objects.get(pk=owner_pk)
            for round_number in range(ROUNDS):
                cart_create(owner=owner, name=f"Project {round_number}")

        return work

    workers = [add_to(team_cart_id, team_owner.pk, 1) for _ in range(3)]
    workers += [
        add_to(cart_id, o.pk, 2) for cart_id, o in zip(solo_cart_ids, solo_owners, strict=True)
    ]
    workers += [create_carts(creator.pk) for creator in creators]
    assert len(workers) == THREADS
    _, errors = run_concurrently(workers)

    assert errors == [], describe(errors)
    # ROUNDS adds per thread cycle through the products: 4, 3 and 3 adds of each.
    adds = {p.pk: len(range(n, ROUNDS, len(products))) for n, p in enumerate(products)}
    team = dict(CartItem.objects.filter(cart_id=team_cart_id).values_list("product", "quantity"))
    assert team == {pk: 3 * count for pk, count in adds.items()}
    for cart_id in solo_cart_ids:
        solo = dict(CartItem.objects.filter(cart_id=cart_id).values_list("product", "quantity"))
        assert solo == {pk: 2 * count for pk, count in adds.items()}
    for creator in creators:
        names = set(Cart.objects.filter(owner=creator).values_list("name", flat=True))
        assert names == {f"Project {n}" for n in range(ROUNDS)}
        creator.refresh_from_db()
        assert creator.active_cart_id is not None


def test_two_people_creating_the_same_cart_name_at_once_get_one_cart_and_one_clear_message():
    owner = CustomerFactory()

    def create() -> Cart:
        return cart_create(owner=Customer.objects.get(pk=owner.pk), name="Trade fair")

    results, errors = run_concurrently([create for _ in range(THREADS)])

    assert len(results) == 1
    assert len(errors) == THREADS - 1
    assert all(isinstance(error, InvalidInput) for error in errors), describe(errors)
    assert "already have a cart named" in errors[0].message
    assert list(Cart.objects.filter(owner=owner).values_list("name", flat=True)) == ["Trade fair"]


def test_sqlite_connections_use_wal_and_wait_for_the_write_lock(tmp_path):
    """What the settings make of a SQLite URL, on a database of its own: this holds whatever
    database the suite runs on."""
    config = database_from_url(f"sqlite:///{tmp_path / 'probe.sqlite3'}")
    handler = ConnectionHandler({"default": config})
    probe = handler["default"]
    try:
        with probe.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
            cursor.execute("PRAGMA busy_timeout")
            assert cursor.fetchone()[0] >= 5_000
            cursor.execute("PRAGMA foreign_keys")
            assert cursor.fetchone()[0] == 1
        assert probe.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    finally:
        handler.close_all()


@pytest.mark.postgres
def test_postgres_marker_runs_only_on_postgresql():
    assert connection.vendor == "postgresql"
