"""Changing carts (spec §2, §8). Every write is atomic, checks the policy, bumps the version by
compare-and-swap, and records what it did in the activity log."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from cartshare.activity.services import Verb, activity_record
from cartshare.carts.models import (
    MAX_DISTINCT_ITEMS,
    MAX_NAME_LENGTH,
    MAX_NOTE_LENGTH,
    MAX_QUANTITY,
    Cart,
    CartItem,
    CartStatus,
)
from cartshare.catalog.models import Product
from cartshare.common.errors import Conflict, InvalidInput, NotFound, StaleVersion
from cartshare.common.text import LINE_BREAKS_AND_TABS, control_characters_in
from cartshare.sharing.policies import CartAction, ensure_can

QUANTITY_MESSAGE = f"Quantity must be a whole number from 1 to {MAX_QUANTITY:,}."


def quantity_parse(value: object) -> int:
    """Accept ints and digit strings from forms and JSON; refuse anything else with one message."""
    if isinstance(value, bool):
        raise InvalidInput(QUANTITY_MESSAGE, errors={"quantity": [QUANTITY_MESSAGE]})
    if isinstance(value, str):
        value = value.strip()
        if not value.isdecimal():
            raise InvalidInput(QUANTITY_MESSAGE, errors={"quantity": [QUANTITY_MESSAGE]})
        value = int(value)
    if not isinstance(value, int) or not 1 <= value <= MAX_QUANTITY:
        raise InvalidInput(QUANTITY_MESSAGE, errors={"quantity": [QUANTITY_MESSAGE]})
    return value


def cart_name_clean(name: object) -> str:
    """1 to 100 characters after trimming, on one line: no control characters (tabs and line
    breaks included), which would break every list and header that shows the name."""
    cleaned = name.strip() if isinstance(name, str) else ""
    if not 1 <= len(cleaned) <= MAX_NAME_LENGTH:
        message = f"A cart name must have 1 to {MAX_NAME_LENGTH} characters."
        raise InvalidInput(message, errors={"name": [message]})
    if found := control_characters_in(cleaned):
        message = (
            "A cart name must be one line of text without control characters "
            f"(found: {', '.join(found)}). Remove them and try again."
        )
        raise InvalidInput(message, errors={"name": [message]})
    return cleaned


def cart_note_clean(note: object) -> str:
    """At most 5,000 characters; line breaks (stored as \\n) and tabs are fine, other control
    characters are refused."""
    cleaned = note.replace("\r\n", "\n").replace("\r", "\n") if isinstance(note, str) else ""
    cleaned = cleaned.strip()
    if len(cleaned) > MAX_NOTE_LENGTH:
        message = f"The note can have at most {MAX_NOTE_LENGTH:,} characters."
        raise InvalidInput(message, errors={"note": [message]})
    if found := control_characters_in(cleaned, allowed=LINE_BREAKS_AND_TABS):
        message = (
            "The note can hold line breaks and tabs but no other control characters "
            f"(found: {', '.join(found)}). Remove them and try again."
        )
        raise InvalidInput(message, errors={"note": [message]})
    return cleaned


def _name_taken(owner, name: str) -> InvalidInput:
    message = f"You already have a cart named “{name}”. Choose another name."
    return InvalidInput(message, errors={"name": [message]})


def cart_touch(*, cart: Cart, expected_version: int | None = None) -> None:
    """Compare-and-swap the version: the first write of every cart change. On PostgreSQL the
    UPDATE also locks the cart row, so concurrent changes to one cart run one after another."""
    rows = Cart.objects.filter(pk=cart.pk, status=CartStatus.OPEN)
    if expected_version is not None:
        rows = rows.filter(version=expected_version)
    if rows.update(version=F("version") + 1, updated_at=timezone.now()) == 0:
        raise _refusal(cart)
    cart.refresh_from_db(fields=["version", "updated_at", "status"])


def _refusal(cart: Cart) -> NotFound | Conflict | StaleVersion:
    """Why a change to `cart` matched no row: deleted, ordered, or based on another version."""
    current = Cart.objects.filter(pk=cart.pk).values("status", "version").first()
    if current is None:
        return NotFound("This cart does not exist any more.")
    if current["status"] == CartStatus.ORDERED:
        return Conflict("This cart has been ordered and can no longer be changed.")
    return StaleVersion(
        "This cart was changed by someone else since you loaded it. "
        "Look at its current contents and try again.",
        current_version=current["version"],
    )


def cart_version_check(*, cart: Cart, expected_version: int | None) -> None:
    """For a request that changes nothing: StaleVersion (or Conflict, NotFound) exactly where
    `cart_touch` would refuse it, without bumping the version."""
    rows = Cart.objects.filter(pk=cart.pk, status=CartStatus.OPEN)
    if expected_version is not None:
        rows = rows.filter(version=expected_version)
    if not rows.exists():
        raise _refusal(cart)
    cart.refresh_from_db(fields=["version", "updated_at", "status"])


@transaction.atomic
def cart_create(*, owner, name: str, note: str = "", activate: bool = False) -> Cart:
    name = cart_name_clean(name)
    if Cart.objects.filter(owner=owner, name=name).exists():
        raise _name_taken(owner, name)
    try:
        with transaction.atomic():
            cart = Cart.objects.create(owner=owner, name=name, note=cart_note_clean(note))
    except IntegrityError as error:
        raise _name_taken(owner, name) from error
    activity_record(cart=cart, actor=owner, verb=Verb.CART_CREATED, name=name)
    if activate or owner.active_cart_id is None:
        cart_activate(actor=owner, cart=cart)
    return cart


@transaction.atomic
def cart_update(
    *,
    cart: Cart,
    actor,
    name: str | None = None,
    note: str | None = None,
    expected_version: int | None = None,
) -> Cart:
    """Rename and/or change the note (owner and full access). A change that changes nothing
    (no fields, or the values the cart has) leaves the version as it is, so other clients'
    `If-Match` stays valid; a stale `expected_version` is refused all the same."""
    ensure_can(actor, CartAction.EDIT, cart)
    new_name = cart_name_clean(name) if name is not None else None
    new_note = cart_note_clean(note) if note is not None else None
    # Compared with what the cart holds now (row locked on PostgreSQL), not with an older read.
    current = Cart.objects.select_for_update().filter(pk=cart.pk).values("name", "note").first()
    if current is None:
        raise NotFound("This cart does not exist any more.")
    cart.name, cart.note = current["name"], current["note"]
    new_name = cart.name if new_name is None else new_name
    new_note = cart.note if new_note is None else new_note
    if (new_name, new_note) == (cart.name, cart.note):
        cart_version_check(cart=cart, expected_version=expected_version)
        return cart
    if new_name != cart.name and (
        Cart.objects.filter(owner_id=cart.owner_id, name=new_name).exclude(pk=cart.pk).exists()
    ):
        raise _name_taken(cart.owner, new_name)
    cart_touch(cart=cart, expected_version=expected_version)
    if new_name != cart.name:
        activity_record(cart=cart, actor=actor, verb=Verb.CART_RENAMED, old=cart.name, new=new_name)
    if new_note != cart.note:
        activity_record(cart=cart, actor=actor, verb=Verb.NOTE_CHANGED)
    cart.name, cart.note = new_name, new_note
    Cart.objects.filter(pk=cart.pk).update(name=new_name, note=new_note)
    return cart


def cart_name_free(owner, base: str) -> str:
    """`base`, or `base (2)`, `base (3)`…: the first name the owner has not used yet."""
    base = base[:MAX_NAME_LENGTH]
    taken = set(Cart.objects.filter(owner=owner).values_list("name", flat=True))
    candidate, counter = base, 2
    while candidate in taken:
        suffix = f" ({counter})"
        candidate = base[: MAX_NAME_LENGTH - len(suffix)] + suffix
        counter += 1
    return candidate


@transaction.atomic
def cart_duplicate(*, cart: Cart, actor, name: str | None = None) -> Cart:
    """A new own cart of the actor's with the same items (from any cart they can see)."""
    ensure_can(actor, CartAction.VIEW, cart)
    copy = cart_create(owner=actor, name=cart_name_free(actor, name or f"Copy of {cart.name}"))
    CartItem.objects.bulk_create(
        CartItem(cart=copy, product_id=item.product_id, quantity=item.quantity)
        for item in cart.items.all()
    )
    activity_record(
        cart=copy, actor=actor, verb=Verb.CART_DUPLICATED, source=cart.name, source_id=str(cart.pk)
    )
    return copy


