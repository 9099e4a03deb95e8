"""Changing carts (spec §2, §8). Every write is atomic, checks the policy, bumps the version by
compare-and-swap, and records what it did in the activity log."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from contextlib import nullcontext
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, connections, router, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _

from cartshare.access.policies import (
    FROZEN_MESSAGE,
    Actor,
    CartAction,
    can_fill,
    ensure_can,
    ensure_can_activate,
    ensure_can_change_item,
    ensure_can_delete,
    ensure_customer_can,
)
from cartshare.accounts.models import Customer
from cartshare.activity.services import Verb, activity_record
from cartshare.carts.conflicts import (
    NOTE,
    QUANTITY,
    STALE_MESSAGE,
    WHOLE_LINE,
    LineConflict,
    line_change_since,
)
from cartshare.carts.models import (
    MAX_DISTINCT_ITEMS,
    MAX_ITEM_NOTE_LENGTH,
    MAX_NAME_LENGTH,
    MAX_NOTE_LENGTH,
    MAX_QUANTITY,
    Cart,
    CartItem,
    CartStatus,
)
from cartshare.carts.selectors import active_cart_candidate
from cartshare.catalog.models import Product
from cartshare.common.errors import Conflict, ErrorCode, InvalidInput, NotFound, StaleVersion
from cartshare.common.locales import number_format
from cartshare.common.rows import column, quote
from cartshare.common.text import (
    LINE_BREAKS_AND_TABS,
    control_characters_refuse,
    whole_number_parse,
)
from cartshare.live.bus import cart_changed


def _quantity_message() -> str:
    return _("Quantity must be a whole number from 1 to %(maximum)s.") % {
        "maximum": number_format(MAX_QUANTITY)
    }


def _item_note_message() -> str:
    return _("An item note can have at most %(limit)s characters.") % {
        "limit": number_format(MAX_ITEM_NOTE_LENGTH)
    }


# Lazy: in the language of the request that is refused.
QUANTITY_MESSAGE = lazy(_quantity_message, str)()
ITEM_NOTE_MESSAGE = lazy(_item_note_message, str)()


def quantity_parse(value: object) -> int:
    """Accept ints and digit strings from forms and JSON; refuse anything else with one message."""
    if isinstance(value, bool):
        raise InvalidInput(QUANTITY_MESSAGE, errors={"quantity": [QUANTITY_MESSAGE]})
    if isinstance(value, str):
        value = whole_number_parse(value, maximum=MAX_QUANTITY)
    if not isinstance(value, int) or not 1 <= value <= MAX_QUANTITY:
        raise InvalidInput(QUANTITY_MESSAGE, errors={"quantity": [QUANTITY_MESSAGE]})
    return value


def cart_name_clean(name: object) -> str:
    """1 to 100 characters after trimming, on one line: no control characters (tabs and line
    breaks included), which would break every list and header that shows the name."""
    cleaned = name.strip() if isinstance(name, str) else ""
    if not 1 <= len(cleaned) <= MAX_NAME_LENGTH:
        message = _("A cart name must have 1 to %(maximum)s characters.") % {
            "maximum": number_format(MAX_NAME_LENGTH)
        }
        raise InvalidInput(message, errors={"name": [message]})
    control_characters_refuse(
        cleaned,
        field="name",
        message=_(
            "A cart name must be one line of text without control characters "
            "(found: %(found)s). Remove them and try again."
        ),
    )
    return cleaned


def cart_note_clean(note: object) -> str:
    """At most 5,000 characters; line breaks (stored as \\n) and tabs are fine, other control
    characters are refused."""
    cleaned = note.replace("\r\n", "\n").replace("\r", "\n") if isinstance(note, str) else ""
    cleaned = cleaned.strip()
    if len(cleaned) > MAX_NOTE_LENGTH:
        message = _("The note can have at most %(limit)s characters.") % {
            "limit": number_format(MAX_NOTE_LENGTH)
        }
        raise InvalidInput(message, errors={"note": [message]})
    control_characters_refuse(
        cleaned,
        field="note",
        allowed=LINE_BREAKS_AND_TABS,
        message=_(
            "The note can hold line breaks and tabs but no other control characters "
            "(found: %(found)s). Remove them and try again."
        ),
    )
    return cleaned


def item_note_clean(note: object) -> str:
    """0 to 500 characters of plain text after trimming, on one line (no control characters:
    it is shown beside the product, in lists and on the order)."""
    if not isinstance(note, str):
        raise InvalidInput(ITEM_NOTE_MESSAGE, errors={"note": [ITEM_NOTE_MESSAGE]})
    cleaned = note.strip()
    if len(cleaned) > MAX_ITEM_NOTE_LENGTH:
        raise InvalidInput(ITEM_NOTE_MESSAGE, errors={"note": [ITEM_NOTE_MESSAGE]})
    control_characters_refuse(
        cleaned,
        field="note",
        message=_(
            "An item note must be one line of text without control characters "
            "(found: %(found)s). Remove them and try again."
        ),
    )
    return cleaned


def _name_taken(owner: Customer, name: str) -> InvalidInput:
    message = _("You already have a cart named “%(name)s”. Choose another name.") % {"name": name}
    return InvalidInput(message, errors={"name": [message]})


def _column(name: str) -> str:
    return quote(column(Cart, name))


def cart_touch(
    *,
    cart: Cart,
    expected_version: int | None = None,
    name: str | None = None,
    note: str | None = None,
) -> None:
    """Compare-and-swap the version: the first write of every cart change, and the only write
    of the cart row (a new `name` or `note` goes into the same statement). One statement, which
    returns the new version (UPDATE ... RETURNING, on SQLite and PostgreSQL alike). On
    PostgreSQL it also locks the cart row, so concurrent changes to one cart run one after
    another."""
    connection = connections[router.db_for_write(Cart)]
    now = timezone.now()
    assignments = [
        f"{_column('version')} = {_column('version')} + 1",
        f"{_column('updated_at')} = %s",
    ]
    # Values as prepared for this backend (strings, numbers, datetimes: it depends on it).
    params: list[Any] = [Cart._meta.get_field("updated_at").get_db_prep_value(now, connection)]
    for field, value in (("name", name), ("note", note)):
        if value is not None:
            assignments.append(f"{_column(field)} = %s")
            params.append(value)
    conditions = [f"{_column('id')} = %s", f"{_column('status')} = %s"]
    params += [Cart._meta.pk.get_db_prep_value(cart.pk, connection), CartStatus.OPEN.value]
    if expected_version is not None:
        conditions.append(f"{_column('version')} = %s")
        params.append(expected_version)
    sql = (
        f"UPDATE {quote(Cart._meta.db_table)} SET {', '.join(assignments)} "
        f"WHERE {' AND '.join(conditions)} RETURNING {_column('version')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        current = Cart.objects.filter(pk=cart.pk).values("status", "version").first()
        if current is None:
            raise NotFound(_("This cart does not exist any more."))
        if current["status"] == CartStatus.ORDERED:
            raise Conflict(FROZEN_MESSAGE, code=ErrorCode.CART_ORDERED)
        raise StaleVersion(
            STALE_MESSAGE,
            current_version=current["version"],
        )
    cart.version, cart.updated_at = row[0], now
    if name is not None:
        cart.name = name
    if note is not None:
        cart.note = note


@transaction.atomic
def cart_create(*, owner: Customer, name: str, note: str = "", activate: bool = False) -> Cart:
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
    actor: Actor,
    name: str | None = None,
    note: str | None = None,
    expected_version: int | None = None,
) -> Cart:
    """Rename and/or change the note (owner and full access). A change that changes nothing
    writes nothing and keeps the version (other people's `If-Match` stays valid); a stale
    `expected_version` is refused all the same."""
    ensure_can(actor, CartAction.EDIT, cart)
    new_name = cart_name_clean(name) if name is not None else cart.name
    new_note = cart_note_clean(note) if note is not None else cart.note
    old_name, old_note = cart.name, cart.note
    if new_name == old_name and new_note == old_note:
        if expected_version is not None and expected_version != cart.version:
            raise StaleVersion(
                STALE_MESSAGE,
                current_version=cart.version,
            )
        return cart
    if new_name != old_name and (
        Cart.objects.filter(owner_id=cart.owner_id, name=new_name).exclude(pk=cart.pk).exists()
    ):
        raise _name_taken(cart.owner, new_name)
    renaming = new_name != old_name
    try:  # a savepoint only when renaming: the unique name is what can fail
        with transaction.atomic() if renaming else nullcontext():
            cart_touch(
                cart=cart,
                expected_version=expected_version,
                name=new_name if new_name != old_name else None,
                note=new_note if new_note != old_note else None,
            )
    except IntegrityError as error:  # renamed to the same name concurrently
        raise _name_taken(cart.owner, new_name) from error
    if new_name != old_name:
        activity_record(cart=cart, actor=actor, verb=Verb.CART_RENAMED, old=old_name, new=new_name)
    if new_note != old_note:
        activity_record(cart=cart, actor=actor, verb=Verb.NOTE_CHANGED)
    return cart


def cart_name_free(owner: Customer, base: str) -> str:
    """`base`, or `base (2)`, `base (3)`…: the first name the owner has not used yet."""
    base = base[:MAX_NAME_LENGTH]
    taken = set(Cart.objects.filter(owner=owner).values_list("name", flat=True))
    candidate, counter = base, 2
    while candidate in taken:
        suffix = f" ({counter})"
        candidate = base[: MAX_NAME_LENGTH - len(suffix)] + suffix
        counter += 1
    return candidate


def cart_items_copy(*, items: Iterable[CartItem], into: Cart, adder: Customer) -> None:
    """The lines of another cart into a new cart of `adder`'s (who adds them: it is their
    copy), with their quantities and notes. For services that checked access already."""
    CartItem.objects.bulk_create(
        CartItem(
            cart=into,
            product_id=item.product_id,
            quantity=item.quantity,
            note=item.note,
            added_by=adder,
        )
        for item in items
    )


@transaction.atomic
def cart_duplicate(*, cart: Cart, actor: Actor, name: str | None = None) -> Cart:
    """A new own cart of the actor's with the same items (from any cart they can see)."""
    owner = ensure_customer_can(actor, CartAction.VIEW, cart)
    copy = cart_create(owner=owner, name=cart_name_free(owner, name or f"Copy of {cart.name}"))
    cart_items_copy(items=cart.items.all(), into=copy, adder=owner)
    activity_record(
        cart=copy, actor=actor, verb=Verb.CART_DUPLICATED, source=cart.name, source_id=str(cart.pk)
    )
    return copy


