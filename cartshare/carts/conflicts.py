"""Stale edits of one line (issue 13, "no lost input"): what happened to that line since the
version the editor loaded, read from the activity log. The cart services merge an edit whose
line did not change meanwhile and refuse a true conflict with `LineConflict`, which says who
changed the line to what. Deciding access stays with the policy: this only compares versions."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cartshare.access.policies import Actor, CartAction, can
from cartshare.activity.models import CartActivity
from cartshare.activity.presenters import FORMER_USER
from cartshare.activity.services import Verb
from cartshare.carts.models import Cart, CartItem
from cartshare.common.errors import StaleVersion
from cartshare.common.locales import number_format

STALE_MESSAGE = gettext_lazy(
    "This cart was changed by someone else since you loaded it. "
    "Look at its current contents and try again."
)
SOMEONE = gettext_lazy("Someone")

# What counts as a change to a line's quantity, to its note, and to the line as a whole.
QUANTITY = frozenset({Verb.QUANTITY_CHANGED, Verb.ITEM_ADDED, Verb.ITEM_REMOVED})
NOTE = frozenset({Verb.ITEM_NOTE_CHANGED, Verb.ITEM_ADDED, Verb.ITEM_REMOVED})
WHOLE_LINE = QUANTITY | NOTE


@dataclass(frozen=True)
class LineChange:
    """Someone else's change to a line since an edit's version, and the line as it is now."""

    kind: str  # "quantity", "note", "removed" or "cleared"
    # {"id", "name"} of who made it; None: a former user, or a caller who may not see the log
    changed_by: dict[str, object] | None
    item_id: int | None
    sku: str
    product: str
    quantity: int | None  # now; None once the line is gone
    note: str | None
    text: str  # "Bob Brandt changed the quantity of Paper A4 to 5."


class LineConflict(StaleVersion):
    """A stale edit of a line that someone else changed (or removed) meanwhile: refused, and
    nothing changed."""

    def __init__(self, change: LineChange, *, current_version: int) -> None:
        super().__init__(
            _(
                "%(change)s Your change was not saved: look at it again and resubmit it if "
                "you still want it."
            )
            % {"change": change.text},
            current_version=current_version,
        )
        self.change = change


def _sentence(kind: str, who: str, product: str, item: CartItem | None) -> str:
    facts = {"who": who, "product": product}
    if kind == "cleared":
        return _("%(who)s removed all items from the cart, %(product)s included.") % facts
    if kind == "removed" or item is None:
        return _("%(who)s removed %(product)s from the cart.") % facts
    if kind == "note":
        if item.note:
            return _("%(who)s changed the note on %(product)s to “%(note)s”.") % {
                **facts,
                "note": item.note,
            }
        return _("%(who)s removed the note on %(product)s.") % facts
    return _("%(who)s changed the quantity of %(product)s to %(quantity)s.") % {
        **facts,
        "quantity": number_format(item.quantity),
    }


def line_change_since(
    *,
    cart: Cart,
    caller: Actor,
    since: int,
    item: CartItem | None,
    item_id: int | None = None,
    sku: str | None = None,
    verbs: Collection[str] = WHOLE_LINE,
) -> LineChange | None:
    """The newest change to the line (`item`, or, once it is gone, the line `item_id` or of
    `sku`) recorded after version `since`, among `verbs`; None when there is none. Exact: every
    line change records its activity, with the version it produced, in its own transaction,
    and callers read after locking the cart (`cart_touch`). Who made it is named only to a
    caller who may read the cart's activity log (the policy)."""
    rows = CartActivity.objects.filter(cart=cart, cart_version__gt=since)
    sku = item.product.sku if item is not None else sku
    if item is not None:
        matches = Q(verb__in=list(verbs), details__sku=sku)
    else:  # the line is gone: removed (by id or by product), or the whole cart emptied
        matches = Q(verb=Verb.CART_CLEARED) | Q(verb=Verb.ITEM_REMOVED, details__item_id=item_id)
        if sku is not None:
            matches |= Q(verb__in=list(verbs), details__sku=sku)
    newest = rows.filter(matches).select_related("actor").order_by("-cart_version", "-id").first()
    if newest is None:
        return None
    details = newest.details if isinstance(newest.details, dict) else {}
    product = (
        item.product.name if item is not None else str(details.get("product") or _("this product"))
    )
    if item is None:
        kind = "cleared" if newest.verb == Verb.CART_CLEARED else "removed"
    else:
        kind = "note" if newest.verb == Verb.ITEM_NOTE_CHANGED else "quantity"
    named = can(caller, CartAction.COMMENT, cart)  # who may read the log may be told who
    actor = newest.actor if named else None
    if actor is not None and actor.pk == getattr(caller, "pk", None):
        who = _("You (in another window)")
    elif actor is not None:
        who = actor.name or actor.email
    else:
        who = str(FORMER_USER if named else SOMEONE)
    return LineChange(
        kind=kind,
        changed_by={"id": actor.pk, "name": actor.name or actor.email} if actor else None,
        item_id=item.pk if item is not None else item_id,
        sku=str(sku or details.get("sku") or ""),
        product=product,
        quantity=item.quantity if item is not None else None,
        note=item.note if item is not None else None,
        text=_sentence(kind, who, product, item),
    )
