"""The database side of `make chaos`, run in its own interpreter with the stack's environment
(production settings, the chaos PostgreSQL instance):

    python -m chaos.database seed OUT.json       # people, products, preview links
    python -m chaos.database verify LEDGER.json  # the acknowledged writes against the rows

`verify` prints a JSON object: the counts the report shows (lost, phantom, half written) and
the first few mismatches of each kind."""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections import Counter, defaultdict
from pathlib import Path

PASSWORD = "chaos-pass-1234"  # a throw-away database that lives for one run
USERS = 6
PRODUCTS = 40
SHOWCASES = 3
BASE_URL = "http://127.0.0.1"
DOMAIN = "chaos.example"


def user_email(number: int) -> str:
    return f"user{number}@{DOMAIN}"


LOCK_EMAIL = f"locked@{DOMAIN}"  # the statement-timeout probe's customer
COLLEAGUE_EMAIL = f"colleague@{DOMAIN}"  # every new cart is shared with them: mail to deliver
SHOWCASE_EMAIL = f"showcase@{DOMAIN}"


def seed() -> dict:
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from cartshare.accounts.models import BusinessUnit, Company, CompanyUser, Customer
    from cartshare.carts.models import Cart, CartItem
    from cartshare.catalog.models import Category, Product
    from cartshare.sharing.link_services import share_link_get_or_create

    password = make_password(PASSWORD)
    emails = [
        *(user_email(n) for n in range(1, USERS + 1)),
        LOCK_EMAIL,
        SHOWCASE_EMAIL,
        COLLEAGUE_EMAIL,
    ]
    with transaction.atomic():
        company = Company.objects.create(name="Chaos Corporation")
        unit = BusinessUnit.objects.create(company=company, name="Chaos HQ")
        people = {
            email: Customer.objects.create(email=email, name=email.split("@")[0], password=password)
            for email in emails
        }
        company_users = {
            email: CompanyUser.objects.create(customer=customer, business_unit=unit)
            for email, customer in people.items()
        }
        category = Category.objects.create(name="Chaos supplies", slug="chaos-supplies")
        products = Product.objects.bulk_create(
            Product(
                sku=f"CHAOS-{n:03d}",
                name=f"Chaos product {n}",
                category=category,
                unit_price=100 + n,
            )
            for n in range(1, PRODUCTS + 1)
        )
        # Every customer has a spare cart, open and empty: after a checkout it becomes their
        # active cart, so a checkout never creates a cart of its own ("My cart") and every
        # cart in the database is either seeded here or an acknowledged POST /carts.
        for customer in people.values():
            spare = Cart.objects.create(owner=customer, name="Spare")
            customer.active_cart = spare
            customer.save(update_fields=["active_cart"])
        locked = Cart.objects.create(owner=people[LOCK_EMAIL], name="Locked by chaos")
        CartItem.objects.create(cart=locked, product=products[0], quantity=1)
    tokens = []
    showcase = people[SHOWCASE_EMAIL]
    for number in range(1, SHOWCASES + 1):
        cart = Cart.objects.create(owner=showcase, name=f"Showcase {number}")
        CartItem.objects.bulk_create(
            CartItem(cart=cart, product=product, quantity=1 + index % 3)
            for index, product in enumerate(products[: 5 * number])
        )
        _link, url, _created = share_link_get_or_create(
            cart=cart, actor=showcase, share_option="PREVIEW", base_url=BASE_URL
        )
        tokens.append(url.rsplit("/share/", 1)[1])
    return {
        "password": PASSWORD,
        "users": [user_email(n) for n in range(1, USERS + 1)],
        "lock_user": LOCK_EMAIL,
        "lock_cart": str(locked.pk),
        "colleague": company_users[COLLEAGUE_EMAIL].pk,
        "skus": [product.sku for product in products],
        "tokens": tokens,
        "seeded_carts": sorted(str(pk) for pk in Cart.objects.values_list("pk", flat=True)),
        "seeded_items": seeded_items(),
    }


