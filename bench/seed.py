"""Prepares one benchmark database: migrate, seed, count queries. Run by bench/run.py as
`python -m bench.seed OUT.json` with the benchmark's environment (production settings and the
backend's DATABASE_URL); writes what the load generator needs (tokens, ids, e-mails) to OUT.json.

Share links and the API are optional here: before they exist (branches `links`, `api`), their
seeding is skipped and reported, so the benchmark still runs the scenarios that exist.
"""

from __future__ import annotations

import json
import os
import secrets
import sys
import time
from pathlib import Path

SIZES = (10, 100, 1_000)
BENCH_PASSWORD = "bench-pass-1234"  # local, throw-away benchmark database only
OWNER_EMAIL = "owner@bench.example"
COLLEAGUE_EMAIL = "colleague@bench.example"
WRITERS = 8
EDIT_SKUS = 50  # the writers rotate over these so no item reaches the quantity maximum
BASE_URL = "http://127.0.0.1"


def writer_email(number: int) -> str:
    return f"writer{number}@bench.example"


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
    import django

    django.setup()


def _links_module():
    """The link service, or None before the `links` branch is merged."""
    try:
        from cartshare.sharing import link_services as links
        from cartshare.sharing.models import ShareLink  # noqa: F401
    except ImportError:
        return None
    return links if hasattr(links, "share_link_get_or_create") else None


def _routes_exist(path: str) -> bool:
    from django.urls import Resolver404, resolve

    try:
        resolve(path)
    except Resolver404:
        return False
    return True


def seed() -> dict:
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from cartshare.accounts.models import BusinessUnit, Company, CompanyUser, Customer
    from cartshare.carts.models import Cart, CartItem
    from cartshare.catalog.models import Category, Product
    from cartshare.sharing.models import CartShare, SharePermission
    from config.bench import FLOOR_SKU

    started = time.monotonic()
    password = make_password(BENCH_PASSWORD)  # hashed once, shared by every bench user
    with transaction.atomic():
        company = Company.objects.create(name="Bench Corporation")
        unit = BusinessUnit.objects.create(company=company, name="Bench HQ")
        emails = [OWNER_EMAIL, COLLEAGUE_EMAIL, *(writer_email(n) for n in range(1, WRITERS + 1))]
        Customer.objects.bulk_create(
            Customer(email=email, name=email.split("@")[0].title(), password=password)
            for email in emails
        )
        people = {
            customer.email: customer for customer in Customer.objects.filter(email__in=emails)
        }
        CompanyUser.objects.bulk_create(
            CompanyUser(customer=customer, business_unit=unit) for customer in people.values()
        )
        company_users = {
            cu.customer.email: cu
            for cu in CompanyUser.objects.select_related("customer").filter(business_unit=unit)
        }

        category = Category.objects.create(name="Bench supplies", slug="bench-supplies")
        Product.objects.bulk_create(
            [
                Product(sku=FLOOR_SKU, name="Floor product", category=category, unit_price=100),
                *(
                    Product(
                        sku=f"BENCH-{n:05d}",
                        name=f"Bench product {n}",
                        description="Seeded by make bench.",
                        category=category,
                        unit_price=100 + n,
                    )
                    for n in range(1, max(SIZES) + 1)
                ),
            ]
        )
        products = list(Product.objects.filter(sku__startswith="BENCH-0").order_by("sku"))

        owner = people[OWNER_EMAIL]
        carts: dict[int, Cart] = {}
        for size in SIZES:
            cart = Cart.objects.create(owner=owner, name=f"Bench {size} items")
            CartItem.objects.bulk_create(
                CartItem(cart=cart, product=product, quantity=1 + index % 5)
                for index, product in enumerate(products[:size])
            )
            CartShare.objects.create(
                cart=cart,
                company_user=company_users[COLLEAGUE_EMAIL],
                permission=SharePermission.FULL_ACCESS,
            )
            carts[size] = cart
        edit_cart = Cart.objects.create(owner=owner, name="Bench concurrent edits")
        # The active cart is none of the measured pages' carts: the cart page of the active
        # cart reads one query less (its header badge), so the 10/100/1,000 pages compare alike.
        owner.active_cart = edit_cart
        owner.save(update_fields=["active_cart"])
        CartItem.objects.bulk_create(
            CartItem(cart=edit_cart, product=product, quantity=1)
            for product in products[:EDIT_SKUS]
        )
        CartShare.objects.bulk_create(
            CartShare(
                cart=edit_cart,
                company_user=company_users[email],
                permission=SharePermission.FULL_ACCESS,
            )
            for email in emails[1:]
        )

    links = _links_module()
    tokens: dict[str, str] = {}
    links_note = ""
    if links is None:
        links_note = "cartshare.sharing.link_services.share_link_get_or_create not built"
    else:
        for size, cart in carts.items():
            _link, url, _created = links.share_link_get_or_create(
                cart=cart, actor=owner, share_option="PREVIEW", base_url=BASE_URL
            )
            tokens[str(size)] = url.rsplit("/share/", 1)[1]

    sample_token = secrets.token_urlsafe(32)  # shaped like a real token, for the URL resolver
    return {
        "seconds": round(time.monotonic() - started, 2),
        "password": BENCH_PASSWORD,
        "owner": OWNER_EMAIL,
        "colleague": COLLEAGUE_EMAIL,
        "writers": [writer_email(n) for n in range(1, WRITERS + 1)],
        "carts": {str(size): str(cart.pk) for size, cart in carts.items()},
        "edit_cart": str(edit_cart.pk),
        "edit_skus": [product.sku for product in products[:EDIT_SKUS]],
        "tokens": tokens,
        "links_note": links_note,
        "built": {
            "links": links is not None,
            "share_page": _routes_exist(f"/share/{sample_token}"),
            "api_shared": _routes_exist(f"/api/v1/shared/{sample_token}"),
            "api_tokens": _routes_exist("/api/v1/access-tokens"),
            "api_cart": _routes_exist(f"/api/v1/carts/{edit_cart.pk}"),
            "api_items": _routes_exist(f"/api/v1/carts/{edit_cart.pk}/items"),
            "cart_page": _routes_exist(f"/carts/{edit_cart.pk}/"),
        },
    }


