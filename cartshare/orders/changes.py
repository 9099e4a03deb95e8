"""What changed in a cart between the lines a person confirmed and its current lines: shown when
checkout refuses a stale cart, so they see why before they confirm again."""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.utils.translation import gettext as _

from cartshare.carts.models import CartItem
from cartshare.common.locales import number_format


@dataclass(frozen=True)
class SeenLine:
    sku: str
    name: str
    quantity: int
    unit_price: int


@dataclass(frozen=True)
class LineChange:
    sku: str
    name: str
    kind: str  # "added", "removed", "quantity", "price"
    before_quantity: int | None
    after_quantity: int | None
    before_price: int | None
    after_price: int | None

    @property
    def description(self) -> str:
        if self.kind == "added":
            return _("added: %(quantity)s × %(product)s") % {  # noqa: RUF001
                "quantity": number_format(self.after_quantity or 0),
                "product": self.name,
            }
        if self.kind == "removed":
            return _("removed: %(product)s (you had %(quantity)s)") % {
                "product": self.name,
                "quantity": number_format(self.before_quantity or 0),
            }
        if self.kind == "quantity":
            return _("%(product)s: quantity %(old)s → %(new)s") % {
                "product": self.name,
                "old": number_format(self.before_quantity or 0),
                "new": number_format(self.after_quantity or 0),
            }
        return _("%(product)s: the price changed") % {"product": self.name}


def seen_lines_dump(items: list[CartItem]) -> str:
    """The lines as the person sees them, for a hidden form field."""
    return json.dumps(
        [[item.product.sku, item.product.name, item.quantity, item.unit_price] for item in items],
        separators=(",", ":"),
    )


def seen_lines_load(value: object) -> list[SeenLine] | None:
    """Parse what seen_lines_dump wrote; None when it is missing or was tampered with."""
    if not isinstance(value, str) or not value or len(value) > 500_000:
        return None
    try:
        rows = json.loads(value)
        return [
            SeenLine(sku=str(sku), name=str(name), quantity=int(quantity), unit_price=int(price))
            for sku, name, quantity, price in rows
        ]
    except (ValueError, TypeError):
        return None


def cart_lines_compare(seen: list[SeenLine], current: list[CartItem]) -> list[LineChange]:
    """Changes from `seen` to `current`, in the order of the current cart, removals last."""
    before = {line.sku: line for line in seen}
    changes: list[LineChange] = []
    current_skus = set()
    for item in current:
        sku = item.product.sku
        current_skus.add(sku)
        old = before.get(sku)
        if old is None:
            kind = "added"
        elif old.quantity != item.quantity:
            kind = "quantity"
        elif old.unit_price != item.unit_price:
            kind = "price"
        else:
            continue
        changes.append(
            LineChange(
                sku=sku,
                name=item.product.name,
                kind=kind,
                before_quantity=old.quantity if old else None,
                after_quantity=item.quantity,
                before_price=old.unit_price if old else None,
                after_price=item.unit_price,
            )
        )
    for line in seen:
        if line.sku not in current_skus:
            changes.append(
                LineChange(
                    sku=line.sku,
                    name=line.name,
                    kind="removed",
                    before_quantity=line.quantity,
                    after_quantity=None,
                    before_price=line.unit_price,
                    after_price=None,
                )
            )
    return changes