def seeded_items() -> dict[str, dict[str, int]]:
    from cartshare.carts.models import CartItem

    items: dict[str, dict[str, int]] = defaultdict(dict)
    for cart_id, sku, quantity in CartItem.objects.values_list(
        "cart_id", "product__sku", "quantity"
    ):
        items[str(cart_id)][sku] = quantity
    return dict(items)


def verify(ledger: dict) -> dict:
    """Every acknowledged write is in the database, nothing else is, nothing is half written."""
    from django.db.models import Sum

    from cartshare.accounts.models import Customer, IdempotentRequest
    from cartshare.carts.models import Cart, CartItem, CartStatus
    from cartshare.orders.models import Order, OrderLine
    from cartshare.sharing.models import CartShare

    acked = ledger["acked"]
    seeded = set(ledger["seed"]["seeded_carts"])
    created = {write["cart_id"] for write in acked if write["op"] == "create_cart"}
    shares = {write["cart_id"] for write in acked if write["op"] == "share_cart"}
    adds: dict[str, Counter[str]] = defaultdict(Counter)
    checkouts: dict[str, list[int]] = defaultdict(list)
    for write in acked:
        if write["op"] == "add_item":
            adds[write["cart_id"]][write["sku"]] += write["quantity"]
        elif write["op"] == "checkout":
            checkouts[write["cart_id"]].append(write["order_id"])

    problems: dict[str, list[str]] = defaultdict(list)
    counts: Counter[str] = Counter()

    def found(kind: str, what: str, amount: int = 1) -> None:
        counts[kind] += amount
        if len(problems[kind]) < 10:
            problems[kind].append(what)

    chaos_people = Customer.objects.filter(email__endswith=f"@{DOMAIN}")
    in_database = {
        str(pk) for pk in Cart.objects.filter(owner__in=chaos_people).values_list("pk", flat=True)
    }
    for cart_id in sorted(created - in_database):
        found("lost", f"acknowledged cart {cart_id} is missing")
    for cart_id in sorted(in_database - created - seeded):
        found("phantom", f"cart {cart_id} was never acknowledged")

    granted = {
        str(cart_id)
        for cart_id in CartShare.objects.filter(cart__owner__in=chaos_people).values_list(
            "cart_id", flat=True
        )
    }
    for cart_id in sorted(shares - granted):
        found("lost", f"acknowledged share of cart {cart_id} is missing")
    for cart_id in sorted(granted - shares):
        found("phantom", f"cart {cart_id} is shared, never acknowledged")

    rows: dict[str, Counter[str]] = defaultdict(Counter)
    for cart_id, sku, quantity in CartItem.objects.filter(cart__owner__in=chaos_people).values_list(
        "cart_id", "product__sku", "quantity"
    ):
        rows[str(cart_id)][sku] = quantity
    seeded_rows = {
        cart_id: Counter(items) for cart_id, items in ledger["seed"]["seeded_items"].items()
    }
    for cart_id in sorted(set(rows) | set(adds)):
        expected = adds.get(cart_id, Counter()) + seeded_rows.get(cart_id, Counter())
        actual = rows.get(cart_id, Counter())
        for sku in sorted(set(expected) | set(actual)):
            if actual[sku] < expected[sku]:
                found(
                    "lost",
                    f"{cart_id} {sku}: {actual[sku]} of {expected[sku]} acknowledged",
                    expected[sku] - actual[sku],
                )
            elif actual[sku] > expected[sku]:
                found(
                    "phantom",
                    f"{cart_id} {sku}: {actual[sku]}, acknowledged {expected[sku]}",
                    actual[sku] - expected[sku],
                )

    orders = list(Order.objects.filter(owner__in=chaos_people))
    by_cart: dict[str, list[Order]] = defaultdict(list)
    for order in orders:
        by_cart[str(order.cart_uuid)].append(order)
    for cart_id in sorted(set(by_cart) | set(checkouts)):
        acknowledged, placed = checkouts.get(cart_id, []), by_cart.get(cart_id, [])
        if len(set(acknowledged)) > 1:
            found("phantom", f"cart {cart_id}: two checkouts acknowledged {acknowledged}")
        if acknowledged and not placed:
            found("lost", f"cart {cart_id}: acknowledged order {acknowledged[0]} is missing")
        elif acknowledged and [order.pk for order in placed] != acknowledged[:1]:
            found(
                "phantom",
                f"cart {cart_id}: orders {[o.pk for o in placed]}, acknowledged {acknowledged}",
            )
        elif placed and not acknowledged:
            found("phantom", f"cart {cart_id}: order {placed[0].pk} never acknowledged")
    statuses = dict(Cart.objects.filter(owner__in=chaos_people).values_list("pk", "status"))
    for cart_pk, status in statuses.items():
        ordered = str(cart_pk) in checkouts
        if (status == CartStatus.ORDERED) != ordered:
            found("half_written", f"cart {cart_pk} is {status}, ordered acknowledged: {ordered}")
    for order in orders:
        lines = list(OrderLine.objects.filter(order=order))
        expected = adds.get(str(order.cart_uuid), Counter())
        if Counter({line.sku: line.quantity for line in lines}) != expected:
            found("half_written", f"order {order.pk}: lines differ from the acknowledged adds")
        if (
            not lines
            or order.item_count != len(lines)
            or order.quantity != sum(line.quantity for line in lines)
            or order.subtotal != sum(line.total_price for line in lines)
        ):
            found("half_written", f"order {order.pk}: totals do not match its lines")
        if str(order.cart_uuid) in rows and rows[str(order.cart_uuid)] != expected:
            found("half_written", f"order {order.pk}: its cart changed after the order")

    # Every key that is stored was acknowledged, every acknowledged key is stored: a key row
    # without its answer, or work without its key, would show here.
    keys = {hashlib.sha256(write["key"].encode()).hexdigest() for write in acked}
    stored = set(
        IdempotentRequest.objects.filter(customer__in=chaos_people).values_list(
            "key_hash", flat=True
        )
    )
    for key_hash in sorted(keys - stored):
        found("lost", f"acknowledged Idempotency-Key {key_hash[:12]}… is not stored")
    for key_hash in sorted(stored - keys):
        found("phantom", f"Idempotency-Key {key_hash[:12]}… stored but never acknowledged")
    unanswered = IdempotentRequest.objects.filter(customer__in=chaos_people, status_code=None)
    if unanswered.exists():
        found("half_written", f"{unanswered.count()} keys stored without an answer")

    return {
        "lost": counts["lost"],
        "phantom": counts["phantom"],
        "half_written": counts["half_written"],
        "problems": dict(problems),
        "database": {
            "carts": len(in_database),
            "items": CartItem.objects.filter(cart__owner__in=chaos_people).count(),
            "quantity": CartItem.objects.filter(cart__owner__in=chaos_people).aggregate(
                total=Sum("quantity")
            )["total"],
            "orders": len(orders),
            "shares": len(granted),
            "keys": len(stored),
        },
        "mail": mail_state(),
    }


def mail_state() -> dict[str, int]:
    from django.db.models import Count

    from cartshare.notifications.models import Mail

    return dict(Mail.objects.values_list("status").annotate(n=Count("pk")).order_by())


def main(argv: list[str]) -> int:
    if len(argv) != 3 or argv[1] not in ("seed", "verify", "mail"):
        print("usage: python -m chaos.database seed OUT.json | verify LEDGER.json", file=sys.stderr)
        return 2
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
    import django

    django.setup()
    path = Path(argv[2])
    if argv[1] == "seed":
        path.write_text(json.dumps(seed(), indent=2))
    elif argv[1] == "mail":
        print(json.dumps(mail_state()))
    else:
        print(json.dumps(verify(json.loads(path.read_text())), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
