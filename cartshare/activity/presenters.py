"""Turns activity entries into sentences a person reads: "Bob Brandt changed Stapler from 2 to 5".

Plain text only: templates escape it. Every verb in `activity.services.Verb` has a sentence;
details written by older or newer code (missing keys, unknown verbs) degrade to a vaguer
sentence, never to an error."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from cartshare.activity.models import CartActivity
from cartshare.activity.services import Verb
from cartshare.common.locales import number_format
from cartshare.sharing.models import level_word

# The sentences are made when they are shown, in the viewer's language, from the verb and the
# facts the log keeps (no text is stored): each is one translatable predicate whose subject is
# the actor ("Alice Archer" + "changed the note"; German "hat die Notiz geändert").
FORMER_USER = gettext_lazy("A former user")

LINKS_CREATED = {
    "PREVIEW": gettext_lazy("created a preview link"),
    "READ_ONLY": gettext_lazy("created a read-only link"),
    "CONTRIBUTOR": gettext_lazy("created a contributor link"),
    "FULL_ACCESS": gettext_lazy("created a full-access link"),
}
LINKS_REVOKED = {
    "PREVIEW": gettext_lazy("revoked the preview link"),
    "READ_ONLY": gettext_lazy("revoked the read-only link"),
    "CONTRIBUTOR": gettext_lazy("revoked the contributor link"),
    "FULL_ACCESS": gettext_lazy("revoked the full-access link"),
}
LINKS_RESTORED = {
    "PREVIEW": gettext_lazy("undid revoking the preview link"),
    "READ_ONLY": gettext_lazy("undid revoking the read-only link"),
    "CONTRIBUTOR": gettext_lazy("undid revoking the contributor link"),
    "FULL_ACCESS": gettext_lazy("undid revoking the full-access link"),
}


@dataclass(frozen=True)
class ActivityEntry:
    actor_name: str
    action: str  # the sentence without its subject: "changed Stapler from 2 to 5"
    verb: str
    created_at: datetime

    @property
    def sentence(self) -> str:
        return _("%(actor)s %(action)s") % {"actor": self.actor_name, "action": self.action}


def _first(details: Mapping[str, object], *keys: str, default: object = None) -> object:
    for key in keys:
        value = details.get(key)
        if value not in (None, ""):
            return value
    return default


def _count(value: object) -> str:
    if isinstance(value, int | str):
        try:
            return number_format(int(value))
        except ValueError:
            pass
    return str(value)


def _product(details: Mapping[str, Any]) -> str:
    return str(_first(details, "product", "sku", default=None) or _("a product"))


def _level(details: Mapping[str, Any], *keys: str) -> str | None:
    value = _first(details, *keys)
    return None if value is None else level_word(str(value))


def _option(details: Mapping[str, Any]) -> str:
    return str(_first(details, "share_option", default="")).upper()


def _created(d: Mapping[str, Any]) -> str:
    name = _first(d, "name")
    return _("created the cart “%(name)s”") % {"name": name} if name else _("created the cart")


def _renamed(d: Mapping[str, Any]) -> str:
    old, new = _first(d, "old"), _first(d, "new")
    if old and new:
        return _("renamed the cart from “%(old)s” to “%(new)s”") % {"old": old, "new": new}
    return _("renamed the cart to “%(new)s”") % {"new": new} if new else _("renamed the cart")


def _duplicated(d: Mapping[str, Any]) -> str:
    source = _first(d, "source")
    if source:
        return _("created this cart as a copy of “%(source)s”") % {"source": source}
    return _("copied a cart")


def _cleared(d: Mapping[str, Any]) -> str:
    removed = _first(d, "removed")
    if removed is None:
        return _("removed all items")
    number = int(removed) if isinstance(removed, int) else 0
    return ngettext(
        "removed all items (%(count)s product)", "removed all items (%(count)s products)", number
    ) % {"count": _count(removed)}


def _item_added(d: Mapping[str, Any]) -> str:
    quantity = _first(d, "quantity")
    if quantity is None:
        return _("added %(product)s") % {"product": _product(d)}
    return _("added %(quantity)s × %(product)s") % {  # noqa: RUF001 (the multiplication sign)
        "quantity": _count(quantity),
        "product": _product(d),
    }


def _quantity_changed(d: Mapping[str, Any]) -> str:
    old, new = _first(d, "old"), _first(d, "new")
    facts = {"product": _product(d), "old": _count(old), "new": _count(new)}
    if old is not None and new is not None:
        return _("changed %(product)s from %(old)s to %(new)s") % facts
    if new is not None:
        return _("changed the quantity of %(product)s to %(new)s") % facts
    return _("changed the quantity of %(product)s") % facts


def _item_removed(d: Mapping[str, Any]) -> str:
    quantity = _first(d, "quantity")
    if quantity is None:
        return _("removed %(product)s") % {"product": _product(d)}
    return _("removed %(quantity)s × %(product)s") % {  # noqa: RUF001 (the multiplication sign)
        "quantity": _count(quantity),
        "product": _product(d),
    }


def _item_note_changed(d: Mapping[str, Any]) -> str:
    if _first(d, "note"):
        return _("changed the note on %(product)s") % {"product": _product(d)}
    return _("removed the note on %(product)s") % {"product": _product(d)}


def _shared(d: Mapping[str, Any]) -> str:
    person, level = _first(d, "grantee"), _level(d, "new")
    if person and level:
        return _("shared the cart with %(person)s (%(level)s)") % {"person": person, "level": level}
    if person:
        return _("shared the cart with %(person)s") % {"person": person}
    if level:
        return _("shared the cart with a colleague (%(level)s)") % {"level": level}
    return _("shared the cart with a colleague")


def _share_changed(d: Mapping[str, Any]) -> str:
    person = _first(d, "grantee")
    old, new = _level(d, "old"), _level(d, "new")
    if not person:
        return _("changed a colleague's access")
    facts = {"person": person, "old": old, "new": new}
    if old and new:
        return _("changed %(person)s's access from %(old)s to %(new)s") % facts
    if new:
        return _("changed %(person)s's access to %(new)s") % facts
    return _("changed %(person)s's access") % facts


def _unshared(d: Mapping[str, Any]) -> str:
    person = _first(d, "grantee")
    if person:
        return _("stopped sharing the cart with %(person)s") % {"person": person}
    return _("stopped sharing the cart with a colleague")


def _dismissed(d: Mapping[str, Any]) -> str:
    return _("removed the shared cart from their list")


def _link_created(d: Mapping[str, Any]) -> str:
    return str(LINKS_CREATED.get(_option(d)) or _("created a share link"))


def _link_revoked(d: Mapping[str, Any]) -> str:
    return str(LINKS_REVOKED.get(_option(d)) or _("revoked the share link"))


def _link_restored(d: Mapping[str, Any]) -> str:
    return str(LINKS_RESTORED.get(_option(d)) or _("undid revoking the share link"))


def _link_accepted(d: Mapping[str, Any]) -> str:
    level = _level(d, "permission")
    if level:
        return _("joined the cart through a share link (%(level)s)") % {"level": level}
    return _("joined the cart through a share link")


def _commented(d: Mapping[str, Any]) -> str:
    return _("commented")


def _comment_edited(d: Mapping[str, Any]) -> str:
    return _("edited a comment")


def _comment_deleted(d: Mapping[str, Any]) -> str:
    return _("deleted a comment")


def _note_changed(d: Mapping[str, Any]) -> str:
    return _("changed the note")


def _ordered(d: Mapping[str, Any]) -> str:
    reference = _first(d, "reference")
    if reference:
        return _("placed order %(reference)s") % {"reference": reference}
    return _("placed the order")


def _access_requested(d: Mapping[str, Any]) -> str:
    level = _level(d, "permission")
    if level:
        return _("asked for more access (%(level)s)") % {"level": level}
    return _("asked for more access")


def _access_request_withdrawn(d: Mapping[str, Any]) -> str:
    level = _level(d, "permission")
    if level:
        return _("withdrew their request for more access (%(level)s)") % {"level": level}
    return _("withdrew their request for more access")


def _access_request_declined(d: Mapping[str, Any]) -> str:
    person, level = _first(d, "requester"), _level(d, "permission")
    if person and level:
        return _("declined %(person)s's request for more access (%(level)s)") % {
            "person": person,
            "level": level,
        }
    if person:
        return _("declined %(person)s's request for more access") % {"person": person}
    return _("declined a request for more access")


def _access_request_approved(d: Mapping[str, Any]) -> str:
    person, level = _first(d, "requester"), _level(d, "granted", "permission")
    if person and level:
        return _("approved %(person)s's request for more access (%(level)s)") % {
            "person": person,
            "level": level,
        }
    if person:
        return _("approved %(person)s's request for more access") % {"person": person}
    return _("approved a request for more access")


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
    Verb.ACCESS_REQUESTED: _access_requested,
    Verb.ACCESS_REQUEST_WITHDRAWN: _access_request_withdrawn,
    Verb.ACCESS_REQUEST_DECLINED: _access_request_declined,
    Verb.ACCESS_REQUEST_APPROVED: _access_request_approved,
}


def _fallback(verb: str) -> str:
    words = str(verb).replace("_", " ").replace("-", " ").strip().lower()
    return _("changed the cart (%(what)s)") % {"what": words} if words else _("changed the cart")


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
        actor_name=(actor.name or actor.email) if actor is not None else str(FORMER_USER),
        action=activity_action(activity.verb, activity.details),
        verb=activity.verb,
        created_at=activity.created_at,
    )