@transaction.atomic
def cart_delete(*, cart: Cart, actor, expected_version: int | None = None) -> None:
    """Only the owner deletes; never their last own cart."""
    ensure_can(actor, CartAction.DELETE, cart)
    owner_carts = Cart.objects.select_for_update().filter(owner_id=cart.owner_id)
    versions = dict(owner_carts.values_list("pk", "version"))
    if len(versions) <= 1:
        raise Conflict("You cannot delete your last cart: every customer keeps at least one.")
    if expected_version is not None and versions.get(cart.pk) != expected_version:
        raise StaleVersion(
            "This cart was changed by someone else since you loaded it. "
            "Look at its current contents and try again.",
            current_version=versions.get(cart.pk, cart.version),
        )
    cart.delete()


@transaction.atomic
def cart_activate(*, cart: Cart, actor) -> Cart:
    """Make the cart the one "add to cart" fills; an ordered cart cannot be."""
    ensure_can(actor, CartAction.ACTIVATE, cart)
    # get_user_model(), not type(actor): request.user is a SimpleLazyObject.
    get_user_model().objects.filter(pk=actor.pk).update(active_cart=cart)
    actor.active_cart_id = cart.pk
    return cart


def _product_for(sku: object) -> Product:
    if not isinstance(sku, str) or not sku.strip():
        raise InvalidInput("Choose a product.", errors={"sku": ["Choose a product."]})
    product = Product.objects.filter(sku=sku.strip(), is_active=True).first()
    if product is None:
        message = f"There is no product with SKU “{sku.strip()[:64]}”."
        raise InvalidInput(message, errors={"sku": [message]})
    return product


