"""Turns activity entries into sentences a person reads: "Bob Brandt changed Stapler from 2 to 5".

Plain text only: templates escape it. Every verb in `activity.services.Verb` has a sentence;
details written by older or newer code (missing keys, unknown verbs) degrade to a vaguer
sentence, never to an error."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cartshare.activity.models import CartActivity
from cartshare.activity.services import Verb

FORMER_USER = "A former user"
TIMES = "\N{MULTIPLICATION SIGN}"

LEVEL_WORDS = {
    "OWNER": "owner",
    "FULL_ACCESS": "full access",
    "CONTRIBUTOR": "contributor",
    "READ_ONLY": "read-only",
    "PREVIEW": "preview",
}
LINK_WORDS = {
    "PREVIEW": "a preview link",
    "READ_ONLY": "a read-only link",
    "CONTRIBUTOR": "a contributor link",
    "FULL_ACCESS": "a full-access link",
}


@dataclass(frozen=True)
class ActivityEntry:
    actor_name: str
    action: str  # the sentence without its subject: "changed Stapler from 2 to 5"
    verb: str
    created_at: datetime

    @property
    def sentence(self) -> str:
        return f"{self.actor_name} {self.action}"


def _first(details: Mapping[str, object], *keys: str, default: object = None) -> object:
    for key in keys:
        value = details.get(key)
        if value not in (None, ""):
            return value
    return default


def _count(value: object) -> str:
    if isinstance(value, int | str):
        try:
            return f"{int(value):,}"
        except ValueError:
            pass
    return str(value)


def _product(details: Mapping[str, Any]) -> str:
    return str(_first(details, "product", "sku", default="a product"))


def _person(details: Mapping[str, Any]) -> str:
    value = _first(details, "grantee")
    return str(value) if value else "a colleague"


def _level(details: Mapping[str, Any], *keys: str) -> str | None:
    value = _first(details, *keys)
    if value is None:
        return None
    return LEVEL_WORDS.get(str(value).upper(), str(value).replace("_", " ").lower())


def _link(details: Mapping[str, Any]) -> str:
    option = _first(details, "share_option")
    return LINK_WORDS.get(str(option).upper(), "a share link") if option else "a share link"


def _link_kind(details: Mapping[str, Any]) -> str:
    """'the preview link' from 'a preview link'."""
    return "the" + _link(details)[1:].removeprefix("n")


def _quoted(value: object) -> str:
    return f"“{value}”"


def _created(d: Mapping[str, Any]) -> str:
    name = _first(d, "name")
    return f"created the cart {_quoted(name)}" if name else "created the cart"


def _renamed(d: Mapping[str, Any]) -> str:
    old, new = _first(d, "old"), _first(d, "new")
    if old and new:
        return f"renamed the cart from {_quoted(old)} to {_quoted(new)}"
    return f"renamed the cart to {_quoted(new)}" if new else "renamed the cart"


def _duplicated(d: Mapping[str, Any]) -> str:
    source = _first(d, "source")
    return f"created this cart as a copy of {_quoted(source)}" if source else "copied a cart"


def _cleared(d: Mapping[str, Any]) -> str:
    removed = _first(d, "removed")
    if removed is None:
        return "removed all items"
    return f"removed all items ({_count(removed)} {'product' if removed == 1 else 'products'})"


def _item_added(d: Mapping[str, Any]) -> str:
    quantity = _first(d, "quantity")
    if quantity is None:
        return f"added {_product(d)}"
    return f"added {_count(quantity)} {TIMES} {_product(d)}"


def _quantity_changed(d: Mapping[str, Any]) -> str:
    old, new = _first(d, "old"), _first(d, "new")
    if old is not None and new is not None:
        return f"changed {_product(d)} from {_count(old)} to {_count(new)}"
    if new is not None:
        return f"changed the quantity of {_product(d)} to {_count(new)}"
    return f"changed the quantity of {_product(d)}"


def _item_removed(d: Mapping[str, Any]) -> str:
    quantity = _first(d, "quantity")
    if quantity is None:
        return f"removed {_product(d)}"
    return f"removed {_count(quantity)} {TIMES} {_product(d)}"


def _item_note_changed(d: Mapping[str, Any]) -> str:
    return (
        f"changed the note on {_product(d)}"
        if _first(d, "note")
        else (f"removed the note on {_product(d)}")
    )


def _shared(d: Mapping[str, Any]) -> str:
    level = _level(d, "new")
    suffix = f" ({level})" if level else ""
    return f"shared the cart with {_person(d)}{suffix}"


def _share_changed(d: Mapping[str, Any]) -> str:
    old = _level(d, "old")
    new = _level(d, "new")
    if old and new:
        return f"changed {_person(d)}'s access from {old} to {new}"
    if new:
        return f"changed {_person(d)}'s access to {new}"
    return f"changed {_person(d)}'s access"


def _unshared(d: Mapping[str, Any]) -> str:
    return f"stopped sharing the cart with {_person(d)}"


def _dismissed(d: Mapping[str, Any]) -> str:
    return "removed the shared cart from their list"


def _link_created(d: Mapping[str, Any]) -> str:
    return f"created {_link(d)}"


def _link_revoked(d: Mapping[str, Any]) -> str:
    return f"revoked {_link_kind(d)}"


def _link_restored(d: Mapping[str, Any]) -> str:
    return f"undid revoking {_link_kind(d)}"


def _link_accepted(d: Mapping[str, Any]) -> str:
    level = _level(d, "permission")
    suffix = f" ({level})" if level else ""
    return f"joined the cart through a share link{suffix}"


def _commented(d: Mapping[str, Any]) -> str:
    return "commented"


def _comment_edited(d: Mapping[str, Any]) -> str:
    return "edited a comment"


def _comment_deleted(d: Mapping[str, Any]) -> str:
    return "deleted a comment"


def _note_changed(d: Mapping[str, Any]) -> str:
    return "changed the note"


def _ordered(d: Mapping[str, Any]) -> str:
    reference = _first(d, "reference")
    return f"placed order {reference}" if reference else "placed the order"


SENTENCES: dict[str, Callable[[Mapping[str, Any]], str]] = {
    Verb.CART_CREATED: _created,
    Verb.CART_RENAMED: _renamed,
    Verb.NOTE_CHANGED: _note_changed,
    Verb.CART_DUPLICATED: _duplicated,
    Verb.CART_CLEARED: _cleared,
    Verb.ITEM_ADDED: _item_added,
    Verb.QUANTITY_CHANGED: _quantity_changed,
    Verb.ITEM_REMOVED: _item_removed,
    Verb.ITEM_NOTE_CHANGED: _item_note_changed,
    Verb.SHARED: _shared,
    Verb.SHARE_CHANGED: _share_changed,
    Verb.UNSHARED: _unshared,
    Verb.SHARE_DISMISSED: _dismissed,
    Verb.LINK_CREATED: _link_created,
    Verb.LINK_REVOKED: _link_revoked,
    Verb.LINK_RESTORED: _link_restored,
    Verb.LINK_ACCEPTED: _link_accepted,
    Verb.COMMENTED: _commented,
    Verb.COMMENT_EDITED: _comment_edited,
    Verb.COMMENT_DELETED: _comment_deleted,
    Verb.ORDERED: _ordered,
}


def _fallback(verb: str) -> str:
    words = str(verb).replace("_", " ").replace("-", " ").strip().lower()
    return f"changed the cart ({words})" if words else "changed the cart"


def activity_action(verb: str, details: Mapping[str, Any] | None) -> str:
    """The sentence without its subject. Never raises, whatever `details` holds."""
    details = details if isinstance(details, Mapping) else {}
    sentence = SENTENCES.get(verb)
    if sentence is None:
        return _fallback(verb)
    try:
        return sentence(details)
    except Exception:  # a malformed entry must not break the cart page
        return _fallback(verb)


def activity_present(activity: CartActivity) -> ActivityEntry:
    actor = activity.actor
    return ActivityEntry(
        actor_name=(actor.name or actor.email) if actor is not None else FORMER_USER,
        action=activity_action(activity.verb, activity.details),
        verb=activity.verb,
        created_at=activity.created_at,
    )
