"""A small pure-Python model of who may do what with a cart (spec §1, §3-§11), written from the
spec alone: it imports nothing of cartshare, so the stateful test (test_rules_stateful.py) can
compare the real policy against a second, independent reading of the rules.

People, units, carts, grants, links, access requests and orders are plain values; every method
that changes something first says whether the action is allowed (the return value), and only
then changes the model, as the real service would.

Where the spec leaves a choice, the model takes this one (a careful user's reading):
- an owner keeps their own carts when their company user is deactivated, but the grants and
  internal links of those carts stop counting: the owner is in no unit now (§1, §4);
- grants and internal links follow the owner's and the colleague's current units, and count
  again when they come back (§1);
- a pending request that lapsed can still be withdrawn by its requester, not answered (§11)."""

from __future__ import annotations

from dataclasses import dataclass, field

# Levels, lowest first: "never lower" (spec §10).
PREVIEW, READ_ONLY, CONTRIBUTOR, FULL_ACCESS, OWNER = (
    "PREVIEW",
    "READ_ONLY",
    "CONTRIBUTOR",
    "FULL_ACCESS",
    "OWNER",
)
ORDER_OF_LEVELS = (PREVIEW, READ_ONLY, CONTRIBUTOR, FULL_ACCESS, OWNER)
GRANT_LEVELS = (READ_ONLY, CONTRIBUTOR, FULL_ACCESS)
LINK_OPTIONS = (PREVIEW, READ_ONLY, CONTRIBUTOR, FULL_ACCESS)

# The actions, by the names the policy's CartAction gives them (the strings only).
VIEW, SEE_DETAILS, COMMENT, EDIT = "view", "see_details", "comment", "edit"
ADD_ITEMS, CHANGE_OWN_ITEMS, ORDER, SHARE = "add_items", "change_own_items", "order", "share"
UNSHARE, MANAGE_LINKS, DELETE, DISMISS = "unshare", "manage_links", "delete", "dismiss"
ACTIVATE, SEE_SHARING = "activate", "see_sharing"
SEE_ACCESS_REQUESTS = "see_access_requests"
ACTIONS = (
    VIEW,
    SEE_DETAILS,
    COMMENT,
    EDIT,
    ADD_ITEMS,
    CHANGE_OWN_ITEMS,
    ORDER,
    SHARE,
    UNSHARE,
    MANAGE_LINKS,
    DELETE,
    DISMISS,
    ACTIVATE,
    SEE_SHARING,
    SEE_ACCESS_REQUESTS,
)

# §3 and §10, read row by row. A colleague reads, sees the note and the owner, comments and
# dismisses; full access also edits and orders; a contributor adds and changes their own lines;
# "add to cart" may fill (ACTIVATE) whatever the level lets one add to (§2); only the owner
# shares, takes access away, manages links, deletes, sees whom the cart is shared with and who
# asked for access (the requests' entries in the log; a requester's own are the log's rule).
_COLLEAGUE = {VIEW, SEE_DETAILS, COMMENT, DISMISS}
MAY: dict[str, set[str]] = {
    OWNER: set(ACTIONS) - {DISMISS},
    FULL_ACCESS: _COLLEAGUE | {EDIT, ADD_ITEMS, CHANGE_OWN_ITEMS, ORDER, ACTIVATE},
    CONTRIBUTOR: _COLLEAGUE | {ADD_ITEMS, CHANGE_OWN_ITEMS, ACTIVATE},
    READ_ONLY: set(_COLLEAGUE),
    PREVIEW: {VIEW},
}
# §2: an ORDERED cart is frozen (no edits, no new grants or links, never the active cart);
# it still displays, and access to it can still be taken away (§4: the owner changes or
# removes grants; a link can be revoked).
FROZEN = {EDIT, ADD_ITEMS, CHANGE_OWN_ITEMS, ORDER, SHARE, ACTIVATE}


MAX_QUANTITY = 9_999


def refusal(self_level: str | None, action: str, ordered: bool) -> str | None:
    """§3: which refusal an action meets: "NotFound" for whoever cannot see the cart (it does
    not reveal that it exists), "PermissionDenied" when their level does not allow it,
    "Conflict" when only the cart's state (ordered) stands in the way; None: allowed."""
    if self_level is None:
        return "NotFound"
    if action not in MAY[self_level]:
        return "PermissionDenied"
    if ordered and action in FROZEN:
        return "Conflict"
    return None


def rank(level: str) -> int:
    return ORDER_OF_LEVELS.index(level)


@dataclass
class Person:
    name: str
    unit: str | None  # None: a B2C customer (no company user)
    account_active: bool = True  # the login itself
    member_active: bool = True  # the company user (§1: deactivating it ends shared rights)

    @property
    def company_unit(self) -> str | None:
        """The business unit this person belongs to now (None: none, or deactivated)."""
        return self.unit if self.member_active else None


@dataclass
class Cart:
    key: str
    owner: str
    ordered: bool = False
    items: dict[str, tuple[int, str]] = field(default_factory=dict)  # sku: (quantity, adder)