@transaction.atomic
def cart_delete(*, cart: Cart, actor: Actor, expected_version: int | None = None) -> None:
    """Only the owner deletes; never their last own cart (counted with the rows locked)."""
    ensure_can(actor, CartAction.DELETE, cart)
    owner_carts = Cart.objects.select_for_update().filter(owner_id=cart.owner_id)
    versions = dict(owner_carts.values_list("pk", "version"))
    ensure_can_delete(actor, cart, own_carts=len(versions))
    if expected_version is not None and versions.get(cart.pk) != expected_version:
        raise StaleVersion(
            STALE_MESSAGE,
            current_version=versions.get(cart.pk, cart.version),
        )
    active_cart_move_on(cart_id=cart.pk, deleting=True)
    cart.delete()


@transaction.atomic
def cart_activate(*, cart: Cart, actor: Actor) -> Cart:
    """Make the cart the one "add to cart" fills: only a cart the actor can fill (Conflict for
    a read-only or ordered one, NotFound when they cannot see it)."""
    customer = ensure_can_activate(actor, cart)
    previous = customer.active_cart_id
    # get_user_model(), not type(actor): request.user is a SimpleLazyObject.
    get_user_model().objects.filter(pk=customer.pk).update(active_cart=cart)
    customer.active_cart_id = cart.pk
    # The live streams of both carts say `is_active` anew (they keep it with their access).
    for changed in {cart.pk, previous} - {None}:
        cart_changed(changed)
    return cart