def owner_session() -> str:
    """The owner's session cookie (`name=value`), for the owner's cart pages: a real session of
    the production session backend, made by Django's own `login` (the test client's)."""
    from django.conf import settings
    from django.test import Client

    from cartshare.accounts.models import Customer

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(Customer.objects.get(email=OWNER_EMAIL))
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def query_counts(
    tokens: dict[str, str],
    built: dict[str, bool],
    carts: dict[str, str] | None = None,
    session: str = "",
) -> dict[str, dict[str, int]]:
    """Queries per request, measured in this process with Django's test client (the same
    settings as the server): after one warm-up request, so only steady-state queries count.
    The owner's cart pages are counted with the owner's `session` cookie."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")

    def count(path: str, *, cookie: str = "") -> dict[str, int]:
        headers = {"HTTP_COOKIE": cookie} if cookie else {}
        client.get(path, **headers)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path, **headers)
        return {"queries": len(captured), "status": response.status_code}

    counts: dict[str, dict[str, int]] = {"floor": count("/_bench/floor")}
    for size, token in tokens.items():
        if built.get("api_shared"):
            counts[f"api_shared_{size}"] = count(f"/api/v1/shared/{token}")
        if built.get("share_page"):
            counts[f"share_page_{size}"] = count(f"/share/{token}")
    if built.get("cart_page") and session:
        for size, cart_id in (carts or {}).items():
            counts[f"cart_page_{size}"] = count(f"/carts/{cart_id}/", cookie=session)
    return counts


def connection_mode() -> str:
    """How production settings connect to the database: a pool, persistent, or per request."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    pool = database.get("OPTIONS", {}).get("pool")
    if pool:
        size = pool.get("max_size", "?") if isinstance(pool, dict) else "default"
        return f"psycopg pool (max {size} per worker)"
    if database.get("CONN_MAX_AGE"):
        return f"persistent connections (CONN_MAX_AGE={database['CONN_MAX_AGE']})"
    return "a connection per request (CONN_MAX_AGE=0)"


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python -m bench.seed OUT.json", file=sys.stderr)
        return 2
    _setup_django()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)
    data = seed()
    data["owner_session"] = owner_session() if data["built"]["cart_page"] else ""
    data["query_counts"] = query_counts(
        data["tokens"], data["built"], data["carts"], data["owner_session"]
    )
    data["connections"] = connection_mode()
    Path(argv[1]).write_text(json.dumps(data, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