@transaction.atomic
def cart_item_add(
    *, cart: Cart, actor, sku: str, quantity: object, expected_version: int | None = None
) -> CartItem:
    """Add a product, or raise its quantity when it is in the cart already. Adds never lose
    quantity under concurrency: the cart row is locked first and quantities change with F()."""
    ensure_can(actor, CartAction.EDIT, cart)
    quantity = quantity_parse(quantity)
    product = _product_for(sku)
    if product.currency != cart.currency:
        raise InvalidInput(
            f"{product.name} is priced in {product.currency}; this cart is in {cart.currency}."
        )
    cart_touch(cart=cart, expected_version=expected_version)
    item = CartItem.objects.filter(cart=cart, product=product).first()
    if item is None:
        if CartItem.objects.filter(cart=cart).count() >= MAX_DISTINCT_ITEMS:
            raise Conflict(f"A cart holds at most {MAX_DISTINCT_ITEMS:,} different products.")
        item = CartItem.objects.create(cart=cart, product=product, quantity=quantity)
        activity_record(
            cart=cart,
            actor=actor,
            verb=Verb.ITEM_ADDED,
            sku=product.sku,
            product=product.name,
            quantity=quantity,
        )
        return item
    if item.quantity + quantity > MAX_QUANTITY:
        raise InvalidInput(
            f"{product.name} is in the cart {item.quantity:,} times already; "
            f"at most {MAX_QUANTITY:,} are possible.",
            errors={"quantity": [QUANTITY_MESSAGE]},
        )
    old = item.quantity
    CartItem.objects.filter(pk=item.pk).update(quantity=F("quantity") + quantity)
    item.refresh_from_db(fields=["quantity"])
    activity_record(
        cart=cart,
        actor=actor,
        verb=Verb.QUANTITY_CHANGED,
        sku=product.sku,
        product=product.name,
        old=old,
        new=item.quantity,
    )
    return item


def _item_in(cart: Cart, item_id: object) -> CartItem:
    try:
        item_pk = int(str(item_id))
    except ValueError:
        item_pk = None
    item = (
        CartItem.objects.select_related("product").filter(cart=cart, pk=item_pk).first()
        if item_pk is not None
        else None
    )
    if item is None:
        raise NotFound("This item is not in the cart (any more).")
    return item


@transaction.atomic
def cart_item_update(
    *, cart: Cart, actor, item_id: object, quantity: object, expected_version: int | None = None
) -> CartItem:
    ensure_can(actor, CartAction.EDIT, cart)
    quantity = quantity_parse(quantity)
    item = _item_in(cart, item_id)
    cart_touch(cart=cart, expected_version=expected_version)
    old = item.quantity
    CartItem.objects.filter(pk=item.pk).update(quantity=quantity)
    item.quantity = quantity
    if old != quantity:
        activity_record(
            cart=cart,
            actor=actor,
            verb=Verb.QUANTITY_CHANGED,
            sku=item.product.sku,
            product=item.product.name,
            old=old,
            new=quantity,
        )
    return item


@transaction.atomic
def cart_item_remove(
    *, cart: Cart, actor, item_id: object, expected_version: int | None = None
) -> None:
    ensure_can(actor, CartAction.EDIT, cart)
    item = _item_in(cart, item_id)
    cart_touch(cart=cart, expected_version=expected_version)
    item.delete()
    activity_record(
        cart=cart,
        actor=actor,
        verb=Verb.ITEM_REMOVED,
        sku=item.product.sku,
        product=item.product.name,
        quantity=item.quantity,
    )


@transaction.atomic
def cart_clear(*, cart: Cart, actor, expected_version: int | None = None) -> None:
    ensure_can(actor, CartAction.EDIT, cart)
    cart_touch(cart=cart, expected_version=expected_version)
    removed, _ = CartItem.objects.filter(cart=cart).delete()
    activity_record(cart=cart, actor=actor, verb=Verb.CART_CLEARED, removed=removed)
