"""What every fuzz target shares: Django set up with the test settings on a SQLite database of
its own (migrated once into a template in the var dir, then copied), a small world (an owner, a
colleague, a cart with an item, a preview and an internal link, API tokens), and the one check
every answer must pass: a clear answer (below 500; the API's refusals as problem+json), never an
unhandled exception.

Imported by tests/fuzz/run.py after it has chosen the database (`prepare`); each input runs in
a transaction that is rolled back (`isolated`), so every input meets the same world."""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def var_dir() -> Path:
    path = Path(os.environ.get("CARTSHARE_VAR_DIR", ROOT / "var")) / "fuzz"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _migrations_stamp() -> str:
    """Changes whenever a migration file does: the template is rebuilt then."""
    digest = hashlib.sha256()
    for path in sorted(ROOT.glob("cartshare/*/migrations/*.py")):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:16]


def prepare(name: str) -> None:
    """Point Django at a fresh copy of the migrated template database and set it up."""
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    folder = var_dir()
    template = folder / f"template-{_migrations_stamp()}.sqlite3"
    database = folder / f"{name}-{os.getpid()}.sqlite3"
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    import django

    django.setup()
    if not template.exists():
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)
        call_command("createcachetable", verbosity=0)
        from django.db import connection

        connection.close()
        shutil.copyfile(database, template)
    else:
        shutil.copyfile(template, database)


@dataclass
class World:
    cart_id: str
    item_id: int
    product_sku: str
    link_id: int
    preview_token: str
    internal_token: str
    owner_token: str
    colleague_token: str
    company_user_id: int


def world_build() -> World:
    """The people and things the targets talk about (committed: every input starts here)."""
    from cartshare.accounts.models import BusinessUnit, Company, CompanyUser, Customer
    from cartshare.accounts.tokens import access_token_create
    from cartshare.carts.models import Cart, CartItem
    from cartshare.catalog.models import Category, Product
    from cartshare.sharing.link_services import share_link_get_or_create

    unit = BusinessUnit.objects.create(company=Company.objects.create(name="Fuzz"), name="Unit")
    owner = Customer.objects.create_user("owner@fuzz.example", "fuzz-pass", name="Owner")
    colleague = Customer.objects.create_user("colleague@fuzz.example", "fuzz-pass", name="Col")
    CompanyUser.objects.create(customer=owner, business_unit=unit)
    member = CompanyUser.objects.create(customer=colleague, business_unit=unit)
    category = Category.objects.create(name="Things", slug="things")
    product = Product.objects.create(sku="FUZZ-1", name="Thing", category=category, unit_price=99)
    cart = Cart.objects.create(owner=owner, name="Fuzzed cart")
    Customer.objects.filter(pk=owner.pk).update(active_cart=cart)
    item = CartItem.objects.create(cart=cart, product=product, quantity=2, added_by=owner)
    preview, preview_url, _ = share_link_get_or_create(
        cart=cart, actor=owner, share_option="PREVIEW", base_url="http://testserver"
    )
    _, internal_url, _ = share_link_get_or_create(
        cart=cart, actor=owner, share_option="CONTRIBUTOR", base_url="http://testserver"
    )
    assert preview_url is not None and internal_url is not None
    tokens = [
        access_token_create(email=email, password="fuzz-pass", client="fuzz").raw
        for email in ("owner@fuzz.example", "colleague@fuzz.example")
    ]
    return World(
        cart_id=str(cart.pk),
        item_id=item.pk,
        product_sku=product.sku,
        link_id=preview.pk,
        preview_token=preview_url.rsplit("/", 1)[-1],
        internal_token=internal_url.rsplit("/", 1)[-1],
        owner_token=tokens[0],
        colleague_token=tokens[1],
        company_user_id=member.pk,
    )


@contextmanager
def isolated() -> Iterator[None]:
    """One input's work, rolled back: the next input meets the same world."""
    from django.core.cache import cache
    from django.db import transaction

    with transaction.atomic():
        yield
        transaction.set_rollback(True)
    cache.clear()  # rate-limit counters and the like


class UnclearAnswer(AssertionError):
    """An input was not answered with a clear error: what the fuzzer reports as a crash."""


def ensure_clear(response: object, *, what: str, api: bool) -> None:
    """Below 500; an API refusal is problem+json (API.md, Conventions)."""
    status = getattr(response, "status_code", 0)
    if status >= 500:
        raise UnclearAnswer(f"{what}: {status}")
    if api and status >= 400:
        content_type = response["Content-Type"]  # type: ignore[index]
        if not content_type.startswith("application/problem+json"):
            raise UnclearAnswer(f"{what}: {status} as {content_type}")