@dataclass
class Link:
    key: int
    cart: str
    option: str
    token: str
    revoked: bool = False
    expired: bool = False

    @property
    def working(self) -> bool:
        return not self.revoked and not self.expired


@dataclass
class Request:
    key: int
    cart: str
    requester: str
    level: str
    status: str = "PENDING"


@dataclass
class Model:
    people: dict[str, Person]
    carts: dict[str, Cart] = field(default_factory=dict)
    grants: dict[tuple[str, str], str] = field(default_factory=dict)  # (cart, person): level
    links: list[Link] = field(default_factory=list)
    requests: list[Request] = field(default_factory=list)
    orders: list[tuple[str, str, str]] = field(default_factory=list)  # cart, placed by, owner

    # --- who is who ------------------------------------------------------------------------
    def active(self, name: str | None) -> bool:
        return name is not None and self.people[name].account_active

    def same_unit_as_owner(self, name: str, cart: str) -> bool:
        """§4/§9: internal sharing is limited to the owner's business unit, now: both company
        users active and in the same unit, the colleague's account active."""
        person, owner = self.people[name], self.people[self.carts[cart].owner]
        return (
            person.account_active
            and person.company_unit is not None
            and person.company_unit == owner.company_unit
            and name != owner.name
        )

    def colleagues(self, name: str | None) -> set[str]:
        """Whom `name` can share a cart with: the active colleagues of their unit (§4)."""
        if not self.active(name):
            return set()
        assert name is not None
        unit = self.people[name].company_unit
        if unit is None:
            return set()
        return {
            other.name
            for other in self.people.values()
            if other.name != name and other.account_active and other.company_unit == unit
        }

    # --- levels ----------------------------------------------------------------------------
    def grant(self, cart: str, name: str) -> str | None:
        """The grant's level when it counts now (§1: leaving the unit ends it; it counts again
        when they come back), else None."""
        level = self.grants.get((cart, name))
        return level if level is not None and self.same_unit_as_owner(name, cart) else None

    def level(self, name: str | None, cart: str) -> str | None:
        if not self.active(name):
            return None
        assert name is not None
        if self.carts[cart].owner == name:
            return OWNER
        return self.grant(cart, name)

    def may(self, name: str | None, action: str, cart: str) -> bool:
        level = self.level(name, cart)
        if level is None or action not in MAY[level]:
            return False
        return not (self.carts[cart].ordered and action in FROZEN)

    def may_change_item(self, name: str | None, cart: str, sku: str) -> bool:
        """§10: full access and the owner change any line, a contributor the lines they added."""
        if self.may(name, EDIT, cart):
            return True
        return self.may(name, CHANGE_OWN_ITEMS, cart) and self.carts[cart].items[sku][1] == name

    def may_delete(self, name: str | None, cart: str) -> bool:
        """§2: the owner deletes, never their last own cart."""
        owner = self.carts[cart].owner
        own = sum(1 for each in self.carts.values() if each.owner == owner)
        return self.may(name, DELETE, cart) and own > 1

    def link_level(self, name: str | None, link: Link) -> str | None:
        """§5: a preview link shows the preview to anyone; an internal one gives the owner the
        cart and a colleague of the owner's unit the link's level; nobody else anything."""
        if link.option == PREVIEW:
            return PREVIEW
        if not self.active(name):
            return None
        assert name is not None
        if self.carts[link.cart].owner == name:
            return OWNER
        return link.option if self.same_unit_as_owner(name, link.cart) else None

    def current_link(self, cart: str, option: str) -> Link | None:
        found = [
            link
            for link in self.links
            if link.cart == cart and link.option == option and not link.revoked
        ]
        return found[0] if found else None

    def link_options(self, owner: str) -> tuple[str, ...]:
        """§5: B2C owners (and owners outside any active unit) get PREVIEW only."""
        return LINK_OPTIONS if self.people[owner].company_unit is not None else (PREVIEW,)

    # --- access requests (§11) -------------------------------------------------------------
    def lapsed(self, request: Request) -> bool:
        """Leaving the unit or being deactivated makes a pending request lapse."""
        return request.status == "PENDING" and not self.same_unit_as_owner(
            request.requester, request.cart
        )

    def pending(self, cart: str, name: str) -> Request | None:
        found = [
            request
            for request in self.requests
            if request.cart == cart and request.requester == name and request.status == "PENDING"
        ]
        return found[0] if found else None

    def may_request(
        self, name: str | None, cart: str, level: str | None = None, *, holds_link: bool = False
    ) -> bool:
        """A colleague who can view the cart (or who holds one of its links) asks for a level
        above theirs; never on an ordered cart; one pending request at a time."""
        if not self.active(name):
            return False
        assert name is not None
        current = self.level(name, cart)
        if current is None and not holds_link:
            return False
        if current == OWNER or not self.same_unit_as_owner(name, cart):
            return False
        if self.carts[cart].ordered:
            return False
        if level is None:  # "may they ask at all?": some level above theirs exists
            return current is None or rank(current) < rank(FULL_ACCESS)
        return current is None or rank(level) > rank(current)

    def requests_seen_by(self, name: str | None) -> set[int]:
        if not self.active(name):
            return set()
        return {
            request.key
            for request in self.requests
            if name in (request.requester, self.carts[request.cart].owner)
            and not self.lapsed(request)
        }

    # --- changes ---------------------------------------------------------------------------
    def raise_grant(self, cart: str, name: str, level: str) -> None:
        """Create the grant or raise it, never lower it (§5 accept, §11 approve)."""
        current = self.grants.get((cart, name))
        if current is None or rank(level) > rank(current):
            self.grants[(cart, name)] = level

    def set_grant(self, actor: str | None, cart: str, target: str, level: str | None) -> bool:
        """The share page's save (§4): the owner gives, changes or removes a colleague's level;
        on an ordered cart access can be taken away, not given."""
        if self.level(actor, cart) != OWNER or target not in self.colleagues(actor):
            return False
        old = self.grants.get((cart, target))
        gives_more = level is not None and (old is None or rank(level) > rank(old))
        if gives_more and self.carts[cart].ordered:
            return False
        if level is None:
            self.grants.pop((cart, target), None)
        else:
            self.grants[(cart, target)] = level
        return True

    def remove_grant(self, actor: str | None, cart: str, target: str) -> bool:
        """The owner ends a grant, also one that no longer counts, also once ordered."""
        if self.level(actor, cart) != OWNER or (cart, target) not in self.grants:
            return False
        del self.grants[(cart, target)]
        return True

    def dismiss(self, actor: str | None, cart: str) -> bool:
        if not self.may(actor, DISMISS, cart):
            return False
        assert actor is not None
        del self.grants[(cart, actor)]
        return True

    def link_create(self, actor: str | None, cart: str, option: str) -> tuple[bool, Link | None]:
        """(allowed, the link that is current afterwards when one has to be made)."""
        if not self.may(actor, SHARE, cart) or option not in self.link_options(
            self.carts[cart].owner
        ):
            return False, None
        current = self.current_link(cart, option)
        if current is not None and current.working:
            return True, None
        if current is not None:  # an expired link is retired and replaced
            current.revoked = True
        return True, Link(key=0, cart=cart, option=option, token="")

    def link_revoke(self, actor: str | None, link: Link) -> bool:
        if not self.may(actor, MANAGE_LINKS, link.cart):
            return False
        link.revoked = True
        return True

    def accept(self, actor: str | None, link: Link) -> bool:
        """§5: opening an internal link and pressing "Open cart"."""
        level = self.link_level(actor, link) if link.working else None
        if level is None or link.option == PREVIEW:
            return False
        assert actor is not None
        if level == OWNER:
            return True
        if self.carts[link.cart].ordered:
            return False
        self.raise_grant(link.cart, actor, level)
        return True

    def add(self, actor: str | None, cart: str, sku: str, quantity: int) -> bool:
        if not self.may(actor, ADD_ITEMS, cart):
            return False
        assert actor is not None
        items = self.carts[cart].items
        old, adder = items.get(sku, (0, actor))
        if old + quantity > MAX_QUANTITY:  # §2: a line holds 1 to 9,999
            return False
        items[sku] = (old + quantity, adder)
        return True

    def change(self, actor: str | None, cart: str, sku: str, quantity: int | None) -> bool:
        """A new quantity, or None: remove the line."""
        if not self.may_change_item(actor, cart, sku):
            return False
        items = self.carts[cart].items
        if quantity is None:
            del items[sku]
        else:
            items[sku] = (quantity, items[sku][1])
        return True

    def checkout(self, actor: str | None, cart: str) -> bool:
        """§7: owner and full access order an open cart with at least one item."""
        if not self.may(actor, ORDER, cart) or not self.carts[cart].items:
            return False
        assert actor is not None
        self.carts[cart].ordered = True
        self.orders.append((cart, actor, self.carts[cart].owner))
        return True

    def request_access(
        self, actor: str | None, cart: str, level: str, *, holds_link: bool
    ) -> Request | None:
        if not self.may_request(actor, cart, level, holds_link=holds_link):
            return None
        assert actor is not None
        if self.pending(cart, actor) is not None:
            return None
        return Request(key=0, cart=cart, requester=actor, level=level)

    def decide(self, actor: str | None, request: Request, *, approve: bool, level: str) -> bool:
        """The owner answers a pending request that has not lapsed; approving raises the grant
        (never lowers it) and is not possible once the cart is ordered."""
        if self.level(actor, request.cart) != OWNER:
            return False
        if request.status != "PENDING" or self.lapsed(request):
            return False
        if approve and self.carts[request.cart].ordered:
            return False
        if approve:
            self.raise_grant(request.cart, request.requester, level)
        request.status = "APPROVED" if approve else "DECLINED"
        return True

    def withdraw(self, actor: str | None, request: Request) -> bool:
        if not self.active(actor) or actor != request.requester or request.status != "PENDING":
            return False
        request.status = "WITHDRAWN"
        return True

    def orders_seen_by(self, name: str | None) -> set[str]:
        """§7: the orderer and the owner see an order in their history."""
        if not self.active(name):
            return set()
        return {cart for cart, placed_by, owner in self.orders if name in (placed_by, owner)}
