"""Recording activity; every service that changes a cart calls this inside its transaction.
The row is also the cart's live event (`cartshare.live`)."""

from cartshare.access.policies import Actor
from cartshare.accounts.models import Customer
from cartshare.activity import models as activity_models
from cartshare.activity.models import CartActivity
from cartshare.carts.models import Cart
from cartshare.live.bus import cart_changed


class Verb:
    CART_CREATED = "cart_created"
    CART_RENAMED = "cart_renamed"
    NOTE_CHANGED = "note_changed"
    CART_DUPLICATED = "cart_duplicated"
    CART_CLEARED = "cart_cleared"
    ITEM_ADDED = "item_added"
    QUANTITY_CHANGED = "quantity_changed"
    ITEM_REMOVED = "item_removed"
    ITEM_NOTE_CHANGED = "item_note_changed"
    SHARED = "shared"
    SHARE_CHANGED = "share_changed"
    UNSHARED = "unshared"
    SHARE_DISMISSED = "share_dismissed"
    LINK_CREATED = "link_created"
    LINK_REVOKED = "link_revoked"
    LINK_RESTORED = "link_restored"  # a revoke undone within seconds (the share dialog's Undo)
    LINK_ACCEPTED = "link_accepted"
    COMMENTED = "commented"
    COMMENT_EDITED = "comment_edited"
    COMMENT_DELETED = "comment_deleted"
    ORDERED = "ordered"
    # Access requests (spec §11): seen by whoever answers them and the requester (the policy's
    # SEE_ACCESS_REQUESTS); details: requester, requester_id, request_id, permission (asked),
    # granted (approved).
    ACCESS_REQUESTED = activity_models.ACCESS_REQUESTED
    ACCESS_REQUEST_WITHDRAWN = activity_models.ACCESS_REQUEST_WITHDRAWN
    ACCESS_REQUEST_DECLINED = activity_models.ACCESS_REQUEST_DECLINED
    ACCESS_REQUEST_APPROVED = activity_models.ACCESS_REQUEST_APPROVED


# What leaves who may see the cart as it was: the live streams skip asking the policy again.
SAME_ACCESS_VERBS = frozenset(
    {
        Verb.CART_RENAMED,
        Verb.NOTE_CHANGED,
        Verb.CART_CLEARED,
        Verb.ITEM_ADDED,
        Verb.QUANTITY_CHANGED,
        Verb.ITEM_REMOVED,
        Verb.ITEM_NOTE_CHANGED,
        Verb.COMMENTED,
        Verb.COMMENT_EDITED,
        Verb.COMMENT_DELETED,
        # Asking, withdrawing and declining give nobody access (approving records its grant).
        Verb.ACCESS_REQUESTED,
        Verb.ACCESS_REQUEST_WITHDRAWN,
        Verb.ACCESS_REQUEST_DECLINED,
    }
)


def activity_record(*, cart: Cart, actor: Actor, verb: str, **details: object) -> CartActivity:
    """`details` are JSON values. Only customers act on carts (the policy lets nobody else)."""
    if not isinstance(actor, Customer):
        raise ValueError("Only a customer's actions are recorded.")
    entry = CartActivity.objects.create(
        cart=cart, actor=actor, verb=verb, details=details, cart_version=cart.version
    )
    # The row is the event; its subscribers wake after commit.
    cart_changed(cart.pk, access=verb not in SAME_ACCESS_VERBS)
    return entry