NEXT_CART_NAME = "My cart"


@transaction.atomic
def active_cart_move_on(
    *,
    cart_id: uuid.UUID | None,
    customer_ids: list[int] | None = None,
    actor: Customer | None = None,
    deleting: bool = False,
) -> None:
    """The one rule for "what is my active cart now?" when a cart may have stopped being one
    its users can fill (it was ordered or deleted, a grant was removed or lowered): whoever has
    it as their active cart (of `customer_ids`, when given) and can no longer fill it gets the
    most recently changed cart they can fill, their own first, else a new own cart.
    `actor`, when affected, has its `active_cart_id` updated in memory too. `cart_id` None:
    those who have no active cart (theirs was deleted without this service) get one."""
    people = Customer.objects.filter(active_cart_id=cart_id)
    if customer_ids is not None:
        people = people.filter(pk__in=customer_ids)
    # A fresh copy: access levels cached on the callers' copies may be out of date.
    fresh = None if deleting or cart_id is None else Cart.objects.filter(pk=cart_id).first()
    for person in people:
        if fresh is not None and can_fill(person, fresh):
            continue
        next_cart = active_cart_candidate(person, excluding=cart_id) or cart_create(
            owner=person, name=cart_name_free(person, NEXT_CART_NAME)
        )
        Customer.objects.filter(pk=person.pk).update(active_cart=next_cart)
        if actor is not None and actor.pk == person.pk:
            actor.active_cart_id = next_cart.pk


def _product_for(sku: object) -> Product:
    if not isinstance(sku, str) or not sku.strip():
        message = _("Choose a product.")
        raise InvalidInput(message, errors={"sku": [message]})
    product = Product.objects.filter(sku=sku.strip(), is_active=True).first()
    if product is None:
        message = _("There is no product with SKU “%(sku)s”.") % {"sku": sku.strip()[:64]}
        raise InvalidInput(message, errors={"sku": [message]})
    return product


@transaction.atomic
def cart_item_add(
    *, cart: Cart, actor: Actor, sku: str, quantity: object, expected_version: int | None = None
) -> CartItem:
    """Add a product, or raise its quantity when it is in the cart already (whoever added the
    line keeps it: a contributor's add to someone else's line is recorded as theirs in the
    activity log). Adds never lose quantity under concurrency: the cart row is locked first and
    quantities change with F()."""
    adder = ensure_customer_can(actor, CartAction.ADD_ITEMS, cart)
    quantity = quantity_parse(quantity)
    product = _product_for(sku)
    if product.currency != cart.currency:
        raise InvalidInput(
            _("%(product)s is priced in %(currency)s; this cart is in %(cart_currency)s.")
            % {
                "product": product.name,
                "currency": product.currency,
                "cart_currency": cart.currency,
            }
        )
    cart_touch(cart=cart)
    item = CartItem.objects.filter(cart=cart, product=product).first()
    since = _stale_since(cart, expected_version)
    if since is not None:  # a stale add merges unless this product's line changed meanwhile
        change = line_change_since(
            cart=cart, caller=actor, since=since, item=item, sku=product.sku, verbs=QUANTITY
        )
        if change is not None:
            raise LineConflict(change, current_version=cart.version - 1)
    if item is None:
        if CartItem.objects.filter(cart=cart).count() >= MAX_DISTINCT_ITEMS:
            raise Conflict(
                _("A cart holds at most %(limit)s different products.")
                % {"limit": number_format(MAX_DISTINCT_ITEMS)},
                code=ErrorCode.CART_FULL,
            )
        item = CartItem.objects.create(
            cart=cart, product=product, quantity=quantity, added_by=adder
        )
        activity_record(
            cart=cart,
            actor=actor,
            verb=Verb.ITEM_ADDED,
            item_id=item.pk,
            sku=product.sku,
            product=product.name,
            quantity=quantity,
        )
        return item
    if item.quantity + quantity > MAX_QUANTITY:
        raise InvalidInput(
            _(
                "%(product)s is in the cart %(quantity)s times already; "
                "at most %(maximum)s are possible."
            )
            % {
                "product": product.name,
                "quantity": number_format(item.quantity),
                "maximum": number_format(MAX_QUANTITY),
            },
            errors={"quantity": [QUANTITY_MESSAGE]},
        )
    old = item.quantity
    CartItem.objects.filter(pk=item.pk).update(quantity=F("quantity") + quantity)
    item.refresh_from_db(fields=["quantity"])
    activity_record(
        cart=cart,
        actor=actor,
        verb=Verb.QUANTITY_CHANGED,
        item_id=item.pk,
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
        raise NotFound(_("This item is not in the cart (any more)."))
    return item


def _stale_since(cart: Cart, expected_version: int | None) -> int | None:
    """Right after `cart_touch` (the cart locked, its version bumped by one): the version a
    stale line edit was based on, None when it is not stale (no version sent, or the current
    one). A version the cart never had (none before 1, none after the current one) is refused
    as before."""
    current = cart.version - 1
    if expected_version is None or expected_version == current:
        return None
    if not 1 <= expected_version < current:
        raise StaleVersion(STALE_MESSAGE, current_version=current)
    return expected_version


def _line_to_edit(
    *,
    cart: Cart,
    actor: Actor,
    item_id: object,
    since: int | None,
    verbs: frozenset[str],
) -> CartItem:
    """The line an edit changes, after the policy allowed it, and after `cart_touch`: an edit
    based on version `since` (stale) merges when nothing among `verbs` happened to the line
    since then, and is refused with who changed it to what otherwise (`LineConflict`,
    nothing changed). A line removed since then is a conflict too."""
    try:
        item = _item_in(cart, item_id)
    except NotFound:
        if since is not None and str(item_id).isdecimal():
            change = line_change_since(
                cart=cart, caller=actor, since=since, item=None, item_id=int(str(item_id))
            )
            if change is not None:
                raise LineConflict(change, current_version=cart.version - 1) from None
        raise
    ensure_can_change_item(actor, cart, item)
    if since is not None:
        change = line_change_since(cart=cart, caller=actor, since=since, item=item, verbs=verbs)
        if change is not None:
            raise LineConflict(change, current_version=cart.version - 1)
    return item


@transaction.atomic
def cart_item_update(
    *,
    cart: Cart,
    actor: Actor,
    item_id: object,
    quantity: object = None,
    note: object = None,
    expected_version: int | None = None,
) -> CartItem:
    """Change a line's quantity and/or note (None: as it is). Owner and full access change any
    line; a contributor only the lines they added (spec §10)."""
    ensure_can(actor, CartAction.CHANGE_OWN_ITEMS, cart)
    if quantity is None and note is None:
        raise InvalidInput(QUANTITY_MESSAGE, errors={"quantity": [QUANTITY_MESSAGE]})
    new_quantity = quantity_parse(quantity) if quantity is not None else None
    new_note = item_note_clean(note) if note is not None else None
    cart_touch(cart=cart)
    since = _stale_since(cart, expected_version)
    verbs = (QUANTITY if new_quantity is not None else frozenset()) | (
        NOTE if new_note is not None else frozenset()
    )
    item = _line_to_edit(cart=cart, actor=actor, item_id=item_id, since=since, verbs=verbs)
    old, old_note = item.quantity, item.note
    changes: dict[str, object] = {}
    if new_quantity is not None:
        changes["quantity"] = item.quantity = new_quantity
    if new_note is not None:
        changes["note"] = item.note = new_note
    CartItem.objects.filter(pk=item.pk).update(**changes)
    if new_quantity is None:  # the quantity as it is now (a concurrent add may have raised it)
        item.refresh_from_db(fields=["quantity"])
    quantity = item.quantity
    if new_note is not None and new_note != old_note:
        activity_record(
            cart=cart,
            actor=actor,
            verb=Verb.ITEM_NOTE_CHANGED,
            item_id=item.pk,
            sku=item.product.sku,
            product=item.product.name,
            note=new_note,
        )
    if new_quantity is not None and old != quantity:
        activity_record(
            cart=cart,
            actor=actor,
            verb=Verb.QUANTITY_CHANGED,
            item_id=item.pk,
            sku=item.product.sku,
            product=item.product.name,
            old=old,
            new=quantity,
        )
    return item


@transaction.atomic
def cart_item_remove(
    *, cart: Cart, actor: Actor, item_id: object, expected_version: int | None = None
) -> None:
    """Owner and full access remove any line; a contributor only the lines they added."""
    ensure_can(actor, CartAction.CHANGE_OWN_ITEMS, cart)
    cart_touch(cart=cart)
    since = _stale_since(cart, expected_version)
    item = _line_to_edit(cart=cart, actor=actor, item_id=item_id, since=since, verbs=WHOLE_LINE)
    removed_id = item.pk
    item.delete()
    activity_record(
        cart=cart,
        actor=actor,
        verb=Verb.ITEM_REMOVED,
        item_id=removed_id,
        sku=item.product.sku,
        product=item.product.name,
        quantity=item.quantity,
    )


@transaction.atomic
def cart_clear(*, cart: Cart, actor: Actor, expected_version: int | None = None) -> None:
    ensure_can(actor, CartAction.EDIT, cart)
    cart_touch(cart=cart, expected_version=expected_version)
    removed, _per_model = CartItem.objects.filter(cart=cart).delete()
    activity_record(cart=cart, actor=actor, verb=Verb.CART_CLEARED, removed=removed)
